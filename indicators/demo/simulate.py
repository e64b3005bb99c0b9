"""Monthly figures for every demo authority, drawn from its latent performance: counts as
Poisson flows and autocorrelated stocks, timeliness as binomial shares, the workforce from
caseloads and agency use. Pure numpy."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[np.float64]

# Contacts and referrals dip in the school holidays.
SEASON = np.array([1.02, 1.05, 1.08, 1.0, 1.03, 1.05, 1.02, 0.80, 0.98, 1.10, 1.08, 0.85])
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


def sigmoid(x: Array) -> Array:
    return 1.0 / (1.0 + np.exp(-x))


def logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def ar1(rng: np.random.Generator, shape: tuple[int, int], phi: float, sigma: float) -> Array:
    """Autocorrelated noise along the second axis, stationary with standard deviation sigma."""
    shocks = rng.normal(0.0, sigma * np.sqrt(1 - phi**2), size=shape)
    out = np.empty(shape)
    out[:, 0] = rng.normal(0.0, sigma, size=shape[0])
    for t in range(1, shape[1]):
        out[:, t] = phi * out[:, t - 1] + shocks[:, t]
    return out


@dataclass
class Series:
    """Monthly figures for every authority over the whole month grid."""

    num: Array
    den: Array | None = None
    scale: float = 1.0


def simulate(
    rng: np.random.Generator,
    performance: Array,
    population: Array,
    deprivation: Array,
    urbanity: Array,
    grid: npt.NDArray[np.int64],
) -> dict[str, Series]:
    n, t = performance.shape
    shape = (n, t)
    years = grid / 12.0
    x = performance - 0.5
    per10k = (population / 10_000.0)[:, None] * (1 + 0.003 * (years - 2020))[None, :]
    need = np.exp(0.25 * deprivation)[:, None]
    season = SEASON[grid % 12][None, :]
    out: dict[str, Series] = {}

    def flow(rate: float, sigma: float = 0.05) -> Array:
        mean = per10k * rate * need * season * np.exp(ar1(rng, shape, 0.8, sigma))
        return rng.poisson(mean).astype(float)

    def stock(mean: Array, sigma: float = 0.04) -> Array:
        return np.rint(mean * np.exp(ar1(rng, shape, 0.95, sigma)))

    def share(code: str) -> Array:
        middle, slope, spread = TIMELINESS[code]
        effect = rng.normal(0, spread, size=(n, 1))
        noise = ar1(rng, shape, 0.7, 0.12)
        return sigmoid(logit(middle) + slope * x + effect + noise)

    def ratio(code: str, den: Array) -> None:
        den = np.maximum(den, 1.0)
        num = rng.binomial(den.astype(np.int64), share(code)).astype(float)
        out[code] = Series(num, den, 100.0)

    contacts = flow(170)
    referrals = flow(45)
    s47 = flow(14, 0.08)
    out["contacts"] = Series(contacts)
    out["referrals"] = Series(referrals)
    out["s47_enquiries"] = Series(s47)
    ratio("contacts_decided_1wd_pct", contacts)
    ratio("rereferrals_12m_pct", referrals)
    ratio("assessments_45wd_pct", rng.poisson(referrals * 0.85).astype(float))
    ratio("icpc_15wd_pct", rng.binomial(s47.astype(np.int64), 0.35).astype(float))

    cp_plans = stock(per10k * 42 * need * (1 + 0.25 * (0.5 - performance)))
    cla_growth = 1 + 0.015 * (np.minimum(years, 2023) - 2016)
    cla = stock(per10k * 68 * need**1.2 * cla_growth[None, :])
    out["cp_plans"] = Series(cp_plans)
    out["cla"] = Series(cla)
    ratio("cp_plans_repeat_pct", rng.poisson(cp_plans * 0.09).astype(float))
    ratio("cp_visits_in_time_pct", cp_plans)
    ratio("cla_visits_in_time_pct", cla)
    ratio("cla_reviews_in_time_pct", rng.poisson(cla * 0.28).astype(float))
    ratio("rhi_72h_pct", rng.poisson(cla * 0.07).astype(float))
    leavers = stock(cla * 0.55, 0.05)
    ratio("care_leavers_eet_pct", leavers)
    ratio("care_leavers_accom_pct", leavers)

    open_cases = stock(per10k * 330 * need, 0.05)
    unallocated_share = sigmoid(
        logit(0.02) - 3.0 * x + rng.normal(0, 0.4, size=(n, 1)) + ar1(rng, shape, 0.7, 0.2)
    )
    out["unallocated_cases"] = Series(
        rng.binomial(open_cases.astype(np.int64), unallocated_share).astype(float)
    )
    caseload = (
        13.0
        + 16.0 * (1.0 - performance) ** 1.5
        + rng.normal(0, 1.5, size=(n, 1))
        + ar1(rng, shape, 0.8, 0.6)
    )
    caseload = np.clip(caseload, 9.0, 34.0)
    case_holders = np.maximum(np.round(open_cases / caseload, 1), 1.0)
    out["avg_caseload"] = Series(open_cases, case_holders, 1.0)

    workers = np.maximum(
        np.round(
            per10k * 27 * np.exp(rng.normal(0, 0.1, size=(n, 1)) + ar1(rng, shape, 0.9, 0.03)), 1
        ),
        5.0,
    )
    national = 0.04 * (np.minimum(years, 2022) - 2016) - 0.05 * np.maximum(years - 2023, 0)
    agency = np.clip(
        sigmoid(
            logit(0.15)
            - 2.4 * x
            + 0.2 * (urbanity[:, None] - 0.5)
            + national[None, :]
            + rng.normal(0, 0.3, size=(n, 1))
            + ar1(rng, shape, 0.85, 0.08)
        ),
        0.02,
        0.40,
    )
    out["agency_sw_pct"] = Series(np.round(workers * agency, 1), workers, 100.0)
    posts = np.round(workers * np.exp(rng.normal(0.05, 0.03, size=(n, 1))), 1)
    vacancy = np.clip(
        sigmoid(
            logit(0.16) - 2.0 * x + rng.normal(0, 0.3, size=(n, 1)) + ar1(rng, shape, 0.85, 0.08)
        ),
        0.01,
        0.45,
    )
    out["sw_vacancy_pct"] = Series(np.round(posts * vacancy, 1), posts, 100.0)
    ratio("supervision_in_time_pct", np.rint(workers * 0.95))
    return out
