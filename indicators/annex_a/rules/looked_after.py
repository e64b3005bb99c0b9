"""Children looked after and care leavers: children looked after, their reviews, and care
leavers' activity and accommodation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pandas as pd

from indicators.annex_a import values as v
from indicators.annex_a.quality import plural
from indicators.annex_a.rules.common import (
    Context,
    _bounds,
    _children_open,
    _latest_unknown,
    _open_at,
    _Tally,
    _Unknown,
    per_child,
)
from indicators.annex_a.working_days import add_months, working_days_between


def _cla(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    return _children_open(ctx, 8, "cla_start", "cla_end", month)


def review_states(
    ctx: Context, month: dt.date
) -> tuple[np.ndarray, npt.NDArray[np.bool_], npt.NDArray[np.bool_], npt.NDArray[np.bool_]]:
    """For children looked after at the month's end whose first review was due: child ids, in
    time, not known; and which of the list's rows those are."""
    t = ctx.timescales
    data = ctx.data(8)
    day = _bounds(month)[1]
    open_rows = _open_at(ctx, 8, "cla_start", "cla_end", day) & ctx.usable(8, ("cla_last_review",))
    s = data.dates("cla_start")
    due = open_rows.copy()
    due[open_rows] = working_days_between(s[open_rows], day) > t.cla_first_review_working_days
    s, review = s[due], data.dates("cla_last_review")[due]
    this_period = ~np.isnat(review) & (review >= s)
    held = this_period & (review <= day)
    later = this_period & (review > day)
    first = held & (working_days_between(s, review) <= t.cla_first_review_working_days)
    next_due = np.where(
        first,
        add_months(review, t.cla_second_review_months),
        add_months(review, t.cla_review_months),
    )
    in_time = held & (day <= next_due)
    return data.columns["child_id"][due], in_time, later, due


def _reviews(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    children, in_time, unknown, rows = review_states(ctx, month)
    yes, not_known, total = per_child(children, in_time, unknown)
    if not_known:
        return _latest_unknown("review", not_known, total, "children looked after", month)
    return _Tally(yes, total, int(rows.sum()))


def _care_leavers(key: str, good: str) -> Callable[..., _Tally | _Unknown]:
    def count(ctx: Context, month: dt.date) -> _Tally | _Unknown:
        data = ctx.data(9)
        usable = ctx.usable(9, ("in_touch", key))
        frame = pd.DataFrame(
            {
                "child": data.columns["child_id"][usable],
                "in_touch": data.columns["in_touch"][usable],
                "value": data.columns[key][usable],
            }
        ).drop_duplicates("child", keep="last")
        in_touch = frame[frame["in_touch"] == v.YES]
        not_recorded = int(
            in_touch["value"].isna().sum() + (in_touch["value"] == v.NOT_KNOWN).sum()
        )
        notes = (
            (
                f"{plural(not_recorded, 'care leaver')} in touch with nothing recorded, counted as "
                "not known to be.",
            )
            if not_recorded
            else ()
        )
        return _Tally(int((in_touch["value"] == good).sum()), len(in_touch), len(frame), notes)

    return count
