"""Take a board pack to the meeting: a board member makes one from the authority page, reads
it, downloads its PDF; and every page prints without its screen controls (issue 17, items 4
and 5)."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from authorities.accounts.demo_users import create_demo_users
from authorities.models import Authority, Role
from indicators.returns.models import MonthlyReturn
from reports.packs.models import BoardPack

from .conftest import Tab
from .returns import Person, arrived_at, sign_in

pytestmark = pytest.mark.browser


def board_member(authority: Authority) -> Person:
    people = {role: (name, password) for name, role, password in create_demo_users(authority)}
    return Person(*people[str(Role.BOARD_MEMBER)])


def returning_authority() -> Authority:
    """The demo authority that sends its monthly returns (its figures have published notes'
    places, approvals and milestones)."""
    authority = Authority.objects.filter(pk__in=MonthlyReturn.objects.values("authority")).first()
    assert authority is not None
    return authority


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_a_board_member_makes_a_pack_reads_it_and_downloads_its_pdf(demo, tab: Tab, tmp_path):
    authority = returning_authority()
    page = tab.page
    sign_in(tab, board_member(authority), f"/authorities/{authority.gss_code}/")
    page.get_by_role("link", name=f"Board packs for {authority.name}").click()
    arrived_at(tab, f"/authorities/{authority.gss_code}/packs/")
    assert page.get_by_text("No board packs have been made").is_visible()
    tab.axe("board packs, none made yet")

    # No date: the error summary says so, links to the day box, and nothing is made.
    page.get_by_role("button", name="Make the board pack").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Enter the meeting date" in summary.inner_text()
    tab.axe("board packs, no meeting date given")
    summary.get_by_role("link", name="Enter the meeting date").click()
    assert page.evaluate("() => document.activeElement.id") == "meeting-date-day"
    assert not BoardPack.objects.exists()

    page.get_by_label("Day").fill("17")
    page.get_by_label("Month").fill("3")
    page.get_by_label("Year").fill("2027")
    page.get_by_role("button", name="Make the board pack").click()
    pack = BoardPack.objects.get()
    arrived_at(tab, f"/authorities/{authority.gss_code}/packs/{pack.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Board pack for the meeting on 17 March 2027"
    )
    assert "Board pack made for the meeting on 17 March 2027" in page.inner_text("main")

    # A chart per measure, each an image with its text alternative shown beneath it, and a
    # data table for each.
    measures = pack.snapshot["measures"]
    assert len(measures) > 10
    charts = page.locator(".app-small-multiple svg[role=img]")
    assert charts.count() == len(measures)
    for number in (1, len(measures)):
        chart = page.locator(f"#chart-{number}")
        label = chart.get_attribute("aria-label") or ""
        assert label.startswith("Line chart of "), label
        caption = page.locator(f"#measure-{number} figcaption").inner_text()
        assert caption.startswith(label)
        assert page.locator(f"#chart-data-{number} tbody tr").count() > 0
    assert "Nothing: every figure, milestone and plan action" in page.inner_text("#changes")
    tab.axe("a board pack")

    # Generous: a PDF takes seconds to make, more on a loaded machine.
    with page.expect_download(timeout=90_000) as download_info:
        page.get_by_role("link", name="Download this pack as a PDF").click()
    download = download_info.value
    assert download.suggested_filename == (f"{authority.gss_code}-board-pack-2027-03-17-v1.pdf")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    content = path.read_bytes()
    assert content.startswith(b"%PDF-")
    catalog = PdfReader(io.BytesIO(content)).trailer["/Root"]
    assert "/StructTreeRoot" in catalog and bool(catalog["/MarkInfo"]["/Marked"])
    text = pdf_text(content)
    assert "Board pack for the meeting on 17 March 2027" in text
    assert authority.name in text
    assert "Make the board pack" not in text and "Sign out" not in text

    # The list now has the pack, its version and who made it.
    page.get_by_role("link", name="All board packs for").click()
    arrived_at(tab, f"/authorities/{authority.gss_code}/packs/")
    row = page.locator("tbody tr").first
    assert "17 March 2027" in row.inner_text() and "Board" in row.inner_text()
    tab.axe("board packs, one made")
    tab.finish()


def test_the_authority_page_prints_without_its_controls_or_link_addresses(demo, tab: Tab):
    authority = returning_authority()
    page = tab.page
    tab.goto(f"/authorities/{authority.gss_code}/?indicator=avg_caseload")
    page.locator("#trajectory-chart .main-svg").first.wait_for()
    tab.settle()
    last_period = page.locator("#trajectory-data tbody tr th").last.text_content().strip()
    text = pdf_text(page.pdf(format="A4", print_background=True))
    # No form controls, navigation or skip link on paper.
    for screen_only in ("Update chart", "Skip to main content", "League tables", "Recoveries"):
        assert screen_only not in text, screen_only
    # No link addresses written after the links.
    assert not re.search(r"\((/|https?://)[^)]*\)", text), re.findall(r"\(/[^)]*\)", text)[:3]
    # The data table printed whole, though closed on screen, to its last row.
    assert "Data table for this chart" in text
    assert last_period in text
    # The screen page is as it was after printing: the table closed again.
    assert page.locator("#trajectory-data").get_attribute("open") is None
    tab.finish()
