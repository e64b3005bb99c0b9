"""A figure's source link is a permalink (issue 13, item 10): it keeps working, or leads to the
figure that replaced it and says so, across re-approval and re-import; a withdrawn figure never
shows through it."""

from __future__ import annotations

from html import unescape
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from indicators.models import Observation, RetiredObservation, Source
from indicators.official.ees_write import import_ees
from indicators.returns import services
from indicators.returns.models import MonthlyReturn, ReturnStatus
from tests.indicators.official.test_ees import GOOD, WAKEFIELD, WAKEFIELD_ROW, one, write
from tests.indicators.returns.conftest import COMPLETE, MONTH

# The returns' fixtures: an authority, another one, and a user of each role.
from tests.indicators.returns.conftest import authority as authority
from tests.indicators.returns.conftest import other_authority as other_authority
from tests.indicators.returns.conftest import users as users

pytestmark = pytest.mark.django_db


def source_url(pk: int) -> str:
    return reverse("reports:observation_source", args=[pk])


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return unescape(response.content.decode())


def published_caseload(authority) -> Observation:
    return Observation.objects.get(
        source=Source.MONTHLY_RETURN, area_code=authority.gss_code, indicator__code="cla"
    )


def approve(monthly_return: MonthlyReturn, users) -> MonthlyReturn:
    monthly_return = services.submit_return(
        monthly_return=monthly_return, user=users["data_officer"]
    )
    return services.approve_return(monthly_return=monthly_return, user=users["approver"])


@pytest.fixture
def approved(authority, users) -> MonthlyReturn:
    monthly_return = services.save_return_values(
        authority=authority, month=MONTH, user=users["data_officer"], entries=COMPLETE, version=0
    ).monthly_return
    return approve(monthly_return, users)


def reopen(monthly_return: MonthlyReturn, users) -> MonthlyReturn:
    return services.reopen_return(
        monthly_return=monthly_return, user=users["approver"], reason="Looked-after count wrong"
    )


def correct(monthly_return: MonthlyReturn, users, cla: str = "612") -> MonthlyReturn:
    return services.save_return_values(
        authority=monthly_return.authority,
        month=MONTH,
        user=users["data_officer"],
        entries={"cla": {"value": cla}},
        version=monthly_return.version,
    ).monthly_return


def test_reopening_and_approving_again_keeps_the_link_working(client, authority, users, approved):
    first = published_caseload(authority)
    assert "650" in page(client, source_url(first.pk))

    approve(correct(reopen(approved, users), users), users)
    second = published_caseload(authority)
    assert second.pk != first.pk and second.value == 612

    response = client.get(source_url(first.pk))  # anonymous, as the public follows links
    assert response.status_code == 302
    assert response["Location"] == f"{source_url(second.pk)}?replaces={first.pk}"
    html = page(client, response["Location"])
    today = timezone.localdate()
    assert (
        "The figure at the link you followed was replaced on "
        f"{today.day} {today:%B %Y} by the figure below."
    ) in html
    assert "withdrawn on" in html and "when its monthly return was reopened" in html
    assert "612" in html and "Looked-after count wrong" not in html  # the reason stays inside
    assert "replaced on" not in page(client, source_url(second.pk))  # only via the old link


def test_the_link_follows_every_reapproval(client, authority, users, approved):
    first = published_caseload(authority)
    monthly_return = approve(correct(reopen(approved, users), users, "612"), users)
    approve(correct(reopen(monthly_return, users), users, "640"), users)
    latest = published_caseload(authority)
    response = client.get(source_url(first.pk), follow=True)
    assert response.redirect_chain == [(f"{source_url(latest.pk)}?replaces={first.pk}", 302)]
    assert "640" in unescape(response.content.decode())


def test_a_withdrawn_figure_cannot_be_read_through_its_link(client, authority, users, approved):
    first = published_caseload(authority)
    reopened = reopen(approved, users)
    assert RetiredObservation.objects.get(pk=first.pk).reason == "withdrawn"
    for who in (None, users["board_member"], users["dfe_analyst"], users["approver"]):
        if who is None:
            client.logout()
        else:
            client.force_login(who)
        response = client.get(source_url(first.pk))
        assert response.status_code == 404, who
        assert "650" not in response.content.decode()
    # Corrected and submitted, but not approved again: still nothing to read.
    services.submit_return(monthly_return=correct(reopened, users), user=users["data_officer"])
    assert MonthlyReturn.objects.get().status == ReturnStatus.SUBMITTED
    client.logout()
    assert client.get(source_url(first.pk)).status_code == 404
    assert client.get(f"{source_url(first.pk)}?replaces={first.pk}").status_code == 404


def test_an_address_cannot_make_a_page_claim_a_replacement(client, authority, users, approved):
    first = published_caseload(authority)
    approve(correct(reopen(approved, users), users), users)
    contacts = Observation.objects.get(
        source=Source.MONTHLY_RETURN, area_code=authority.gss_code, indicator__code="contacts"
    )
    # The contacts figure did not replace the looked-after one: no notice, whatever the address.
    for replaces in (str(first.pk), "abc", "9" * 40, "-1"):
        html = page(client, f"{source_url(contacts.pk)}?replaces={replaces}")
        assert "replaced on" not in html, replaces
    assert client.get(source_url(10**9)).status_code == 404  # never a figure


def test_a_newer_edition_keeps_an_official_figure_link(client, tmp_path: Path):
    import_ees([write(tmp_path, "workforce_2017_to_2025.csv", GOOD)])
    figure = one("agency_sw_pct", WAKEFIELD, "2025")
    assert "15.2" in page(client, source_url(figure.pk))
    revised = GOOD.replace("Wakefield,15.2,x,19", "Wakefield,15.4,x,19")
    later = WAKEFIELD_ROW.replace("2025,", "2026,", 1).replace("15.2,x,19", "14.0,20,18")
    import_ees([write(tmp_path, "workforce_2017_to_2026.csv", revised + later + "\n")])
    html = page(client, source_url(figure.pk))  # the same address, the revised figure
    assert "15.4" in html and "workforce_2017_to_2026.csv" in html


def test_a_copy_removed_at_a_reimport_leads_to_the_copy_kept(client, tmp_path: Path):
    path = write(tmp_path, "workforce.csv", GOOD)
    import_ees([path])
    kept = one("agency_sw_pct", WAKEFIELD, "2025")
    copy = Observation.objects.get(pk=kept.pk)
    copy.pk = None
    copy.release = "an older edition.csv"
    copy.save()
    import_ees([path])
    assert not Observation.objects.filter(pk=copy.pk).exists()
    response = client.get(source_url(copy.pk))
    assert response["Location"] == f"{source_url(kept.pk)}?replaces={copy.pk}"
    html = page(client, response["Location"])
    assert "It was an older copy of the same figure" in html


def test_other_authorities_figures_do_not_stand_in(client, authority, other_authority, users):
    """A withdrawn figure's link never leads to another area's figure for the same month."""
    monthly_return = services.save_return_values(
        authority=authority, month=MONTH, user=users["data_officer"], entries=COMPLETE, version=0
    ).monthly_return
    mine = approve(monthly_return, users)
    first = published_caseload(authority)
    theirs = services.save_return_values(
        authority=other_authority,
        month=MONTH,
        user=users["other_data_officer"],
        entries=COMPLETE,
        version=0,
    ).monthly_return
    theirs = services.submit_return(monthly_return=theirs, user=users["other_data_officer"])
    services.approve_return(monthly_return=theirs, user=users["other_approver"])
    reopen(mine, users)
    assert client.get(source_url(first.pk)).status_code == 404
