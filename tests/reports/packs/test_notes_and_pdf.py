"""The pack's notes are those published with approved monthly returns, never the internal
ones; its PDF is a tagged, accessible PDF of the same page (issue 17, item 4)."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from indicators.returns import services as return_services
from reports.packs import pdf, services, svg
from tests.indicators.returns.conftest import COMPLETE, MONTH
from tests.reports.packs.conftest import MEETING, page_text

pytestmark = pytest.mark.django_db

INTERNAL = "Internal-note-SECRET two siblings from one named family"
PUBLISHED = "Published-note-PUBLIC two large sibling groups came into care"


def approve_with_notes(authority, users) -> None:
    entries = {
        **COMPLETE,
        "cla": {"value": "650", "internal_note": INTERNAL, "published_note": PUBLISHED},
    }
    monthly_return = return_services.save_return_values(
        authority=authority, month=MONTH, user=users["data_officer"], entries=entries, version=0
    ).monthly_return
    return_services.submit_return(monthly_return=monthly_return, user=users["data_officer"])
    return_services.approve_return(monthly_return=monthly_return, user=users["approver"])


def pdf_of(client, pack) -> bytes:
    response = client.get(reverse("reports:pack_pdf", args=[pack.authority.gss_code, pack.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{pack.authority.gss_code}-board-pack-'
        f'{pack.meeting_date:%Y-%m-%d}-v1.pdf"'
    )
    return response.content


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def structure(node, found: list) -> list:
    """Every structure element of a tagged PDF: (type, alternative text)."""
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            structure(child, found)
        return found
    if hasattr(node, "get") and node.get("/S") is not None:
        found.append((str(node["/S"]), str(node.get("/Alt", ""))))
    if hasattr(node, "get") and node.get("/K") is not None:
        structure(node["/K"], found)
    return found


def test_only_published_notes_reach_the_pack_page_and_its_pdf(client, authority, users):
    approve_with_notes(authority, users)
    pack = services.make_pack(authority=authority, meeting_date=MEETING, user=users["approver"])
    [note] = pack.snapshot["notes"]
    assert (note["indicator"], note["note"]) == ("Children looked after at month end", PUBLISHED)
    assert note["citation"]["section"].startswith("Approved by approver on ")
    assert INTERNAL not in json.dumps(pack.snapshot)

    client.force_login(users["board_member"])
    html = page_text(client.get(reverse("reports:pack", args=[authority.gss_code, pack.pk])))
    assert PUBLISHED in html
    assert "SECRET" not in html
    text = pdf_text(pdf_of(client, pack))
    assert "Published-note-PUBLIC" in text
    assert "SECRET" not in text


def test_the_pdf_is_tagged_titled_in_english_with_a_text_alternative_for_each_chart(
    client, authority, figures, users
):
    pack = services.make_pack(authority=authority, meeting_date=MEETING, user=users["board_member"])
    client.force_login(users["dfe_analyst"])
    content = pdf_of(client, pack)
    assert content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(content))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"])  # a tagged PDF
    assert catalog["/Lang"] == "en-GB"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    title = reader.metadata.title
    assert title.startswith("Board pack for ") and "Wakefield" in title

    elements = structure(catalog["/StructTreeRoot"], [])
    kinds = {kind for kind, _ in elements}
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Figure"} <= kinds
    figures_alt = [alt for kind, alt in elements if kind == "/Figure"]
    chart_name = pack.snapshot["measures"][0]["chart"]["name"]
    # Every image has its text alternative: the key, then the chart.
    assert figures_alt == [svg.key_name(), chart_name]
    assert chart_name.startswith("Line chart of agency social workers (FTE %), Wakefield")

    text = pdf_text(content)
    assert "Wakefield" in text and "Scorecard" in text
    assert "Table 1: Agency social workers (FTE %), Wakefield and England" in text
    assert "(/figures/" not in text  # no link addresses written out


def test_making_the_pdf_reads_only_the_services_own_static_files():
    fetcher = pdf.StaticFilesOnly("http://testserver/")
    response = fetcher.fetch("http://testserver/static/js/app.js")
    assert b"drawCharts" in response.read()
    for refused in (
        "http://example.com/static/js/app.js",  # another server
        "https://testserver/static/js/app.js",  # another scheme
        "http://testserver/figures/1/source/",  # a page, not a static file
        "http://testserver/static/../config/settings/base.py",
        "file:///etc/passwd",
        "data:text/css,body{color:red}",
    ):
        with pytest.raises(ValueError, match="is not one of the service's static files"):
            fetcher.fetch(refused)
