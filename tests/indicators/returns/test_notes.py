"""A figure's two notes: the internal note is read only by people who can see the return; the
published note goes out with the figure once the return is approved (issue 13, item 3)."""

from __future__ import annotations

import io
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from openpyxl import load_workbook

from indicators.catalogue import sync_catalogue
from indicators.models import Indicator, Observation, Source
from indicators.returns import services, uploads
from indicators.returns.models import MonthlyReturn, ReturnValue, ValueChange
from tests.indicators.returns.conftest import COMPLETE, MONTH, form_data, form_on_page

pytestmark = pytest.mark.django_db

INTERNAL = "Internal-note-SECRET: two siblings from the Smith family came into care"
PUBLISHED = "Published-note-PUBLIC: two large sibling groups came into care"
CLA = {"value": "650", "internal_note": INTERNAL, "published_note": PUBLISHED}


def page_url(authority) -> str:
    return reverse("returns:return", args=[authority.gss_code, MONTH])


def approve(authority, users, entries=None) -> MonthlyReturn:
    monthly_return = services.save_return_values(
        authority=authority,
        month=MONTH,
        user=users["data_officer"],
        entries=entries or {**COMPLETE, "cla": CLA},
        version=0,
    ).monthly_return
    services.submit_return(monthly_return=monthly_return, user=users["data_officer"])
    return services.approve_return(monthly_return=monthly_return, user=users["approver"])


def published_cla(authority) -> Observation:
    return Observation.objects.get(
        source=Source.MONTHLY_RETURN, area_code=authority.gss_code, indicator__code="cla"
    )


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return unescape(response.content.decode())


# --- the form says who reads each note --------------------------------------------------------


def test_the_form_says_exactly_who_reads_each_note(client, authority, users):
    client.force_login(users["data_officer"])
    html = text(client.get(page_url(authority)))
    assert '<label class="govuk-label" for="id_cla-internal_note">Internal note</label>' in html
    assert '<label class="govuk-label" for="id_cla-published_note">Published note</label>' in html
    assert (
        '<div class="govuk-hint" id="id_cla-internal_note-hint">Only people at Wakefield and DfE '
        "who can see this return will read it. It is never published.</div>"
    ) in html
    assert (
        '<div class="govuk-hint" id="id_cla-published_note-hint">Shown to everyone with the '
        "figure once the return is approved"
    ) in html
    assert 'aria-describedby="id_cla-published_note-hint"' in html
    assert "Anything the approver and the board should know" not in html
    # The group checked as a field is left carries the same hints.
    response = client.post(
        reverse("returns:validate", args=[authority.gss_code, MONTH, "cla"]),
        {"cla-value": "650"},
        headers={"HX-Request": "true"},
    )
    assert "Only people at Wakefield and DfE who can see this return" in text(response)


def test_both_notes_are_saved_kept_in_the_history_and_shown_to_those_who_see_the_return(
    client, authority, users
):
    client.force_login(users["data_officer"])
    response = client.post(page_url(authority), form_data({**COMPLETE, "cla": CLA}))
    assert response.status_code == 302
    saved = ReturnValue.objects.get(indicator__code="cla")
    assert (saved.internal_note, saved.published_note) == (INTERNAL, PUBLISHED)
    changes = ValueChange.objects.filter(indicator__code="cla").order_by("pk")
    assert [(c.field, c.new) for c in changes] == [
        ("value", "650"),
        ("internal_note", INTERNAL),
        ("published_note", PUBLISHED),
    ]
    history = text(
        client.get(reverse("returns:value_history", args=[authority.gss_code, MONTH, "cla"]))
    )
    assert '<td class="govuk-table__cell">Internal note</td>' in history
    assert '<td class="govuk-table__cell">Published note</td>' in history

    services.submit_return(monthly_return=MonthlyReturn.objects.get(), user=users["data_officer"])
    client.force_login(users["board_member"])  # a member who only reads the return
    page = text(client.get(page_url(authority)))
    assert 'Internal note <span class="govuk-body-s">(never published)</span>' in page
    assert INTERNAL in page and PUBLISHED in page


def test_a_note_too_long_is_refused_with_a_message_and_nothing_saved(client, authority, users):
    client.force_login(users["data_officer"])
    entries = {"cla": {"value": "650", "published_note": "x" * 2001}}
    response = client.post(page_url(authority), form_data(entries))
    html = text(response)
    message = "Published note for Children looked after at month end must be 2,000 characters"
    assert message in html
    assert 'href="#id_cla-published_note"' in html  # the error summary links to the box
    assert not MonthlyReturn.objects.exists() and not ValueChange.objects.exists()
    with pytest.raises(services.ReturnRefused):
        services.save_return_values(
            authority=authority,
            month=MONTH,
            user=users["data_officer"],
            entries={"cla": {"value": "650", "internal_note": "y" * 2001}},
            version=0,
        )
    assert not ReturnValue.objects.exists()


def test_a_stale_save_of_a_published_note_names_who_changed_it(client, authority, users):
    colleague = users["local_administrator"]
    colleague.first_name, colleague.last_name = "Alex", "Person"
    colleague.save()
    client.force_login(users["data_officer"])
    services.save_return_values(
        authority=authority,
        month=MONTH,
        user=users["data_officer"],
        entries={"cla": {"value": "650", "published_note": "Steady"}},
        version=0,
    )
    mine = form_on_page(client.get(page_url(authority)).content.decode(), page_url(authority))
    services.save_return_values(
        authority=authority,
        month=MONTH,
        user=colleague,
        entries={"cla": {"value": "650", "published_note": "Two sibling groups"}},
        version=1,
    )
    mine["cla-published_note"] = "Up a little"
    response = client.post(page_url(authority), {**mine, "action": "save"})
    assert response.status_code == 409
    html = unescape(response.content.decode())
    assert (
        "Someone else changed the published note on children looked after at month end since "
        "you opened the return (Alex Person,"
    ) in html
    assert "it now says “Two sibling groups”. Yours is in the box" in html
    assert ReturnValue.objects.get(indicator__code="cla").published_note == "Two sibling groups"


# --- what the public sees after approval -------------------------------------------------------


def test_anonymous_visitors_read_only_the_published_note(client, authority, users):
    approve(authority, users)
    figure = published_cla(authority)
    assert (figure.note, figure.quote) == (PUBLISHED, "")
    authority_url = reverse("reports:authority", args=[authority.gss_code])
    pages = {
        "authority page": client.get(authority_url, {"indicator": "cla"}),
        "chart fragment": client.get(
            authority_url, {"indicator": "cla"}, headers={"HX-Request": "true"}
        ),
        "source page": client.get(reverse("reports:observation_source", args=[figure.pk])),
    }
    for where, response in pages.items():
        html = text(response)
        assert INTERNAL not in html and "Smith family" not in html, where
        assert PUBLISHED in html, where  # on the chart's hover, and on the source page
    downloads = {
        "chart CSV": client.get(
            reverse("reports:trajectory_csv", args=[authority.gss_code]), {"indicator": "cla"}
        ),
        "observations CSV": client.get(
            reverse("reports:observations_csv"), {"authority": authority.gss_code}
        ),
    }
    for where, response in downloads.items():
        content = text(response)
        assert "650" in content, where  # the figure is there: the check is not vacuous
        assert INTERNAL not in content and "Smith family" not in content, where


def test_a_reopened_return_withdraws_the_published_note_too(client, authority, users):
    monthly_return = approve(authority, users)
    figure = published_cla(authority)
    services.reopen_return(monthly_return=monthly_return, user=users["approver"], reason="Check")
    authority_url = reverse("reports:authority", args=[authority.gss_code])
    assert PUBLISHED not in text(client.get(authority_url, {"indicator": "cla"}))
    source = client.get(reverse("reports:observation_source", args=[figure.pk]))
    assert source.status_code == 404
    assert PUBLISHED not in source.content.decode()


# --- the upload ----------------------------------------------------------------------------------


def test_the_templates_have_both_notes_and_the_upload_saves_them(client, authority, users):
    client.force_login(users["data_officer"])
    services.save_return_values(
        authority=authority,
        month=MONTH,
        user=users["data_officer"],
        entries={"cla": CLA},
        version=0,
    )
    args = [authority.gss_code, MONTH]
    book = load_workbook(
        io.BytesIO(client.get(reverse("returns:template_xlsx", args=args)).content)
    )
    header = [cell.value for cell in book["Return"][1]]
    assert header[7:10] == ["internal_note", "published_note", "explanation"]
    rows = {row[2]: row for row in book["Return"].iter_rows(min_row=2, values_only=True)}
    assert rows["cla"][7:9] == (INTERNAL, PUBLISHED)
    guidance = " ".join(str(row[0]) for row in book["Guidance"].iter_rows(values_only=True))
    assert "internal_note: only people at the authority and DfE" in guidance
    assert "it is never published" in guidance
    assert "published_note: shown to everyone with the figure once the return is approved" in (
        guidance
    )

    csv_text = client.get(reverse("returns:template_csv", args=args)).content.decode()
    lines = csv_text.lstrip("\ufeff").splitlines()
    assert lines[0].split(",")[7:10] == ["internal_note", "published_note", "explanation"]
    changed = csv_text.replace(PUBLISHED, "Fewer children came into care this month")
    response = client.post(
        reverse("returns:upload", args=args),
        {"file": SimpleUploadedFile("return.csv", changed.encode())},
    )
    assert response.status_code == 302
    saved = ReturnValue.objects.get(indicator__code="cla")
    assert saved.published_note == "Fewer children came into care this month"
    assert saved.internal_note == INTERNAL
    change = ValueChange.objects.filter(field="published_note").latest("pk")
    assert (change.via, change.old, change.new) == (
        "upload",
        PUBLISHED,
        "Fewer children came into care this month",
    )


def test_a_file_from_the_old_template_with_commentary_is_refused_clearly(client, authority, users):
    client.force_login(users["data_officer"])
    old_columns = [
        *uploads.COLUMNS[:7],
        "commentary",
        "explanation",
    ]
    row = [authority.gss_code, f"{MONTH:%Y-%m}", "cla", "Children looked after", "650", "", ""]
    content = ",".join(old_columns) + "\n" + ",".join([*row, "Meant for the board", ""]) + "\n"
    response = client.post(
        reverse("returns:upload", args=[authority.gss_code, MONTH]),
        {"file": SimpleUploadedFile("old.csv", content.encode())},
    )
    html = text(response)
    assert "This file is from an older template with one commentary column" in html
    assert "internal_note (never published) and published_note (published with the figure)" in html
    assert not MonthlyReturn.objects.exists() and not ReturnValue.objects.exists()


# --- existing data ------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_commentary_as_internal_notes_and_unpublishes_it():
    # An earlier transactional test's flush may have taken the catalogue (a data migration).
    sync_catalogue(Indicator)
    executor = MigrationExecutor(connection)
    target = next(
        key
        for key in executor.loader.graph.nodes
        if key[0] == "indicators"
        and key[1].endswith("_internal_and_published_notes_and_figure_permalinks")
    )
    (before,) = executor.loader.graph.node_map[target].parents
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate([before.key])
    try:
        _check_the_migration(executor, before.key, latest)
    finally:
        MigrationExecutor(connection).migrate(latest)  # never leave the database behind


def _check_the_migration(executor, before, latest) -> None:
    old = executor.loader.project_state([before]).apps
    authority = old.get_model("authorities", "Authority").objects.create(
        gss_code="E08000036", name="Wakefield"
    )
    indicator = old.get_model("indicators", "Indicator").objects.get(code="cla")
    monthly_return = old.get_model("indicators", "MonthlyReturn").objects.create(
        authority=authority, month=MONTH, status="approved"
    )
    old.get_model("indicators", "ReturnValue").objects.create(
        monthly_return=monthly_return, indicator=indicator, value=650, commentary=INTERNAL
    )
    old.get_model("indicators", "ValueChange").objects.create(
        monthly_return=monthly_return,
        indicator=indicator,
        field="commentary",
        new=INTERNAL,
        via="form",
        version=1,
    )
    observation = dict(
        indicator=indicator,
        area_level="authority",
        area_code="E08000036",
        period_kind="month",
        period_start=MONTH,
        period_end=MONTH.replace(day=28),
        period_label=f"{MONTH:%b %Y}",
        value=650,
    )
    Model = old.get_model("indicators", "Observation")
    Model.objects.create(**observation, source="monthly_return", release="r", quote=INTERNAL)
    Model.objects.create(**observation, source="report", release="d", quote="A report's words")

    executor = MigrationExecutor(connection)
    executor.migrate(latest)

    value = ReturnValue.objects.get()
    assert (value.internal_note, value.published_note) == (INTERNAL, "")
    assert ValueChange.objects.get().field == "internal_note"
    published = Observation.objects.get(source="monthly_return")
    assert (published.quote, published.note) == ("", "")
    assert Observation.objects.get(source="report").quote == "A report's words"
