"""The league table's data: every authority's figure for one indicator and period, with its
quartile band and national rank, change since the previous period and latest Ofsted judgement."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Subquery

from authorities.models import Authority, AuthorityKind, Grade, Inspection, kind_for_gss_code
from indicators.models import AreaLevel, Indicator, Observation, PeriodKind, Polarity, Source

from .. import bands
from ..selectors import judge_direction
from ..sources import COMPARED_SOURCES, source_rank
from .judgements import grade_order, grade_words
from .selection import newest_neighbours

Row = Mapping[str, Any]  # a row from values()


@dataclass(frozen=True)
class Period:
    source: str
    kind: str
    start: datetime.date
    end: datetime.date
    label: str

    @property
    def is_month(self) -> bool:
        return self.kind == PeriodKind.MONTH


@dataclass
class LeagueRow:
    code: str
    name: str
    region: str
    kind: str
    is_demo: bool
    value: float | None
    symbol: str
    observation_id: int
    band: str = ""
    rank: int | None = None
    previous: float | None = None
    change: float | None = None
    direction: str = ""
    grade: str = ""
    grade_date: datetime.date | None = None
    grade_framework: str = ""
    neighbour_of: str = ""
    is_highlighted: bool = False

    @property
    def grade_label(self) -> str:
        return grade_words(self.grade) if self.grade else ""


SORTS = ("name", "value", "rank", "change", "grade")
ASC, DESC = "asc", "desc"


@dataclass
class League:
    indicator: Indicator
    source: str
    sources: list[str]
    period: Period | None
    previous: Period | None
    periods: list[Period]
    rows: list[LeagueRow]
    ranked: int  # authorities with a number for the period: what bands and ranks are out of
    listed: int  # authorities with a figure (or symbol) for the period, before filters
    sort: str
    order: str
    highlight: tuple[str, str] | None  # (code, name) of the authority whose neighbours stand out
    highlight_count: int = 0
    codes: list[str] = field(default_factory=list)  # every authority with a figure, unfiltered

    @property
    def default_period_words(self) -> str:
        """What the period list's first choice shows: the latest year where there are annual
        figures (a month's figures are not compared with a year's), else the latest month."""
        return "Latest year" if any(not p.is_month for p in self.periods) else "Latest month"

    @property
    def ranking_rule(self) -> str:
        return bands.RANKING_RULE

    @property
    def shows_demo_data(self) -> bool:
        return self.source == Source.DEMO or any(row.is_demo for row in self.rows)


def default_sort(indicator: Indicator) -> tuple[str, str]:
    return ("rank", ASC) if indicator.has_polarity else ("value", DESC)


def league_periods(indicator: Indicator) -> list[Period]:
    """Every period with authority figures for the indicator from a public, comparable source,
    oldest first. One query."""
    rows = (
        Observation.objects.filter(
            indicator=indicator, area_level=AreaLevel.AUTHORITY, source__in=COMPARED_SOURCES
        )
        .order_by()
        .values_list("source", "period_kind", "period_start", "period_end", "period_label")
        .distinct()
    )
    return sorted((Period(*row) for row in rows), key=lambda p: (p.end, p.start, p.kind))


def _choose_period(periods: list[Period], label: str) -> Period | None:
    if not periods:
        return None
    if label:
        named = [p for p in periods if p.label == label]
        if named:
            return max(named, key=lambda p: (not p.is_month, p.end))
    annual = [p for p in periods if not p.is_month]
    return (annual or periods)[-1]


def _sort_key(sort: str):
    def missing_last(value: object) -> tuple[bool, object]:
        return (value is None, value if value is not None else 0)

    if sort == "name":
        return lambda row: row.name.lower()
    if sort == "value":
        return lambda row: missing_last(row.value)
    if sort == "change":
        return lambda row: missing_last(row.change)
    if sort == "grade":
        return lambda row: missing_last(grade_order(row.grade))
    return lambda row: missing_last(row.rank)


def _sorted(rows: list[LeagueRow], sort: str, order: str) -> list[LeagueRow]:
    by_name = sorted(rows, key=lambda row: row.name.lower())
    key = _sort_key(sort)
    if sort == "name":
        return by_name[::-1] if order == DESC else by_name
    present = [row for row in by_name if key(row)[0] is False]
    absent = [row for row in by_name if key(row)[0] is True]
    return sorted(present, key=key, reverse=order == DESC) + absent


def _sort_order(indicator: Indicator, sort: str, order: str) -> tuple[str, str]:
    """The sort asked for, or the indicator's default; ascending unless descending is asked."""
    if sort not in SORTS:
        sort, default_order = default_sort(indicator)
        return sort, order if order in (ASC, DESC) else default_order
    return sort, order if order in (ASC, DESC) else ASC


def league(
    indicator: Indicator,
    *,
    period_label: str = "",
    source: str = "",
    region: str = "",
    kind: str = "",
    grade: str = "",
    highlight: str = "",
    sort: str = "",
    order: str = "",
) -> League:
    """Every authority's figure for one indicator and period, with its quartile band and rank
    (worked out over all authorities for the period, before any filter), change since the
    previous period and latest Ofsted judgement. Filters by region, kind of authority and latest
    grade; highlights one authority's statistical neighbours.

    At most six queries whatever the number of authorities: periods, figures, the ceased among
    them, authorities with their latest judgement, all authorities' names, and the highlighted
    authority's neighbours.
    """
    all_periods = league_periods(indicator)
    sources = sorted({p.source for p in all_periods}, key=source_rank)
    if source not in sources:
        source = sources[0] if sources else Source.OFFICIAL
    periods = [p for p in all_periods if p.source == source]
    period = _choose_period(periods, period_label)
    sort, order = _sort_order(indicator, sort, order)
    if period is None:
        return League(indicator, source, sources, None, None, [], [], 0, 0, sort, order, None)

    same_kind = [p for p in periods if p.kind == period.kind and p.end < period.end]
    previous = same_kind[-1] if same_kind else None
    current, before = _figures(indicator, source, period, previous)
    current = _without_ceased(current, period)
    ranked = {code: _ranked(figure) for code, figure in current.items()}
    values = [value for value in ranked.values() if value is not None]
    cut = bands.quartiles(values)
    highlighted, neighbours = _highlight(highlight.strip().upper())
    rows = []
    for authority in _authorities(list(current), region=region, kind=kind, grade=grade):
        code = authority.gss_code
        row = _league_row(authority, current[code], ranked[code], indicator, values, cut)
        row.previous = before.get(authority.gss_code)
        if row.value is not None and row.previous is not None:
            row.change = round(row.value - row.previous, 10)
            row.direction = judge_direction(row.change, indicator.polarity)
        if highlighted is not None:
            row.neighbour_of = highlighted[1] if authority.gss_code in neighbours else ""
            row.is_highlighted = authority.gss_code == highlighted[0]
        rows.append(row)

    return League(
        indicator=indicator,
        source=source,
        sources=sources,
        period=period,
        previous=previous,
        periods=periods,
        rows=_sorted(rows, sort, order),
        ranked=len(values),
        listed=len(current),
        sort=sort,
        order=order,
        highlight=highlighted,
        highlight_count=len(neighbours),
        codes=list(current),
    )


def _figures(
    indicator: Indicator, source: str, period: Period, previous: Period | None
) -> tuple[dict[str, Row], dict[str, float | None]]:
    """Each authority's figure for the period, and its value for the previous one. One query."""
    starts = [period.start] + ([previous.start] if previous else [])
    figures = (
        Observation.objects.filter(
            indicator=indicator,
            area_level=AreaLevel.AUTHORITY,
            source=source,
            period_kind=period.kind,
            period_start__in=starts,
            period_end__in=[period.end] + ([previous.end] if previous else []),
        )
        .order_by()
        .values("id", "area_code", "period_start", "value", "symbol", "base_symbol")
    )
    current: dict[str, Row] = {}
    before: dict[str, float | None] = {}
    figure: Row
    for figure in figures:
        if figure["period_start"] == period.start:
            current[figure["area_code"]] = figure
        else:
            before[figure["area_code"]] = figure["value"]
    return current, before


def _without_ceased(current: dict[str, Row], period: Period) -> dict[str, Row]:
    """The period's league is of the authorities that existed at its end: a symbol published for
    one that had ceased by then (Cumbria's "not applicable" after 2023) is left out; its real
    figures stay in the leagues of the years it existed. One query."""
    ceased = set(
        Authority.objects.filter(gss_code__in=list(current), active_to__lt=period.end).values_list(
            "gss_code", flat=True
        )
    )
    return {
        code: figure
        for code, figure in current.items()
        if code not in ceased or figure["value"] is not None
    }


def _authorities(codes: list[str], *, region: str, kind: str, grade: str) -> Any:
    """The authorities with a figure, each with its latest graded judgement, filtered. One query."""
    latest = Inspection.objects.graded().filter(authority=OuterRef("pk")).order_by("-start_date")
    authorities: Any = (
        Authority.objects.filter(gss_code__in=codes)
        .select_related("region")
        .annotate(
            latest_grade=Subquery(latest.values("overall_grade")[:1]),
            latest_grade_date=Subquery(latest.values("start_date")[:1]),
            latest_framework=Subquery(latest.values("framework")[:1]),
        )
    )
    if region:
        authorities = authorities.filter(region__code=region)
    if kind in AuthorityKind.values:
        authorities = authorities.of_kind(kind)
    if grade in Grade.values:
        authorities = authorities.filter(latest_grade=grade)
    return authorities


def _highlight(code: str) -> tuple[tuple[str, str] | None, set[str]]:
    """(code, name) of the authority whose neighbours stand out, and their codes. Two queries
    when one is asked for."""
    if not code:
        return None, set()
    found = list(Authority.objects.filter(gss_code=code).values_list("gss_code", "name"))
    if not found:
        return None, set()
    return found[0], set(newest_neighbours([code]).get(code, []))


def _ranked(figure: Row) -> float | None:
    return bands.ranked_value(figure["value"], figure["symbol"], figure["base_symbol"])


def _league_row(
    authority: Any,
    figure: Row,
    ranked: float | None,
    indicator: Indicator,
    values: list[float],
    cut: bands.Quartiles | None,
) -> LeagueRow:
    """One authority's row, with its band and rank among all the period's ``values``, by its
    ``ranked`` value (LAIT's rule: see ``bands.ranked_value``)."""
    value = figure["value"]
    row = LeagueRow(
        code=authority.gss_code,
        name=authority.name,
        region=authority.region.name if authority.region else "",
        kind=str(kind_for_gss_code(authority.gss_code).label),
        is_demo=authority.is_demo,
        value=value,
        symbol=figure["symbol"],
        observation_id=figure["id"],
        grade=authority.latest_grade or "",
        grade_date=authority.latest_grade_date,
        grade_framework=authority.latest_framework or "",
    )
    if ranked is not None and indicator.polarity != Polarity.NEITHER:
        row.rank = bands.rank(ranked, values, indicator.polarity)
        if cut is not None:
            row.band = bands.band(ranked, cut, indicator.polarity)
    return row


def league_authorities(league: League) -> list[tuple[str, str]]:
    """(code, name) of every authority with a figure in the league's period, before filters, for
    the highlight control. One query."""
    if not league.codes:
        return []
    return list(
        Authority.objects.filter(gss_code__in=league.codes)
        .order_by("name")
        .values_list("gss_code", "name")
    )
