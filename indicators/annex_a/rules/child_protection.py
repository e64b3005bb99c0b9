"""Child protection plans: children on a plan and plans that are a repeat."""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt

from indicators.annex_a.quality import plural
from indicators.annex_a.rules.common import (
    Context,
    _children_open,
    _in,
    _Tally,
    _Unknown,
    previous_distinct,
)


def _cp_plans(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    return _children_open(ctx, 7, "cp_start", "cp_end", month)


def _repeat_plans(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    data = ctx.data(7)
    starts = data.dates("cp_start")
    ok = ctx.usable(7, ("cp_start",)) & ~np.isnat(starts)
    if "earlier_plan" not in ctx.cache:
        previous = np.full(len(data), np.datetime64("NaT", "D"), dtype="datetime64[D]")
        previous[ok] = previous_distinct(data.columns["child_id"][ok], starts[ok])
        ctx.cache["earlier_plan"] = ~np.isnat(previous)
    earlier: npt.NDArray[np.bool_] = ctx.cache["earlier_plan"]  # type: ignore[assignment]
    count = data.columns["previous_cp_plans"]
    count_ok = ~np.isnan(count) & ~data.bad["previous_cp_plans"]
    yes = earlier | (count_ok & (count >= 1))
    started = ok & _in(starts, month)
    counted = started & (yes | count_ok)
    left_out = int((started & ~counted).sum())
    notes = (
        (f"{plural(left_out, 'plan')} left out: no count of previous plans and none in the list.",)
        if left_out
        else ()
    )
    return _Tally(int((counted & yes).sum()), int(counted.sum()), int(counted.sum()), notes)
