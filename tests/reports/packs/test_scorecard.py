"""The pack's scorecard is the authority page's headlines, written down: checked against
figures made by hand (issue 17, item 4)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from reports.packs import services
from tests.reports.packs.conftest import MEETING, MILESTONE_DUE, page_text

pytestmark = pytest.mark.django_db


def words(cell: str) -> str:
    """A table cell's text as the eye reads it (hidden link words left out)."""
    shown = re.sub(r'<span class="govuk-visually-hidden">.*?</span>|<[^>]+>', " ", cell)
    return re.sub(r"\s+", " ", shown).strip()


def make(authority, user):
    return services.make_pack(authority=authority, meeting_date=MEETING, user=user)


def test_the_scorecard_holds_each_measures_figures_comparators_band_and_milestone(
    authority, figures, users
):
    pack = make(authority, users["board_member"])
    [measure] = pack.snapshot["measures"]
    assert measure["indicator"]["name"] == "Agency social workers (FTE %)"
    assert (measure["latest"]["text"], measure["latest"]["period_label"]) == ("17.5%", "2025")
    assert (measure["previous"]["text"], measure["previous"]["period_label"]) == ("20.0%", "2024")
    # Lower is better, and it fell by 2.5 points: better.
    assert measure["direction"] == "better"
    assert measure["direction_words"] == "Improved since 2024: 2.5 percentage points down"
    assert measure["neighbours"]["text"] == "14.0%"  # the mean of 10, 14 and 18
    assert measure["neighbours"]["count"] == 3
    assert measure["region"]["text"] == "16.0%"
    assert measure["england"]["text"] == "15.0%"
    # Among 10, 14, 17.5 and 18 (lower is better) 17.5 is third, in the third quarter.
    assert (measure["band"], measure["rank"], measure["of"]) == ("C", 3, 4)
    # 1.5 points over the milestone of 16.0%, within its tolerance of 2: amber.
    milestone = measure["milestone"]
    assert (milestone["text"], milestone["rag"], milestone["words"]) == (
        "16.0%",
        "amber",
        "Close to target",
    )
    assert milestone["due_date"] == MILESTONE_DUE.isoformat()


def test_every_scorecard_figure_says_where_it_came_from(authority, figures, users):
    pack = make(authority, users["board_member"])
    [measure] = pack.snapshot["measures"]
    latest = measure["latest"]
    assert latest["id"] == figures.pk
    assert latest["citation"] == {
        "source_words": "Official statistics",
        "label": "File",
        "release": "workforce_2025.csv",
        "row": 41,
        "section": "",
        "quote": "",
    }
    assert measure["england"]["citation"]["row"] == 1
    assert measure["region"]["citation"]["row"] == 3


def test_the_pack_page_shows_the_scorecard_as_made(client, authority, figures, users):
    pack = make(authority, users["board_member"])
    client.force_login(users["board_member"])
    html = page_text(client.get(reverse("reports:pack", args=[authority.gss_code, pack.pk])))
    row = re.search(r"<tr class=\"govuk-table__row\">\s*<th scope=\"row\".*?</tr>", html, re.S)
    assert row is not None
    cells = [words(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row.group(0), re.S)]
    assert cells == [
        "Agency social workers (FTE %) Lower is better",
        "17.5% 2025",
        "20.0% 2024",
        "↓ Improved since 2024: 2.5 percentage points down",
        "14.0% mean of 3",
        "15.0%",
        "Band C, rank 3 of 4",
        f"Close to target 16.0% by {MILESTONE_DUE.day} {MILESTONE_DUE:%B} {MILESTONE_DUE.year}",
    ]
    # Each figure links to its source page; the sources list names the file and row.
    assert f'href="/figures/{figures.pk}/source/"' in html
    assert "File: workforce_2025.csv, row 41" in html


def test_an_authority_without_figures_gets_a_pack_that_says_so(client, authority, users):
    pack = make(authority, users["board_member"])
    assert pack.snapshot["measures"] == []
    client.force_login(users["board_member"])
    html = page_text(client.get(reverse("reports:pack", args=[authority.gss_code, pack.pk])))
    assert "No figures had been published for Wakefield when this pack was made." in html
