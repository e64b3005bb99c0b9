"""An upload follows the form's rule for stale saves: a file made from (or uploaded from a page
showing) an older version of the return is refused, with nothing saved; the person is told who
saved which figure since, and is shown their file laid over what is saved now."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from authorities.models import AuditAction, AuditEntry, Role
from indicators.returns import services
from indicators.returns.models import MonthlyReturn, ReturnEvent, ReturnValue, ValueChange
from indicators.returns.uploads import COLUMNS
from tests.indicators.returns.conftest import MONTH, form_on_page, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def officers(authority):
    """Two data officers of the same authority."""
    one = make_user("officer_one", Role.DATA_OFFICER, authority)
    two = make_user("officer_two", Role.DATA_OFFICER, authority)
    two.first_name, two.last_name = "Sam", "Jones"
    two.save()
    return one, two


@pytest.fixture
def draft(authority, officers):
    """A draft with referrals = 191 and children looked after = 640, saved by officer one."""
    return services.save_return_values(
        authority=authority,
        month=MONTH,
        user=officers[0],
        entries={"referrals": {"value": "191"}, "cla": {"value": "640"}},
        version=0,
    ).monthly_return


def page_url(authority) -> str:
    return reverse("returns:return", args=[authority.gss_code, MONTH])


def upload_url(authority) -> str:
    return reverse("returns:upload", args=[authority.gss_code, MONTH])


def template(client, authority, kind: str = "csv") -> bytes:
    response = client.get(reverse(f"returns:template_{kind}", args=[authority.gss_code, MONTH]))
    assert response.status_code == 200
    return response.content


def csv_rows(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode().lstrip("\ufeff"))))


def to_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def edited_csv(content: bytes, changes: dict[str, dict[str, str]], *, keep_version=True) -> bytes:
    rows = csv_rows(content)
    for row in rows:
        row.update(changes.get(row["indicator"], {}))
    if not keep_version:
        rows = [row for row in rows if row["indicator"] != "template_version"]
    return to_csv(rows)


def edited_xlsx(content: bytes, changes: dict[str, dict[str, str]]) -> bytes:
    book = load_workbook(io.BytesIO(content))
    sheet = book["Return"]
    for row in sheet.iter_rows(min_row=2):
        for column, text in changes.get(row[2].value, {}).items():
            row[COLUMNS.index(column)].value = float(text)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def page_upload_form(client, authority) -> dict[str, str]:
    """The upload form on the return page as it is now, hidden fields included."""
    html = client.get(page_url(authority)).content.decode()
    return form_on_page(html, upload_url(authority))


def post_upload(client, authority, fields: dict[str, str], name: str, content: bytes):
    return client.post(upload_url(authority), {**fields, "file": SimpleUploadedFile(name, content)})


def snapshot():
    return (
        list(MonthlyReturn.objects.values_list("pk", "version", "status")),
        sorted(ReturnValue.objects.values_list("indicator__code", "value", "internal_note")),
        ValueChange.objects.count(),
        ReturnEvent.objects.count(),
    )


def saved(code: str) -> float | None:
    return ReturnValue.objects.get(indicator__code=code).value


def colleague_saves(authority, colleague, entries) -> None:
    version = MonthlyReturn.objects.get(authority=authority, month=MONTH).version
    services.save_return_values(
        authority=authority, month=MONTH, user=colleague, entries=entries, version=version
    )


def at(change: ValueChange) -> str:
    return f"{timezone.localtime(change.changed_at):%H:%M}"


# --- the attack, and what the person sees instead --------------------------------------------


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_old_template_cannot_put_a_colleagues_figure_back(
    client, authority, officers, draft, kind
):
    """Officer one downloads the template (referrals 191). Officer two then saves referrals
    333. Officer one fills in contacts on the old template and uploads it: before, the upload
    silently put 191 back over 333."""
    one, two = officers
    client.force_login(one)
    old_template = template(client, authority, kind)
    colleague_saves(authority, two, {"referrals": {"value": "333"}})
    before = snapshot()

    fields = page_upload_form(client, authority)  # a fresh page: the file's version decides
    if kind == "csv":
        content = edited_csv(old_template, {"contacts": {"value": "1250"}})
    else:
        content = edited_xlsx(old_template, {"contacts": {"value": "1250"}})
    response = post_upload(client, authority, fields, f"return.{kind}", content)

    assert response.status_code == 409
    assert snapshot() == before  # nothing at all was saved
    assert saved("referrals") == 333
    html = response.content.decode()
    change = ValueChange.objects.get(new="333")
    assert (
        f"return.{kind} was not uploaded, so nothing was saved: the return has been saved since "
        "the template was made, and the file could have undone those changes. Saved since then: "
        f"referrals received (Sam Jones, {at(change)})."
    ) in html
    assert "govuk-error-summary" in html
    # The file laid over what is saved now: the colleague's 333 stays, the file's own change is
    # in its field, ready to save.
    refilled = form_on_page(html, page_url(authority))
    assert refilled["referrals-value"] == "333"
    assert refilled["contacts-value"] == "1250"
    assert refilled["cla-value"] == "640"
    assert refilled["version"] == str(MonthlyReturn.objects.get().version)
    # The upload form on the refusal page is at the version saved now, for a second try.
    assert form_on_page(html, upload_url(authority))["version"] == refilled["version"]

    assert client.post(page_url(authority), {**refilled, "action": "save"}).status_code == 302
    assert (saved("referrals"), saved("contacts")) == (333, 1250)


def test_where_both_changed_a_figure_it_says_who_saved_what(client, authority, officers, draft):
    one, two = officers
    client.force_login(one)
    old_template = template(client, authority)
    colleague_saves(authority, two, {"referrals": {"value": "333"}, "cla": {"value": "640"}})
    before = snapshot()
    content = edited_csv(old_template, {"referrals": {"value": "200"}})
    response = post_upload(client, authority, page_upload_form(client, authority), "r.csv", content)

    assert response.status_code == 409 and snapshot() == before
    html = response.content.decode()
    change = ValueChange.objects.get(new="333")
    message = (
        "Someone else saved 333 for Referrals received since you opened the return (Sam Jones, "
        f"{at(change)}). Your 200 is in the field: check it, then save again."
    )
    assert message in html
    assert f'<a href="#id_referrals-value">{message}</a>' in html  # in the summary, linked
    assert "One field you changed had also been changed since: check it, then save again." in html
    assert form_on_page(html, page_url(authority))["referrals-value"] == "200"


def test_the_refusal_is_in_the_audit_log(client, authority, officers, draft):
    one, two = officers
    client.force_login(one)
    old_template = template(client, authority)
    colleague_saves(authority, two, {"referrals": {"value": "333"}})
    post_upload(client, authority, page_upload_form(client, authority), "old.csv", old_template)
    entry = AuditEntry.objects.filter(action=AuditAction.UPLOAD_FAILED).latest("pk")
    assert (entry.user, entry.authority) == (one, authority)
    assert entry.detail == (
        f"old.csv for {MONTH:%Y-%m}: nothing changed, the return was saved since the version the "
        "upload was made from (template version 1, now 2)"
    )
    assert not AuditEntry.objects.filter(action=AuditAction.RETURN_UPLOADED).exists()


# --- which version counts ----------------------------------------------------------------------


def test_a_file_without_a_version_falls_back_to_the_page_it_was_uploaded_from(
    client, authority, officers, draft
):
    one, two = officers
    client.force_login(one)
    content = edited_csv(
        template(client, authority), {"contacts": {"value": "1250"}}, keep_version=False
    )
    old_page = page_upload_form(client, authority)
    assert old_page["version"] == "1"
    colleague_saves(authority, two, {"referrals": {"value": "333"}})
    before = snapshot()

    response = post_upload(client, authority, old_page, "mine.csv", content)
    assert response.status_code == 409 and snapshot() == before
    html = response.content.decode()
    assert "since you opened the page you uploaded it from" in html
    assert "referrals received (Sam Jones" in html
    assert form_on_page(html, page_url(authority))["referrals-value"] == "333"

    # From the page as it is now, the same file is taken: but it still carries the 191 it was
    # made with, so the person who uploads it is putting 191 back knowingly.
    response = post_upload(
        client, authority, page_upload_form(client, authority), "mine.csv", content
    )
    assert response.status_code == 302
    assert saved("contacts") == 1250


def test_a_file_without_a_version_and_no_page_version_is_refused(
    client, authority, officers, draft
):
    """A client that does not say what it saw is treated as having seen nothing."""
    client.force_login(officers[0])
    content = edited_csv(
        template(client, authority), {"contacts": {"value": "1250"}}, keep_version=False
    )
    before = snapshot()
    assert post_upload(client, authority, {}, "bare.csv", content).status_code == 409
    assert snapshot() == before


def test_the_templates_version_wins_over_the_pages(client, authority, officers, draft):
    one, two = officers
    client.force_login(one)
    old_page = page_upload_form(client, authority)  # an old tab, at version 1
    colleague_saves(authority, two, {"referrals": {"value": "333"}})
    fresh = template(client, authority)  # made at version 2, with 333 in it
    content = edited_csv(fresh, {"contacts": {"value": "1250"}})
    response = post_upload(client, authority, old_page, "fresh.csv", content)
    assert response.status_code == 302
    assert (saved("referrals"), saved("contacts")) == (333, 1250)


def test_a_template_of_a_return_not_yet_started_is_refused_once_someone_starts_it(
    client, authority, officers
):
    one, two = officers
    client.force_login(one)
    blank = template(client, authority)
    assert csv_rows(blank)[-1]["value"] == "0"
    services.save_return_values(
        authority=authority,
        month=MONTH,
        user=two,
        entries={"referrals": {"value": "333"}},
        version=0,
    )
    before = snapshot()
    content = edited_csv(blank, {"contacts": {"value": "1250"}})
    response = post_upload(client, authority, page_upload_form(client, authority), "b.csv", content)
    assert response.status_code == 409 and snapshot() == before
    refilled = form_on_page(response.content.decode(), page_url(authority))
    assert (refilled["referrals-value"], refilled["contacts-value"]) == ("333", "1250")


# --- a version row that cannot be read ----------------------------------------------------------


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("two", "Keep the template_version row as it was in the template: &#x27;two&#x27; is not"),
        ("99999999999999999999", "is not a version of the return"),
    ],
)
def test_an_unreadable_version_is_a_problem_in_its_row(
    client, authority, officers, draft, version, message
):
    client.force_login(officers[0])
    content = edited_csv(template(client, authority), {"template_version": {"value": version}})
    before = snapshot()
    response = post_upload(client, authority, page_upload_form(client, authority), "v.csv", content)
    html = response.content.decode()
    assert response.status_code == 200 and "nothing has changed" in html
    assert message in html
    assert '<td class="govuk-table__cell">23</td>' in html  # the row after the 21 indicators
    assert snapshot() == before


def test_the_version_row_twice_is_a_problem(client, authority, officers, draft):
    client.force_login(officers[0])
    rows = csv_rows(template(client, authority))
    rows.append(dict(rows[-1]))
    before = snapshot()
    response = post_upload(
        client, authority, page_upload_form(client, authority), "twice.csv", to_csv(rows)
    )
    assert "The template_version row is in the file twice (rows 23 and 24)" in (
        response.content.decode()
    )
    assert snapshot() == before


def test_the_service_refuses_a_stale_upload_and_writes_nothing(authority, officers, draft):
    one, two = officers
    colleague_saves(authority, two, {"referrals": {"value": "333"}})
    before = snapshot()
    content = (
        "authority,month,indicator,indicator_name,value,numerator,denominator,internal_note,published_note,"
        f"explanation\r\n{authority.gss_code},{MONTH:%Y-%m},contacts,,1250,,,,,\r\n"
    ).encode()
    with pytest.raises(services.StaleUpload) as refused:
        services.import_return_upload(
            authority=authority,
            month=MONTH,
            user=one,
            file_name="x.csv",
            content=content,
            version=1,
        )
    assert (refused.value.seen_version, refused.value.current_version) == (1, 2)
    assert refused.value.entries.rows == {
        "contacts": {
            "value": "1250",
            "numerator": "",
            "denominator": "",
            "internal_note": "",
            "published_note": "",
            "explanation": "",
        }
    }
    assert snapshot() == before


def test_the_upload_page_sends_the_version_it_was_opened_at(client, authority, officers, draft):
    one, two = officers
    client.force_login(one)
    content = edited_csv(
        template(client, authority), {"contacts": {"value": "1250"}}, keep_version=False
    )
    upload_page = client.get(upload_url(authority)).content.decode()
    old_form = form_on_page(upload_page, upload_url(authority))
    assert old_form["version"] == "1"
    colleague_saves(authority, two, {"referrals": {"value": "333"}})
    before = snapshot()
    response = post_upload(client, authority, old_form, "mine.csv", content)
    assert response.status_code == 409 and snapshot() == before
    assert "referrals received (Sam Jones" in response.content.decode()


def test_many_figures_saved_since_are_summed_up(client, authority, officers, draft):
    one, two = officers
    client.force_login(one)
    old_template = template(client, authority)
    colleague_saves(
        authority,
        two,
        {
            **{
                code: {"value": "7"}
                for code in ("contacts", "referrals", "s47_enquiries", "cp_plans", "cla")
            },
            "rhi_72h_pct": {"numerator": "1", "denominator": "2"},
        },
    )
    client.force_login(one)
    colleague_saves(authority, one, {"unallocated_cases": {"value": "12"}})  # another tab
    colleague_saves(authority, two, {"contacts": {"value": "8"}})
    html = post_upload(
        client, authority, page_upload_form(client, authority), "old.csv", old_template
    ).content.decode()
    change = ValueChange.objects.get(new="8")
    mine = ValueChange.objects.get(new="12")
    assert (
        f"Saved since then: contacts received (Sam Jones, {at(change)}); referrals received (Sam "
        f"Jones, {at(change)}); section 47 enquiries started (Sam Jones, {at(change)}); "
    ) in html
    # Seven indicators saved since: the first five in page order, then how many more.
    assert f"(you in another tab or window, {at(mine)})" not in html
    assert "; and 2 more." in html


def test_your_own_save_in_another_tab_counts_too(client, authority, officers, draft):
    one, _two = officers
    client.force_login(one)
    old_template = template(client, authority)
    colleague_saves(authority, one, {"referrals": {"value": "333"}})
    before = snapshot()
    response = post_upload(
        client, authority, page_upload_form(client, authority), "old.csv", old_template
    )
    assert response.status_code == 409 and snapshot() == before
    change = ValueChange.objects.get(new="333")
    assert (
        f"Saved since then: referrals received (you in another tab or window, {at(change)})."
        in response.content.decode()
    )


@pytest.mark.parametrize("posted", ["99999999999999999999999", "-1", "²", ""])
def test_a_posted_version_that_is_not_one_counts_as_having_seen_nothing(
    client, authority, officers, draft, posted
):
    """Not a server error (a superscript digit once was one): refused as stale, with nothing
    saved, from the form and from the upload form alike."""
    client.force_login(officers[0])
    before = snapshot()
    page = form_on_page(client.get(page_url(authority)).content.decode(), page_url(authority))
    page.update({"version": posted, "contacts-value": "1250", "action": "save"})
    assert client.post(page_url(authority), page).status_code == 409
    content = edited_csv(
        template(client, authority), {"contacts": {"value": "1250"}}, keep_version=False
    )
    fields = {**page_upload_form(client, authority), "version": posted}
    assert post_upload(client, authority, fields, "v.csv", content).status_code == 409
    assert snapshot() == before
