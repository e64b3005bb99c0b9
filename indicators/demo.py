"""Deterministic, clearly fictional demo data: regions, authorities, neighbours, inspections,
events, milestones, monthly returns and ten years of observations for every catalogue indicator.

Everything is invented. Names are built from nonsense syllables, GSS codes sit in ranges no real
area uses (E12000901.., E06/E08/E09/E10 followed by 0009NN or 0008NN) and DfE codes in 500-799,
which real authorities never use. Every row is marked ``is_demo=True`` (observations
``source=Source.DEMO``).

The module has two halves:

* ``build_plan`` and its helpers are pure: a seed, sizes and a date in, plain data out, built with
  numpy (one ``np.random.default_rng(seed)`` stream), so the same arguments always give the same
  data.
* ``load_demo`` is the one write: it replaces the previous demo data with a new plan inside one
  transaction, and never touches anything that is not demo data.

Each authority follows an *archetype* that ties its figures to its inspections: some fall to
Inadequate and recover (timeliness drops and agency use and caseloads rise around the fall, then
improve), some stay stuck at Requires improvement or Inadequate, some stay Good or Outstanding and
the rest move steadily from Requires improvement to Good. A latent performance score per authority
and month (0 worst, 1 best) is drawn through the inspection grades; every indicator is a noisy
function of it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connections, models, router, transaction
from django.db.models import QuerySet, signals
from django.utils import timezone

from authorities.models import (
    ENGLAND_CODE,
    Authority,
    DatePrecision,
    Event,
    EventCategory,
    Framework,
    Grade,
    Inspection,
    InspectionKind,
    Region,
    StatisticalNeighbour,
)
from indicators.catalogue import catalogue_rows
from indicators.models import (
    AreaLevel,
    Indicator,
    Milestone,
    MonthlyReturn,
    Observation,
    PeriodKind,
    ReturnStatus,
    ReturnValue,
    Source,
)

Array = npt.NDArray[np.float64]


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


DEFAULT_SEED = 2026
DEFAULT_AUTHORITIES = 24
DEFAULT_MONTHS = 48
MIN_AUTHORITIES = 11  # every authority needs ten neighbours other than itself
MAX_AUTHORITIES = 300  # the DfE code range 500-799 holds 300 codes
MAX_MONTHS = 240
ANNUAL_YEARS = 10
NEIGHBOURS = 10
NEIGHBOUR_MODEL_YEAR = 2025
SIMULATED = "Simulated by load_demo"
EARLIEST_TODAY = dt.date(2020, 1, 1)
BATCH_SIZE = 2000

# --- invented geography -----------------------------------------------------------------------

REGION_NAMES = (
    "Northmoor",
    "Eastmarsh",
    "Westerfold",
    "Southdene",
    "Highcombe Vale",
    "Lowmere",
    "Fellreach",
    "Saltings Coast",
    "Midwold",
)
REGION_CODE_START = 901  # E12000901..; real regions are E12000001-E12000009

# Nonsense stems and common place-name endings; no combination is the name of an English council.
NAME_STEMS = _words(
    "Quor Vask Bryx Drom Fliss Grend Hask Jarv Kelm Lorn Morv Nesk Oxv Prell Rask Skarn Tull "
    "Ulv Vell Wrax Yarv Zorn Cradd Ebbr Fosk Glim Quell Zabr Pondr Sorv Thrumb Istr"
)
NAME_ENDINGS = _words("by mere thorpe wick stead combe ford ley holme dale bury ham field ton")
GSS_PREFIXES = ("E06", "E08", "E09", "E10")
GSS_NUMBERS = (*range(901, 1000), *range(801, 900))  # 0009NN first, then 0008NN
DFE_CODES = tuple(range(500, 800))
# Children aged 0-17 by kind of authority: median and spread of a log-normal.
POPULATION_BY_PREFIX = {
    "E06": (42_000, 0.45),
    "E08": (70_000, 0.35),
    "E09": (55_000, 0.25),
    "E10": (170_000, 0.35),
}
URBANITY_BY_PREFIX = {"E06": 0.5, "E08": 0.75, "E09": 1.0, "E10": 0.1}

# --- archetypes and inspections ---------------------------------------------------------------

RECOVER, STUCK, GOOD, STEADY = "recover", "stuck", "good", "steady"
ARCHETYPE_SHARES = ((RECOVER, 0.25), (STUCK, 0.2), (GOOD, 0.3))  # the rest are STEADY

OUT, GD, RI, INAD = (
    Grade.OUTSTANDING.value,
    Grade.GOOD.value,
    Grade.REQUIRES_IMPROVEMENT.value,
    Grade.INADEQUATE.value,
)
GRADE_RANK = {OUT: 1, GD: 2, RI: 3, INAD: 4}
RANK_GRADE = {rank: grade for grade, rank in GRADE_RANK.items()}
# Latent performance drawn through each graded inspection.
GRADE_LEVEL = {OUT: 0.88, GD: 0.70, RI: 0.45, INAD: 0.15}
TROUGH_LEVEL = 0.12
# Months from one full inspection to the next, by the grade of the first.
FULL_INTERVAL = {INAD: (24, 32), RI: (30, 40), GD: (36, 46), OUT: (40, 52)}

SIF_FIRST, SIF_LAST = dt.date(2014, 1, 6), dt.date(2017, 10, 30)
ILACS_START = dt.date(2018, 1, 15)
FULL_PAUSE = (dt.date(2020, 3, 16), dt.date(2021, 4, 12))  # inspections paused in the pandemic
VISIT_PAUSE = (dt.date(2020, 3, 16), dt.date(2020, 9, 28))
SIF_JUDGEMENTS = (
    "Children who need help and protection",
    "Children looked after and achieving permanence",
    "Leadership, management and governance",
)
ILACS_JUDGEMENTS = ("Impact of leaders", "Help and protection", "Children in care", "Care leavers")

# --- indicators -------------------------------------------------------------------------------

MONTH_ABBR = _words("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec")
FULL_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)
# Contacts and referrals dip in the school holidays.
SEASON = np.array([1.02, 1.05, 1.08, 1.0, 1.03, 1.05, 1.02, 0.80, 0.98, 1.10, 1.08, 0.85])

FLOW, STOCK, WORKFORCE = "flow", "stock", "workforce"
# How an annual figure is drawn from the months: summed over the year to 31 March (flow), read
# at 31 March (stock) or read at the 30 September workforce snapshot (workforce).
ANNUAL_RULE = {
    "contacts": FLOW,
    "contacts_decided_1wd_pct": FLOW,
    "referrals": FLOW,
    "rereferrals_12m_pct": FLOW,
    "assessments_45wd_pct": FLOW,
    "s47_enquiries": FLOW,
    "icpc_15wd_pct": FLOW,
    "cp_plans": STOCK,
    "cp_plans_repeat_pct": FLOW,
    "cp_visits_in_time_pct": STOCK,
    "cla": STOCK,
    "cla_visits_in_time_pct": STOCK,
    "cla_reviews_in_time_pct": FLOW,
    "rhi_72h_pct": FLOW,
    "care_leavers_eet_pct": STOCK,
    "care_leavers_accom_pct": STOCK,
    "unallocated_cases": STOCK,
    "avg_caseload": WORKFORCE,
    "agency_sw_pct": WORKFORCE,
    "sw_vacancy_pct": WORKFORCE,
    "supervision_in_time_pct": STOCK,
    "sw_turnover_pct": WORKFORCE,
    "sw_absence_pct": WORKFORCE,
    "cla_rate_per_10k": STOCK,
    "referrals_annual": FLOW,
}
# Share in the middle of the range, how strongly it follows performance (logit scale, per unit
# of performance) and the spread between authorities.
TIMELINESS = {
    "contacts_decided_1wd_pct": (0.82, 3.0, 0.40),
    "rereferrals_12m_pct": (0.21, -1.2, 0.20),
    "assessments_45wd_pct": (0.80, 3.0, 0.35),
    "icpc_15wd_pct": (0.78, 3.0, 0.35),
    "cp_plans_repeat_pct": (0.22, -1.0, 0.20),
    "cp_visits_in_time_pct": (0.88, 3.0, 0.30),
    "cla_visits_in_time_pct": (0.89, 2.8, 0.30),
    "cla_reviews_in_time_pct": (0.88, 2.8, 0.30),
    "rhi_72h_pct": (0.70, 3.0, 0.40),
    "care_leavers_eet_pct": (0.55, 1.2, 0.25),
    "care_leavers_accom_pct": (0.88, 2.0, 0.30),
    "supervision_in_time_pct": (0.82, 3.0, 0.35),
}
SYMBOL_SHARE = 0.012  # authority-years shown as a statistical symbol instead of a number


# ---------------------------------------------------------------------------------------------
# Plain data the pure half produces
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuthorityPlan:
    gss_code: str
    dfe_code: str
    name: str
    region_code: str
    archetype: str
    population: int


@dataclass(frozen=True)
class InspectionPlan:
    authority: int  # index into DemoPlan.authorities
    framework: str
    kind: str
    start: dt.date
    end: dt.date
    published: dt.date
    grade: str  # "" for an ungraded visit
    sub_judgements: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EventPlan:
    authority: int
    date: dt.date
    precision: str
    date_label: str
    category: str
    detail_type: str
    description: str


@dataclass(frozen=True)
class MilestonePlan:
    authority: int
    indicator: str
    due_date: dt.date
    value: float
    tolerance: float
    note: str


@dataclass(frozen=True)
class Period:
    kind: str
    start: dt.date
    end: dt.date
    label: str


@dataclass
class ObservationBlock:
    """One indicator's figures for some areas (rows) over some periods (columns)."""

    indicator: str
    area_level: str
    area_codes: list[str]
    periods: list[Period]
    value: Array  # NaN where a symbol is shown
    numerator: Array | None = None
    denominator: Array | None = None
    symbols: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return len(self.area_codes) * len(self.periods)


@dataclass
class DemoPlan:
    seed: int
    regions: list[tuple[str, str]]  # (code, name)
    authorities: list[AuthorityPlan]
    neighbours: list[tuple[int, int, int, str]]  # (authority, neighbour, rank, closeness)
    inspections: list[InspectionPlan]
    events: list[EventPlan]
    milestones: list[MilestonePlan]
    months: list[dt.date]  # first day of each demo month, oldest first
    blocks: list[ObservationBlock]

    @property
    def observation_count(self) -> int:
        return sum(block.size for block in self.blocks)


@dataclass(frozen=True)
class DemoSummary:
    seed: int
    regions: int
    authorities: int
    neighbours: int
    observations: int
    inspections: int
    events: int
    milestones: int
    returns: int
    first_month: dt.date | None
    last_month: dt.date | None
    seconds: float

    def lines(self) -> list[str]:
        months = ""
        if self.first_month and self.last_month:
            months = f" ({month_label(self.first_month)} to {month_label(self.last_month)})"
        return [
            f"Demo data, seed {self.seed}: {self.authorities} authorities in "
            f"{self.regions} regions, {self.neighbours} statistical neighbour links.",
            f"{self.observations} observations, {self.returns} monthly returns{months}.",
            f"{self.inspections} inspections, {self.events} events, {self.milestones} milestones.",
        ]


# ---------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def month_first(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def month_last(index: int) -> dt.date:
    return month_first(index + 1) - dt.timedelta(days=1)


def month_label(day: dt.date) -> str:
    return f"{MONTH_ABBR[day.month - 1]} {day.year}"


def last_complete_month(today: dt.date) -> dt.date:
    """The first day of the last month that ended before ``today``."""
    return month_first(month_index(today) - 1)


def _month_float(day: dt.date) -> float:
    return month_index(day) + (day.day - 1) / 31


def _monday(day: dt.date) -> dt.date:
    """The first Monday on or after ``day``, skipping the Christmas and New Year weeks."""
    monday = day + dt.timedelta(days=(-day.weekday()) % 7)
    if (monday.month, monday.day) >= (12, 18) or (monday.month, monday.day) < (1, 6):
        year = monday.year + 1 if monday.month == 12 else monday.year
        return _monday(dt.date(year, 1, 6))
    return monday


def _month_year(day: dt.date) -> str:
    return f"{FULL_MONTHS[day.month - 1]} {day.year}"


def _plus_months(day: dt.date, months: float) -> dt.date:
    return day + dt.timedelta(days=round(months * 30.44))


def _random_day(rng: np.random.Generator, first: dt.date, last: dt.date) -> dt.date:
    span = max((last - first).days, 0)
    return first + dt.timedelta(days=int(rng.integers(0, span + 1)))


def _in(day: dt.date, window: tuple[dt.date, dt.date]) -> bool:
    return window[0] <= day < window[1]


# ---------------------------------------------------------------------------------------------
# Geography and neighbours
# ---------------------------------------------------------------------------------------------


def _join(stem: str, ending: str) -> str:
    return stem + (ending[1:] if stem[-1] == ending[0] else ending)


def _codes(count: int, taken_gss: set[str], taken_dfe: set[str]) -> tuple[list[str], list[str]]:
    """GSS and DfE codes by position, skipping any a non-demo authority already holds.

    They do not depend on the seed, so re-running with another seed updates the same rows.
    """
    free_gss = {
        prefix: [code for n in GSS_NUMBERS if (code := f"{prefix}000{n:03d}") not in taken_gss]
        for prefix in GSS_PREFIXES
    }
    free_dfe = [code for n in DFE_CODES if (code := f"{n:03d}") not in taken_dfe]
    gss = []
    for i in range(count):
        pool = free_gss[GSS_PREFIXES[i % len(GSS_PREFIXES)]]
        if not pool:
            raise ValueError("No free demo GSS codes left.")
        gss.append(pool.pop(0))
    if count > len(free_dfe):
        raise ValueError(f"Only {len(free_dfe)} free demo DfE codes (500-799) are left.")
    return gss, free_dfe[:count]


def _neighbours(features: Array) -> list[tuple[int, int, int, str]]:
    """Each authority's ten nearest by Euclidean distance in the latent features."""
    diff = features[:, None, :] - features[None, :, :]
    distance = np.sqrt((diff**2).sum(axis=2))
    np.fill_diagonal(distance, np.inf)
    order = np.argsort(distance, axis=1, kind="stable")[:, :NEIGHBOURS]
    nearest = np.take_along_axis(distance, order, axis=1)
    close, somewhat = np.quantile(nearest, [0.35, 0.75])
    rows = []
    for a in range(len(features)):
        for rank in range(NEIGHBOURS):
            d = nearest[a, rank]
            label = "Close" if d <= close else "Somewhat close" if d <= somewhat else "Not close"
            rows.append((a, int(order[a, rank]), rank + 1, label))
    return rows


def _archetypes(rng: np.random.Generator, count: int) -> list[str]:
    kinds: list[str] = []
    for name, share in ARCHETYPE_SHARES:
        kinds += [name] * max(1, round(share * count))
    kinds += [STEADY] * (count - len(kinds))
    return [kinds[i] for i in rng.permutation(count)]


# ---------------------------------------------------------------------------------------------
# Inspections, events, milestones
# ---------------------------------------------------------------------------------------------


def _full_grade(
    rng: np.random.Generator, archetype: str, previous: str | None, fallen: bool
) -> str:
    """The grade of the next full inspection, before any forced fall."""
    draw = rng.random()
    if archetype == GOOD:
        return OUT if draw < (0.7 if previous == OUT else 0.2) else GD
    if archetype == STUCK:
        if previous == INAD:
            return RI if draw < 0.65 else INAD
        return INAD if draw < 0.5 else RI
    if archetype == STEADY:
        if previous is None:
            return RI
        if previous == RI:
            return GD if draw < 0.6 else RI
        return GD if draw < 0.85 else RI
    # RECOVER
    if not fallen:
        return GD if draw < 0.4 else RI
    if previous == INAD:
        return RI if draw < 0.5 else GD
    if previous == RI:
        return GD
    if previous == OUT:
        return OUT
    return OUT if draw < 0.15 else GD


def _sub_judgements(rng: np.random.Generator, framework: str, grade: str) -> dict[str, str]:
    overall = GRADE_RANK[grade]
    names = SIF_JUDGEMENTS if framework == Framework.SIF else ILACS_JUDGEMENTS
    leaders = names[-1] if framework == Framework.SIF else names[0]
    ranks = {}
    for name in names:
        if name == leaders:
            ranks[name] = overall
            continue
        shift = int(rng.choice([-1, 0, 1], p=[0.2, 0.65, 0.15]))
        ranks[name] = min(max(overall + shift, 1), 4 if overall == 4 else 3)
    if overall == 4 and 4 not in [ranks[n] for n in names if n != leaders]:
        ranks[names[1] if framework == Framework.ILACS else names[0]] = 4
    return {name: str(Grade(RANK_GRADE[rank]).label) for name, rank in ranks.items()}


def _visit(rng: np.random.Generator, authority: int, kind: str, start: dt.date) -> InspectionPlan:
    framework = Framework.SIF if start < ILACS_START else Framework.ILACS
    end = start + dt.timedelta(days=1)
    published = end + dt.timedelta(days=int(rng.integers(42, 57)))
    return InspectionPlan(authority, framework, kind, start, end, published, "")


def _timeline(
    rng: np.random.Generator, authority: int, archetype: str, today: dt.date
) -> list[InspectionPlan]:
    """Full inspections from the SIF years on, with focused and monitoring visits between."""
    plans: list[InspectionPlan] = []
    start = _monday(_random_day(rng, SIF_FIRST, SIF_LAST))
    fall_at = int(rng.choice([1, 2] if start < dt.date(2015, 1, 1) else [0, 1, 2]))
    latest_fall = _plus_months(today, -36)  # late enough to fall and still be re-inspected
    last_chance = _plus_months(today, -70)
    previous: str | None = None
    fallen = False
    n_full = 0
    while True:
        framework = Framework.SIF if start < ILACS_START else Framework.ILACS
        grade = _full_grade(rng, archetype, previous, fallen)
        if (
            archetype == RECOVER
            and not fallen
            and start <= latest_fall
            and (n_full >= fall_at or start > last_chance)
        ):
            grade = INAD
        if grade == INAD:
            fallen = True
        on_site = 25 if framework == Framework.SIF else 11
        end = start + dt.timedelta(days=on_site)
        published = end + dt.timedelta(days=int(rng.integers(42, 57)))
        if published > today:
            break
        sub = _sub_judgements(rng, framework, grade)
        plans.append(
            InspectionPlan(
                authority, framework, InspectionKind.FULL, start, end, published, grade, sub
            )
        )
        low, high = FULL_INTERVAL[grade]
        following = _plus_months(start, float(rng.uniform(low, high)))
        if framework == Framework.SIF and grade != INAD:
            following = max(following, _random_day(rng, ILACS_START, dt.date(2019, 12, 31)))
        if _in(following, FULL_PAUSE):
            following = _random_day(rng, FULL_PAUSE[1], FULL_PAUSE[1] + dt.timedelta(days=240))
        following = _monday(following)
        visits_until = min(following - dt.timedelta(days=45), today)
        if grade == INAD:
            visit = published + dt.timedelta(days=int(rng.integers(75, 131)))
            while visit <= visits_until:
                if not _in(visit, VISIT_PAUSE):
                    plan = _visit(rng, authority, InspectionKind.MONITORING_VISIT, _monday(visit))
                    if plan.published > today:
                        break
                    plans.append(plan)
                visit += dt.timedelta(days=int(rng.integers(110, 171)))
        else:
            gap = (following - published).days
            chance = 0.9 if grade == RI else 0.6
            visit = _monday(published + dt.timedelta(days=int(gap * rng.uniform(0.4, 0.6))))
            wanted = rng.random() < chance
            if (
                wanted
                and gap > 540
                and visit >= ILACS_START
                and visit <= visits_until
                and not _in(visit, VISIT_PAUSE)
            ):
                plan = _visit(rng, authority, InspectionKind.FOCUSED_VISIT, visit)
                if plan.published <= today:
                    plans.append(plan)
        previous = grade
        n_full += 1
        start = following
    return plans


def _anchors(
    rng: np.random.Generator, graded: list[InspectionPlan], archetype: str, today: dt.date
) -> tuple[list[float], list[float]]:
    """Points (month, performance) the latent performance is drawn through."""
    xs: list[float] = []
    ys: list[float] = []
    previous_level = 0.45
    for number, plan in enumerate(graded):
        level = GRADE_LEVEL[plan.grade] + float(rng.normal(0, 0.03))
        x = _month_float(plan.end)
        falls = plan.grade == INAD and (number == 0 or graded[number - 1].grade != INAD)
        if falls:
            before = x - float(rng.uniform(12, 20))
            if not xs or before > xs[-1] + 3:
                xs.append(before)
                ys.append(previous_level)
        xs.append(x)
        ys.append(level)
        if falls:
            trough = x + float(rng.uniform(6, 12))
            following = _month_float(graded[number + 1].end) if number + 1 < len(graded) else None
            if following is None or trough < following - 3:
                xs.append(trough)
                ys.append(TROUGH_LEVEL)
        previous_level = level
    end = _month_float(today)
    if xs and end > xs[-1] + 1:
        final = ys[-1]
        if archetype == RECOVER:
            final = max(final, 0.68) + float(rng.normal(0, 0.03))
        elif ys[-1] == TROUGH_LEVEL:
            final = 0.3
        xs.append(end)
        ys.append(final)
    if not xs:
        xs, ys = [end], [GRADE_LEVEL[GD] if archetype == GOOD else GRADE_LEVEL[RI]]
    return xs, ys


def _events(
    rng: np.random.Generator, authority: int, fall: InspectionPlan, today: dt.date
) -> list[EventPlan]:
    """What follows a first Inadequate judgement: commissioner, board, director, maybe a system."""
    published = fall.published

    def after(low: int, high: int) -> dt.date:
        return published + dt.timedelta(days=int(rng.integers(low, high + 1)))

    commissioner = after(20, 75)
    board = after(45, 120).replace(day=1)
    director = after(90, 300)
    day, month = DatePrecision.DAY, DatePrecision.MONTH
    events = [
        (commissioner, day, EventCategory.INTERVENTION, "Commissioner", "Commissioner appointed"),
        (board, month, EventCategory.GOVERNANCE, "Improvement board", "Improvement board formed"),
        (
            director,
            day,
            EventCategory.LEADERSHIP,
            "Director of children's services",
            "New director of children's services",
        ),
    ]
    if rng.random() < 0.5:
        system = after(365, 730).replace(day=1)
        events.append(
            (
                system,
                month,
                EventCategory.DATA_SYSTEMS,
                "Case recording system",
                "New case recording system went live",
            )
        )
    return [
        EventPlan(
            authority,
            date,
            precision,
            _month_year(date) if precision == month else "",
            category,
            detail,
            description,
        )
        for date, precision, category, detail, description in events
        if date <= today
    ]


@dataclass(frozen=True)
class _MilestoneDraft:
    """A board target before its value is known: its stage and due date."""

    authority: int
    indicator: str
    stage: str  # "Interim" or "Final"
    due_date: dt.date
    tolerance: float


# What each staged plan aims at: a level a board would call good, whether lower is better, and
# how boards round their targets. The interim target closes part of the gap, the final more.
MILESTONE_GOALS: dict[str, tuple[float, bool, float]] = {
    "avg_caseload": (17.0, True, 0.5),
    "agency_sw_pct": (12.0, True, 1.0),
    "assessments_45wd_pct": (90.0, False, 1.0),
}
MILESTONE_SHARE = {"Interim": 0.35, "Final": 0.7}


def _milestone_drafts(
    rng: np.random.Generator, authority: int, last_month: dt.date
) -> list[_MilestoneDraft]:
    """A staged trajectory the improvement board agreed: an interim target, then the final one."""
    last = month_index(last_month)
    drafts = []
    for code, tolerance in (
        ("avg_caseload", 2.0),
        ("agency_sw_pct", 2.0),
        ("assessments_45wd_pct", 3.0),
    ):
        first_due = month_last(last - int(rng.integers(1, 5)))
        second_due = month_last(last + int(rng.integers(5, 10)))
        for stage, due in (("Interim", first_due), ("Final", second_due)):
            drafts.append(_MilestoneDraft(authority, code, stage, due, tolerance))
    return drafts


def _milestones(
    drafts: list[_MilestoneDraft], series: dict[str, _Series], set_at: int
) -> list[MilestonePlan]:
    """Targets set from where each authority stood when its board agreed the plan (the three
    months to grid position ``set_at``), so the plan starts from its actual figures. An authority
    already better than the goal is asked to hold its level."""
    plans = []
    for draft in drafts:
        goal, lower_is_better, step = MILESTONE_GOALS[draft.indicator]
        s = series[draft.indicator]
        window = slice(set_at - 2, set_at + 1)
        num = float(s.num[draft.authority, window].sum())
        den = float(s.den[draft.authority, window].sum()) if s.den is not None else 3.0
        baseline = num / max(den, 1.0) * (s.scale if s.den is not None else 1.0)
        gap = goal - baseline
        if (gap > 0) == lower_is_better:  # already better than the goal
            gap = 0.0
        value = round((baseline + MILESTONE_SHARE[draft.stage] * gap) / step) * step
        note = (
            f"{draft.stage} target agreed by the improvement board (simulated): {value:g} by "
            f"{_month_year(draft.due_date)}."
        )
        plans.append(
            MilestonePlan(
                draft.authority, draft.indicator, draft.due_date, value, draft.tolerance, note
            )
        )
    return plans


# ---------------------------------------------------------------------------------------------
# Series
# ---------------------------------------------------------------------------------------------


def _sigmoid(x: Array) -> Array:
    return 1.0 / (1.0 + np.exp(-x))


def _logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def _ar1(rng: np.random.Generator, shape: tuple[int, int], phi: float, sigma: float) -> Array:
    """Autocorrelated noise along the second axis, stationary with standard deviation sigma."""
    shocks = rng.normal(0.0, sigma * np.sqrt(1 - phi**2), size=shape)
    out = np.empty(shape)
    out[:, 0] = rng.normal(0.0, sigma, size=shape[0])
    for t in range(1, shape[1]):
        out[:, t] = phi * out[:, t - 1] + shocks[:, t]
    return out


@dataclass
class _Series:
    """Monthly figures for every authority over the whole month grid."""

    num: Array
    den: Array | None = None
    scale: float = 1.0


def _simulate(
    rng: np.random.Generator,
    performance: Array,
    population: Array,
    deprivation: Array,
    urbanity: Array,
    grid: npt.NDArray[np.int64],
) -> dict[str, _Series]:
    n, t = performance.shape
    shape = (n, t)
    years = grid / 12.0
    x = performance - 0.5
    per10k = (population / 10_000.0)[:, None] * (1 + 0.003 * (years - 2020))[None, :]
    need = np.exp(0.25 * deprivation)[:, None]
    season = SEASON[grid % 12][None, :]
    out: dict[str, _Series] = {}

    def flow(rate: float, sigma: float = 0.05) -> Array:
        mean = per10k * rate * need * season * np.exp(_ar1(rng, shape, 0.8, sigma))
        return rng.poisson(mean).astype(float)

    def stock(mean: Array, sigma: float = 0.04) -> Array:
        return np.rint(mean * np.exp(_ar1(rng, shape, 0.95, sigma)))

    def share(code: str) -> Array:
        middle, slope, spread = TIMELINESS[code]
        effect = rng.normal(0, spread, size=(n, 1))
        noise = _ar1(rng, shape, 0.7, 0.12)
        return _sigmoid(_logit(middle) + slope * x + effect + noise)

    def ratio(code: str, den: Array) -> None:
        den = np.maximum(den, 1.0)
        num = rng.binomial(den.astype(np.int64), share(code)).astype(float)
        out[code] = _Series(num, den, 100.0)

    contacts = flow(170)
    referrals = flow(45)
    s47 = flow(14, 0.08)
    out["contacts"] = _Series(contacts)
    out["referrals"] = _Series(referrals)
    out["s47_enquiries"] = _Series(s47)
    ratio("contacts_decided_1wd_pct", contacts)
    ratio("rereferrals_12m_pct", referrals)
    ratio("assessments_45wd_pct", rng.poisson(referrals * 0.85).astype(float))
    ratio("icpc_15wd_pct", rng.binomial(s47.astype(np.int64), 0.35).astype(float))

    cp_plans = stock(per10k * 42 * need * (1 + 0.25 * (0.5 - performance)))
    cla_growth = 1 + 0.015 * (np.minimum(years, 2023) - 2016)
    cla = stock(per10k * 68 * need**1.2 * cla_growth[None, :])
    out["cp_plans"] = _Series(cp_plans)
    out["cla"] = _Series(cla)
    ratio("cp_plans_repeat_pct", rng.poisson(cp_plans * 0.09).astype(float))
    ratio("cp_visits_in_time_pct", cp_plans)
    ratio("cla_visits_in_time_pct", cla)
    ratio("cla_reviews_in_time_pct", rng.poisson(cla * 0.28).astype(float))
    ratio("rhi_72h_pct", rng.poisson(cla * 0.07).astype(float))
    leavers = stock(cla * 0.55, 0.05)
    ratio("care_leavers_eet_pct", leavers)
    ratio("care_leavers_accom_pct", leavers)

    open_cases = stock(per10k * 330 * need, 0.05)
    unallocated_share = _sigmoid(
        _logit(0.02) - 3.0 * x + rng.normal(0, 0.4, size=(n, 1)) + _ar1(rng, shape, 0.7, 0.2)
    )
    out["unallocated_cases"] = _Series(
        rng.binomial(open_cases.astype(np.int64), unallocated_share).astype(float)
    )
    caseload = (
        13.0
        + 16.0 * (1.0 - performance) ** 1.5
        + rng.normal(0, 1.5, size=(n, 1))
        + _ar1(rng, shape, 0.8, 0.6)
    )
    caseload = np.clip(caseload, 9.0, 34.0)
    case_holders = np.maximum(np.round(open_cases / caseload, 1), 1.0)
    out["avg_caseload"] = _Series(open_cases, case_holders, 1.0)

    workers = np.maximum(
        np.round(
            per10k * 27 * np.exp(rng.normal(0, 0.1, size=(n, 1)) + _ar1(rng, shape, 0.9, 0.03)), 1
        ),
        5.0,
    )
    national = 0.04 * (np.minimum(years, 2022) - 2016) - 0.05 * np.maximum(years - 2023, 0)
    agency = np.clip(
        _sigmoid(
            _logit(0.15)
            - 2.4 * x
            + 0.2 * (urbanity[:, None] - 0.5)
            + national[None, :]
            + rng.normal(0, 0.3, size=(n, 1))
            + _ar1(rng, shape, 0.85, 0.08)
        ),
        0.02,
        0.40,
    )
    out["agency_sw_pct"] = _Series(np.round(workers * agency, 1), workers, 100.0)
    posts = np.round(workers * np.exp(rng.normal(0.05, 0.03, size=(n, 1))), 1)
    vacancy = np.clip(
        _sigmoid(
            _logit(0.16) - 2.0 * x + rng.normal(0, 0.3, size=(n, 1)) + _ar1(rng, shape, 0.85, 0.08)
        ),
        0.01,
        0.45,
    )
    out["sw_vacancy_pct"] = _Series(np.round(posts * vacancy, 1), posts, 100.0)
    ratio("supervision_in_time_pct", np.rint(workers * 0.95))
    return out


# ---------------------------------------------------------------------------------------------
# The plan
# ---------------------------------------------------------------------------------------------


def _block(
    code: str,
    level: str,
    areas: list[str],
    periods: list[Period],
    num: Array,
    den: Array | None,
    scale: float,
    decimals: int | None = None,
) -> ObservationBlock:
    if den is None:
        value = num.astype(float)
        if decimals is not None:
            value = np.round(value, decimals)
        return ObservationBlock(code, level, areas, periods, value)
    value = scale * num / den
    return ObservationBlock(code, level, areas, periods, value, num.astype(float), den.copy())


def build_plan(
    *,
    seed: int,
    authorities: int,
    months: int,
    today: dt.date,
    taken_gss: set[str] | frozenset[str] = frozenset(),
    taken_dfe: set[str] | frozenset[str] = frozenset(),
    taken_regions: set[str] | frozenset[str] = frozenset(),
) -> DemoPlan:
    """Everything ``load_demo`` writes, as plain data. Pure: same arguments, same plan."""
    validate(authorities=authorities, months=months)
    if today < EARLIEST_TODAY:
        raise ValueError(
            f"The demo history runs from 2014; today cannot be before {EARLIEST_TODAY}."
        )
    rng = np.random.default_rng(seed)
    n = authorities

    # Geography
    n_regions = min(len(REGION_NAMES), max(2, n // 3))
    free_region_codes = [
        code
        for number in range(REGION_CODE_START, 1000)
        if (code := f"E12000{number:03d}") not in taken_regions
    ]
    regions = list(zip(free_region_codes, REGION_NAMES[:n_regions], strict=False))
    gss, dfe = _codes(n, set(taken_gss), set(taken_dfe))
    names = [
        _join(NAME_STEMS[k // len(NAME_ENDINGS)], NAME_ENDINGS[k % len(NAME_ENDINGS)])
        for k in rng.permutation(len(NAME_STEMS) * len(NAME_ENDINGS))[:n]
    ]
    region_of = rng.permutation(n) % n_regions
    region_need = rng.normal(0, 0.5, size=n_regions)
    deprivation = region_need[region_of] + rng.normal(0, 0.8, size=n)
    population = np.array(
        [
            POPULATION_BY_PREFIX[code[:3]][0]
            * np.exp(rng.normal(0, POPULATION_BY_PREFIX[code[:3]][1]))
            for code in gss
        ]
    )
    population = np.round(np.maximum(population, 5_000), -2)
    urbanity = np.array([URBANITY_BY_PREFIX[code[:3]] for code in gss]) + rng.normal(0, 0.1, n)
    log_population = np.log(population)
    features = np.column_stack(
        [
            (log_population - log_population.mean()) / (log_population.std() or 1.0),
            deprivation,
            2.0 * urbanity,
            rng.normal(0, 0.5, n),
        ]
    )
    neighbours = _neighbours(features)
    archetypes = _archetypes(rng, n)
    authority_plans = [
        AuthorityPlan(
            gss[i], dfe[i], names[i], regions[region_of[i]][0], archetypes[i], int(population[i])
        )
        for i in range(n)
    ]

    # Months: the demo months end with the last complete month; the grid the series are drawn
    # on also covers the ten reporting years and the inspection history.
    last = month_index(last_complete_month(today))
    first = last - months + 1
    march_last = last // 12 if last % 12 >= 2 else last // 12 - 1
    september_last = last // 12 if last % 12 >= 8 else last // 12 - 1
    march_years = list(range(march_last - ANNUAL_YEARS + 1, march_last + 1))
    september_years = list(range(september_last - ANNUAL_YEARS + 1, september_last + 1))
    grid_start = min(
        2013 * 12, first, (march_years[0] - 1) * 12 + 3, (september_years[0] - 1) * 12 + 9
    )
    grid = np.arange(grid_start, last + 1, dtype=np.int64)

    # Inspections and the latent performance drawn through them
    inspections: list[InspectionPlan] = []
    events: list[EventPlan] = []
    milestone_drafts: list[_MilestoneDraft] = []
    performance = np.empty((n, len(grid)))
    grid_x = grid + 0.5
    for i in range(n):
        timeline = _timeline(rng, i, archetypes[i], today)
        inspections += timeline
        graded = [plan for plan in timeline if plan.grade]
        xs, ys = _anchors(rng, graded, archetypes[i], today)
        performance[i] = np.interp(grid_x, xs, ys)
        fall = next((plan for plan in graded if plan.grade == INAD), None)
        if fall is not None:
            authority_events = _events(rng, i, fall, today)
            events += authority_events
            if any(e.category == EventCategory.GOVERNANCE for e in authority_events):
                milestone_drafts += _milestone_drafts(rng, i, month_first(last))
    performance = np.clip(performance + _ar1(rng, performance.shape, 0.85, 0.025), 0.02, 0.98)

    series = _simulate(rng, performance, population, deprivation, urbanity, grid)
    # Boards agreed their plans a year before the latest month.
    milestones = _milestones(milestone_drafts, series, last - 12 - grid_start)

    # Observations: authorities, then regions and England from the same figures
    codes = [plan.gss_code for plan in authority_plans]
    region_codes = [code for code, _ in regions]
    membership = np.zeros((n_regions, n))
    membership[region_of, np.arange(n)] = 1.0
    everyone = np.ones((1, n))

    month_slice = slice(first - grid_start, last - grid_start + 1)
    month_periods = [
        Period(PeriodKind.MONTH, month_first(m), month_last(m), month_label(month_first(m)))
        for m in range(first, last + 1)
    ]
    march_periods = [
        Period(PeriodKind.REPORTING_YEAR, dt.date(y - 1, 4, 1), dt.date(y, 3, 31), str(y))
        for y in march_years
    ]
    september_periods = [
        Period(PeriodKind.REPORTING_YEAR, dt.date(y - 1, 10, 1), dt.date(y, 9, 30), str(y))
        for y in september_years
    ]

    def snapshot(values: Array, years: list[int], month: int) -> Array:
        return values[:, [y * 12 + month - 1 - grid_start for y in years]]

    def year_sum(values: Array) -> Array:
        starts = [(y - 1) * 12 + 3 - grid_start for y in march_years]
        return np.stack([values[:, s : s + 12].sum(axis=1) for s in starts], axis=1)

    def annual(code: str, s: _Series) -> tuple[Array, Array | None, list[Period]]:
        rule = ANNUAL_RULE[code]
        if rule == FLOW:
            num = year_sum(s.num)
            den = None if s.den is None else year_sum(s.den)
            return num, den, march_periods
        years, month, periods = (
            (march_years, 3, march_periods)
            if rule == STOCK
            else (september_years, 9, september_periods)
        )
        num = snapshot(s.num, years, month)
        den = None if s.den is None else snapshot(s.den, years, month)
        return num, den, periods

    blocks: list[ObservationBlock] = []

    def emit(
        code: str,
        periods: list[Period],
        num: Array,
        den: Array | None,
        scale: float,
        *,
        mean: bool = False,
        decimals: int | None = None,
        symbols: bool = False,
    ) -> None:
        """Authority figures, then regional and England figures made from the same numbers."""
        block = _block(code, AreaLevel.AUTHORITY, codes, periods, num, den, scale, decimals)
        if symbols:
            mask = rng.random(num.shape) < SYMBOL_SHARE
            kinds = rng.random(num.shape) < 0.6
            for a, p in zip(*np.nonzero(mask), strict=True):
                block.symbols[(int(a), int(p))] = "c" if kinds[a, p] else "x"
                block.value[a, p] = np.nan
                if block.numerator is not None and block.denominator is not None:
                    block.numerator[a, p] = np.nan
                    block.denominator[a, p] = np.nan
        blocks.append(block)
        for level, areas, weights in (
            (AreaLevel.REGIONAL, region_codes, membership),
            (AreaLevel.NATIONAL, [ENGLAND_CODE], everyone),
        ):
            if mean:
                total = weights @ num / weights.sum(axis=1, keepdims=True)
                blocks.append(_block(code, level, areas, periods, total, None, scale, decimals))
                continue
            total_num = np.round(weights @ num, 1)
            total_den = None if den is None else np.round(weights @ den, 1)
            blocks.append(_block(code, level, areas, periods, total_num, total_den, scale))

    catalogue = catalogue_rows()
    for row in catalogue:
        code = row["code"]
        if code in series:
            s = series[code]
            if row["in_monthly_return"]:
                den = None if s.den is None else s.den[:, month_slice]
                emit(code, month_periods, s.num[:, month_slice], den, s.scale)
            num, den, periods = annual(code, s)
            emit(code, periods, num, den, s.scale, symbols=True)
        elif code == "referrals_annual":
            num, _, periods = annual("referrals", series["referrals"])
            emit(code, periods, num, None, 1.0, symbols=True)
        elif code == "cla_rate_per_10k":
            cla, _, periods = annual("cla", series["cla"])
            children = population[:, None] * (1 + 0.003 * (np.array(march_years) - 2020))
            # A rate per 10,000: the area figures are 10,000 x children looked after / children.
            emit(code, periods, cla, np.round(children), 10_000.0, symbols=True)
            for block in blocks[-3:]:
                block.value = np.round(block.value, 1)
                block.numerator = block.denominator = None
        elif code in ("sw_turnover_pct", "sw_absence_pct"):
            middle, slope, spread = (
                (0.15, -1.5, 0.2) if code == "sw_turnover_pct" else (0.03, -0.8, 0.15)
            )
            p = snapshot(performance, september_years, 9) - 0.5
            share = _sigmoid(
                _logit(middle)
                + slope * p
                + rng.normal(0, spread, size=(n, 1))
                + rng.normal(0, 0.1, size=p.shape)
            )
            values = np.round(100 * share, 1)
            emit(code, september_periods, values, None, 1.0, mean=True, decimals=1, symbols=True)
        else:  # pragma: no cover - a catalogue indicator the generator does not know
            raise ValueError(f"The demo generator has no model for indicator {code!r}.")

    return DemoPlan(
        seed=seed,
        regions=regions,
        authorities=authority_plans,
        neighbours=neighbours,
        inspections=inspections,
        events=events,
        milestones=milestones,
        months=[month_first(m) for m in range(first, last + 1)],
        blocks=blocks,
    )


def validate(*, authorities: int, months: int) -> None:
    if not MIN_AUTHORITIES <= authorities <= MAX_AUTHORITIES:
        raise ValueError(
            f"--authorities must be between {MIN_AUTHORITIES} and {MAX_AUTHORITIES} "
            f"(each needs {NEIGHBOURS} neighbours), not {authorities}."
        )
    if not 1 <= months <= MAX_MONTHS:
        raise ValueError(f"--months must be between 1 and {MAX_MONTHS}, not {months}.")


# ---------------------------------------------------------------------------------------------
# The write
# ---------------------------------------------------------------------------------------------


def _observation_rows(
    plan: DemoPlan, indicator_ids: dict[str, int], release: str, connection: Any
) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """Observation columns, and rows of database-ready values in that order.

    Rows are built straight from the numpy blocks: making 450,000 model instances and letting
    ``bulk_create`` compile them costs more than the whole budget for the national-scale set.
    Every value still goes through its field's ``get_db_prep_save``, once per distinct value.
    """
    fields = [f for f in Observation._meta.concrete_fields if not f.primary_key]
    columns = [str(f.column) for f in fields]
    by_name = {f.attname: f for f in fields}

    def prep(name: str, value: Any) -> Any:
        return by_name[name].get_db_prep_save(value, connection=connection)

    varying = [
        *("indicator_id", "area_level", "area_code", "period_kind", "period_start"),
        *("period_end", "period_label", "value", "symbol", "numerator", "denominator"),
    ]
    fixed = {"source": Source.DEMO.value, "release": release, "recorded_at": timezone.now()}
    template = [
        None
        if f.attname in varying
        else prep(f.attname, fixed[f.attname] if f.attname in fixed else f.get_default())
        for f in fields
    ]
    names = [f.attname for f in fields]
    at = [names.index(name) for name in varying]

    def rows() -> Iterator[tuple[Any, ...]]:
        for block in plan.blocks:
            indicator_id = indicator_ids[block.indicator]
            periods = [
                (
                    prep("period_kind", p.kind),
                    prep("period_start", p.start),
                    prep("period_end", p.end),
                    prep("period_label", p.label),
                )
                for p in block.periods
            ]
            values = block.value.tolist()
            nums = block.numerator.tolist() if block.numerator is not None else None
            dens = block.denominator.tolist() if block.denominator is not None else None
            symbols = block.symbols
            level = str(block.area_level)
            for a, area_code in enumerate(block.area_codes):
                value_row = values[a]
                num_row = nums[a] if nums is not None else None
                den_row = dens[a] if dens is not None else None
                for p, (kind, start, end, label) in enumerate(periods):
                    symbol = symbols.get((a, p), "") if symbols else ""
                    if symbol:
                        value = num = den = None
                    else:
                        value = value_row[p]
                        num = num_row[p] if num_row is not None else None
                        den = den_row[p] if den_row is not None else None
                    row = template.copy()
                    items = (indicator_id, level, area_code, kind, start, end, label)
                    for i, item in zip(at, (*items, value, symbol, num, den), strict=True):
                        row[i] = item
                    yield tuple(row)

    return columns, rows()


def _insert_observations(plan: DemoPlan, indicator_ids: dict[str, int], release: str) -> int:
    """Write the plan's observations: COPY on PostgreSQL, batched executemany elsewhere."""
    connection = connections[router.db_for_write(Observation)]
    columns, rows = _observation_rows(plan, indicator_ids, release, connection)
    table = connection.ops.quote_name(Observation._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        for batch in itertools.batched(rows, BATCH_SIZE * 5):
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _delete_quickly(queryset: QuerySet[Any]) -> None:
    """Delete with one statement where Django's collector would load every row first.

    The collector loads rows to honour foreign keys that point at them (``Evidence.observation``
    sets null); that takes longer than the whole budget for 450,000 observations. Do the same
    with one query per relation; fall back to ``delete()`` for anything less simple.
    """
    model = queryset.model
    if signals.pre_delete.has_listeners(model) or signals.post_delete.has_listeners(model):
        queryset.delete()
        return
    relations = model._meta.related_objects
    if any(r.on_delete not in (models.SET_NULL, models.DO_NOTHING) for r in relations):
        queryset.delete()
        return
    for relation in relations:
        if relation.on_delete is models.SET_NULL:
            name = relation.field.name
            manager = relation.related_model._base_manager
            manager.filter(**{f"{name}__in": queryset.values("pk")}).update(**{name: None})
    queryset._raw_delete(queryset.db)


def _bulk_create(model: Any, objects: list[Any]) -> int:
    model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    return len(objects)


def _clear() -> None:
    """Delete the previous demo data except the region and authority rows, which are updated in
    place (so anything else that points at them, like a user's membership, survives a re-run)."""
    _delete_quickly(Observation.objects.filter(source=Source.DEMO))
    # Figures published by approving a demo authority's returns, in the app or by the demo.
    _delete_quickly(
        Observation.objects.filter(
            source=Source.MONTHLY_RETURN,
            area_code__in=Authority.objects.filter(is_demo=True).values("gss_code"),
        )
    )
    Milestone.objects.filter(is_demo=True).delete()
    MonthlyReturn.objects.filter(is_demo=True).delete()
    Event.objects.filter(is_demo=True).delete()
    Inspection.objects.filter(is_demo=True).delete()
    StatisticalNeighbour.objects.filter(authority__is_demo=True).delete()
    # Clear DfE codes first so codes can move between kept rows without a clash.
    Authority.objects.filter(is_demo=True).update(dfe_code="")


def _upsert_areas(plan: DemoPlan) -> dict[str, int]:
    region_rows = {r.code: r for r in Region.objects.filter(code__in=[c for c, _ in plan.regions])}
    new_regions = []
    for code, name in plan.regions:
        if code in region_rows:
            region_rows[code].name = name
            region_rows[code].is_demo = True
        else:
            new_regions.append(Region(code=code, name=name, is_demo=True))
    Region.objects.bulk_update(list(region_rows.values()), ["name", "is_demo"])
    Region.objects.bulk_create(new_regions)
    region_ids = dict(
        Region.objects.filter(code__in=[c for c, _ in plan.regions]).values_list("code", "id")
    )

    codes = [a.gss_code for a in plan.authorities]
    existing = {a.gss_code: a for a in Authority.objects.filter(gss_code__in=codes)}
    new_authorities = []
    for spec in plan.authorities:
        values = dict(
            dfe_code=spec.dfe_code,
            name=spec.name,
            region_id=region_ids[spec.region_code],
            active_from=None,
            active_to=None,
            successor=None,
            is_demo=True,
        )
        if spec.gss_code in existing:
            row = existing[spec.gss_code]
            for key, value in values.items():
                setattr(row, key, value)
        else:
            new_authorities.append(Authority(gss_code=spec.gss_code, **values))
    Authority.objects.bulk_update(
        list(existing.values()),
        ["dfe_code", "name", "region", "active_from", "active_to", "successor", "is_demo"],
    )
    Authority.objects.bulk_create(new_authorities)
    # Demo areas this plan no longer has (a re-run with fewer authorities).
    Authority.objects.filter(is_demo=True).exclude(gss_code__in=codes).delete()
    (
        Region.objects.filter(is_demo=True)
        .exclude(code__in=region_ids)
        .exclude(authorities__is_demo=False)
        .delete()
    )
    return dict(Authority.objects.filter(gss_code__in=codes).values_list("gss_code", "id"))


def load_demo(
    *,
    seed: int = DEFAULT_SEED,
    authorities: int = DEFAULT_AUTHORITIES,
    months: int = DEFAULT_MONTHS,
    today: dt.date | None = None,
) -> DemoSummary:
    """Replace all demo data with a freshly generated, deterministic set. Touches nothing else."""
    started = time.perf_counter()
    validate(authorities=authorities, months=months)
    today = today or timezone.localdate()
    indicator_ids = dict(Indicator.objects.values_list("code", "id"))
    missing = [row["code"] for row in catalogue_rows() if row["code"] not in indicator_ids]
    if missing:
        raise ValueError(f"Indicators missing from the database (run migrate): {missing}")

    with transaction.atomic(using=router.db_for_write(Observation)):
        official = Authority.objects.filter(is_demo=False)
        plan = build_plan(
            seed=seed,
            authorities=authorities,
            months=months,
            today=today,
            taken_gss=set(official.values_list("gss_code", flat=True)),
            taken_dfe=set(official.exclude(dfe_code="").values_list("dfe_code", flat=True)),
            taken_regions=set(Region.objects.filter(is_demo=False).values_list("code", flat=True)),
        )
        _clear()
        ids = _upsert_areas(plan)
        authority_ids = [ids[a.gss_code] for a in plan.authorities]

        neighbours = _bulk_create(
            StatisticalNeighbour,
            [
                StatisticalNeighbour(
                    authority_id=authority_ids[a],
                    neighbour_id=authority_ids[b],
                    model_year=NEIGHBOUR_MODEL_YEAR,
                    rank=rank,
                    closeness=closeness,
                )
                for a, b, rank, closeness in plan.neighbours
            ],
        )

        # Non-demo rows a user made on a demo authority survive; skip demo rows that would clash.
        kept = Inspection.objects.filter(authority_id__in=authority_ids)
        taken_visits = set(kept.values_list("authority_id", "framework", "kind", "start_date"))
        inspections = _bulk_create(
            Inspection,
            [
                Inspection(
                    authority_id=authority_ids[i.authority],
                    framework=i.framework,
                    kind=i.kind,
                    start_date=i.start,
                    end_date=i.end,
                    published_date=i.published,
                    overall_grade=i.grade,
                    sub_judgements=i.sub_judgements,
                    source=SIMULATED,
                    is_demo=True,
                )
                for i in plan.inspections
                if (authority_ids[i.authority], i.framework, i.kind, i.start) not in taken_visits
            ],
        )
        kept_events = Event.objects.filter(authority_id__in=authority_ids)
        taken_events = set(
            kept_events.values_list("authority_id", "date", "category", "description")
        )
        events = _bulk_create(
            Event,
            [
                Event(
                    authority_id=authority_ids[e.authority],
                    date=e.date,
                    precision=e.precision,
                    date_label=e.date_label,
                    category=e.category,
                    detail_type=e.detail_type,
                    description=e.description,
                    document=SIMULATED,
                    is_demo=True,
                )
                for e in plan.events
                if (authority_ids[e.authority], e.date, e.category, e.description)
                not in taken_events
            ],
        )
        kept_milestones = Milestone.objects.filter(authority_id__in=authority_ids)
        taken_due = set(kept_milestones.values_list("authority_id", "indicator_id", "due_date"))
        milestones = _bulk_create(
            Milestone,
            [
                Milestone(
                    authority_id=authority_ids[m.authority],
                    indicator_id=indicator_ids[m.indicator],
                    due_date=m.due_date,
                    value=m.value,
                    tolerance=m.tolerance,
                    note=m.note,
                    document=SIMULATED,
                    is_demo=True,
                )
                for m in plan.milestones
                if (authority_ids[m.authority], indicator_ids[m.indicator], m.due_date)
                not in taken_due
            ],
        )
        kept_returns = MonthlyReturn.objects.filter(authority_id__in=authority_ids)
        taken_months = set(kept_returns.values_list("authority_id", "month"))
        zone = timezone.get_current_timezone()
        returns = _bulk_create(
            MonthlyReturn,
            [
                MonthlyReturn(
                    authority_id=authority_id,
                    month=month,
                    status=ReturnStatus.APPROVED,
                    submitted_at=submitted,
                    approved_at=submitted + dt.timedelta(hours=5),
                    is_demo=True,
                )
                # The latest month is left open, so the demo's data officer has a return to
                # enter (it is not due until the 15th of this month, so not overdue).
                for month in plan.months[:-1]
                for submitted in [
                    dt.datetime.combine(
                        min(month_last(month_index(month)) + dt.timedelta(days=8), today),
                        dt.time(9, 30),
                        tzinfo=zone,
                    )
                ]
                for authority_id in authority_ids
                if (authority_id, month) not in taken_months
            ],
        )
        observations = _insert_observations(plan, indicator_ids, f"load_demo seed {seed}")

    return DemoSummary(
        seed=seed,
        regions=len(plan.regions),
        authorities=len(plan.authorities),
        neighbours=neighbours,
        observations=observations,
        inspections=inspections,
        events=events,
        milestones=milestones,
        returns=returns,
        first_month=plan.months[0] if plan.months else None,
        last_month=plan.months[-1] if plan.months else None,
        seconds=time.perf_counter() - started,
    )


@transaction.atomic
def fill_demo_return_values(authority: Authority) -> int:
    """Make the authority the one that sends its returns through Trajectory (the demo users'):
    its approved demo returns get the figures they were approved with (the demo observations
    for their month), and those monthly figures become published return figures (source
    "monthly return"), as approving them in the app would have made them. The open month keeps
    no figure until its return is approved, so the chart and headlines show one monthly series.

    Only one authority's: the rest keep their figures as observations, which is all the charts
    need, and the national-scale load stays fast.
    """
    from .services import release_name  # services imports much of the app; only needed here

    returns = {
        r.month: r
        for r in MonthlyReturn.objects.filter(
            authority=authority, is_demo=True, status=ReturnStatus.APPROVED
        )
    }
    mine = Observation.objects.filter(
        area_code=authority.gss_code,
        period_kind=PeriodKind.MONTH,
        indicator__in_monthly_return=True,
    )
    # Simulated figures, or the same figures already published by an earlier run.
    monthly = mine.filter(
        source__in=[Source.DEMO, Source.MONTHLY_RETURN], period_start__in=list(returns)
    ).values_list("id", "period_start", "indicator_id", "value", "numerator", "denominator")
    ReturnValue.objects.filter(monthly_return__in=list(returns.values())).delete()
    values = []
    published = []
    for pk, month, indicator_id, value, numerator, denominator in monthly:
        monthly_return = returns[month]
        values.append(
            ReturnValue(
                monthly_return=monthly_return,
                indicator_id=indicator_id,
                value=value,
                numerator=numerator,
                denominator=denominator,
                internal_note="Simulated figure from the demo generator.",
            )
        )
        approved = timezone.localtime(monthly_return.approved_at).date()
        published.append(
            Observation(
                pk=pk,
                source=Source.MONTHLY_RETURN,
                release=release_name(monthly_return),
                section=f"Approved on {approved.day} {approved:%B %Y} (simulated return)",
            )
        )
    ReturnValue.objects.bulk_create(values, batch_size=2000)
    Observation.objects.bulk_update(published, ["source", "release", "section"], batch_size=2000)
    # The months without an approved return (the open one): no figure until it is approved.
    mine.filter(source=Source.DEMO).exclude(period_start__in=list(returns)).delete()
    return len(values)
