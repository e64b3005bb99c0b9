"""Caseloads and allocation: which worker and team each open child has, unallocated children,
and children per allocated worker."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from indicators.annex_a import values as v
from indicators.annex_a.quality import plural
from indicators.annex_a.reader import AnnexA
from indicators.annex_a.rules.common import Context, _Tally, _Unknown
from indicators.annex_a.working_days import month_end


@dataclass(frozen=True)
class OpenCases:
    """Children open at a day's end, one row each: worker (None when unallocated), team, and
    whether allocation could not be read. Internal: never leaves the engine as it is."""

    frame: pd.DataFrame  # columns: child, worker, team, unreadable


_OPEN_SOURCES = (
    (8, "cla_start", "cla_end"),
    (7, "cp_start", "cp_end"),
    (6, "cin_start", "cin_closure"),
)


def open_cases(annex: AnnexA, day: dt.date) -> OpenCases:
    """Every child open at the end of ``day`` in lists 6, 7 and 8, with the worker and team from
    the most specific list naming a worker (looked after, then plan, then in need)."""
    pieces = []
    when = np.datetime64(day, "D")
    for priority, (number, start, end) in enumerate(_OPEN_SOURCES):
        data = annex.get(number)
        if data is None or not all(data.has(k) for k in (start, end, "worker")):
            continue
        s, e = data.dates(start), data.dates(end)
        ok = ~data.bad[start] & ~data.bad[end] & ~np.isnat(s)
        rows = ok & (s <= when) & (np.isnat(e) | (e > when))
        teams = data.columns["team"][rows] if data.has("team") else np.full(rows.sum(), None)
        pieces.append(
            pd.DataFrame(
                {
                    "child": data.columns["child_id"][rows],
                    "worker": data.columns["worker"][rows],
                    "team": teams,
                    "unreadable": data.bad["worker"][rows],
                    "priority": priority,
                }
            )
        )
    if not pieces:
        return OpenCases(pd.DataFrame(columns=["child", "worker", "team", "unreadable"]))
    rows = pd.concat(pieces, ignore_index=True)
    rows["named"] = rows["worker"].notna() & ~rows["unreadable"]
    # Per child: the named worker from the most specific list, else the most specific row.
    rows = rows.sort_values(["child", "named", "priority"], ascending=[True, False, True])
    chosen = rows.drop_duplicates("child", keep="first").copy()
    any_unreadable = rows.groupby("child")["unreadable"].any()
    chosen["unreadable"] = ~chosen["named"] & chosen["child"].map(any_unreadable).astype(bool)
    chosen.loc[~chosen["named"], "worker"] = None
    return OpenCases(chosen[["child", "worker", "team", "unreadable"]].reset_index(drop=True))


def _open_cases(ctx: Context, month: dt.date) -> OpenCases:
    key = f"open:{month}"
    if key not in ctx.cache:
        ctx.cache[key] = open_cases(ctx.annex, month_end(month))
    return ctx.cache[key]  # type: ignore[return-value]


def _allocation_note(unreadable: int) -> tuple[str, ...]:
    if not unreadable:
        return ()
    return (
        f"{plural(unreadable, 'child', 'children')} left out: the worker cell could not be read.",
    )


def _unallocated(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    cases = _open_cases(ctx, month).frame
    unreadable = int(cases["unreadable"].sum())
    unallocated = int((cases["worker"].isna() & ~cases["unreadable"]).sum())
    return _Tally(unallocated, rows=len(cases) - unreadable, notes=_allocation_note(unreadable))


def worker_key(name: str) -> str:
    """Workers are the same person whatever the capitalisation or spacing of their name."""
    return v.normal(name)


def _per_worker(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    cases = _open_cases(ctx, month).frame
    allocated = cases[cases["worker"].notna()]
    workers = allocated["worker"].map(worker_key).nunique()
    unreadable = int(cases["unreadable"].sum())
    return _Tally(len(allocated), int(workers), len(allocated), _allocation_note(unreadable))
