"""The monthly return end to end: enter with validation as each field is left, explain a large
change, submit, approve, and see the figure on the authority's chart; the same with JavaScript
off and with the keyboard alone; and the upload, wrong first and then right."""

from __future__ import annotations

import csv

import pytest

from indicators.returns.models import MonthlyReturn, ReturnValue

from .conftest import Tab, assert_chart_has_text_alternative
from .returns import (
    JUMPING,
    WRONG,
    ReturnJourney,
    arrived_at,
    page_width,
    return_journey,
    save_entries,
    sign_in,
    sign_out,
)

pytestmark = pytest.mark.browser

EXPLANATION = "A new front door team started in the month"


def banner(page, text: str):
    """The notification banner (success message) saying ``text``."""
    return page.locator(".govuk-notification-banner", has_text=text)


def jumped(journey: ReturnJourney) -> str:
    """The large change: twice last month's figure."""
    return str(int(journey.entries[JUMPING]["value"]) * 2)


def too_big(journey: ReturnJourney) -> str:
    """A numerator above its denominator."""
    return str(int(journey.entries[WRONG]["denominator"]) + 5)


def approve_and_see_it_published(tab: Tab, journey: ReturnJourney) -> None:
    """The approver approves; the figure is on the authority's chart, as a monthly return."""
    page = tab.page
    sign_out(tab)
    sign_in(tab, journey.approver, journey.path)
    tab.axe("return page, submitted, as the approver")
    page.get_by_role("button", name="Approve and publish this return").click()
    banner(page, "return was approved").wait_for()
    assert page.locator(".govuk-summary-list .govuk-tag", has_text="Approved").is_visible()
    tab.axe("return page, approved")

    tab.goto(f"/authorities/{journey.authority.gss_code}/?indicator={JUMPING}")
    table = page.locator("#trajectory-data table")
    headers = [text.strip() for text in table.locator("thead th").all_text_contents()]
    column = next(i for i, text in enumerate(headers) if text.endswith("monthly return)"))
    row = table.locator("tbody tr", has=page.locator("th", has_text=f"{journey.month:%b %Y}"))
    cells = [text.strip() for text in row.locator("th, td").all_text_contents()]
    assert cells[column] == f"{int(jumped(journey)):,}"
    if tab.javascript:
        page.locator("#trajectory-chart .main-svg").first.wait_for()
        legend = page.locator("#trajectory-chart .legend").text_content() or ""
        assert "monthly return" in legend
    assert_chart_has_text_alternative(page, "trajectory", "#trajectory-data table")
    tab.axe("authority page, the approved figure on its chart")


def test_enter_submit_and_approve_a_return(demo, tab: Tab):
    journey = return_journey()
    page = tab.page
    sign_in(tab, journey.officer, journey.path, check=True)
    tab.axe("return page, not started")
    # What a check finds is said politely as the field is left, and nothing as the page loads.
    live = page.locator(f"#{WRONG}-live")
    assert live.get_attribute("aria-live") == "polite" and live.inner_text().strip() == ""

    for indicator in journey.indicators:
        code = indicator.code
        entry = dict(journey.entries[code])
        if code == WRONG:
            entry["numerator"] = too_big(journey)
        if code == JUMPING:
            entry["value"] = jumped(journey)
        # The first field filled in, the next one typed into after Tab, as a person would: the
        # first is checked (and its group swapped) while they type into the second.
        first, *others = entry.items()
        page.locator(f"#{journey.field_id(code, first[0])}").fill(first[1])
        for _, text in others:
            page.keyboard.press("Tab")
            page.keyboard.type(text)
        page.keyboard.press("Tab")  # leave the group's last field: it is checked
        tab.settle()
        if code == WRONG:
            # The error is shown inline as the field is left, without a page load.
            error = page.locator(f"#{journey.field_id(code, 'numerator')}-error")
            error.wait_for()
            assert "must not be more than contacts received" in error.inner_text()
            said = live.inner_text()  # the region that was on the page from the start
            assert said.startswith("Error: ") and "must not be more than contacts" in said
            assert live.get_attribute("aria-live") == "polite"
            group = page.locator(f"#group-{code}")
            assert "govuk-form-group--error" in (group.get_attribute("class") or "")
            tab.axe("return page, an error shown as the field was left")
            page.locator(f"#{journey.field_id(code, 'numerator')}").fill(
                journey.entries[code]["numerator"]
            )
            page.keyboard.press("Tab")
            error.wait_for(state="detached")
            tab.settle()
            assert "works out at" in page.locator(f"#{code}-computed").inner_text().lower()
            tab.axe("return page, the error put right")
        if code == JUMPING:
            warning = page.locator(f"#group-{code} .govuk-warning-text")
            warning.wait_for()
            assert "explain the change in the box below this warning" in warning.inner_text()
            assert "Warning: " in page.locator(f"#{code}-live").inner_text()
            tab.axe("return page, a warning shown as the field was left")
            page.locator(f"#{journey.field_id(code, 'explanation')}").fill(EXPLANATION)
            page.keyboard.press("Tab")
            tab.settle()
            tab.axe("return page, the change explained")

    for indicator in journey.indicators:  # nothing typed was lost to a swap
        for name, text in journey.entries[indicator.code].items():
            if (indicator.code, name) != (JUMPING, "value"):
                field = page.locator(f"#{journey.field_id(indicator.code, name)}")
                assert field.input_value() == text, (indicator.code, name)

    page.get_by_role("button", name="Submit for approval").click()
    banner(page, "return was submitted for approval").wait_for()
    assert page.locator(".govuk-tag", has_text="Submitted").is_visible()
    tab.axe("return page, submitted")

    approve_and_see_it_published(tab, journey)
    tab.finish()


def fill_template(path, journey: ReturnJourney, *, wrong: bool) -> None:
    """The downloaded CSV template, filled in: close to last month, and with ``wrong`` one
    numerator above its denominator."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    codes = [i.code for i in journey.indicators]
    assert [row["indicator"] for row in rows] == [*codes, "template_version"]
    for row in rows:
        if row["indicator"] == "template_version":
            continue  # kept as it is: the version of the return the template was made from
        row.update(journey.entries[row["indicator"]])
        if row["indicator"] == JUMPING:
            row["explanation"] = EXPLANATION
            row["value"] = jumped(journey)
        if wrong and row["indicator"] == WRONG:
            row["numerator"] = too_big(journey)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def test_upload_a_return_with_a_mistake_then_corrected(demo, tab: Tab, tmp_path):
    journey = return_journey()
    page = tab.page
    sign_in(tab, journey.officer, journey.path)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the CSV template (.csv)").click()
    template = download_info.value
    wrong, right = tmp_path / "wrong.csv", tmp_path / "right.csv"
    template.save_as(wrong)
    template.save_as(right)
    fill_template(wrong, journey, wrong=True)
    fill_template(right, journey, wrong=False)

    page.get_by_label("Upload a filled-in template").set_input_files(wrong)
    page.get_by_role("button", name="Upload file").click()
    page.get_by_text("The file was not uploaded: nothing has changed").wait_for()
    problems = page.locator("#upload-problems tbody tr")
    assert problems.count() == 1
    row_number = 2 + [i.code for i in journey.indicators].index(WRONG)  # after the header
    cells = [text.strip() for text in problems.first.locator("td").all_inner_texts()]
    assert cells[:2] == [str(row_number), "numerator"], cells
    assert "must not be more than contacts received" in cells[2]
    tab.axe("upload page, the problems by row and column")

    page.get_by_label("Upload a filled-in template").set_input_files(right)
    page.get_by_role("button", name="Upload file").click()
    banner(page, "right.csv was uploaded").wait_for()
    assert page.url.endswith(journey.path)
    for code, entry in journey.entries.items():
        for name, text in entry.items():
            if (code, name) != (JUMPING, "value"):
                assert page.locator(f"#{journey.field_id(code, name)}").input_value() == text
    assert page.locator(f"#{journey.field_id(JUMPING, 'value')}").input_value() == jumped(journey)
    tab.axe("return page, after the upload")
    tab.finish()


def test_the_return_journey_without_javascript(demo, no_js_tab: Tab):
    tab, journey = no_js_tab, return_journey()
    page = tab.page
    sign_in(tab, journey.officer, journey.path, check=True)
    assert page.evaluate("() => !document.body.classList.contains('govuk-frontend-supported')")
    tab.axe("return page, no JavaScript")

    for code, entry in journey.entries.items():
        for name, text in entry.items():
            page.locator(f"#{journey.field_id(code, name)}").fill(text)
    page.locator(f"#{journey.field_id(WRONG, 'numerator')}").fill(too_big(journey))
    page.locator(f"#{journey.field_id(JUMPING, 'value')}").fill(jumped(journey))
    page.get_by_role("button", name="Save draft").click()

    # Checked on the server: the error in a summary and at the field, nothing saved.
    summary = page.locator(".govuk-error-summary")
    assert "must not be more than contacts received" in summary.inner_text()
    assert page.locator(f"#{journey.field_id(WRONG, 'numerator')}-error").is_visible()
    assert page.title().startswith("Error: ")
    tab.axe("return page, no JavaScript, an error")
    summary.get_by_role("link").first.click()  # the summary's link goes to the field
    assert page.evaluate("() => document.activeElement.id") == journey.field_id(WRONG, "numerator")
    page.locator(f"#{journey.field_id(WRONG, 'numerator')}").fill(
        journey.entries[WRONG]["numerator"]
    )
    page.get_by_role("button", name="Save draft").click()
    banner(page, "Draft saved").wait_for()
    warning = page.locator(f"#group-{JUMPING} .govuk-warning-text")
    assert "explain the change" in warning.inner_text()
    tab.axe("return page, no JavaScript, a draft with a warning")

    page.locator(f"#{journey.field_id(JUMPING, 'explanation')}").fill(EXPLANATION)
    page.get_by_role("button", name="Submit for approval").click()
    banner(page, "return was submitted for approval").wait_for()
    tab.axe("return page, no JavaScript, submitted")

    approve_and_see_it_published(tab, journey)
    tab.finish()


def test_the_return_journey_with_the_keyboard_alone(demo, tab: Tab):
    """Tab, Shift+Tab, Enter, Space and typing: never the mouse."""
    journey = return_journey()
    page, keyboard = tab.page, tab.page.keyboard

    def keyboard_sign_in(person) -> None:
        tab.goto(f"/accounts/login/?next={journey.path}")
        tab.tab_to("#id_username")
        keyboard.type(person.username)
        tab.tab_to("#id_password")
        keyboard.type(person.password)
        keyboard.press("Enter")
        arrived_at(tab, journey.path)

    keyboard_sign_in(journey.officer)
    for indicator in journey.indicators:
        code = indicator.code
        entry = dict(journey.entries[code])
        if code == WRONG:
            entry["numerator"] = too_big(journey)
        if code == JUMPING:
            entry["value"] = jumped(journey)
        for name, text in entry.items():
            tab.tab_to(f"#{journey.field_id(code, name)}")
            keyboard.type(text)
        keyboard.press("Tab")  # to the group's notes: the group is checked
        tab.settle()
        if code == WRONG:
            page.locator(f"#{journey.field_id(code, 'numerator')}-error").wait_for()
            # Back to the numerator (tabbing in selects its text), and put it right.
            tab.tab_to(f"#{journey.field_id(code, 'numerator')}", backwards=True)
            keyboard.type(journey.entries[code]["numerator"])
            tab.tab_to(f"#{code}-notes-toggle")
            tab.settle()
            assert page.locator(f"#{journey.field_id(code, 'numerator')}-error").count() == 0
        if code == JUMPING:
            page.locator(f"#group-{code} .govuk-warning-text").wait_for()
            tab.tab_to(f"#{journey.field_id(code, 'explanation')}", backwards=True)
            keyboard.type(EXPLANATION)
            keyboard.press("Tab")
            tab.settle()
    tab.tab_to("button[value=submit]")
    keyboard.press("Enter")
    banner(page, "return was submitted for approval").wait_for()

    tab.tab_to("button.govuk-button--inverse")  # Sign out, in the header
    keyboard.press("Enter")
    arrived_at(tab, "/")
    keyboard_sign_in(journey.approver)
    tab.tab_to("form[action$='/approve/'] button")
    keyboard.press("Space")
    banner(page, "return was approved").wait_for()
    tab.axe("return page, approved with the keyboard")
    tab.finish()


def test_a_save_from_an_older_tab_keeps_the_newer_tabs_figures(demo, tab: Tab):
    """Two tabs, one data officer, one draft. Tab A saves a figure; tab B, opened before, saves:
    it is refused, shows A's figure where B changed nothing and B's own change where B made one,
    and saving it again does not put B's stale figure back over A's."""
    journey = return_journey()
    monthly_return = save_entries(journey, journey.entries, version=0)
    sign_in(tab, journey.officer, journey.path)
    first = tab.page
    second = Tab(
        page=first.context.new_page(),
        browser=tab.browser,
        base_url=tab.base_url,
        name=f"{tab.name}-second",
    )
    second.goto(journey.path)
    second.settle()

    def field(page, code: str):
        return page.locator(f"#{journey.field_id(code, 'value')}")

    referrals = str(int(journey.entries["referrals"]["value"]) + 4)
    field(first, "referrals").fill(referrals)
    field(first, "cla").fill(str(int(journey.entries["cla"]["value"]) + 1))
    first.get_by_role("button", name="Save draft").click()
    banner(first, "Draft saved: 2 changes saved").wait_for()

    mine = str(int(journey.entries["cla"]["value"]) + 2)
    field(second.page, "cla").fill(mine)
    second.page.keyboard.press("Tab")
    second.settle()
    second.page.get_by_role("button", name="Save draft").click()
    summary = second.page.locator(".govuk-error-summary")
    summary.wait_for()
    assert field(second.page, "referrals").input_value() == referrals  # A's, not B's old one
    assert "so nothing was saved" in summary.inner_text()
    assert field(second.page, "cla").input_value() == mine  # B's own change is kept
    conflict = second.page.locator(f"#{journey.field_id('cla', 'value')}-conflict")
    assert "in another tab or window" in conflict.inner_text()
    assert f"Your {mine} is in the field" in conflict.inner_text()
    second.axe("return page, saved meanwhile in another tab")
    values = {v.indicator.code: v.value for v in ReturnValue.objects.select_related("indicator")}
    assert values["cla"] == int(mine) - 1  # nothing was saved by the refused save

    second.page.get_by_role("button", name="Save draft").click()
    banner(second.page, "Draft saved: 1 change saved").wait_for()
    values = {v.indicator.code: v.value for v in ReturnValue.objects.select_related("indicator")}
    assert values["referrals"] == int(referrals) and values["cla"] == int(mine)
    assert MonthlyReturn.objects.get(pk=monthly_return.pk).version == monthly_return.version + 2
    second.page.close()
    tab.finish()


def test_a_return_fits_a_phone_screen(demo, tab: Tab):
    """At 375 pixels wide nothing makes the page scroll sideways: wide tables scroll in a
    region of their own that can be reached with the keyboard."""
    journey = return_journey()
    tab.page.set_viewport_size({"width": 375, "height": 800})
    monthly_return = save_entries(journey, journey.entries, version=0)
    explained = dict(journey.entries)
    explained[JUMPING] = {**explained[JUMPING], "internal_note": "Steady"}
    save_entries(journey, explained, version=monthly_return.version)
    sign_in(tab, journey.officer, journey.path)
    assert page_width(tab) <= 375, "the return form scrolls sideways"
    tab.page.get_by_role("button", name="Submit for approval").click()
    banner(tab.page, "return was submitted for approval").wait_for()
    assert page_width(tab) <= 375, "the submitted return scrolls sideways"
    table = tab.page.get_by_role("region", name="Figures in this return")
    assert table.get_attribute("tabindex") == "0"
    tab.axe("return page, submitted, 375 pixels wide")
    tab.goto(f"{journey.path}history/")
    tab.settle()
    assert page_width(tab) <= 375, "the history scrolls sideways"
    tab.axe("history, 375 pixels wide")
    tab.finish()
