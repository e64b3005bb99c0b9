"""The front door: contacts, referrals and re-referrals, assessments, section 47 enquiries and
initial child protection conferences."""

from __future__ import annotations

import datetime as dt

import numpy as np

from indicators.annex_a.quality import plural
from indicators.annex_a.rules.common import (
    ASSESSMENT_WORKING_DAYS,
    ICPC_WORKING_DAYS,
    REFERRAL_COUNT_INCLUDES_CURRENT,
    Context,
    _in,
    _Tally,
    _Unknown,
    previous_distinct,
)
from indicators.annex_a.working_days import add_months, working_days_between


def _count_dates(ctx: Context, number: int, key: str, month: dt.date) -> _Tally:
    data = ctx.data(number)
    hit = ctx.usable(number, (key,)) & _in(data.dates(key), month)
    count = int(hit.sum())
    return _Tally(count, rows=count)


def _contacts(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    return _count_dates(ctx, 1, "contact_date", month)


def _referrals(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    return _count_dates(ctx, 3, "referral_date", month)


def _s47(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    return _count_dates(ctx, 5, "strategy_date", month)


def _rereferrals(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    data = ctx.data(3)
    if "rereferral" not in ctx.cache:
        dates = data.dates("referral_date")
        ok = ctx.usable(3, ("referral_date",))
        previous = np.full(len(data), np.datetime64("NaT", "D"), dtype="datetime64[D]")
        previous[ok] = previous_distinct(data.columns["child_id"][ok], dates[ok])
        in_list = ~np.isnat(previous) & (previous >= add_months(dates, -12))
        count = data.columns["referrals_12m"]
        count_ok = ~np.isnan(count) & ~data.bad["referrals_12m"]
        threshold = 2 if REFERRAL_COUNT_INCLUDES_CURRENT else 1
        yes = in_list | (count_ok & (count >= threshold))
        ctx.cache["rereferral"] = (yes, yes | count_ok)
    cached = ctx.cache["rereferral"]
    assert isinstance(cached, tuple)
    yes, known = cached
    received = ctx.usable(3, ("referral_date",)) & _in(data.dates("referral_date"), month)
    counted = received & known
    left_out = int((received & ~known).sum())
    notes = (
        (
            f"{plural(left_out, 'referral')} left out: no count of earlier referrals and none "
            "in the list.",
        )
        if left_out
        else ()
    )
    return _Tally(int((counted & yes).sum()), int(counted.sum()), int(counted.sum()), notes)


def _within_working_days(
    ctx: Context, number: int, start: str, end: str, limit: int, month: dt.date
) -> _Tally:
    data = ctx.data(number)
    s, e = data.dates(start), data.dates(end)
    counted = ctx.usable(number, (start, end)) & _in(e, month) & ~np.isnat(s)
    days = working_days_between(s[counted], e[counted])
    return _Tally(int((days <= limit).sum()), int(counted.sum()), int(counted.sum()))


def _assessments(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    return _within_working_days(
        ctx, 4, "assessment_start", "assessment_authorised", ASSESSMENT_WORKING_DAYS, month
    )


def _icpc(ctx: Context, month: dt.date) -> _Tally | _Unknown:
    return _within_working_days(ctx, 5, "strategy_date", "icpc_date", ICPC_WORKING_DAYS, month)
