"""The Annex A upload: who may use it, what it shows, and accepting its figures into drafts."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators.annex_a import fictional
from indicators.annex_a.models import AnnexAUpload
from indicators.models import (
    ChangeVia,
    MonthlyReturn,
    ReturnStatus,
    ReturnValue,
    ValueChange,
)
from indicators.returns import selectors as returns_selectors

pytestmark = pytest.mark.django_db

LATEST = returns_selectors.latest_month(datetime.date.today())
END = returns_selectors.add_months(LATEST, 1) - datetime.timedelta(days=1)


@pytest.fixture(scope="module")
def workbook() -> fictional.FictionalWorkbook:
    return fictional.build(seed=3, months=2, end=END, contacts_per_month=40)


def _url(authority, name="upload", *args):
    return reverse(f"annex_a:{name}", args=[authority.gss_code, *args])


def _post(client, authority, data: bytes, name: str = "annex.xlsx"):
    return client.post(_url(authority), {"file": SimpleUploadedFile(name, data)})


def test_anonymous_is_sent_to_sign_in(client, authority, workbook):
    response = client.get(_url(authority))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    response = _post(client, authority, workbook.data)
    assert response.status_code == 302
    assert not AnnexAUpload.objects.exists()


@pytest.mark.parametrize(
    "role", ["board_member", "dfe_analyst", "approver", "other_data_officer", "no_role"]
)
def test_people_who_may_not_edit_the_returns_are_refused(client, users, authority, workbook, role):
    client.force_login(users[role])
    assert client.get(_url(authority)).status_code == 403
    assert _post(client, authority, workbook.data).status_code == 403
    assert not AnnexAUpload.objects.exists()


def test_someone_elses_upload_cannot_be_seen_or_accepted(client, users, authority, workbook):
    client.force_login(users["data_officer"])
    _post(client, authority, workbook.data)
    upload = AnnexAUpload.objects.get()
    for role in ("other_data_officer", "board_member", "dfe_analyst"):
        client.force_login(users[role])
        assert client.get(_url(authority, "result", upload.pk)).status_code == 403
        assert client.post(_url(authority, "accept", upload.pk)).status_code == 403
    assert not ReturnValue.objects.exists()


def test_upload_shows_quality_figures_and_worker_names(client, users, authority, workbook):
    client.force_login(users["data_officer"])
    response = _post(client, authority, workbook.data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Data quality" in page
    assert f"{LATEST:%B %Y}" in page
    assert "Fills" in page  # nothing saved yet: every computed figure fills an empty field
    assert any(name in page for name in workbook.worker_names)  # only on this answer
    upload = AnnexAUpload.objects.get()
    assert upload.months[-1] == LATEST.isoformat()
    assert len(upload.sha256) == 64 and upload.rows_used == sum(workbook.rows.values())
    # The stored page shows the same figures, but never the workers.
    again = client.get(_url(authority, "result", upload.pk)).content.decode()
    assert f"{LATEST:%B %Y}" in again
    assert not any(name in again for name in workbook.worker_names)


def test_unreadable_and_wrong_files_are_refused_saying_why(client, users, authority):
    client.force_login(users["data_officer"])
    response = _post(client, authority, b"not a workbook at all")
    assert response.status_code == 422
    assert "could not be read" in response.content.decode()
    response = _post(client, authority, b"a,b\n1,2\n", name="annex.csv")
    assert "The file must be an Excel workbook (.xlsx)" in response.content.decode()
    assert not AnnexAUpload.objects.exists()


def test_too_large_a_file_is_refused(client, users, authority, settings):
    from indicators.annex_a.forms import file_limit

    client.force_login(users["data_officer"])
    big = b"0" * (file_limit() + 1)
    response = _post(client, authority, big)
    assert "The file must be smaller than" in response.content.decode()
    assert not AnnexAUpload.objects.exists()


def _accept(client, authority):
    upload = AnnexAUpload.objects.latest("uploaded_at")
    return upload, client.post(_url(authority, "accept", upload.pk), follow=True)


def test_accepting_puts_the_figures_into_drafts_marked_as_computed(
    client, users, authority, workbook
):
    client.force_login(users["data_officer"])
    _post(client, authority, workbook.data)
    upload, response = _accept(client, authority)
    assert "put into the drafts" in response.content.decode()
    draft = MonthlyReturn.objects.get(authority=authority, month=LATEST)
    assert draft.status == ReturnStatus.DRAFT
    computed = {f["measure"]: f for f in upload.figures if f["month"] == LATEST.isoformat()}
    cla = ReturnValue.objects.get(monthly_return=draft, indicator__code="cla")
    assert cla.value == computed["cla"]["value"]
    assert cla.annex_a_upload == upload
    changes = ValueChange.objects.filter(monthly_return=draft, via=ChangeVia.ANNEX_A)
    assert changes.filter(indicator__code="cla").exists()
    # Accepting twice does nothing more.
    again = client.post(_url(authority, "accept", upload.pk), follow=True)
    assert "already accepted" in again.content.decode()
    assert ValueChange.objects.filter(monthly_return=draft).count() == changes.count()


def test_a_typed_figure_is_no_longer_marked_as_computed(client, users, authority, workbook):
    from indicators.returns import services

    client.force_login(users["data_officer"])
    _post(client, authority, workbook.data)
    _accept(client, authority)
    services.save_return_values(
        authority=authority,
        month=LATEST,
        user=users["data_officer"],
        entries={"cla": {"value": "1"}},
        version=None,
    )
    cla = ReturnValue.objects.get(monthly_return__month=LATEST, indicator__code="cla")
    assert cla.value == 1 and cla.annex_a_upload is None


def test_submitted_figures_are_left_and_shown_as_differences(client, users, authority, workbook):
    submitted = MonthlyReturn.objects.create(
        authority=authority, month=LATEST, status=ReturnStatus.SUBMITTED
    )
    from tests.factories import indicator

    ReturnValue.objects.create(monthly_return=submitted, indicator=indicator("cla"), value=1)
    client.force_login(users["data_officer"])
    page = _post(client, authority, workbook.data).content.decode()
    assert "Differs" in page
    _upload, response = _accept(client, authority)
    assert "left as they are" in response.content.decode()
    assert ReturnValue.objects.get(monthly_return=submitted, indicator__code="cla").value == 1
    assert not ValueChange.objects.filter(monthly_return=submitted).exists()
    # The earlier month, still a draft, was filled.
    earlier = returns_selectors.add_months(LATEST, -1)
    assert ReturnValue.objects.filter(monthly_return__month=earlier).exists()


def test_rules_page_is_public_and_lists_every_measure(client):
    from indicators.annex_a import MEASURES, RULES_VERSION

    page = client.get(reverse("annex_a:rules")).content.decode()
    assert RULES_VERSION in page
    for measure in MEASURES:
        assert measure.name in page
    assert "Child protection visits" in page
    assert "Figures entered by hand" in page


def test_a_published_computed_figure_says_where_it_came_from(client, users, authority, workbook):
    from indicators.models import Observation, Source
    from indicators.returns import services

    users["data_officer"].first_name, users["data_officer"].last_name = "Dee", "Officer"
    users["data_officer"].save()
    client.force_login(users["data_officer"])
    _post(client, authority, workbook.data)
    upload, _response = _accept(client, authority)
    draft = MonthlyReturn.objects.get(authority=authority, month=LATEST)
    # Submitting needs the hand-entered figures too; that is the returns' own business.
    MonthlyReturn.objects.filter(pk=draft.pk).update(status=ReturnStatus.SUBMITTED)
    draft.refresh_from_db()
    services.approve_return(monthly_return=draft, user=users["approver"])
    published = Observation.objects.get(
        source=Source.MONTHLY_RETURN, indicator__code="cla_visits_in_time_pct", period_start=LATEST
    )
    figure = upload.figure("cla_visits_in_time_pct", LATEST)
    client.logout()
    page = client.get(reverse("reports:observation_source", args=[published.pk])).content.decode()
    assert "Computed from Annex A uploaded by Dee Officer on" in page
    assert upload.sha256 in page
    assert f"{upload.rows_used:,} rows used, rules version {upload.rules_version}" in page
    assert f"{figure['numerator']:,} of {figure['denominator']:,}" in page


def test_a_typed_figure_has_no_annex_a_provenance(client, users, authority):
    from indicators.models import Observation, Source
    from tests.factories import ObservationFactory, indicator

    typed = ObservationFactory(
        indicator=indicator("cla"), area_code=authority.gss_code, source=Source.MONTHLY_RETURN
    )
    page = client.get(reverse("reports:observation_source", args=[typed.pk])).content.decode()
    assert "Computed from Annex A" not in page
    assert Observation.objects.filter(annex_a_upload__isnull=False).count() == 0


def test_team_page_is_for_the_authoritys_members_only(client, users, authority, workbook):
    client.force_login(users["data_officer"])
    _post(client, authority, workbook.data)
    url = _url(authority, "teams")
    assert "No team figures yet" in client.get(url).content.decode()  # not accepted yet
    _accept(client, authority)
    for role in ("data_officer", "approver", "board_member", "local_administrator"):
        client.force_login(users[role])
        page = client.get(url)
        assert page.status_code == 200, role
        assert f"{LATEST:%B %Y}: teams furthest" in page.content.decode()
    for role in ("dfe_analyst", "administrator", "other_data_officer", "other_approver", "no_role"):
        client.force_login(users[role])
        assert client.get(url).status_code == 403, role
    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_teams_furthest_from_the_caseload_milestone_come_first(client, users, authority, workbook):
    from indicators.annex_a.models import TeamMonth
    from indicators.annex_a.selectors import team_tables

    client.force_login(users["data_officer"])
    _post(client, authority, workbook.data)
    _accept(client, authority)
    tables = team_tables(users["board_member"], authority)
    assert tables[0].month == LATEST
    over = [row.workers_over_threshold or 0 for row in tables[0].rows]
    assert over == sorted(over, reverse=True)
    assert len(tables[0].rows) == TeamMonth.objects.filter(month=LATEST).count()
    assert team_tables(users["dfe_analyst"], authority) == []
    page = client.get(_url(authority, "teams")).content.decode()
    assert not any(name in page for name in workbook.worker_names)


def test_load_demo_computes_the_demo_authoritys_returns_from_annex_a(tmp_path, settings):
    from django.core.management import call_command

    from indicators.annex_a.demo import DEMO_WORKBOOK

    settings.BASE_DIR = tmp_path
    call_command("load_demo", "--authorities", "11", "--months", "2", "--seed", "5", stdout=None)
    upload = AnnexAUpload.objects.get()
    assert upload.accepted_at is not None and upload.authority.is_demo
    assert (tmp_path / DEMO_WORKBOOK).read_bytes()[:2] == b"PK"  # an xlsx, where the README says
    computed = ReturnValue.objects.filter(annex_a_upload=upload)
    assert computed.exists()
    assert not MonthlyReturn.objects.filter(is_demo=False).exists()
    # A second run replaces the first, leaving one upload and no stale figures.
    call_command("load_demo", "--authorities", "11", "--months", "2", "--seed", "5", stdout=None)
    assert AnnexAUpload.objects.count() == 1


def test_the_upload_form_still_needs_its_csrf_token(users, authority, workbook):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(users["data_officer"])
    assert _post(client, authority, workbook.data).status_code == 403
    assert not AnnexAUpload.objects.exists()
    page = client.get(_url(authority)).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(
        _url(authority),
        {"file": SimpleUploadedFile("annex.xlsx", workbook.data), "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 200 and AnnexAUpload.objects.exists()


def test_a_messy_workbook_gets_a_quality_report_by_list_and_column(client, users, authority):
    damaged = fictional.build(
        seed=2, months=2, end=END, contacts_per_month=30, messy=True, damaged=True, omit_lists=[8]
    )
    client.force_login(users["data_officer"])
    page = _post(client, authority, damaged.data).content.decode()
    assert "List 8 (children looked after) is not in the workbook" in page
    (_list, column), rows = next(iter(damaged.damaged.items()))
    assert f"column “{column}”" in page
    assert f"(row {rows[0]}" in page or f"rows {rows[0]}" in page
    # A measure the damage stopped is named, and stays as it was when the figures are accepted.
    assert "Some figures could not be computed" in page
    _accept(client, authority)
    assert not ReturnValue.objects.filter(indicator__code="cla").exists()
    assert ReturnValue.objects.filter(indicator__code="contacts").exists()


def test_the_authority_page_links_its_members_to_the_team_page(client, users, authority):
    url = reverse("reports:authority", args=[authority.gss_code])
    link = _url(authority, "teams")
    client.force_login(users["board_member"])
    assert link in client.get(url).content.decode()
    for role in ("dfe_analyst", "other_data_officer"):
        client.force_login(users[role])
        assert link not in client.get(url).content.decode()
    client.logout()
    assert link not in client.get(url).content.decode()


def test_a_return_saved_since_the_figures_were_shown_is_not_overwritten(
    client, users, authority, workbook
):
    from indicators.returns import services

    client.force_login(users["data_officer"])
    _post(client, authority, workbook.data)
    services.save_return_values(
        authority=authority,
        month=LATEST,
        user=users["local_administrator"],
        entries={"contacts": {"value": "7"}},
        version=0,
    )
    upload, response = _accept(client, authority)
    assert "saved by someone since these figures were worked out" in response.content.decode()
    assert not ValueChange.objects.filter(via=ChangeVia.ANNEX_A).exists()  # no month at all
    assert ReturnValue.objects.get(indicator__code="contacts").value == 7
    upload.refresh_from_db()
    assert upload.accepted_at is None
