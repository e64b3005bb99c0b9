import datetime

import pytest
from django.db import IntegrityError, transaction

from authorities.models import Authority, AuthorityKind, kind_for_gss_code
from tests.factories import AuthorityFactory, InspectionFactory, NeighbourFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("E06000045", AuthorityKind.UNITARY),
        ("E08000036", AuthorityKind.METROPOLITAN),
        ("E09000021", AuthorityKind.LONDON_BOROUGH),
        ("E10000034", AuthorityKind.COUNTY),
        ("E12000003", AuthorityKind.OTHER),
    ],
)
def test_kind_comes_from_the_gss_prefix(code, kind):
    assert kind_for_gss_code(code) == kind


def test_of_kind_filters_by_prefix():
    AuthorityFactory(gss_code="E08000901")
    AuthorityFactory(gss_code="E10000901")
    codes = list(Authority.objects.of_kind(AuthorityKind.COUNTY).values_list("gss_code", flat=True))
    assert codes == ["E10000901"]


def test_dfe_code_is_unique_when_present():
    AuthorityFactory(dfe_code="501")
    AuthorityFactory(dfe_code="")
    AuthorityFactory(dfe_code="")
    with pytest.raises(IntegrityError), transaction.atomic():
        AuthorityFactory(dfe_code="501")


def test_reorganised_authority_points_to_its_successor():
    bcp = AuthorityFactory(name="Bournemouth, Christchurch and Poole")
    poole = AuthorityFactory(name="Poole", active_to=datetime.date(2019, 3, 31), successor=bcp)
    assert list(bcp.predecessors.all()) == [poole]
    assert poole not in Authority.objects.active()


def test_neighbour_rank_is_1_to_10_and_unique():
    link = NeighbourFactory(rank=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        NeighbourFactory(authority=link.authority, rank=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        NeighbourFactory(authority=link.authority, rank=11)
    with pytest.raises(IntegrityError), transaction.atomic():
        NeighbourFactory(authority=link.authority, neighbour=link.authority, rank=2)


def test_one_inspection_per_visit():
    inspection = InspectionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        InspectionFactory(authority=inspection.authority, start_date=inspection.start_date)
