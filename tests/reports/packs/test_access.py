"""Who may make and open board packs: the authority's members (board members too), DfE users
and administrators. Anyone else is refused, by the view and by the query (issue 17, item 4)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.packs import services
from reports.packs.models import BoardPack
from tests.reports.packs.conftest import MEETING

pytestmark = pytest.mark.django_db

MAY = ["data_officer", "approver", "board_member", "dfe_analyst", "administrator"]
MAY += ["local_administrator"]
REFUSED = ["other_data_officer", "other_board_member", "no_role"]
DATE = {"day": str(MEETING.day), "month": str(MEETING.month), "year": str(MEETING.year)}


@pytest.fixture
def pack(authority, users):
    return services.make_pack(authority=authority, meeting_date=MEETING, user=users["approver"])


def addresses(pack) -> list[str]:
    code = pack.authority.gss_code
    return [
        reverse("reports:packs", args=[code]),
        reverse("reports:pack", args=[code, pack.pk]),
        reverse("reports:pack_pdf", args=[code, pack.pk]),
    ]


@pytest.mark.parametrize("role", MAY)
def test_members_dfe_users_and_administrators_make_and_open_packs(
    client, authority, users, pack, role
):
    user = users[role]
    client.force_login(user)
    made = client.post(reverse("reports:packs", args=[authority.gss_code]), DATE)
    assert made.status_code == 302
    mine = BoardPack.objects.get(version=2)  # the fixture's pack is version 1
    assert (mine.made_by, mine.made_by_name) == (user, user.get_username())
    for url in addresses(pack)[:2]:
        assert client.get(url).status_code == 200, url
    assert BoardPack.objects.for_user(user).count() == 2


@pytest.mark.parametrize("role", REFUSED)
def test_other_authorities_members_and_people_without_a_role_are_refused(
    client, authority, users, pack, role
):
    user = users[role]
    client.force_login(user)
    for url in addresses(pack):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"Board packs for Wakefield are for its members" in response.content
    refused = client.post(reverse("reports:packs", args=[authority.gss_code]), DATE)
    assert refused.status_code == 403
    assert BoardPack.objects.count() == 1  # nothing made
    assert not BoardPack.objects.for_user(user).exists()
    with pytest.raises(services.PermissionDenied):
        services.make_pack(authority=authority, meeting_date=MEETING, user=user)


def test_anonymous_visitors_are_sent_to_sign_in_and_nothing_is_made(client, authority, pack):
    for url in addresses(pack):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login") + "?next=")
    response = client.post(reverse("reports:packs", args=[authority.gss_code]), DATE)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert BoardPack.objects.count() == 1
    from django.contrib.auth.models import AnonymousUser

    assert not BoardPack.objects.for_user(AnonymousUser()).exists()


def test_a_pack_is_found_only_at_its_own_authoritys_address(
    client, authority, other_authority, users, pack
):
    theirs = services.make_pack(
        authority=other_authority, meeting_date=MEETING, user=users["dfe_analyst"]
    )
    client.force_login(users["board_member"])
    # Wakefield's member asks for Kirklees's pack under Wakefield's address: not found.
    url = reverse("reports:pack", args=[authority.gss_code, theirs.pk])
    assert client.get(url).status_code == 404
    assert BoardPack.objects.for_user(users["board_member"]).get() == pack


def test_the_authority_page_links_to_packs_only_for_those_who_may_make_them(
    client, authority, users
):
    link = reverse("reports:packs", args=[authority.gss_code])
    page = reverse("reports:authority", args=[authority.gss_code])
    assert link not in client.get(page).content.decode()
    client.force_login(users["other_board_member"])
    assert link not in client.get(page).content.decode()
    client.force_login(users["board_member"])
    assert f'href="{link}"' in client.get(page).content.decode()


def test_the_pages_are_never_kept_in_a_shared_cache(client, users, pack):
    client.force_login(users["board_member"])
    for url in addresses(pack):
        assert "no-cache" in client.get(url)["Cache-Control"]
