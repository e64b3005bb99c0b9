"""Reads that assemble what pages show. Each function costs a fixed number of queries,
whatever the number of authorities or periods."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

import pandas as pd
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import Http404

from authorities.models import (
    ENGLAND_CODE,
    ENGLAND_NAME,
    Authority,
    Event,
    Inspection,
    Region,
    StatisticalNeighbour,
)
from indicators.models import (
    COMPARED_LIKE_WITH_LIKE,
    SOURCE_PRIORITY,
    AreaLevel,
    Indicator,
    Milestone,
    Observation,
    PeriodKind,
    Polarity,
    Source,
    Unit,
)

from . import statistics


def comparator_source(source: str, authority: Authority) -> Source | None:
    """The source an authority's figure from ``source`` is compared against, or None. A
    simulated authority's approved returns are simulated figures too: they are compared with
    the simulated figures of the other authorities, its region and England."""
    if source == Source.MONTHLY_RETURN and authority.is_demo:
        return Source.DEMO
    return Source(source) if source in COMPARED_LIKE_WITH_LIKE else None


@dataclass
class RegionGroup:
    name: str
    authorities: list[Authority] = field(default_factory=list)
    # Authorities met only in the founding reports have no region until official data is loaded.
    region_known: bool = True


UNKNOWN_REGION = "Region not loaded yet"


def authorities_by_region(search: str = "") -> list[RegionGroup]:
    """Active authorities grouped by region, each annotated with its latest graded inspection."""
    latest = Inspection.objects.graded().filter(authority=OuterRef("pk")).order_by("-start_date")
    authorities = (
        Authority.objects.active()
        .search(search)
        .select_related("region")
        .annotate(
            latest_grade=Subquery(latest.values("overall_grade")[:1]),
            latest_grade_date=Subquery(latest.values("start_date")[:1]),
            latest_framework=Subquery(latest.values("framework")[:1]),
        )
        .order_by("region__name", "name")
    )
    groups: dict[str, RegionGroup] = {}
    for authority in authorities:
        known = authority.region is not None
        region_name = authority.region.name if authority.region else UNKNOWN_REGION
        group = groups.setdefault(region_name, RegionGroup(region_name, region_known=known))
        group.authorities.append(authority)
    # The authorities without a region come last, whatever order the database sorts NULL in.
    return sorted(groups.values(), key=lambda group: not group.region_known)


def get_authority(gss_code: str, *, with_history: bool = False) -> Authority:
    """The authority; with its inspections, events and milestones read once, in three queries,
    when a page shows them in more than one place (the timeline and the chart)."""
    authorities = Authority.objects.select_related("region", "successor")
    if with_history:
        authorities = authorities.prefetch_related(
            Prefetch("inspections", queryset=Inspection.objects.order_by("-start_date")),
            Prefetch("events", queryset=Event.objects.order_by("-date")),
            Prefetch(
                "milestones",
                queryset=Milestone.objects.select_related("indicator").order_by(
                    "indicator__sort_order", "due_date"
                ),
            ),
        )
    try:
        return authorities.get(gss_code=gss_code)
    except Authority.DoesNotExist:
        raise Http404(f"No authority has the GSS code {gss_code}") from None


def neighbour_codes(authority: Authority) -> list[str]:
    """GSS codes of the authority's neighbours in the newest model, closest first. Read once per
    authority object: the headlines and the chart both need them."""
    cached = getattr(authority, "_neighbour_codes", None)
    if cached is not None:
        return cached
    codes = _neighbour_codes(authority)
    authority._neighbour_codes = codes  # type: ignore[attr-defined]
    return codes


def _neighbour_codes(authority: Authority) -> list[str]:
    rows = list(
        StatisticalNeighbour.objects.filter(authority=authority)
        .order_by("-model_year", "rank")
        .values_list("model_year", "neighbour__gss_code")
    )
    if not rows:
        return []
    newest = rows[0][0]
    return [code for year, code in rows if year == newest]


@dataclass
class Comparison:
    england: Observation | None = None
    region: Observation | None = None
    neighbours: float | None = None
    neighbours_count: int = 0
    standing: statistics.Standing | None = None


@dataclass
class MilestoneStatus:
    milestone: Milestone
    rag: str

    @property
    def words(self) -> str:
        return {"green": "On track", "amber": "Close to target", "red": "Off track"}[self.rag]


@dataclass
class Headline:
    """The latest figure for one indicator, how it moved, and how it compares."""

    indicator: Indicator
    latest: Observation
    previous: Observation | None
    change: float | None
    direction: str  # better, worse, same, up, down (no polarity) or "" (no comparison)
    comparison: Comparison = field(default_factory=Comparison)
    milestone: MilestoneStatus | None = None

    @property
    def direction_words(self) -> str:
        if self.previous is None or self.change is None:
            return "No earlier figure to compare with"
        moved = {
            "better": "Improved",
            "worse": "Worsened",
            "same": "No change",
            "up": "Rose",
            "down": "Fell",
        }[self.direction]
        return f"{moved} since {self.previous.period_label}"

    @property
    def arrow(self) -> str:
        if self.change is None:
            return ""
        if self.direction == "same":
            return "→"
        return "↑" if self.change > 0 else "↓"


def judge_direction(change: float, polarity: str) -> str:
    if change == 0:
        return "same"
    if polarity == Polarity.HIGHER_IS_BETTER:
        return "better" if change > 0 else "worse"
    if polarity == Polarity.LOWER_IS_BETTER:
        return "better" if change < 0 else "worse"
    return "up" if change > 0 else "down"


def _newest(rows: list[tuple]) -> tuple:
    return max(rows, key=lambda r: (r[4], -SOURCE_PRIORITY.get(Source(r[2]), 9)))


# Read as tuples in this order: id, indicator, source, period kind, period end.
SCAN_FIELDS = ("id", "indicator_id", "source", "period_kind", "period_end")


def authority_headlines(
    authority: Authority,
    *,
    neighbours_method: str = statistics.MEAN,
    today: datetime.date | None = None,
) -> list[Headline]:
    """The latest figure of every indicator with data for the authority, with its comparators.

    Six queries whatever the number of authorities, indicators or periods: a scan of the
    authority's periods, the figures shown, the cross-sections of their periods, neighbours,
    and milestones. The scan reads plain values, not model instances: an authority can have
    thousands of monthly figures and the page shows two of each indicator.
    """
    scan = (
        Observation.objects.filter(area_code=authority.gss_code)
        .order_by("period_end")
        .values_list(*SCAN_FIELDS)
    )
    by_indicator: dict[int, list[tuple]] = defaultdict(list)
    for row in scan:
        by_indicator[row[1]].append(row)

    pairs: list[tuple[int, int | None]] = []
    for series in by_indicator.values():
        newest = _newest(series)
        same = [
            r
            for r in series
            if r[2] == newest[2] and r[3] == newest[3]  # same source and period kind
        ]
        pairs.append((same[-1][0], same[-2][0] if len(same) > 1 else None))
    wanted_ids = [pk for pair in pairs for pk in pair if pk is not None]
    shown = Observation.objects.select_related("indicator").in_bulk(wanted_ids)

    headlines = []
    for latest_id, previous_id in pairs:
        latest = shown[latest_id]
        previous = shown[previous_id] if previous_id else None
        change = None
        direction = ""
        if previous is not None and latest.value is not None and previous.value is not None:
            # Judge the change as the page writes it: one that rounds to nothing is no change.
            change = round(latest.value - previous.value, latest.indicator.decimals)
            direction = judge_direction(change, latest.indicator.polarity)
        headlines.append(Headline(latest.indicator, latest, previous, change, direction))
    headlines.sort(key=lambda h: (h.indicator.sort_order, h.indicator.code))

    _add_comparisons(authority, headlines, neighbours_method)
    _add_milestones(authority, headlines, today or datetime.date.today())
    return headlines


CROSS_SECTION_FIELDS = (
    "id",
    "indicator_id",
    "area_code",
    "area_level",
    "period_kind",
    "period_start",
    "period_label",
    "value",
    "symbol",
    "source",
)


def _add_comparisons(authority: Authority, headlines: list[Headline], method: str) -> None:
    """Neighbours, region, England, band and rank for each headline's period: one query of
    plain values (every authority's figure for each period), light objects for what is shown."""
    against = {
        h.latest.pk: source
        for h in headlines
        if (source := comparator_source(h.latest.source, authority)) is not None
    }
    wanted = [h for h in headlines if h.latest.pk in against]
    if not wanted:
        return
    # Every authority's figure for each headline's period: one OR branch per end date (two or
    # three, not one per indicator), each served by the (indicator, period_end) index. The few
    # rows of another period kind or start that share an end date are dropped below.
    keys = {
        (h.latest.indicator_id, h.latest.period_kind, h.latest.period_start, against[h.latest.pk])
        for h in wanted
    }
    by_end: dict[tuple, set[int]] = defaultdict(set)
    for h in wanted:
        by_end[(h.latest.period_end, against[h.latest.pk])].add(h.latest.indicator_id)
    condition = Q()
    for (period_end, source), indicator_ids in by_end.items():
        condition |= Q(period_end=period_end, source=source, indicator_id__in=indicator_ids)
    query = (
        Observation.objects.filter(condition)
        .order_by()  # the model's default ordering would join the indicator table
        .values_list(*CROSS_SECTION_FIELDS)  # tuples: thousands of rows, most used for a number
    )
    rows: dict[tuple, list[tuple]] = defaultdict(list)
    for row in query:
        # (indicator, period kind, period start, source) as in CROSS_SECTION_FIELDS' order
        if (row[1], row[4], row[5], row[9]) in keys:
            rows[(row[1], row[4], row[5])].append(row)
    neighbours = set(neighbour_codes(authority))
    region_code = authority.region.code if authority.region else None
    for headline in wanted:
        latest = headline.latest
        comparison = Comparison()
        authority_values = []
        neighbour_values = []
        peers = rows[(latest.indicator_id, latest.period_kind, latest.period_start)]
        if against[latest.pk] != latest.source and latest.value is not None:
            # Its own figure is not among those it is compared with: rank it among them.
            authority_values.append(latest.value)
        for peer in peers:
            area_code, area_level, value = peer[2], peer[3], peer[7]
            if area_code == ENGLAND_CODE:
                comparison.england = _shown(peer, headline.indicator)
            elif area_level == AreaLevel.REGIONAL and area_code == region_code:
                comparison.region = _shown(peer, headline.indicator)
            elif area_level == AreaLevel.AUTHORITY and value is not None:
                authority_values.append(value)
                if area_code in neighbours:
                    neighbour_values.append(value)
        comparison.neighbours = statistics.neighbour_average(neighbour_values, method)
        comparison.neighbours_count = len(neighbour_values)
        if latest.value is not None:
            comparison.standing = statistics.standing(
                latest.value, authority_values, latest.indicator.polarity
            )
        headline.comparison = comparison


def _shown(row: tuple, indicator: Indicator) -> Observation:
    """An unsaved Observation carrying what the page shows of a comparator and its pk."""
    return Observation(indicator=indicator, **dict(zip(CROSS_SECTION_FIELDS, row, strict=True)))


def _add_milestones(authority: Authority, headlines: list[Headline], today: datetime.date) -> None:
    upcoming: dict[int, Milestone] = {}
    for milestone in sorted(authority.milestones.all(), key=lambda m: m.due_date):
        if milestone.due_date >= today:
            upcoming.setdefault(milestone.indicator_id, milestone)
    for headline in headlines:
        next_due = upcoming.get(headline.indicator.pk)
        if next_due is None or headline.latest.value is None:
            continue
        rag = statistics.rag(
            headline.latest.value, next_due.value, next_due.tolerance, headline.indicator.polarity
        )
        headline.milestone = MilestoneStatus(next_due, rag)


# These read through .all(), so an authority from get_authority(..., with_history=True) costs
# no further query; sorting here keeps the order whether or not it was prefetched.


def authority_inspections(authority: Authority) -> list[Inspection]:
    return sorted(authority.inspections.all(), key=lambda i: i.start_date, reverse=True)


def authority_events(authority: Authority) -> list[Event]:
    return sorted(authority.events.all(), key=lambda e: e.date, reverse=True)


def authority_milestones(authority: Authority) -> list[Milestone]:
    return sorted(authority.milestones.all(), key=lambda m: (m.indicator.sort_order, m.due_date))


def regions() -> list[Region]:
    return list(Region.objects.order_by("name"))


def get_observation(pk: int) -> Observation:
    try:
        return Observation.objects.select_related("indicator").get(pk=pk)
    except Observation.DoesNotExist:
        raise Http404("No such figure") from None


def area_name(code: str) -> str:
    """The name of an area (England, a region or an authority) from its GSS code."""
    if code == ENGLAND_CODE:
        return ENGLAND_NAME
    region = Region.objects.filter(code=code).values_list("name", flat=True).first()
    if region:
        return region
    authority = Authority.objects.filter(gss_code=code).values_list("name", flat=True).first()
    return authority or code


# --- the trajectory chart -------------------------------------------------------------------

POINT_COLUMNS = [
    "series",
    "role",
    "source",
    "period_kind",
    "period_label",
    "period_end",
    "value",
    "symbol",
    "observation_id",
    "note",
]

SOURCE_WORDS = {
    Source.OFFICIAL: "official statistics",
    Source.MONTHLY_RETURN: "monthly return",
    Source.REPORT: "report evidence",
    Source.DEMO: "simulated",
}


def _frequency_words(period_kind: str) -> str:
    return "monthly" if period_kind == PeriodKind.MONTH else "annual"


@dataclass
class Trajectory:
    """Everything the trajectory chart draws, as plain DataFrames for the pure chart builder."""

    authority: Authority
    indicator: Indicator
    points: pd.DataFrame
    inspections: pd.DataFrame
    events: pd.DataFrame
    milestones: pd.DataFrame
    neighbours_method: str
    neighbours_total: int
    first_year: int | None
    last_year: int | None
    available_years: list[int]
    # Counts are not drawn against England's and the region's totals: summed over many
    # authorities, they would flatten the authority's own line to the axis.
    totals_left_out: bool = False


def _series_name(authority: Authority, source: str, period_kind: str) -> str:
    if source == Source.REPORT:
        return f"{authority.name} (report evidence)"
    return f"{authority.name} ({_frequency_words(period_kind)}, {SOURCE_WORDS[Source(source)]})"


def trajectory(
    authority: Authority,
    indicator: Indicator,
    *,
    neighbours_method: str = statistics.MEAN,
    first_year: int | None = None,
    last_year: int | None = None,
) -> Trajectory:
    """The authority's series for one indicator with its comparators, inspections, events and
    milestones. Five queries, whatever the number of periods or authorities."""
    neighbours = neighbour_codes(authority)
    totals_left_out = indicator.unit == Unit.COUNT
    region_code = authority.region.code if authority.region and not totals_left_out else ""
    areas = neighbours if totals_left_out else [ENGLAND_CODE, *neighbours]
    fields = (
        "id",
        "area_code",
        "area_level",
        "source",
        "period_kind",
        "period_start",
        "period_end",
        "period_label",
        "value",
        "symbol",
    )
    own = list(
        Observation.objects.filter(indicator=indicator, area_code=authority.gss_code)
        .order_by("period_end")
        .values(*fields, "quote")
    )
    available_years = sorted({row["period_end"].year for row in own})
    own = [row for row in own if _within(row["period_end"], first_year, last_year)]

    # Comparators are drawn for the authority's annual series where it has one, else monthly;
    # only those are read (neighbours' monthly figures would be most of the rows otherwise).
    comparable = [row for row in own if comparator_source(row["source"], authority) is not None]
    annual = [row for row in comparable if row["period_kind"] != PeriodKind.MONTH]
    basis = annual or comparable
    comparator_keys = {(comparator_source(r["source"], authority), r["period_kind"]) for r in basis}
    rows: list[dict] = []
    if comparator_keys:
        kinds = Q()
        for source, period_kind in comparator_keys:
            kinds |= Q(source=source, period_kind=period_kind)
        others = Observation.objects.filter(
            kinds,
            indicator=indicator,
            area_code__in=areas + ([region_code] if region_code else []),
        )
        if first_year is not None:
            others = others.filter(period_end__gte=datetime.date(first_year, 1, 1))
        if last_year is not None:
            others = others.filter(period_end__lte=datetime.date(last_year, 12, 31))
        rows = list(others.order_by("period_end").values(*fields))

    points: list[dict] = []
    for row in own:
        points.append(
            {
                "series": _series_name(authority, row["source"], row["period_kind"]),
                "role": "report" if row["source"] == Source.REPORT else "authority",
                "source": row["source"],
                "period_kind": row["period_kind"],
                "period_label": row["period_label"],
                "period_end": row["period_end"],
                "value": row["value"],
                "symbol": row["symbol"],
                "observation_id": row["id"],
                "note": row["quote"],
            }
        )

    neighbour_set = set(neighbours)
    neighbour_values: dict[tuple, list[float]] = defaultdict(list)
    neighbour_periods: dict[tuple, object] = {}
    region_name = authority.region.name if authority.region else ""
    for row in rows:
        if (row["source"], row["period_kind"]) not in comparator_keys:
            continue
        if row["area_code"] == ENGLAND_CODE or (
            row["area_code"] == region_code and row["area_level"] == AreaLevel.REGIONAL
        ):
            points.append(
                {
                    "series": ENGLAND_NAME if row["area_code"] == ENGLAND_CODE else region_name,
                    "role": "england" if row["area_code"] == ENGLAND_CODE else "region",
                    "source": row["source"],
                    "period_kind": row["period_kind"],
                    "period_label": row["period_label"],
                    "period_end": row["period_end"],
                    "value": row["value"],
                    "symbol": row["symbol"],
                    "observation_id": row["id"],
                    "note": "",
                }
            )
        elif row["area_code"] in neighbour_set:
            key = (row["source"], row["period_kind"], row["period_end"], row["period_label"])
            neighbour_periods[key] = row
            if row["value"] is not None:
                neighbour_values[key].append(row["value"])
    method_words = "median" if neighbours_method == statistics.MEDIAN else "mean"
    for key in sorted(neighbour_periods, key=lambda k: k[2]):
        source, period_kind, period_end, period_label = key
        values = neighbour_values.get(key, [])
        average = statistics.neighbour_average(values, neighbours_method)
        points.append(
            {
                "series": f"Statistical neighbours ({method_words})",
                "role": "neighbours",
                "source": source,
                "period_kind": period_kind,
                "period_label": period_label,
                "period_end": period_end,
                "value": average,
                "symbol": "" if average is not None else "x",
                "observation_id": None,
                "note": f"{method_words.capitalize()} of {len(values)} of {len(neighbours)}"
                " neighbours",
            }
        )

    inspections = pd.DataFrame(
        [
            {
                "date": i.published_date or i.end_date or i.start_date,
                "start_date": i.start_date,
                "framework": i.framework,
                "kind": i.get_kind_display(),
                "grade": i.get_overall_grade_display(),
            }
            for i in sorted(authority.inspections.all(), key=lambda i: i.start_date)
            if i.overall_grade and _within(i.start_date, first_year, last_year)
        ],
        columns=["date", "start_date", "framework", "kind", "grade"],
    )
    events = pd.DataFrame(
        [
            {"date": e.date, "category": e.get_category_display(), "description": e.description}
            for e in sorted(authority.events.all(), key=lambda e: e.date)
            if e.category != "inspection" and _within(e.date, first_year, last_year)
        ],
        columns=["date", "category", "description"],
    )
    milestones = pd.DataFrame(
        [
            {"due_date": m.due_date, "value": m.value, "note": m.note}
            for m in sorted(authority.milestones.all(), key=lambda m: m.due_date)
            if m.indicator_id == indicator.pk and _within(m.due_date, first_year, last_year)
        ],
        columns=["due_date", "value", "note"],
    )
    frame = pd.DataFrame(points, columns=POINT_COLUMNS)
    return Trajectory(
        authority=authority,
        indicator=indicator,
        points=frame,
        inspections=inspections,
        events=events,
        milestones=milestones,
        neighbours_method=neighbours_method,
        neighbours_total=len(neighbours),
        first_year=first_year,
        last_year=last_year,
        available_years=available_years,
        totals_left_out=totals_left_out,
    )


def _within(date: datetime.date, first_year: int | None, last_year: int | None) -> bool:
    return (first_year is None or date.year >= first_year) and (
        last_year is None or date.year <= last_year
    )


def indicators_with_data(authority: Authority) -> list[Indicator]:
    """Indicators the authority has any figure for, in catalogue order."""
    codes = Observation.objects.filter(area_code=authority.gss_code).values("indicator_id")
    return list(Indicator.objects.filter(pk__in=codes))


# --- report evidence ------------------------------------------------------------------------


@dataclass
class DocumentEvidence:
    document: object
    figures: list = field(default_factory=list)
    events: list = field(default_factory=list)


def authority_evidence(authority: Authority) -> list[DocumentEvidence]:
    """The authority's report figures and events, grouped by the document they were read from.

    Three queries, whatever the number of documents or figures.
    """
    from indicators.models import Document, Evidence

    figures = (
        Evidence.objects.filter(authority=authority)
        .select_related("document", "indicator", "observation")
        .order_by("document__published_date", "document__file_name", "period_start", "pk")
    )
    groups: dict[str, DocumentEvidence] = {}
    for figure in figures:
        group = groups.setdefault(figure.document.file_name, DocumentEvidence(figure.document))
        group.figures.append(figure)
    events = authority.events.exclude(document="").order_by("date")
    documents = {d.file_name: d for d in Document.objects.filter(authority=authority)}
    for event in events:
        document = documents.get(event.document)
        key = event.document
        if key not in groups:
            groups[key] = DocumentEvidence(document or event.document)
        groups[key].events.append(event)
    return list(groups.values())
