"""The demo's plan: everything ``load_demo`` writes, as plain data. ``build_plan`` is pure: the
same seed, sizes and date always give the same plan."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from authorities.models import ENGLAND_CODE, EventCategory
from authorities.toolkit.gss import (
    AUTHORITY_PREFIXES,
    COUNTY,
    LONDON_BOROUGH,
    METROPOLITAN,
    UNITARY,
)
from authorities.toolkit.months import last_complete_month, month_first, month_index, month_last
from indicators.catalogue import catalogue_rows
from indicators.models import AreaLevel, PeriodKind

from .history import (
    INAD,
    EventPlan,
    InspectionPlan,
    MilestoneDraft,
    MilestonePlan,
    anchors,
    archetypes_for,
    draft_milestones,
    events_after_a_fall,
    inspection_timeline,
    milestones_from,
)
from .simulate import Series, ar1, logit, sigmoid, simulate

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
EARLIEST_TODAY = dt.date(2020, 1, 1)

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
GSS_NUMBERS = (*range(901, 1000), *range(801, 900))  # 0009NN first, then 0008NN
DFE_CODES = tuple(range(500, 800))
# Children aged 0-17 by kind of authority: median and spread of a log-normal.
POPULATION_BY_PREFIX = {
    UNITARY: (42_000, 0.45),
    METROPOLITAN: (70_000, 0.35),
    LONDON_BOROUGH: (55_000, 0.25),
    COUNTY: (170_000, 0.35),
}
URBANITY_BY_PREFIX = {UNITARY: 0.5, METROPOLITAN: 0.75, LONDON_BOROUGH: 1.0, COUNTY: 0.1}

# --- indicators -------------------------------------------------------------------------------

MONTH_ABBR = _words("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec")

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
# Catalogue measures only DfE's releases give (care leavers by age, placement stability): the
# demo world does not simulate them, so a page of simulated figures never shows them.
NOT_SIMULATED = frozenset(
    {
        "care_leavers_19_21_eet_pct",
        "care_leavers_17_18_eet_pct",
        "care_leavers_19_21_accom_pct",
        "care_leavers_17_18_accom_pct",
        "cla_3plus_placements_pct",
        "cla_long_term_stability_pct",
    }
)
SYMBOL_SHARE = 0.012  # authority-years shown as a statistical symbol instead of a number


@dataclass(frozen=True)
class AuthorityPlan:
    gss_code: str
    dfe_code: str
    name: str
    region_code: str
    archetype: str
    population: int


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


def month_label(day: dt.date) -> str:
    return f"{MONTH_ABBR[day.month - 1]} {day.year}"


def _join(stem: str, ending: str) -> str:
    return stem + (ending[1:] if stem[-1] == ending[0] else ending)


def _codes(count: int, taken_gss: set[str], taken_dfe: set[str]) -> tuple[list[str], list[str]]:
    """GSS and DfE codes by position, skipping any a non-demo authority already holds.

    They do not depend on the seed, so re-running with another seed updates the same rows.
    """
    free_gss = {
        prefix: [code for n in GSS_NUMBERS if (code := f"{prefix}000{n:03d}") not in taken_gss]
        for prefix in AUTHORITY_PREFIXES
    }
    free_dfe = [code for n in DFE_CODES if (code := f"{n:03d}") not in taken_dfe]
    gss = []
    for i in range(count):
        pool = free_gss[AUTHORITY_PREFIXES[i % len(AUTHORITY_PREFIXES)]]
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
    archetypes = archetypes_for(rng, n)
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
    milestone_drafts: list[MilestoneDraft] = []
    performance = np.empty((n, len(grid)))
    grid_x = grid + 0.5
    for i in range(n):
        timeline = inspection_timeline(rng, i, archetypes[i], today)
        inspections += timeline
        graded = [plan for plan in timeline if plan.grade]
        xs, ys = anchors(rng, graded, archetypes[i], today)
        performance[i] = np.interp(grid_x, xs, ys)
        fall = next((plan for plan in graded if plan.grade == INAD), None)
        if fall is not None:
            authority_events = events_after_a_fall(rng, i, fall, today)
            events += authority_events
            if any(e.category == EventCategory.GOVERNANCE for e in authority_events):
                milestone_drafts += draft_milestones(rng, i, month_first(last))
    performance = np.clip(performance + ar1(rng, performance.shape, 0.85, 0.025), 0.02, 0.98)

    series = simulate(rng, performance, population, deprivation, urbanity, grid)
    # Boards agreed their plans a year before the latest month.
    milestones = milestones_from(milestone_drafts, series, last - 12 - grid_start)

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

    def annual(code: str, s: Series) -> tuple[Array, Array | None, list[Period]]:
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
        if code in NOT_SIMULATED:
            continue
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
            share = sigmoid(
                logit(middle)
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
