"""Figures per team and month from the same Annex A workbook: the authority's own management
information.

A child's team is the "Allocated Team" on the row being counted (the plan's row for children on
a plan, and so on), as the lists record it on the day the workbook was produced. Team names are
matched whatever their capitalisation or spacing. Team figures hold team names and counts only;
worker names appear only in ``workers``, which is meant for the page shown to the person who
uploaded the file and nowhere else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.annex_a import values as v
from indicators.annex_a.period import Period
from indicators.annex_a.reader import AnnexA
from indicators.annex_a.rules import (
    ASSESSMENT_WORKING_DAYS,
    DEFAULT_TIMESCALES,
    Context,
    Timescales,
    as_period,
    open_cases,
    per_child,
    visit_states,
    worker_key,
)
from indicators.annex_a.working_days import month_end, working_days_between

DEFAULT_CASELOAD_THRESHOLD = 20  # the authority's caseload milestone, unless it set another
NO_TEAM = "No team recorded"


@dataclass(frozen=True)
class TeamMonth:
    """One team in one month. None means the workbook cannot say (the list is missing, or the
    figure is recorded only for the month the workbook ends)."""

    team: str
    month: dt.date
    open_cin: int | None = None
    on_plan: int | None = None
    looked_after: int | None = None
    care_leavers: int | None = None
    unallocated: int | None = None
    allocated_children: int | None = None
    workers: int | None = None
    children_per_worker_median: float | None = None
    children_per_worker_max: int | None = None
    workers_over_threshold: int | None = None
    assessments: int | None = None
    assessments_in_time: int | None = None
    cp_visits_counted: int | None = None
    cp_visits_in_time: int | None = None
    cla_visits_counted: int | None = None
    cla_visits_in_time: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            k: (x.isoformat() if isinstance(x, dt.date) else x) for k, x in self.__dict__.items()
        }


@dataclass(frozen=True)
class WorkerLoad:
    """How many open children one worker holds. For the uploader's page only."""

    team: str
    worker: str
    children: int
    over_threshold: bool


@dataclass(frozen=True)
class TeamResult:
    threshold: int
    allocation_month: dt.date | None  # the month allocation figures belong to
    rows: tuple[TeamMonth, ...]
    workers: tuple[WorkerLoad, ...]  # worker names: the uploader's page only

    @property
    def teams(self) -> tuple[str, ...]:
        return tuple(sorted({r.team for r in self.rows}))

    def for_month(self, month: dt.date) -> tuple[TeamMonth, ...]:
        return tuple(r for r in self.rows if r.month == month)

    def exceptions(self, month: dt.date) -> tuple[TeamMonth, ...]:
        """The month's teams, those furthest from the caseload milestone first."""
        return tuple(
            sorted(
                self.for_month(month),
                key=lambda r: (
                    -(r.workers_over_threshold or 0),
                    -(r.children_per_worker_max or 0),
                    -(r.unallocated or 0),
                    r.team,
                ),
            )
        )


class _Teams:
    """One display name per team, whatever the spelling in each row."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}

    def __call__(self, name: object) -> str:
        if name is None or (isinstance(name, float) and np.isnan(name)):
            return NO_TEAM
        key = v.normal(str(name))
        return self.names.setdefault(key, str(name))

    def many(self, names: np.ndarray) -> np.ndarray:
        """Display names for a column of team names, working each distinct name out once."""
        if not len(names):
            return np.array([], dtype=object)
        codes, uniques = pd.factorize(names, use_na_sentinel=True)
        shown = np.array([self(u) for u in uniques] + [NO_TEAM], dtype=object)
        return shown[codes]  # the sentinel -1 picks NO_TEAM, the last entry


def _has(annex: AnnexA, number: int, *keys: str) -> bool:
    data = annex.get(number)
    return data is not None and all(data.has(k) for k in keys)


def _children_by_team(
    annex: AnnexA, number: int, start: str, end: str, day: np.datetime64, teams: _Teams
) -> dict[str, int] | None:
    if not _has(annex, number, start, end, "team"):
        return None
    data = annex.get(number)
    assert data is not None
    s, e = data.dates(start), data.dates(end)
    ok = ~data.bad[start] & ~data.bad[end] & ~np.isnat(s)
    rows = ok & (s <= day) & (np.isnat(e) | (e > day))
    frame = pd.DataFrame(
        {"child": data.columns["child_id"][rows], "team": teams.many(data.columns["team"][rows])}
    )
    return frame.groupby("team")["child"].nunique().to_dict()


def _care_leavers_by_team(annex: AnnexA, teams: _Teams) -> dict[str, int] | None:
    if not _has(annex, 9, "team"):
        return None
    data = annex.get(9)
    assert data is not None
    frame = pd.DataFrame(
        {"child": data.columns["child_id"], "team": teams.many(data.columns["team"])}
    ).drop_duplicates("child", keep="last")
    return frame.groupby("team")["child"].nunique().to_dict()


def _assessments_by_team(
    annex: AnnexA, month: dt.date, teams: _Teams
) -> dict[str, tuple[int, int]] | None:
    if not _has(annex, 4, "assessment_start", "assessment_authorised", "team"):
        return None
    data = annex.get(4)
    assert data is not None
    s, e = data.dates("assessment_start"), data.dates("assessment_authorised")
    low, high = np.datetime64(month, "D"), np.datetime64(month_end(month), "D")
    rows = (
        ~data.bad["assessment_start"]
        & ~data.bad["assessment_authorised"]
        & ~np.isnat(s)
        & ~np.isnat(e)
        & (e >= low)
        & (e <= high)
    )
    frame = pd.DataFrame(
        {
            "team": teams.many(data.columns["team"][rows]),
            "in_time": working_days_between(s[rows], e[rows]) <= ASSESSMENT_WORKING_DAYS,
        }
    )
    grouped = frame.groupby("team")["in_time"].agg(["sum", "size"])
    return {team: (int(r["sum"]), int(r["size"])) for team, r in grouped.iterrows()}


def _visits_by_team(
    ctx: Context, number: int, keys: tuple[str, str, str], month: dt.date, teams: _Teams
) -> tuple[dict[str, tuple[int, int]], set[str]] | None:
    """(children visited in time, children) per team, and the teams left out because some
    child's state is not known that month (as the authority figure would be)."""
    if not _has(ctx.annex, number, *keys, "team"):
        return None
    data = ctx.annex.get(number)
    assert data is not None
    children, in_time, unknown, rows = visit_states(ctx, number, keys, month)
    team_names = teams.many(data.columns["team"][rows])
    known: dict[str, tuple[int, int]] = {}
    not_known: set[str] = set()
    for team in pd.unique(team_names):
        mine = team_names == team
        yes, undetermined, total = per_child(children[mine], in_time[mine], unknown[mine])
        if undetermined:
            not_known.add(str(team))
        else:
            known[str(team)] = (yes, total)
    return known, not_known


def _all_teams(annex: AnnexA, teams: _Teams) -> list[str]:
    names: set[str] = set()
    for number in (4, 6, 7, 8, 9):
        data = annex.get(number)
        if data is not None and data.has("team"):
            names.update(teams(t) for t in pd.unique(data.columns["team"]))
    return sorted(names)


def _caseloads(
    annex: AnnexA, day: dt.date, threshold: int, teams: _Teams
) -> tuple[dict[str, dict[str, float | int]], list[WorkerLoad]]:
    cases = open_cases(annex, day).frame.copy()
    cases["team"] = teams.many(cases["team"].to_numpy())
    per_team: dict[str, dict[str, float | int]] = {}
    for team, group in cases.groupby("team"):
        per_team[str(team)] = {
            "unallocated": int((group["worker"].isna() & ~group["unreadable"]).sum()),
            "allocated": int(group["worker"].notna().sum()),
        }
    allocated = cases[cases["worker"].notna()].copy()
    loads: list[WorkerLoad] = []
    if len(allocated):
        allocated["key"] = allocated["worker"].map(worker_key)
        names = allocated.drop_duplicates("key").set_index("key")["worker"]
        # A worker belongs to the team most of their children are in (ties: the first by name).
        team_of = (
            allocated.groupby(["key", "team"])
            .size()
            .reset_index(name="n")
            .sort_values(["key", "n", "team"], ascending=[True, False, True])
            .drop_duplicates("key")
            .set_index("key")["team"]
        )
        counts = allocated.groupby("key").size()
        for key, children in counts.items():
            loads.append(
                WorkerLoad(str(team_of[key]), str(names[key]), int(children), children > threshold)
            )
    loads.sort(key=lambda w: (w.team, -w.children, w.worker))
    by_team: dict[str, list[int]] = {}
    for load in loads:
        by_team.setdefault(load.team, []).append(load.children)
    for team, numbers in by_team.items():
        entry = per_team.setdefault(team, {"unallocated": 0, "allocated": 0})
        entry["workers"] = len(numbers)
        entry["median"] = float(np.median(numbers))
        entry["max"] = max(numbers)
        entry["over"] = sum(1 for n in numbers if n > threshold)
    return per_team, loads


def compute_teams(
    annex: AnnexA,
    *,
    timescales: Timescales = DEFAULT_TIMESCALES,
    period: Period | tuple[dt.date, dt.date] | None = None,
    caseload_threshold: int = DEFAULT_CASELOAD_THRESHOLD,
) -> TeamResult:
    """Per team and month: open children in need, on a plan, looked after; assessments within
    45 working days; visits within timescale. For the month the workbook ends, also care
    leavers, unallocated cases and children per worker (median, maximum, and how many workers
    hold more than ``caseload_threshold``)."""
    if caseload_threshold < 1:
        raise ValueError("The caseload milestone must be at least 1.")
    chosen = as_period(period, annex)
    if chosen is None or not chosen.months:
        return TeamResult(caseload_threshold, None, (), ())
    teams = _Teams()
    ctx = Context(annex, timescales, chosen)
    snapshot = chosen.snapshot_month
    every_team = _all_teams(annex, teams)
    rows: list[TeamMonth] = []
    workers: tuple[WorkerLoad, ...] = ()
    for month in chosen.months:
        day = np.datetime64(month_end(month), "D")
        figures: dict[str, dict[str, object]] = {team: {} for team in every_team}

        def fill(
            found: dict[str, dict[str, object]],
            zero: dict[str, object],
            figures: dict[str, dict[str, object]] = figures,
        ) -> None:
            """Teams the workbook can speak for but which had none get zeros, not blanks."""
            for team in every_team:
                figures.setdefault(team, {}).update(found.get(team, zero))

        for name, (number, start, end) in {
            "open_cin": (6, "cin_start", "cin_closure"),
            "on_plan": (7, "cp_start", "cp_end"),
            "looked_after": (8, "cla_start", "cla_end"),
        }.items():
            counts = _children_by_team(annex, number, start, end, day, teams)
            if counts is not None:
                fill({t: {name: int(c)} for t, c in counts.items()}, {name: 0})
        assessed = _assessments_by_team(annex, month, teams)
        if assessed is not None:
            fill(
                {t: {"assessments": n, "assessments_in_time": y} for t, (y, n) in assessed.items()},
                {"assessments": 0, "assessments_in_time": 0},
            )
        for number, keys, prefix in (
            (7, ("cp_start", "cp_end", "cp_last_visit"), "cp"),
            (8, ("cla_start", "cla_end", "cla_last_visit"), "cla"),
        ):
            visits = _visits_by_team(ctx, number, keys, month, teams)
            if visits is None:
                continue
            known, not_known = visits
            counted, in_time = f"{prefix}_visits_counted", f"{prefix}_visits_in_time"
            found: dict[str, dict[str, object]] = {
                t: {counted: n, in_time: y} for t, (y, n) in known.items()
            }
            found.update({t: {counted: None, in_time: None} for t in not_known})
            fill(found, {counted: 0, in_time: 0})
        if month == snapshot:
            leavers = _care_leavers_by_team(annex, teams)
            if leavers is not None:
                fill({t: {"care_leavers": int(c)} for t, c in leavers.items()}, {"care_leavers": 0})
            if _has(annex, 6, "cin_start", "cin_closure", "worker"):
                per_team, loads = _caseloads(annex, month_end(month), caseload_threshold, teams)
                workers = tuple(loads)
                fill(
                    {
                        team: {
                            "unallocated": entry["unallocated"],
                            "allocated_children": entry["allocated"],
                            "workers": entry.get("workers", 0),
                            "children_per_worker_median": entry.get("median"),
                            "children_per_worker_max": entry.get("max"),
                            "workers_over_threshold": entry.get("over", 0),
                        }
                        for team, entry in per_team.items()
                    },
                    {
                        "unallocated": 0,
                        "allocated_children": 0,
                        "workers": 0,
                        "workers_over_threshold": 0,
                    },
                )
        for team in sorted(figures):
            rows.append(TeamMonth(team=team, month=month, **figures[team]))  # type: ignore[arg-type]
    return TeamResult(caseload_threshold, snapshot, tuple(rows), workers)
