"""What needs attention, authority by authority: the flags the watchlist lists for every
authority and the authority page opens with for one.

A flag is raised for:

- a headline measure off track against its next milestone (amber or red), judged as the
  authority page judges it (``reports.selectors``: the latest figure against the next
  milestone due, with its tolerance);
- a headline measure worse on its latest period than on the one before, by polarity, as the
  authority page words it (the change rounded to the figure's decimals);
- a headline measure that moved into band D: band D (the worst quarter of authorities) for the
  latest period and a known band other than D for the period before;
- overdue improvement-plan actions (past their due date and not done);
- overdue monthly returns, only for an authority that sends them (``returns_selectors.tracker``:
  from the month of its first return).

Beside them, the latest graded Ofsted judgement and how long ago it was published. Plan
actions and returns are private: they are looked at only for authorities whose private
business the person may see.

Every function costs a fixed number of queries, whatever the number of authorities.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db import connection
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from authorities.dates import long_date
from authorities.models import (
    GRADE_ORDER,
    Action,
    Authority,
    Grade,
    Inspection,
    Region,
    national_actions,
)
from authorities.toolkit.months import month_index
from indicators.milestones import selectors as plan_selectors
from indicators.milestones.models import Milestone
from indicators.models import AreaLevel, Indicator, Observation, Polarity
from indicators.returns import selectors as returns_selectors
from reports import bands as statistics
from reports import selectors, sources
from reports.authority import selectors as authority_selectors
from reports.formatting import format_value, lower_first

MILESTONE, WORSE, BAND_D, PLAN, RETURNS = "milestone", "worse", "band_d", "plan", "returns"
FLAG_KINDS = {
    MILESTONE: "Off track against a milestone",
    WORSE: "Worse on the latest period",
    BAND_D: "Moved into band D",
    PLAN: "Overdue plan actions",
    RETURNS: "Overdue monthly returns",
}
PRIVATE_KINDS = frozenset({PLAN, RETURNS})
ANY_FLAG = "any"
NO_JUDGEMENT = "none"

SORT_FLAGS, SORT_NAME, SORT_JUDGEMENT, SORT_JUDGED = "flags", "name", "judgement", "judged"
SORTS = {
    SORT_FLAGS: "Most flags first",
    SORT_NAME: "Name",
    SORT_JUDGEMENT: "Worst Ofsted judgement first",
    SORT_JUDGED: "Longest since the judgement first",
}


@dataclass(frozen=True)
class Flag:
    """One thing that needs attention, with words that stand without colour and a link to
    the evidence behind it."""

    kind: str
    subject: str  # what it is about: a measure, "3 actions", "2 months"
    detail: str
    url: str
    tag_class: str = "govuk-tag--red"

    @property
    def label(self) -> str:
        return FLAG_KINDS[self.kind]


@dataclass(frozen=True)
class Judgement:
    grade: str
    framework: str
    date: datetime.date
    today: datetime.date

    @property
    def label(self) -> str:
        return str(Grade(self.grade).label) if self.grade in Grade.values else self.grade

    @property
    def order(self) -> int:
        return GRADE_ORDER.get(Grade(self.grade), 0) if self.grade in Grade.values else 0

    @property
    def ago(self) -> str:
        """How long ago it was published, in words: "2 years, 3 months"."""
        if self.date >= self.today:
            return "this month"
        return f"{timesince(self.date, self.today, depth=2)} ago".replace("\xa0", " ")

    @property
    def months(self) -> int:
        """Whole months since it was published."""
        months = month_index(self.today) - month_index(self.date)
        return max(0, months - (1 if self.today.day < self.date.day else 0))


@dataclass
class AuthorityFlags:
    authority: Authority
    flags: list[Flag] = field(default_factory=list)
    judgement: Judgement | None = None
    # Whether plan actions and returns were looked at (the person may see the authority's
    # private business); without it, their absence says nothing.
    sees_private: bool = False
    sends_returns: bool = False

    def of(self, kind: str) -> list[Flag]:
        return [flag for flag in self.flags if flag.kind == kind]

    @property
    def kinds(self) -> set[str]:
        return {flag.kind for flag in self.flags}

    @property
    def region_name(self) -> str:
        return self.authority.region.name if self.authority.region else ""


# --- the headline measures of many authorities at once -----------------------------------

HEADLINE_FIELDS = (
    "id",
    "indicator_id",
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


def _latest_two(codes: list[str]) -> dict[str, dict[int, list[dict[str, Any]]]]:
    """For each authority and indicator, the two newest figures of every source and kind of
    period (``position`` 1 and 2): one query, a handful of rows each.

    Written in SQL because the ORM cannot select from a grouped subquery: the series are
    listed first (one pass over the figures), then each series' two newest figures are
    found through the (indicator, area, period end) index. A window over every figure would
    sort all of them, which at national scale (450,000 figures) spills to disk."""
    if not codes:
        return {}
    quote = connection.ops.quote_name
    table = quote(Observation._meta.db_table)
    fields = {field.attname: field for field in Observation._meta.concrete_fields}
    column = {name: quote(str(fields[name].column)) for name in HEADLINE_FIELDS}
    area, indicator_id = column["area_code"], column["indicator_id"]
    source, kind, end, pk = (
        column["source"],
        column["period_kind"],
        column["period_end"],
        column["id"],
    )
    newest = (
        f"SELECT o.{pk} FROM {table} o WHERE o.{area} = s.{area} "
        f"AND o.{indicator_id} = s.{indicator_id} AND o.{source} = s.{source} "
        f"AND o.{kind} = s.{kind} ORDER BY o.{end} DESC, o.{pk} DESC LIMIT 1"
    )
    placeholders = ", ".join(["%s"] * len(codes))
    selected = ", ".join(f"o.{column[name]}" for name in HEADLINE_FIELDS)
    sql = (
        f"WITH series AS (SELECT DISTINCT {area}, {indicator_id}, {source}, {kind} "
        f"FROM {table} WHERE {area} IN ({placeholders})), "
        f"ends AS (SELECT ({newest}) AS latest, ({newest} OFFSET 1) AS previous FROM series s) "
        f"SELECT CASE WHEN o.{pk} = ends.latest THEN 1 ELSE 2 END, {selected} "
        f"FROM ends JOIN {table} o ON o.{pk} IN (ends.latest, ends.previous)"
    )
    found: dict[str, dict[int, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    with connection.cursor() as cursor:
        cursor.execute(sql, codes)
        for position, *values in cursor.fetchall():
            row = dict(zip(HEADLINE_FIELDS, values, strict=True))
            row["position"] = position
            found[row["area_code"]][row["indicator_id"]].append(row)
    return found


def _observation(row: dict[str, Any], indicator: Indicator) -> Observation:
    """An unsaved Observation carrying what the flags show of a figure and its pk."""
    fields = {name: row[name] for name in HEADLINE_FIELDS if name != "indicator_id"}
    return Observation(indicator=indicator, **fields)


def _headlines(
    rows: dict[int, list[dict[str, Any]]], indicators: dict[int, Indicator]
) -> list[authority_selectors.Headline]:
    """The authority's headline per indicator, chosen as ``selectors.authority_headlines``
    chooses it: the newest figure (ties to the more authoritative source), and the figure
    before it from the same source and kind of period."""
    headlines = []
    for indicator_id, series in rows.items():
        indicator = indicators[indicator_id]
        groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for row in series:
            groups[(row["source"], row["period_kind"])].append(row)
        newest = max(
            (sorted(group, key=lambda r: r["position"]) for group in groups.values()),
            key=lambda group: (
                group[0]["period_end"],
                -sources.SOURCE_PRIORITY.get(group[0]["source"], 9),
            ),
        )
        latest = _observation(newest[0], indicator)
        previous = _observation(newest[1], indicator) if len(newest) > 1 else None
        change = None
        direction = ""
        if previous is not None and latest.value is not None and previous.value is not None:
            change = round(latest.value - previous.value, indicator.decimals)
            direction = selectors.judge_direction(change, indicator.polarity)
        headlines.append(
            authority_selectors.Headline(indicator, latest, previous, change, direction)
        )
    headlines.sort(key=lambda h: (h.indicator.sort_order, h.indicator.code))
    return headlines


PeriodKey = tuple[int, str, datetime.date, str]  # indicator, period kind, period start, source


def _cross_sections(wanted: list[tuple[Observation, str]]) -> CrossSections:
    """Every authority's value for each (figure, comparator source) period: one query, one OR
    branch per period end and source (a few, not one per authority)."""
    if not wanted:
        return CrossSections({})
    by_end: dict[tuple[datetime.date, str], set[int]] = defaultdict(set)
    keys: set[PeriodKey] = set()
    for observation, source in wanted:
        by_end[(observation.period_end, source)].add(observation.indicator_id)
        keys.add(
            (observation.indicator_id, observation.period_kind, observation.period_start, source)
        )
    condition = Q()
    for (period_end, source), indicator_ids in by_end.items():
        condition |= Q(period_end=period_end, source=source, indicator_id__in=indicator_ids)
    rows = (
        Observation.objects.filter(
            condition,
            Q(value__isnull=False) | Q(symbol__in=statistics.LOW_SYMBOLS),
            area_level=AreaLevel.AUTHORITY,
        )
        .order_by()
        .values_list(
            "indicator_id",
            "period_kind",
            "period_start",
            "source",
            "value",
            "symbol",
            "base_symbol",
        )
    )
    found: dict[PeriodKey, list[float]] = defaultdict(list)
    for indicator_id, period_kind, period_start, source, value, symbol, base in rows:
        key = (indicator_id, period_kind, period_start, source)
        ranked = statistics.ranked_value(value, symbol, base)  # LAIT's rule, as the league
        if key in keys and ranked is not None:
            found[key].append(ranked)
    return CrossSections(found)


@dataclass
class CrossSections:
    """All authorities' values for each period the flags look at, and their quartiles (worked
    out once per period, not once per authority)."""

    values: dict[PeriodKey, list[float]]
    cuts: dict[PeriodKey, statistics.Quartiles | None] = field(default_factory=dict)

    def band(self, observation: Observation | None, source: str) -> str:
        """The figure's quartile band among all authorities' figures for its period, as the
        authority page works it out (its own figure added when compared with another
        source)."""
        if observation is None:
            return ""
        value = statistics.ranked_value(
            observation.value, observation.symbol, observation.base_symbol
        )
        if value is None:
            return ""
        polarity = observation.indicator.polarity
        key = (observation.indicator_id, observation.period_kind, observation.period_start, source)
        values = self.values.get(key, [])
        if source != observation.source:
            standing = statistics.standing(value, [*values, value], polarity)
            return standing.band if standing else ""
        if key not in self.cuts:
            self.cuts[key] = statistics.quartiles(values)
        cut = self.cuts[key]
        return statistics.band(value, cut, polarity) if cut else ""


# --- the flags ---------------------------------------------------------------------------


def _chart_url(page: str, indicator: Indicator) -> str:
    """The authority page's chart of one measure (``page``: the authority page's address)."""
    return f"{page}?{urlencode({'indicator': indicator.code})}#trajectory"


def _league_url(authority: Authority, observation: Observation, source: str) -> str:
    query = {
        "indicator": observation.indicator.code,
        "period": observation.period_label,
        "source": source,
        "highlight": authority.gss_code,
    }
    return f"{reverse('reports:league')}?{urlencode(query)}#league-{authority.gss_code}"


def _figure(observation: Observation) -> str:
    indicator = observation.indicator
    return format_value(observation.value, indicator.unit, indicator.decimals, observation.symbol)


def _measure_flags(
    authority: Authority,
    headlines: list[authority_selectors.Headline],
    sections: CrossSections,
) -> list[Flag]:
    flags = []
    page = reverse("reports:authority", args=[authority.gss_code])
    for headline in headlines:
        indicator, latest, previous = headline.indicator, headline.latest, headline.previous
        name = indicator.name
        status = headline.milestone
        if status is not None and status.rag in (statistics.RED, statistics.AMBER):
            target = format_value(status.milestone.value, indicator.unit, indicator.decimals)
            flags.append(
                Flag(
                    MILESTONE,
                    name,
                    f"{status.words} ({status.rag}): {_figure(latest)} in "
                    f"{latest.period_label} against a milestone of {target} due by "
                    f"{long_date(status.milestone.due_date)}",
                    _chart_url(page, indicator),
                    "govuk-tag--red" if status.rag == statistics.RED else "govuk-tag--yellow",
                )
            )
        if headline.direction == "worse" and previous is not None:
            flags.append(
                Flag(
                    WORSE,
                    name,
                    f"Worsened from {_figure(previous)} in {previous.period_label} to "
                    f"{_figure(latest)} in {latest.period_label} "
                    f"({indicator.get_polarity_display().lower()})",
                    _chart_url(page, indicator),
                )
            )
        source = sources.comparator_source(latest.source, authority)
        if source is None or indicator.polarity == Polarity.NEITHER:
            continue
        band_now = sections.band(latest, source)
        band_before = sections.band(previous, source)
        if band_now == "D" and band_before not in ("", "D") and previous is not None:
            flags.append(
                Flag(
                    BAND_D,
                    name,
                    f"Band D, the worst quarter of authorities, in {latest.period_label}; "
                    f"band {band_before} in {previous.period_label}",
                    _league_url(authority, latest, source),
                )
            )
    return flags


def _plan_flag(authority: Authority, overdue: list[Any]) -> Flag:
    count = len(overdue)
    oldest = overdue[0]
    return Flag(
        PLAN,
        f"{count} action{'s' if count != 1 else ''}",
        f"Past the due date and not done; the longest overdue was due by "
        f"{long_date(oldest.due_date)} ({lower_first(oldest.description[:80])}, owner "
        f"{oldest.owner})",
        reverse("plan:plan", args=[authority.gss_code]) + f"#action-{oldest.pk}",
    )


def _returns_flag(authority: Authority, row: returns_selectors.TrackerRow) -> Flag:
    overdue = row.overdue
    months = ", ".join(f"{cell.month:%B %Y}" for cell in overdue)
    count = len(overdue)
    return Flag(
        RETURNS,
        f"{count} month{'s' if count != 1 else ''}",
        f"Not submitted by the due date: {months}",
        reverse("returns:return", args=[authority.gss_code, overdue[0].month]),
    )


def _authorities() -> Any:
    """Authorities with their region, milestones and latest graded judgement."""
    latest = Inspection.objects.graded().filter(authority=OuterRef("pk")).order_by("-start_date")
    judged = Coalesce("published_date", "end_date", "start_date")
    return (
        Authority.objects.select_related("region")
        .prefetch_related(Prefetch("milestones", queryset=Milestone.objects.order_by("due_date")))
        .annotate(
            latest_grade=Subquery(latest.values("overall_grade")[:1]),
            latest_framework=Subquery(latest.values("framework")[:1]),
            latest_judged=Subquery(latest.annotate(judged=judged).values("judged")[:1]),
        )
    )


def _judgement(authority: Any, today: datetime.date) -> Judgement | None:
    if not authority.latest_grade or authority.latest_judged is None:
        return None
    return Judgement(
        authority.latest_grade, authority.latest_framework, authority.latest_judged, today
    )


def _flag_all(
    authorities: list[Any],
    *,
    user: Any,
    today: datetime.date,
    private_ids: set[int],
    single: Authority | None = None,
) -> list[AuthorityFlags]:
    """The flags of every authority given (read with ``_authorities``; ``single`` when that is
    one authority): five more queries."""
    indicators = Indicator.objects.in_bulk()
    figures = _latest_two([authority.gss_code for authority in authorities])
    headlines = {}
    wanted: list[tuple[Observation, str]] = []
    for authority in authorities:
        found = _headlines(figures.get(authority.gss_code, {}), indicators)
        # The authority page's own rule for the next milestone and its red, amber or green.
        authority_selectors.add_milestones(authority, found, today)
        headlines[authority.pk] = found
        for headline in found:
            source = sources.comparator_source(headline.latest.source, authority)
            if source is None or headline.indicator.polarity == Polarity.NEITHER:
                continue
            wanted.append((headline.latest, source))
            if headline.previous is not None:
                wanted.append((headline.previous, source))
    sections = _cross_sections(wanted)
    overdue_actions = plan_selectors.overdue_by_authority(private_ids, user=user, today=today)
    returns = {}
    if private_ids:
        tracked = returns_selectors.tracker(user, today, action=Action.VIEW, authority=single)
        returns = {row.authority.pk: row for row in tracked.rows}
    entries = []
    for authority in authorities:
        entry = AuthorityFlags(
            authority,
            _measure_flags(authority, headlines[authority.pk], sections),
            _judgement(authority, today),
            sees_private=authority.pk in private_ids,
        )
        if entry.sees_private:
            if overdue_actions.get(authority.pk):
                entry.flags.append(_plan_flag(authority, overdue_actions[authority.pk]))
            row = returns.get(authority.pk)
            entry.sends_returns = row is not None
            if row is not None and row.overdue:
                entry.flags.append(_returns_flag(authority, row))
        order = list(FLAG_KINDS)
        entry.flags.sort(key=lambda flag: order.index(flag.kind))  # measures keep their order
        entries.append(entry)
    return entries


def authority_flags(
    authority: Authority, *, user: Any, today: datetime.date | None = None
) -> AuthorityFlags:
    """The flags of one authority, as the watchlist shows them: the measures for everyone, plan
    actions and returns only for those who may see the authority's private business."""
    day = today or timezone.localdate()
    found = _authorities().get(pk=authority.pk)
    private = {authority.pk} if plan_selectors.may_see(user, authority) else set()
    return _flag_all([found], user=user, today=day, private_ids=private, single=found)[0]


# --- the watchlist -----------------------------------------------------------------------


def sees_all(user: Any) -> bool:
    """DfE users and anyone else who may see every authority's private business (national
    administrators, superusers): the people the watchlist is for."""
    return Action.VIEW in national_actions(user)


@dataclass
class Watchlist:
    today: datetime.date
    entries: list[AuthorityFlags]
    listed: int  # authorities before the filters
    counts: dict[str, int]  # authorities with each kind of flag, before the filters
    regions: list[Region]

    @property
    def shows_demo_data(self) -> bool:
        return any(entry.authority.is_demo for entry in self.entries)

    @property
    def tallies(self) -> list[tuple[str, str, int]]:
        """(kind, words, authorities with that flag) for every kind of flag."""
        return [(kind, words, self.counts[kind]) for kind, words in FLAG_KINDS.items()]


def _sort_key(sort: str) -> Any:
    def name(entry: AuthorityFlags) -> str:
        return entry.authority.name.lower()

    if sort == SORT_NAME:
        return name
    if sort == SORT_JUDGEMENT:
        return lambda e: (-(e.judgement.order if e.judgement else -1), name(e))
    if sort == SORT_JUDGED:
        return lambda e: (e.judgement is None, e.judgement.date if e.judgement else 0, name(e))
    return lambda e: (-len(e.flags), -(e.judgement.order if e.judgement else 0), name(e))


def _matches(entry: AuthorityFlags, *, region: str, judgement: str, flag: str) -> bool:
    if region and (entry.authority.region is None or entry.authority.region.code != region):
        return False
    if judgement == NO_JUDGEMENT and entry.judgement is not None:
        return False
    if (
        judgement
        and judgement != NO_JUDGEMENT
        and (entry.judgement is None or entry.judgement.grade != judgement)
    ):
        return False
    if flag == ANY_FLAG:
        return bool(entry.flags)
    return not flag or flag in entry.kinds


def watchlist(
    user: Any,
    *,
    region: str = "",
    judgement: str = "",
    flag: str = "",
    sort: str = SORT_FLAGS,
    today: datetime.date | None = None,
) -> Watchlist:
    """Every active authority ``user`` may see the private business of (all of them, for the
    people the watchlist is for), with its flags, filtered and sorted. Nine queries whatever the
    number of authorities."""
    day = today or timezone.localdate()
    visible = Authority.objects.for_user(user, Action.VIEW)
    authorities = list(_authorities().active().filter(pk__in=visible.values("pk")))
    entries = _flag_all(
        authorities, user=user, today=day, private_ids={authority.pk for authority in authorities}
    )
    counts = {kind: sum(1 for e in entries if kind in e.kinds) for kind in FLAG_KINDS}
    regions = sorted(
        {a.region.pk: a.region for a in authorities if a.region}.values(), key=lambda r: r.name
    )
    shown = [e for e in entries if _matches(e, region=region, judgement=judgement, flag=flag)]
    shown.sort(key=_sort_key(sort if sort in SORTS else SORT_FLAGS))
    return Watchlist(day, shown, len(entries), counts, regions)
