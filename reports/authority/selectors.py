"""Reads for an authority's page: its headline figures with their comparators and milestones,
its inspections, events and milestones, and the evidence read out of its reports. Each costs a
fixed number of queries, whatever the number of authorities or periods."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from authorities import dates
from authorities.models import ENGLAND_CODE, Authority, Event, Inspection
from indicators.milestones.models import Milestone
from indicators.models import AreaLevel, Document, Evidence, Indicator, Observation
from indicators.official.ees_mapping import REORGANISATIONS

from .. import bands
from ..selectors import judge_direction, neighbour_codes
from ..sources import comparator_source, source_rank


@dataclass
class Comparison:
    england: Observation | None = None
    region: Observation | None = None
    neighbours: float | None = None
    neighbours_count: int = 0
    standing: bands.Standing | None = None


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


def _newest(rows: list[tuple]) -> tuple:
    return max(rows, key=lambda r: (r[4], -source_rank(r[2])))


# Read as tuples in this order: id, indicator, source, period kind, period end, symbol.
SCAN_FIELDS = ("id", "indicator_id", "source", "period_kind", "period_end", "symbol")


def _until_ceased(series: list[tuple], authority: Authority) -> list[tuple]:
    """A ceased authority's series without the symbols ("not applicable", "not available")
    published for it after it ceased, so it headlines its last real figure, with its year."""
    if authority.active_to is None:
        return series
    real = [r for r in series if not (r[5] and r[4] > authority.active_to)]
    return real or series


def reorganisation(authority: Authority) -> tuple[list[Authority], list[Authority]]:
    """(successors, predecessors) of an authority through local government reorganisation:
    every successor of a split, and every authority a successor was formed from. One query."""
    successors = {
        code
        for change in REORGANISATIONS
        if change.predecessor == authority.gss_code
        for code in change.successors
    }
    if authority.successor_id and authority.successor is not None:
        successors.add(authority.successor.gss_code)
    predecessors = {
        change.predecessor for change in REORGANISATIONS if authority.gss_code in change.successors
    }
    found = {
        a.gss_code: a
        for a in Authority.objects.filter(gss_code__in=successors | predecessors)
        .exclude(pk=authority.pk)
        .order_by("name")
    }
    return (
        [a for code, a in found.items() if code in successors],
        [a for code, a in found.items() if code in predecessors],
    )


def authority_headlines(
    authority: Authority,
    *,
    neighbours_method: str = bands.MEAN,
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
        series = _until_ceased(series, authority)
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
    add_milestones(authority, headlines, today or datetime.date.today())
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
    "base_symbol",
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
        own = bands.ranked_value(latest.value, latest.symbol, latest.base_symbol)
        if against[latest.pk] != latest.source and own is not None:
            # Its own figure is not among those it is compared with: rank it among them.
            authority_values.append(own)
        for peer in peers:
            area_code, area_level = peer[2], peer[3]
            value = bands.ranked_value(peer[7], peer[8], peer[10])
            if area_code == ENGLAND_CODE:
                comparison.england = _shown(peer, headline.indicator)
            elif area_level == AreaLevel.REGIONAL and area_code == region_code:
                comparison.region = _shown(peer, headline.indicator)
            elif area_level == AreaLevel.AUTHORITY and value is not None:
                authority_values.append(value)
                if area_code in neighbours:
                    neighbour_values.append(value)
        comparison.neighbours = bands.neighbour_average(neighbour_values, method)
        comparison.neighbours_count = len(neighbour_values)
        if own is not None:
            comparison.standing = bands.standing(own, authority_values, latest.indicator.polarity)
        headline.comparison = comparison


def _shown(row: tuple, indicator: Indicator) -> Observation:
    """An unsaved Observation carrying what the page shows of a comparator and its pk."""
    return Observation(indicator=indicator, **dict(zip(CROSS_SECTION_FIELDS, row, strict=True)))


def add_milestones(authority: Authority, headlines: list[Headline], today: datetime.date) -> None:
    upcoming: dict[int, Milestone] = {}
    plan = dates.plan_dates(today)
    for milestone in sorted(authority.milestones.all(), key=lambda m: m.due_date):
        if milestone.due_date >= today and milestone.due_date in plan:
            upcoming.setdefault(milestone.indicator_id, milestone)
    for headline in headlines:
        next_due = upcoming.get(headline.indicator.pk)
        if next_due is None or headline.latest.value is None:
            continue
        rag = bands.rag(
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
