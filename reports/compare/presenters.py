"""The league table as the page and the CSV write it: headings, figures and changes in words,
and the headings' sort links. No queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from authorities.toolkit.numbers import CHANGE_WORDS, raw_figure
from indicators.models import Source

from ..formatting import format_value
from .league import ASC, DESC, SORTS, League, LeagueRow

if TYPE_CHECKING:
    from .forms import LeagueState

DIRECTION_WORDS = {"better": "better", "worse": "worse", "same": "no change"}


@dataclass
class LeagueLine:
    """One league row as the page writes it."""

    row: LeagueRow
    value_text: str
    change_text: str
    direction_words: str


def league_headings(league: League) -> dict[str, str]:
    """Column headings, shared by the page and the CSV."""
    period = league.period.label if league.period else ""
    previous = league.previous.label if league.previous else "the previous period"
    unit_words = CHANGE_WORDS.get(league.indicator.unit, "")
    return {
        "name": "Authority",
        "region": "Region",
        "value": f"{league.indicator.label}, {period}",
        "band": "Quartile band",
        "rank": "National rank",
        "change": f"Change since {previous}" + (f" ({unit_words})" if unit_words else ""),
        "grade": "Latest Ofsted judgement",
    }


def league_lines(league: League) -> list[LeagueLine]:
    indicator = league.indicator
    lines = []
    for row in league.rows:
        change_text = ""
        if row.change is not None:
            change_text = f"{row.change:+,.{indicator.decimals}f}"
        lines.append(
            LeagueLine(
                row=row,
                value_text=format_value(row.value, indicator.unit, indicator.decimals, row.symbol),
                change_text=change_text,
                direction_words=DIRECTION_WORDS.get(row.direction, ""),
            )
        )
    return lines


def league_csv(league: League) -> tuple[list[str], list[list[str]]]:
    """The league as CSV: the page's columns and rows in the page's order, raw numbers, symbols
    as symbols, with the GSS code and the highlighted group spelt out."""
    headings = league_headings(league)
    header = [
        headings["name"],
        "GSS code",
        headings["region"],
        headings["value"],
        headings["band"],
        headings["rank"],
        headings["change"],
        headings["grade"],
        "Judgement started",
        "Neighbour of",
        "Source",
    ]
    source = str(Source(league.source).label)  # every row says where its figure comes from
    rows = []
    for row in league.rows:
        rows.append(
            [
                row.name,
                row.code,
                row.region,
                row.symbol if row.value is None else raw_figure(row.value),
                row.band,
                "" if row.rank is None else str(row.rank),
                "" if row.change is None else raw_figure(row.change),
                row.grade_label,
                row.grade_date.isoformat() if row.grade_date else "",
                row.neighbour_of,
                source,
            ]
        )
    return header, rows


@dataclass
class SortLink:
    key: str
    heading: str
    query: str
    aria_sort: str  # ascending, descending or "" (not sorted by this column)
    numeric: bool


def sort_links(state: LeagueState, league: League) -> list[SortLink]:
    """Each column heading, linking to the table sorted by it (the other way if it is already)."""
    headings = league_headings(league)
    links = []
    for key in ("name", "region", "value", "band", "rank", "change", "grade"):
        sortable = key in SORTS
        current = sortable and league.sort == key
        order = DESC if current and league.order == ASC else "asc"
        aria = ""
        if current:
            aria = "ascending" if league.order == ASC else "descending"
        links.append(
            SortLink(
                key=key,
                heading=headings[key],
                query=state.query(sort=key, order=order) if sortable else "",
                aria_sort=aria,
                numeric=key in ("value", "rank", "change"),
            )
        )
    return links
