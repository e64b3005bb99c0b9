"""The comparison's data: one series per authority for one indicator, with England for
reference, on calendar time or on years since each authority's anchor.

Every function costs a fixed number of queries, whatever the number of authorities or periods:
rows come back as ``values()`` and are shaped in Python or pandas, never one query per row.

Only published sources are compared across authorities (``reports.sources.PUBLIC_SOURCES``):
official statistics, simulated demo figures and (as a last resort, never beside published
figures) report evidence. Monthly returns are not shown here.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.db.models import Q

from authorities.models import ENGLAND_CODE, ENGLAND_NAME, Authority, Event, Inspection
from indicators.models import AreaLevel, Indicator, Observation, PeriodKind, Source

from ..formatting import lower_first
from ..sources import COMPARED_SOURCES, PUBLIC_SOURCES, SOURCE_WORDS, source_rank
from .inputs import Alignment
from .judgements import grade_words, judged, years_between
from .selection import LeftOut

ANNUAL, MONTHLY, REPORT = "annual", "monthly", "report"

Row = Mapping[str, Any]  # a row from values()


@dataclass
class Anchor:
    date: datetime.date
    description: str


def anchors(codes: Sequence[str], alignment: Alignment) -> dict[str, Anchor]:
    """Each authority's anchor: its first judgement of the grade (dated by publication, else
    the end, else the start of the inspection) or its first event of the category. One query."""
    found: dict[str, Anchor] = {}
    if not codes or not alignment.aligned:
        return found
    if alignment.kind == "grade":
        rows = Inspection.objects.filter(
            authority__gss_code__in=list(codes), overall_grade=alignment.value
        ).values("authority__gss_code", "published_date", "end_date", "start_date", "framework")
        for row in sorted(rows, key=judged):
            code = row["authority__gss_code"]
            if code not in found:
                date = judged(row)
                found[code] = Anchor(
                    date,
                    f"{grade_words(alignment.value)} judgement ({row['framework']}), "
                    f"{date:%d %b %Y}",
                )
    else:
        events = (
            Event.objects.filter(authority__gss_code__in=list(codes), category=alignment.value)
            .order_by("date")
            .values_list("authority__gss_code", "date", "description")
        )
        for code, date, description in events:
            found.setdefault(code, Anchor(date, f"{description}, {date:%d %b %Y}"))
    return found


COMPARE_COLUMNS = [
    "series",
    "code",
    "order",
    "role",
    "source",
    "period_kind",
    "period_label",
    "period_end",
    "anchor",
    "x",
    "value",
    "symbol",
    "observation_id",
]

FREQUENCY_WORDS = {ANNUAL: "annual", MONTHLY: "monthly", REPORT: "report evidence"}


@dataclass
class CompareData:
    """Everything the comparison chart and table draw, as a DataFrame for the chart builders."""

    indicator: Indicator
    alignment: Alignment
    authorities: list[Authority]
    focus: Authority | None
    points: pd.DataFrame
    frequency: str
    left_out: list[LeftOut]
    anchors: dict[str, Anchor]
    sources: list[str]

    @property
    def shows_demo_data(self) -> bool:
        return Source.DEMO in self.sources or any(a.is_demo for a in self.authorities)

    @property
    def frequency_words(self) -> str:
        return FREQUENCY_WORDS.get(self.frequency, "")

    @property
    def source_words(self) -> str:
        return " and ".join(SOURCE_WORDS[Source(source)] for source in self.sources)


def _series_rows(rows: list[Row], frequency: str) -> list[Row]:
    """One authority's rows for the chosen frequency, from its most authoritative source and
    (for annual figures) its latest kind of year."""
    if frequency == REPORT:
        return [row for row in rows if row["source"] == Source.REPORT]
    compared = [row for row in rows if row["source"] in COMPARED_SOURCES]
    if frequency == ANNUAL:
        candidates = [row for row in compared if row["period_kind"] != PeriodKind.MONTH]
    else:
        candidates = [row for row in compared if row["period_kind"] == PeriodKind.MONTH]
    if not candidates:
        return []
    source = min({row["source"] for row in candidates}, key=source_rank)
    kind = max(
        (row for row in candidates if row["source"] == source), key=lambda row: row["period_end"]
    )["period_kind"]
    return [row for row in candidates if row["source"] == source and row["period_kind"] == kind]


def _frequency(by_code: dict[str, list[Row]]) -> str:
    rows = [row for series in by_code.values() for row in series]
    compared = [row for row in rows if row["source"] in COMPARED_SOURCES]
    if any(row["period_kind"] != PeriodKind.MONTH for row in compared):
        return ANNUAL
    if compared:
        return MONTHLY
    if any(row["source"] == Source.REPORT for row in rows):
        return REPORT
    return ""


def _no_figures_reason(rows: list[Row], frequency: str, indicator: Indicator) -> str:
    name = lower_first(indicator.name)
    if rows and not any(row["source"] in COMPARED_SOURCES for row in rows):
        return "Only figures from reports, which are not compared with published statistics"
    if frequency in (ANNUAL, MONTHLY):
        return f"No {FREQUENCY_WORDS[frequency]} figures for {name}"
    return f"No figures for {name}"


def series_names(authorities: Sequence[Authority]) -> dict[str, str]:
    """Each authority's name as a series and column name, with its code where names repeat."""
    counts = Counter(authority.name for authority in authorities)
    return {
        a.gss_code: a.name if counts[a.name] == 1 else f"{a.name} ({a.gss_code})"
        for a in authorities
    }


def _point(
    row: Row, *, series: str, code: str, order: int, role: str, anchor: datetime.date | None = None
) -> dict[str, Any]:
    """One figure as the comparison draws it (the columns of ``COMPARE_COLUMNS``): on calendar
    time, or on years since the authority's anchor."""
    return {
        "series": series,
        "code": code,
        "order": order,
        "role": role,
        "source": row["source"],
        "period_kind": row["period_kind"],
        "period_label": row["period_label"],
        "period_end": row["period_end"],
        "anchor": anchor,
        "x": years_between(anchor, row["period_end"]) if anchor else row["period_end"],
        "value": row["value"],
        "symbol": row["symbol"],
        "observation_id": row["id"],
    }


def compare_series(
    authorities: Sequence[Authority],
    indicator: Indicator,
    *,
    focus_code: str = "",
    alignment: Alignment | None = None,
) -> CompareData:
    """One series per authority for one indicator, with England for reference, on calendar time
    or on years since each authority's anchor. Three queries: whether any authority has annual
    figures, the figures, and (when aligned) the anchors.

    Annual figures are used where the authorities have them (official or simulated reporting
    years), else monthly; England is matched like with like (official for real authorities,
    simulated for demo ones) and drawn only on calendar time, since England has no anchor.
    """
    alignment = alignment or Alignment()
    codes = [authority.gss_code for authority in authorities]
    own, england = _figures(indicator, codes)
    frequency = _frequency(own)
    anchor_dates = anchors(codes, alignment)
    chosen, left_out = _chosen_series(
        authorities, own, indicator, frequency=frequency, alignment=alignment, anchors=anchor_dates
    )
    shown = [authority for authority in authorities if authority.gss_code in chosen]
    focus = next((a for a in shown if a.gss_code == focus_code), shown[0] if shown else None)
    names = series_names(authorities)
    points = [
        _point(
            row,
            series=names[authority.gss_code],
            code=authority.gss_code,
            order=order,
            role="focus" if authority == focus else "other",
            anchor=anchor.date if (anchor := anchor_dates.get(authority.gss_code)) else None,
        )
        for order, authority in enumerate(shown)
        for row in chosen[authority.gss_code]
    ]
    used = {(point["source"], point["period_kind"]) for point in points}
    sources = sorted({source for source, _ in used}, key=source_rank)
    if not alignment.aligned and frequency != REPORT:
        points += _england_points(england, used, sources, first_order=len(shown))
    return CompareData(
        indicator=indicator,
        alignment=alignment,
        authorities=shown,
        focus=focus,
        points=pd.DataFrame(points, columns=COMPARE_COLUMNS),
        frequency=frequency,
        left_out=left_out,
        anchors={code: anchor_dates[code] for code in chosen if code in anchor_dates},
        sources=sources,
    )


def _figures(indicator: Indicator, codes: list[str]) -> tuple[dict[str, list[Row]], list[Row]]:
    """Each authority's published figures for the indicator, and England's. Two queries."""
    figures = Observation.objects.filter(
        indicator=indicator, area_code__in=[*codes, ENGLAND_CODE], source__in=PUBLIC_SOURCES
    )
    # Where any authority has annual figures only annual ones (and report evidence, to say why
    # an authority is left out) are read: a tenth of the rows of ten years of months.
    annual_only = (
        figures.filter(area_code__in=codes, source__in=COMPARED_SOURCES)
        .exclude(period_kind=PeriodKind.MONTH)
        .exists()
    )
    if annual_only:
        figures = figures.filter(~Q(period_kind=PeriodKind.MONTH) | Q(source=Source.REPORT))
    rows = figures.order_by("period_end").values(
        "id",
        "area_code",
        "area_level",
        "source",
        "period_kind",
        "period_end",
        "period_label",
        "value",
        "symbol",
    )
    own: dict[str, list[Row]] = {code: [] for code in codes}
    england: list[Row] = []
    for row in rows:
        if row["area_code"] == ENGLAND_CODE and row["area_level"] == AreaLevel.NATIONAL:
            england.append(row)
        elif row["area_code"] in own and row["area_level"] == AreaLevel.AUTHORITY:
            own[row["area_code"]].append(row)
    return own, england


def _chosen_series(
    authorities: Sequence[Authority],
    own: dict[str, list[Row]],
    indicator: Indicator,
    *,
    frequency: str,
    alignment: Alignment,
    anchors: dict[str, Anchor],
) -> tuple[dict[str, list[Row]], list[LeftOut]]:
    """The rows drawn for each authority, and the authorities left out with the reason."""
    chosen: dict[str, list[Row]] = {}
    left_out: list[LeftOut] = []
    for authority in authorities:
        code = authority.gss_code
        series = _series_rows(own[code], frequency) if frequency else []
        if not series:
            reason = _no_figures_reason(own[code], frequency, indicator)
            left_out.append(LeftOut(code, authority.name, reason))
        elif alignment.aligned and code not in anchors:
            left_out.append(LeftOut(code, authority.name, alignment.missing_reason))
        else:
            chosen[code] = series
    return chosen, left_out


def _england_points(
    england: list[Row], used: set[tuple], sources: list[str], *, first_order: int
) -> list[dict[str, Any]]:
    """England for reference, from each source the authorities' figures come from (named by
    source when there are two), after the authorities."""
    england_sources = [source for source in sources if source in COMPARED_SOURCES]
    points = []
    for row in england:
        if (row["source"], row["period_kind"]) not in used:
            continue
        name = ENGLAND_NAME
        if len(england_sources) > 1:
            name = f"{ENGLAND_NAME} ({SOURCE_WORDS[Source(row['source'])]})"
        order = first_order + england_sources.index(row["source"])
        points.append(_point(row, series=name, code=ENGLAND_CODE, order=order, role="england"))
    return points
