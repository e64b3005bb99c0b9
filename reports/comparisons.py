"""Reads for comparing councils: side-by-side trajectories, aligned recoveries, league tables
and the recovery summary.

Every function costs a fixed number of queries, whatever the number of authorities or periods:
rows come back as ``values()`` and are shaped in Python or pandas, never one query per row.

Only published sources are compared across authorities: official statistics, simulated demo
figures and (as a last resort, never beside published figures) report evidence. Monthly returns
are not shown here until they can be approved.
"""

from __future__ import annotations

import datetime
import statistics as stdlib_statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.db.models import OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, ExtractYear

from authorities.models import (
    ENGLAND_CODE,
    ENGLAND_NAME,
    GRADE_ORDER,
    Authority,
    AuthorityKind,
    Event,
    EventCategory,
    Framework,
    Grade,
    Inspection,
    Region,
    StatisticalNeighbour,
    kind_for_gss_code,
)
from authorities.toolkit.gss import CODE_IN_BRACKETS, is_gss_code
from indicators.models import (
    COMPARED_SOURCES,
    PUBLIC_SOURCES,
    SOURCE_PRIORITY,
    AreaLevel,
    Indicator,
    Observation,
    PeriodKind,
    Polarity,
    Source,
)

from . import statistics
from .formatting import lower_first
from .selectors import SOURCE_WORDS, judge_direction

MAX_AUTHORITIES = 12


ANNUAL, MONTHLY, REPORT = "annual", "monthly", "report"

Row = Mapping[str, Any]  # a row from values()


def judgement_date_expression() -> Coalesce:
    """The date a judgement became public, in SQL: publication, else end, else start."""
    return Coalesce("published_date", "end_date", "start_date")


def _judged(row: Row) -> datetime.date:
    return row["published_date"] or row["end_date"] or row["start_date"]


def grade_words(grade: str) -> str:
    return str(Grade(grade).label) if grade in Grade.values else grade


def grade_order(grade: str) -> int | None:
    """1 for Outstanding to 4 for Inadequate (``GRADE_ORDER``); None when not a known grade."""
    return GRADE_ORDER.get(Grade(grade)) if grade in Grade.values else None


# --- choosing authorities ---------------------------------------------------------------------

NEIGHBOURS, REGION, INADEQUATE = "neighbours", "region", "inadequate"
GROUP_KINDS = (NEIGHBOURS, REGION, INADEQUATE)


def parse_group(text: str) -> tuple[str, str] | None:
    """``neighbours:E08000036``, ``region:E12000003`` or ``inadequate:2018``; None otherwise."""
    kind, _, value = text.strip().partition(":")
    kind = kind.lower()
    value = value.strip()
    if kind in (NEIGHBOURS, REGION) and is_gss_code(value.upper()):
        return kind, value.upper()
    if kind == INADEQUATE and value.isdigit() and len(value) == 4:
        return kind, value
    return None


@dataclass
class Group:
    """A named set of authorities chosen at once, kept in the URL as ``group=kind:value``."""

    key: str
    label: str
    codes: list[str] = field(default_factory=list)
    problem: str = ""


@dataclass
class LeftOut:
    code: str
    name: str
    reason: str


@dataclass
class Selection:
    """The authorities a comparison shows, in the order chosen, and what was left out and why."""

    authorities: list[Authority]
    capped: list[Authority]
    groups: list[Group]
    unknown: list[str]

    @property
    def codes(self) -> list[str]:
        return [authority.gss_code for authority in self.authorities]


def _newest_neighbours(codes: Sequence[str]) -> dict[str, list[str]]:
    """Each authority's neighbours in its newest model, closest first. One query."""
    if not codes:
        return {}
    rows = (
        StatisticalNeighbour.objects.filter(authority__gss_code__in=list(codes))
        .order_by("authority__gss_code", "-model_year", "rank")
        .values_list("authority__gss_code", "model_year", "neighbour__gss_code")
    )
    newest: dict[str, int] = {}
    found: dict[str, list[str]] = defaultdict(list)
    for code, year, neighbour in rows:
        newest.setdefault(code, year)
        if year == newest[code]:
            found[code].append(neighbour)
    return dict(found)


def _inadequate_by_year(years: Sequence[int]) -> dict[int, list[str]]:
    """Authorities judged Inadequate in each year, by the judgement's date. One query."""
    if not years:
        return {}
    rows = (
        Inspection.objects.filter(overall_grade=Grade.INADEQUATE)
        .annotate(judged=judgement_date_expression())
        .filter(judged__year__in=list(years))
        .order_by("authority__name")
        .values_list("judged", "authority__gss_code")
    )
    found: dict[int, list[str]] = defaultdict(list)
    for judged, code in rows:
        if code not in found[judged.year]:
            found[judged.year].append(code)
    return dict(found)


def _dedupe(codes: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(codes))


def select_authorities(
    codes: Sequence[str], groups: Sequence[str], *, limit: int = MAX_AUTHORITIES
) -> Selection:
    """Authorities named one by one, then each group's, without repeats, capped at ``limit``.

    At most four queries: neighbours, regions and Inadequate judgements (only for the kinds of
    group asked for), and the authorities themselves.
    """
    parsed = [(text, parse_group(text)) for text in groups]
    wanted = defaultdict(list)
    for _, key in parsed:
        if key:
            wanted[key[0]].append(key[1])

    neighbours = _newest_neighbours(wanted[NEIGHBOURS])
    regions: dict[str, tuple[str, list[str]]] = {}
    if wanted[REGION]:
        rows = (
            Authority.objects.active()
            .filter(region__code__in=wanted[REGION])
            .order_by("name")
            .values_list("region__code", "region__name", "gss_code")
        )
        for region_code, region_name, code in rows:
            regions.setdefault(region_code, (region_name, []))[1].append(code)
    inadequate = _inadequate_by_year([int(year) for year in wanted[INADEQUATE]])

    group_codes: list[list[str]] = []
    for _, key in parsed:
        if key is None:
            group_codes.append([])
        elif key[0] == NEIGHBOURS:
            group_codes.append([key[1], *neighbours.get(key[1], [])])
        elif key[0] == REGION:
            group_codes.append(regions.get(key[1], ("", []))[1])
        else:
            group_codes.append(inadequate.get(int(key[1]), []))

    explicit = _dedupe(code.strip().upper() for code in codes if code.strip())
    everything = _dedupe([*explicit, *(code for found in group_codes for code in found)])
    by_code = {
        authority.gss_code: authority
        for authority in Authority.objects.filter(gss_code__in=everything).select_related("region")
    }

    built = []
    for (text, key), found in zip(parsed, group_codes, strict=True):
        if key is None:
            built.append(Group(text, text, [], "This is not a group of authorities we know"))
            continue
        kind, value = key
        group_key = f"{kind}:{value}"
        if kind == NEIGHBOURS:
            subject = by_code.get(value)
            if subject is None:
                built.append(Group(group_key, value, [], f"No authority has the code {value}"))
                continue
            label = f"{subject.name} and its statistical neighbours"
            problem = (
                "" if len(found) > 1 else f"No statistical neighbours are recorded for {subject}"
            )
        elif kind == REGION:
            region_name = regions.get(value, (value, []))[0]
            label = f"Authorities in {region_name}"
            problem = "" if found else f"No authorities are recorded in the region {value}"
        else:
            label = f"Authorities judged Inadequate in {value}"
            problem = "" if found else f"No Inadequate judgement is recorded in {value}"
        built.append(Group(group_key, label, [c for c in found if c in by_code], problem))

    unknown = [code for code in explicit if code not in by_code]
    ordered = [by_code[code] for code in everything if code in by_code]
    return Selection(
        authorities=ordered[:limit], capped=ordered[limit:], groups=built, unknown=unknown
    )


def match_authorities(text: str, *, limit: int = 20) -> list[Authority]:
    """Authorities a person meant by a name or code: an exact match wins, else every match.

    Accepts what the page's suggestion list offers, "Wakefield (E08000036)". One query.
    """
    text = text.strip()
    if not text:
        return []
    bracketed = CODE_IN_BRACKETS.search(text)
    if bracketed:
        return list(Authority.objects.filter(gss_code=bracketed.group(1).upper()))
    found = list(Authority.objects.search(text).order_by("name")[:limit])
    lowered = text.lower()
    exact = [
        a
        for a in found
        if a.name.lower() == lowered or a.gss_code.lower() == lowered or a.dfe_code == text
    ]
    return exact or found


@dataclass
class ChoiceLists:
    """What the compare form offers: every authority, region and year with an Inadequate
    judgement. Three queries."""

    authorities: list[tuple[str, str]]
    regions: list[tuple[str, str]]
    inadequate_years: list[int]


def choice_lists() -> ChoiceLists:
    authorities = list(Authority.objects.order_by("name").values_list("gss_code", "name"))
    regions = list(Region.objects.order_by("name").values_list("code", "name"))
    years = (
        Inspection.objects.filter(overall_grade=Grade.INADEQUATE)
        .annotate(year=ExtractYear(judgement_date_expression()))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )
    return ChoiceLists(authorities, regions, [int(year) for year in years])


# --- aligning time on an anchor ---------------------------------------------------------------


@dataclass(frozen=True)
class Alignment:
    """How the time axis is drawn: calendar time, or years since each authority's anchor."""

    kind: str = "none"  # none, grade or event
    value: str = ""

    @classmethod
    def parse(cls, text: str | None) -> Alignment:
        kind, _, value = (text or "").strip().partition(":")
        if kind == "grade" and value in Grade.values:
            return cls("grade", value)
        if kind == "event" and value in EventCategory.values:
            return cls("event", value)
        return cls()

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}" if self.value else "none"

    @property
    def aligned(self) -> bool:
        return self.kind != "none"

    @property
    def anchor_words(self) -> str:
        if self.kind == "grade":
            return f"first {grade_words(self.value)} judgement"
        if self.kind == "event":
            return f"first {EventCategory(self.value).label.lower()} event"
        return ""

    @property
    def axis_title(self) -> str:
        return f"Years since {self.anchor_words}" if self.aligned else ""

    @property
    def missing_reason(self) -> str:
        if self.kind == "grade":
            return f"No {grade_words(self.value)} judgement recorded"
        if self.kind == "event":
            return f"No {EventCategory(self.value).label.lower()} event recorded"
        return ""


def alignment_choices() -> list[tuple[str, str]]:
    choices = [("none", "Calendar time")]
    choices += [
        (f"grade:{grade}", f"Years since the first {label} judgement")
        for grade, label in Grade.choices
    ]
    choices += [
        (f"event:{category}", f"Years since the first {str(label).lower()} event")
        for category, label in EventCategory.choices
    ]
    return choices


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
        for row in sorted(rows, key=_judged):
            code = row["authority__gss_code"]
            if code not in found:
                date = _judged(row)
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


def years_between(start: datetime.date, end: datetime.date) -> float:
    return round((end - start).days / 365.25, 2)


# --- the comparison chart ---------------------------------------------------------------------

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
    source = min({row["source"] for row in candidates}, key=lambda s: SOURCE_PRIORITY[Source(s)])
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
    rows: list[Row] = list(
        figures.order_by("period_end").values(
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
    )
    own: dict[str, list[Row]] = {code: [] for code in codes}
    england: list[Row] = []
    for row in rows:
        if row["area_code"] == ENGLAND_CODE and row["area_level"] == AreaLevel.NATIONAL:
            england.append(row)
        elif row["area_code"] in own and row["area_level"] == AreaLevel.AUTHORITY:
            own[row["area_code"]].append(row)

    frequency = _frequency(own)
    anchor_dates = anchors(codes, alignment)
    names = series_names(authorities)
    left_out: list[LeftOut] = []
    shown: list[Authority] = []
    chosen: dict[str, list[Row]] = {}
    for authority in authorities:
        series = _series_rows(own[authority.gss_code], frequency) if frequency else []
        if not series:
            reason = _no_figures_reason(own[authority.gss_code], frequency, indicator)
            left_out.append(LeftOut(authority.gss_code, authority.name, reason))
            continue
        if alignment.aligned and authority.gss_code not in anchor_dates:
            left_out.append(LeftOut(authority.gss_code, authority.name, alignment.missing_reason))
            continue
        shown.append(authority)
        chosen[authority.gss_code] = series

    focus = next((a for a in shown if a.gss_code == focus_code), shown[0] if shown else None)
    points: list[dict] = []
    for order, authority in enumerate(shown):
        anchor = anchor_dates.get(authority.gss_code)
        for row in chosen[authority.gss_code]:
            points.append(
                {
                    "series": names[authority.gss_code],
                    "code": authority.gss_code,
                    "order": order,
                    "role": "focus" if authority == focus else "other",
                    "source": row["source"],
                    "period_kind": row["period_kind"],
                    "period_label": row["period_label"],
                    "period_end": row["period_end"],
                    "anchor": anchor.date if anchor else None,
                    "x": years_between(anchor.date, row["period_end"])
                    if anchor
                    else row["period_end"],
                    "value": row["value"],
                    "symbol": row["symbol"],
                    "observation_id": row["id"],
                }
            )

    used = {(point["source"], point["period_kind"]) for point in points}
    sources = sorted({source for source, _ in used}, key=lambda s: SOURCE_PRIORITY[Source(s)])
    if not alignment.aligned and frequency != REPORT:
        england_sources = [s for s in sources if s in COMPARED_SOURCES]
        for row in england:
            if (row["source"], row["period_kind"]) not in used:
                continue
            name = ENGLAND_NAME
            if len(england_sources) > 1:
                name = f"{ENGLAND_NAME} ({SOURCE_WORDS[Source(row['source'])]})"
            points.append(
                {
                    "series": name,
                    "code": ENGLAND_CODE,
                    "order": len(shown) + england_sources.index(row["source"]),
                    "role": "england",
                    "source": row["source"],
                    "period_kind": row["period_kind"],
                    "period_label": row["period_label"],
                    "period_end": row["period_end"],
                    "anchor": None,
                    "x": row["period_end"],
                    "value": row["value"],
                    "symbol": row["symbol"],
                    "observation_id": row["id"],
                }
            )
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


# --- the league table -------------------------------------------------------------------------


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

    At most five queries whatever the number of authorities: periods, figures, authorities with
    their latest judgement, all authorities' names, and the highlighted authority's neighbours.
    """
    highlight = highlight.strip().upper()
    all_periods = league_periods(indicator)
    sources = sorted(
        {p.source for p in all_periods}, key=lambda s: SOURCE_PRIORITY.get(Source(s), 9)
    )
    if source not in sources:
        source = sources[0] if sources else Source.OFFICIAL
    periods = [p for p in all_periods if p.source == source]
    period = _choose_period(periods, period_label)
    if sort not in SORTS:
        sort, default_order = default_sort(indicator)
        order = order if order in (ASC, DESC) else default_order
    elif order not in (ASC, DESC):
        order = ASC
    if period is None:
        return League(indicator, source, sources, None, None, [], [], 0, 0, sort, order, None)

    same_kind = [p for p in periods if p.kind == period.kind and p.end < period.end]
    previous = same_kind[-1] if same_kind else None
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
        .values("id", "area_code", "period_start", "value", "symbol")
    )
    current: dict[str, Row] = {}
    before: dict[str, float | None] = {}
    figure: Row
    for figure in figures:
        if figure["period_start"] == period.start:
            current[figure["area_code"]] = figure
        else:
            before[figure["area_code"]] = figure["value"]

    values = [row["value"] for row in current.values() if row["value"] is not None]
    cut = statistics.quartiles(values)
    has_polarity = indicator.polarity != Polarity.NEITHER

    latest = Inspection.objects.graded().filter(authority=OuterRef("pk")).order_by("-start_date")
    authorities: Any = (
        Authority.objects.filter(gss_code__in=list(current))
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

    highlighted: tuple[str, str] | None = None
    neighbours: set[str] = set()
    if highlight:
        subject = Authority.objects.filter(gss_code=highlight).values_list("gss_code", "name")
        found = list(subject)
        if found:
            highlighted = found[0]
            neighbours = set(_newest_neighbours([highlight]).get(highlight, []))

    rows = []
    for authority in authorities:
        row = current[authority.gss_code]
        value = row["value"]
        league_row = LeagueRow(
            code=authority.gss_code,
            name=authority.name,
            region=authority.region.name if authority.region else "",
            kind=str(kind_for_gss_code(authority.gss_code).label),
            is_demo=authority.is_demo,
            value=value,
            symbol=row["symbol"],
            observation_id=row["id"],
            grade=authority.latest_grade or "",  # type: ignore[attr-defined]
            grade_date=authority.latest_grade_date,  # type: ignore[attr-defined]
            grade_framework=authority.latest_framework or "",  # type: ignore[attr-defined]
        )
        if value is not None and has_polarity:
            league_row.rank = statistics.rank(value, values, indicator.polarity)
            if cut is not None:
                league_row.band = statistics.band(value, cut, indicator.polarity)
        league_row.previous = before.get(authority.gss_code)
        if value is not None and league_row.previous is not None:
            league_row.change = round(value - league_row.previous, 10)
            league_row.direction = judge_direction(league_row.change, indicator.polarity)
        if highlighted and authority.gss_code in neighbours:
            league_row.neighbour_of = highlighted[1]
        league_row.is_highlighted = bool(highlighted) and authority.gss_code == highlight
        rows.append(league_row)

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


# --- recovery after an Inadequate judgement ---------------------------------------------------

RECOVERED, STILL_INADEQUATE, CEASED = "recovered", "still_inadequate", "ceased"


@dataclass
class Spell:
    """From an Inadequate judgement (the first of a run of them) to the next better one."""

    anchor: str  # the page anchor of this spell's row
    code: str
    name: str
    is_demo: bool
    framework: str
    judged: datetime.date
    kind: str
    recovered_on: datetime.date | None = None
    recovered_grade: str = ""
    recovered_framework: str = ""
    status: str = STILL_INADEQUATE
    years: float | None = None

    @property
    def recovered_grade_label(self) -> str:
        return grade_words(self.recovered_grade) if self.recovered_grade else ""


@dataclass
class FrameworkSummary:
    framework: str
    label: str
    spells: list[Spell]

    @property
    def anchor(self) -> str:
        return f"framework-{self.framework.lower()}"

    @property
    def recovered(self) -> list[Spell]:
        return [spell for spell in self.spells if spell.status == RECOVERED]

    @property
    def still_inadequate(self) -> list[Spell]:
        return [spell for spell in self.spells if spell.status == STILL_INADEQUATE]

    @property
    def ceased(self) -> list[Spell]:
        return [spell for spell in self.spells if spell.status == CEASED]

    @property
    def median_years(self) -> float | None:
        years = [spell.years for spell in self.recovered if spell.years is not None]
        return stdlib_statistics.median(years) if years else None

    @property
    def median_spell(self) -> Spell | None:
        """The spell at the median, when there is one (an odd number recovered)."""
        ordered = sorted(self.recovered, key=lambda spell: spell.years or 0)
        return ordered[len(ordered) // 2] if len(ordered) % 2 == 1 else None

    @property
    def fastest(self) -> Spell | None:
        return min(self.recovered, key=lambda spell: spell.years or 0, default=None)

    @property
    def slowest(self) -> Spell | None:
        return max(self.recovered, key=lambda spell: spell.years or 0, default=None)

    @property
    def authority_codes(self) -> list[str]:
        return _dedupe(spell.code for spell in self.spells)


@dataclass
class Recovery:
    source: str  # official (published inspections) or demo (simulated ones)
    sources: list[str]
    spells: list[Spell]
    frameworks: list[FrameworkSummary]
    overall: FrameworkSummary

    @property
    def authorities(self) -> list[tuple[str, str]]:
        return list(dict.fromkeys((spell.code, spell.name) for spell in self.spells))

    @property
    def still_inadequate(self) -> list[Spell]:
        return self.overall.still_inadequate

    @property
    def shows_demo_data(self) -> bool:
        return self.source == Source.DEMO


FRAMEWORK_ORDER = {code: index for index, code in enumerate(Framework.values)}


def recovery(source: str = "") -> Recovery:
    """Of the authorities ever judged Inadequate, how long until their next better judgement,
    by the framework of the Inadequate judgement; and which are still Inadequate. One query for
    the inspections (one more to learn whether simulated inspections exist).

    A spell starts with an Inadequate judgement that does not follow another; it ends at the
    next graded judgement with a better grade (``GRADE_ORDER``). A spell that has not ended is
    "still Inadequate", or "ceased" if the authority no longer exists.
    """
    kinds = set(Inspection.objects.graded().order_by().values_list("is_demo", flat=True).distinct())
    sources = [
        str(s) for s, demo in ((Source.OFFICIAL, False), (Source.DEMO, True)) if demo in kinds
    ]
    if source not in sources:
        source = sources[0] if sources else Source.OFFICIAL
    rows = (
        Inspection.objects.graded()
        .filter(is_demo=source == Source.DEMO)
        .order_by()
        .values(
            "id",
            "authority__gss_code",
            "authority__name",
            "authority__is_demo",
            "authority__active_to",
            "framework",
            "kind",
            "start_date",
            "end_date",
            "published_date",
            "overall_grade",
        )
    )
    by_authority: dict[str, list[Row]] = defaultdict(list)
    inspection: Row
    for inspection in rows:
        by_authority[inspection["authority__gss_code"]].append(inspection)

    inadequate = GRADE_ORDER[Grade.INADEQUATE]
    spells: list[Spell] = []
    for history in by_authority.values():
        history.sort(key=lambda row: (_judged(row), row["start_date"]))
        open_spell: Spell | None = None
        for row in history:
            order = grade_order(row["overall_grade"]) or 0
            if order == inadequate:
                if open_spell is None:
                    judged = _judged(row)
                    open_spell = Spell(
                        anchor=f"spell-{row['id']}",
                        code=row["authority__gss_code"],
                        name=row["authority__name"],
                        is_demo=row["authority__is_demo"],
                        framework=row["framework"],
                        judged=judged,
                        kind=row["kind"],
                        status=CEASED if row["authority__active_to"] else STILL_INADEQUATE,
                    )
                    spells.append(open_spell)
            elif open_spell is not None and order < inadequate:
                open_spell.recovered_on = _judged(row)
                open_spell.recovered_grade = row["overall_grade"]
                open_spell.recovered_framework = row["framework"]
                open_spell.status = RECOVERED
                open_spell.years = years_between(open_spell.judged, open_spell.recovered_on)
                open_spell = None
    spells.sort(key=lambda spell: (spell.judged, spell.name))
    grouped: dict[str, list[Spell]] = defaultdict(list)
    for spell in spells:
        grouped[spell.framework].append(spell)
    frameworks = [
        FrameworkSummary(code, _framework_label(code), grouped[code])
        for code in sorted(grouped, key=lambda c: FRAMEWORK_ORDER.get(c, 99))
    ]
    overall = FrameworkSummary("all", "All frameworks", spells)
    return Recovery(source, sources, spells, frameworks, overall)


def _framework_label(code: str) -> str:
    return str(Framework(code).label) if code in Framework.values else code
