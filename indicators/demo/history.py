"""Each demo authority's story, drawn from its archetype: full inspections since the SIF years with
visits between, the latent performance drawn through their grades, what follows a fall to
Inadequate (a commissioner, an improvement board, a new director) and the board's milestones.
Pure: plain data out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from authorities.models import DatePrecision, EventCategory, Framework, Grade, InspectionKind
from authorities.toolkit.months import month_index, month_last

from .simulate import Series

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

FULL_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)


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


def archetypes_for(rng: np.random.Generator, count: int) -> list[str]:
    kinds: list[str] = []
    for name, share in ARCHETYPE_SHARES:
        kinds += [name] * max(1, round(share * count))
    kinds += [STEADY] * (count - len(kinds))
    return [kinds[i] for i in rng.permutation(count)]


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


def inspection_timeline(
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


def anchors(
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


def events_after_a_fall(
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
class MilestoneDraft:
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


def draft_milestones(
    rng: np.random.Generator, authority: int, last_month: dt.date
) -> list[MilestoneDraft]:
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
            drafts.append(MilestoneDraft(authority, code, stage, due, tolerance))
    return drafts


def milestones_from(
    drafts: list[MilestoneDraft], series: dict[str, Series], set_at: int
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
