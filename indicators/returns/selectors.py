"""Reads for monthly returns: the return and its values, the figures shown beside each field,
its timeline and history, and the tracker. Each costs a fixed number of queries."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.http import Http404

from authorities.models import Action, Authority
from authorities.toolkit.months import add_months as add_months  # re-exported for the views
from indicators.models import Indicator, Observation, PeriodKind, Source
from indicators.returns.models import (
    MonthlyReturn,
    ReturnEvent,
    ReturnEventKind,
    ReturnStatus,
    ReturnValue,
    ValueChange,
)

from . import validation
from .validation import Thresholds

# An authority's own figure for a month may come from several sources; the return wins.
BESIDE_SOURCE_PRIORITY = [Source.MONTHLY_RETURN, Source.OFFICIAL, Source.REPORT, Source.DEMO]
EDITABLE = (ReturnStatus.DRAFT, ReturnStatus.REOPENED)
TRACKER_MONTHS = 12


# --- months ----------------------------------------------------------------------------------


def month_slug(month: datetime.date) -> str:
    return f"{month:%Y-%m}"


def month_name(month: datetime.date) -> str:
    return f"{month:%B %Y}"


def due_day() -> int:
    return int(getattr(settings, "RETURN_DUE_DAY", 15))


def due_date(month: datetime.date) -> datetime.date:
    """A month's return is due by this day of the month after."""
    return add_months(month, 1).replace(day=due_day())


def latest_month(today: datetime.date) -> datetime.date:
    """The last month that can have a return: the month before this one has ended."""
    return add_months(today.replace(day=1), -1)


def thresholds() -> Thresholds:
    """The large-change warning threshold from the settings."""
    configured: dict[str, Any] = getattr(settings, "RETURN_CHANGE_WARNING_THRESHOLD", {})
    bounds = getattr(settings, "RETURN_CASELOAD_BOUNDS", (1.0, 60.0))
    return Thresholds(
        relative=float(configured.get("relative", 0.25)),
        percentage_points=float(configured.get("percentage_points", 10.0)),
        caseload_min=float(bounds[0]),
        caseload_max=float(bounds[1]),
    )


# --- the return ------------------------------------------------------------------------------


def month_indicators() -> list[Indicator]:
    """The indicators in the monthly return, in catalogue order."""
    return list(Indicator.objects.in_monthly_return().exclude(entry="").order_by("sort_order"))


def get_authority_for(user: Any, gss_code: str, action: str = Action.VIEW) -> Authority:
    """The authority, if ``user`` may do ``action`` with its returns: 404 when there is no such
    authority, PermissionDenied when there is but it is not theirs."""
    authority = (
        Authority.objects.for_user(user, action)
        .select_related("region")
        .filter(gss_code=gss_code)
        .first()
    )
    if authority is not None:
        return authority
    if Authority.objects.filter(gss_code=gss_code).exists():
        raise PermissionDenied(f"You do not have access to this authority's returns ({action})")
    raise Http404(f"No authority has the GSS code {gss_code}")


def get_return(user: Any, authority: Authority, month: datetime.date) -> MonthlyReturn | None:
    """The return, scoped to what ``user`` may see (None if not started)."""
    return (
        MonthlyReturn.objects.for_user(user)
        .select_related("authority", "submitted_by", "approved_by", "reopened_by")
        .filter(authority=authority, month=month)
        .first()
    )


class OwnWork(StrEnum):
    """Why a person is not a second pair of eyes on a return."""

    NONE = ""
    SUBMITTED = "submitted"
    CHANGED = "changed"


def own_work(user: Any, monthly_return: MonthlyReturn | None) -> OwnWork:
    """Whether ``user`` submitted the return, or entered or changed any of its figures (or
    their notes), since it was last reopened (or started, if it never was), by any route: then
    they may not approve it, whatever roles they hold. Read from the return's own history (its
    timeline and the value changes, each kept with the version it made), so it holds however
    the work was done. Three small queries."""
    if monthly_return is None or monthly_return.pk is None or not user.is_authenticated:
        return OwnWork.NONE
    events = ReturnEvent.objects.filter(monthly_return=monthly_return)
    opened = events.filter(kind=ReturnEventKind.REOPENED).aggregate(v=Max("version"))["v"] or 0
    if events.filter(kind=ReturnEventKind.SUBMITTED, user=user, version__gt=opened).exists():
        return OwnWork.SUBMITTED
    changes = ValueChange.objects.filter(monthly_return=monthly_return, version__gt=opened)
    if changes.filter(changed_by=user).exists():
        return OwnWork.CHANGED
    return OwnWork.NONE


def since_opened(monthly_return: MonthlyReturn) -> str:
    """Words for the stretch of a return's life ``own_work`` looks at."""
    return "since it was last reopened" if monthly_return.reopened_at else "since it was started"


def saved_values(monthly_return: MonthlyReturn | None) -> dict[str, ReturnValue]:
    if monthly_return is None:
        return {}
    values = ReturnValue.objects.filter(monthly_return=monthly_return).select_related("indicator")
    return {value.indicator.code: value for value in values}


@dataclass
class Beside:
    """The figures shown beside a field: last month and the same month a year before."""

    previous: Observation | None = None
    last_year: Observation | None = None

    @property
    def previous_value(self) -> float | None:
        return self.previous.value if self.previous else None


def figures_beside(
    authority: Authority, month: datetime.date, indicators: list[Indicator]
) -> dict[str, Beside]:
    """Last month's and last year's figures for every indicator, in one query: approved returns
    first, then any other source of the authority's own figures (official, report, demo)."""
    previous, last_year = add_months(month, -1), add_months(month, -12)
    rank: dict[str, int] = {str(s): order for order, s in enumerate(BESIDE_SOURCE_PRIORITY)}
    observations = Observation.objects.filter(
        area_code=authority.gss_code,
        period_kind=PeriodKind.MONTH,
        period_start__in=[previous, last_year],
        indicator__in=indicators,
        value__isnull=False,
    ).select_related("indicator")
    best: dict[tuple[str, datetime.date], Observation] = {}
    for observation in observations:
        key = (observation.indicator.code, observation.period_start)
        held = best.get(key)
        if held is None or rank.get(observation.source, 99) < rank.get(held.source, 99):
            best[key] = observation
    return {
        indicator.code: Beside(
            previous=best.get((indicator.code, previous)),
            last_year=best.get((indicator.code, last_year)),
        )
        for indicator in indicators
    }


def previous_values(
    authority: Authority, month: datetime.date, indicators: list[Indicator]
) -> dict[str, float | None]:
    beside = figures_beside(authority, month, indicators)
    return {code: figures.previous_value for code, figures in beside.items()}


def timeline(monthly_return: MonthlyReturn | None) -> list[ReturnEvent]:
    if monthly_return is None:
        return []
    return list(ReturnEvent.objects.filter(monthly_return=monthly_return).order_by("at", "pk"))


def changes(
    monthly_return: MonthlyReturn | None, indicator: Indicator | None = None
) -> QuerySet[ValueChange]:
    if monthly_return is None:
        return ValueChange.objects.none()
    found = ValueChange.objects.filter(monthly_return=monthly_return).select_related("indicator")
    if indicator is not None:
        found = found.filter(indicator=indicator)
    return found.order_by("-changed_at", "-pk")


@dataclass(frozen=True)
class HistoryRow:
    """One change, with its figures written as the indicator writes them."""

    change: ValueChange
    what: str
    before: str
    after: str


def _what(change: ValueChange) -> str:
    indicator = change.indicator
    if change.field == validation.VALUE and validation.is_ratio(indicator):
        worked_out = "Caseload" if validation.is_caseload(indicator) else "Percentage"
        return f"{worked_out} (worked out)"
    if change.field in (validation.NUMERATOR, validation.DENOMINATOR):
        return validation.field_label(indicator, change.field)
    return str(change.get_field_display())


def history_rows(
    monthly_return: MonthlyReturn | None, indicator: Indicator | None = None
) -> list[HistoryRow]:
    """Every change (to one indicator, if given), newest first, ready to be shown."""
    return [
        HistoryRow(
            change=change,
            what=_what(change),
            before=validation.text_shown(change.old, change.field, change.indicator),
            after=validation.text_shown(change.new, change.field, change.indicator),
        )
        for change in changes(monthly_return, indicator)
    ]


@dataclass(frozen=True)
class SavedSince:
    """A field saved after a given version of a return: what it was at that version, and the
    latest change to it (who and when)."""

    before: str
    latest: ValueChange


def saved_since(
    monthly_return: MonthlyReturn | None, version: int
) -> dict[tuple[str, str], SavedSince]:
    """(indicator code, field) to what changed after ``version``: every change to a value is
    kept with the version it made, so what a person saw at their version can be worked back
    from what is saved now. One query."""
    if monthly_return is None:
        return {}
    found: dict[tuple[str, str], SavedSince] = {}
    later = (
        ValueChange.objects.filter(monthly_return=monthly_return, version__gt=version)
        .select_related("indicator")
        .order_by("version", "changed_at", "pk")
    )
    for change in later:
        key = (change.indicator.code, change.field)
        first = found.get(key)
        found[key] = SavedSince(before=first.before if first else change.old, latest=change)
    return found


# --- the tracker -----------------------------------------------------------------------------

NOT_STARTED = "not_started"
STATUS_WORDS = {
    NOT_STARTED: "Not started",
    ReturnStatus.DRAFT: "Draft",
    ReturnStatus.SUBMITTED: "Submitted",
    ReturnStatus.APPROVED: "Approved",
    ReturnStatus.REOPENED: "Reopened",
}
STATUS_TAGS = {
    NOT_STARTED: "govuk-tag--grey",
    ReturnStatus.DRAFT: "govuk-tag--blue",
    ReturnStatus.SUBMITTED: "govuk-tag--yellow",
    ReturnStatus.APPROVED: "govuk-tag--green",
    ReturnStatus.REOPENED: "govuk-tag--purple",
}


@dataclass(frozen=True)
class TrackerCell:
    month: datetime.date
    status: str
    overdue: bool
    # Whether the authority sent returns by then: from the month of its first return on. A
    # month before that is not overdue, and the tracker does not list it.
    sending: bool = True

    @property
    def words(self) -> str:
        words = STATUS_WORDS[self.status]
        return f"Overdue: {words.lower()}" if self.overdue else words

    @property
    def tag_class(self) -> str:
        return "govuk-tag--red" if self.overdue else STATUS_TAGS[self.status]

    @property
    def slug(self) -> str:
        return month_slug(self.month)

    @property
    def due(self) -> datetime.date:
        return due_date(self.month)


@dataclass
class TrackerRow:
    authority: Authority
    cells: list[TrackerCell]

    @property
    def overdue(self) -> list[TrackerCell]:
        return [cell for cell in self.cells if cell.overdue]


@dataclass
class TrackerMonth:
    month: datetime.date
    due: datetime.date
    counts: dict[str, int] = field(default_factory=dict)
    # The authorities sending returns that month, each with its return's status.
    entries: list[tuple[Authority, TrackerCell]] = field(default_factory=list)

    @property
    def submitted(self) -> int:
        return self.counts.get(ReturnStatus.SUBMITTED, 0) + self.counts.get(
            ReturnStatus.APPROVED, 0
        )

    @property
    def overdue(self) -> int:
        return sum(1 for _, cell in self.entries if cell.overdue)

    @property
    def outstanding(self) -> list[tuple[Authority, TrackerCell]]:
        """Returns not yet submitted, the overdue ones first: what the tracker lists in full."""
        waiting = [entry for entry in self.entries if entry[1].status in (NOT_STARTED, *EDITABLE)]
        return sorted(waiting, key=lambda entry: not entry[1].overdue)

    def with_status(self, status: str) -> list[tuple[Authority, TrackerCell]]:
        return [entry for entry in self.entries if entry[1].status == status]

    @property
    def done_groups(self) -> list[tuple[str, list[tuple[Authority, TrackerCell]]]]:
        """Submitted, then approved returns: listed by name only, so a month where most
        authorities are done stays short."""
        return [
            (STATUS_WORDS[status], self.with_status(status))
            for status in (ReturnStatus.SUBMITTED, ReturnStatus.APPROVED)
        ]


@dataclass
class Tracker:
    months: list[TrackerMonth]
    rows: list[TrackerRow]

    @property
    def newest_first(self) -> list[TrackerMonth]:
        return self.months[::-1]


def tracker(
    user: Any,
    today: datetime.date,
    action: str = Action.TRACK,
    *,
    only_senders: bool = True,
    authority: Authority | None = None,
) -> Tracker:
    """Which authorities have returned which of the last 12 months, for the authorities the user
    may track (or do ``action`` with; just ``authority`` if given): one query, whatever the
    number of authorities.

    An authority sends monthly returns through Trajectory from the month of its first return
    (whatever its status): only months from then on can be overdue. With ``only_senders`` (the
    tracker), authorities that have never started a return are left out; without it (a
    member's own returns), they are listed with nothing overdue."""
    newest = latest_month(today)
    months = [add_months(newest, -offset) for offset in range(TRACKER_MONTHS - 1, -1, -1)]
    annotations: dict[str, Any] = {
        f"status_{index}": Subquery(
            MonthlyReturn.objects.filter(authority=OuterRef("pk"), month=month).values("status")[:1]
        )
        for index, month in enumerate(months)
    }
    annotations["first_month"] = Subquery(
        MonthlyReturn.objects.filter(authority=OuterRef("pk")).order_by("month").values("month")[:1]
    )
    authorities: Any = Authority.objects.for_user(user, action).active().annotate(**annotations)
    if authority is not None:
        authorities = authorities.filter(pk=authority.pk)
    if only_senders:
        authorities = authorities.filter(first_month__isnull=False)
    columns = [TrackerMonth(month=month, due=due_date(month)) for month in months]
    rows = []
    for found in authorities.order_by("name"):
        first: datetime.date | None = found.first_month  # type: ignore[attr-defined]
        cells = []
        for index, column in enumerate(columns):
            status = getattr(found, f"status_{index}") or NOT_STARTED
            sending = first is not None and column.month >= first
            overdue = sending and status in (NOT_STARTED, *EDITABLE) and today > column.due
            cell = TrackerCell(month=column.month, status=status, overdue=overdue, sending=sending)
            if sending:
                column.counts[status] = column.counts.get(status, 0) + 1
                column.entries.append((found, cell))
            cells.append(cell)
        rows.append(TrackerRow(authority=found, cells=cells))
    return Tracker(months=columns, rows=rows)
