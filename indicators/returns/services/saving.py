"""Saving a return's figures, and the rules every write to a return shares: keyword-only, typed,
atomic."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from authorities.accounts import audit
from authorities.models import Action, AuditAction, Authority, actions_for
from indicators.models import Indicator
from indicators.returns.models import (
    ChangeVia,
    MonthlyReturn,
    ReturnEvent,
    ReturnEventKind,
    ReturnStatus,
    ReturnValue,
    ValueChange,
)

from .. import selectors as returns_selectors
from .. import uploads, validation

# --- monthly returns ---------------------------------------------------------------------------
# Every write below checks who is asking, locks the return, checks the version the person saw,
# keeps every change in the history, and either does everything or nothing.


STALE_MESSAGE = (
    "This return has been saved since you opened it (by someone else, or by you in another tab "
    "or window), so nothing was saved. Check the return as it is now, then save again."
)
OWN_SUBMISSION_MESSAGE = (
    "You submitted this return, so someone else must approve it. Ask another approver or an "
    "administrator to approve it."
)
OWN_FIGURES_MESSAGE = (
    "You entered or changed figures in this return {since}, so someone else must approve it. "
    "Ask another approver or an administrator to approve it."
)


def own_work_refusal(user: Any, monthly_return: MonthlyReturn) -> str:
    """Why ``user`` may not approve the return (four eyes), or "" if they may."""
    own = returns_selectors.own_work(user, monthly_return)
    if own == returns_selectors.OwnWork.SUBMITTED:
        return OWN_SUBMISSION_MESSAGE
    if own == returns_selectors.OwnWork.CHANGED:
        return OWN_FIGURES_MESSAGE.format(since=returns_selectors.since_opened(monthly_return))
    return ""


class ReturnRefused(Exception):
    """A change to a return that is not allowed; nothing has been written."""

    def __init__(self, message: str, problems: list[validation.Problem] | None = None):
        self.message = message
        self.problems = problems or []
        super().__init__(message)


class StaleReturn(ReturnRefused):
    """The person saw an older version of the return than the one saved now."""

    def __init__(self, current_version: int):
        self.current_version = current_version
        super().__init__(STALE_MESSAGE)


class StaleUpload(StaleReturn):
    """A file made from (or uploaded from a page showing) an older version of the return than
    the one saved now. It carries what the file says, so the person can be shown it laid over
    what is saved now, just as a stale form is (``forms.rebase``)."""

    def __init__(
        self, current_version: int, *, file_name: str, entries: uploads.ReturnFile, seen: int
    ):
        super().__init__(current_version)
        self.file_name = file_name
        self.entries = entries
        self.seen_version = seen

    @property
    def from_template(self) -> bool:
        """Whether the version came from the file's own template_version row."""
        return self.entries.version is not None


@dataclass
class SaveResult:
    monthly_return: MonthlyReturn
    changes: list[ValueChange] = field(default_factory=list)
    warnings: list[validation.Problem] = field(default_factory=list)
    created: bool = False

    @property
    def count(self) -> int:
        """How many things the person changed (a percentage worked out again is not one)."""
        return entered_count(self.changes)


def entered_count(changes: list[ValueChange]) -> int:
    return sum(
        1
        for change in changes
        if not (change.field == validation.VALUE and validation.is_ratio(change.indicator))
    )


_PARTS = (validation.NUMERATOR, validation.DENOMINATOR)


def _entered_fields(indicator: Indicator) -> tuple[str, ...]:
    """The fields a person fills in for the indicator (not the figure worked out for them)."""
    parts = _PARTS if validation.is_ratio(indicator) else (validation.VALUE,)
    return (*parts, *validation.NOTE_FIELDS, validation.EXPLANATION)


def _same_figure(old: float | None, new: float | None) -> bool:
    """A worked-out figure is kept to 6 decimal places; older ones may have had more."""
    if old is None or new is None:
        return old is new
    return abs(old - new) < 5e-6


EntryText = Mapping[str, str]  # field name (validation.FIELDS) to the text entered


def _require(user: Any, action: Action, monthly_return_or_authority: Any, doing: str) -> None:
    authority = getattr(monthly_return_or_authority, "authority", monthly_return_or_authority)
    if action not in actions_for(user, authority):
        who = {
            Action.EDIT: "a data officer or administrator",
            Action.APPROVE: "an approver or administrator",
        }.get(action, "a member")
        raise ReturnRefused(f"Only {who} of {authority.name} can {doing} its return")


def _check_version(monthly_return: MonthlyReturn, version: int | None) -> None:
    if version is not None and version != monthly_return.version:
        raise StaleReturn(monthly_return.version)


def _locked(monthly_return: MonthlyReturn) -> MonthlyReturn:
    return (
        MonthlyReturn.objects.select_for_update()
        .select_related("authority")
        .get(pk=monthly_return.pk)
    )


def require_editable(monthly_return: MonthlyReturn) -> None:
    if monthly_return.status == ReturnStatus.APPROVED:
        raise ReturnRefused(
            "This return has been approved, so it cannot be changed. An approver can reopen "
            "it, giving a reason."
        )
    if monthly_return.status == ReturnStatus.SUBMITTED:
        raise ReturnRefused(
            "This return has been submitted for approval, so it cannot be changed. An approver "
            "can reopen it, giving a reason."
        )


def _event(
    monthly_return: MonthlyReturn, kind: str, user: Any, *, reason: str = "", note: str = ""
) -> ReturnEvent:
    return ReturnEvent.objects.create(
        monthly_return=monthly_return,
        kind=kind,
        user=user if user.is_authenticated else None,
        at=timezone.now(),
        reason=reason,
        note=note[:300],
        version=monthly_return.version,
    )


def _stored_texts(saved: ReturnValue | None) -> dict[str, str]:
    if saved is None:
        return dict.fromkeys(validation.FIELDS, "")
    return {
        validation.VALUE: validation.number_text(saved.value),
        validation.NUMERATOR: validation.number_text(saved.numerator),
        validation.DENOMINATOR: validation.number_text(saved.denominator),
        validation.INTERNAL_NOTE: saved.internal_note,
        validation.PUBLISHED_NOTE: saved.published_note,
        validation.EXPLANATION: saved.explanation,
    }


def _checked_texts(checked: validation.Checked) -> dict[str, str]:
    return {
        validation.VALUE: validation.number_text(checked.value),
        validation.NUMERATOR: validation.number_text(checked.numerator),
        validation.DENOMINATOR: validation.number_text(checked.denominator),
        validation.INTERNAL_NOTE: checked.internal_note,
        validation.PUBLISHED_NOTE: checked.published_note,
        validation.EXPLANATION: checked.explanation,
    }


def check_entries(
    *, authority: Authority, month: datetime.date, entries: Mapping[str, EntryText]
) -> dict[str, validation.Checked]:
    """The rules applied to every entry, against last month's figures. Raises ReturnRefused
    for an indicator that is not in the return."""
    indicators = {i.code: i for i in returns_selectors.month_indicators()}
    unknown = sorted(set(entries) - set(indicators))
    if unknown:
        raise ReturnRefused(f"Not in the monthly return: {', '.join(unknown)}")
    wanted = [indicators[code] for code in entries]
    previous = returns_selectors.previous_values(authority, month, wanted)
    limits = returns_selectors.thresholds()
    return {
        indicator.code: validation.check_entry(
            indicator,
            value=entries[indicator.code].get(validation.VALUE, ""),
            numerator=entries[indicator.code].get(validation.NUMERATOR, ""),
            denominator=entries[indicator.code].get(validation.DENOMINATOR, ""),
            internal_note=entries[indicator.code].get(validation.INTERNAL_NOTE, ""),
            published_note=entries[indicator.code].get(validation.PUBLISHED_NOTE, ""),
            explanation=entries[indicator.code].get(validation.EXPLANATION, ""),
            previous=previous[indicator.code],
            thresholds=limits,
        )
        for indicator in wanted
    }


@transaction.atomic
def save_return_values(
    *,
    authority: Authority,
    month: datetime.date,
    user: AbstractBaseUser | AnonymousUser,
    entries: Mapping[str, EntryText],
    version: int | None,
    via: str = ChangeVia.FORM,
    reason: str = "",
    annex_a_upload: Any = None,
) -> SaveResult:
    """Save a draft: the entries given (indicator code to the text of each field), starting the
    return if needed. ``version`` is the version the person saw (0 for a return not yet started;
    None to skip the check). Every change is kept as a ValueChange with old and new."""
    _require(user, Action.EDIT, authority, "change")
    if month.day != 1:
        raise ValueError("A return's month is given by its first day")
    monthly_return, created = MonthlyReturn.objects.select_for_update().get_or_create(
        authority=authority, month=month
    )
    if created:
        if version not in (None, 0):
            raise StaleReturn(monthly_return.version)
    else:
        _check_version(monthly_return, version)
        require_editable(monthly_return)

    checked = check_entries(authority=authority, month=month, entries=entries)
    problems = validation.all_problems(checked.values())
    if problems:
        raise ReturnRefused("The return has problems, so nothing was saved", problems)

    if not created:
        monthly_return.version += 1
    now = timezone.now()
    existing = {
        value.indicator.code: value
        for value in ReturnValue.objects.filter(monthly_return=monthly_return).select_related(
            "indicator"
        )
    }
    indicators = {i.code: i for i in returns_selectors.month_indicators()}
    changes: list[ValueChange] = []
    for code, entry in checked.items():
        indicator = indicators[code]
        saved = existing.get(code)
        written = entry.internal_note or entry.published_note or entry.explanation
        if saved is None and entry.is_blank and not written:
            continue
        old, new = _stored_texts(saved), _checked_texts(entry)
        # Only what the person enters is compared: the count, or the two parts (a percentage
        # worked out again from unchanged parts may round differently, and is not a change).
        differing = [
            name
            for name in _entered_fields(indicator)
            if not validation.same_entry(
                old[name], new[name], number=name in validation.NUMBER_FIELDS
            )
        ]
        if not differing:
            continue
        ratio = validation.is_ratio(indicator)
        parts_changed = ratio and any(name in differing for name in _PARTS)
        if parts_changed and not _same_figure(saved.value if saved else None, entry.value):
            differing.append(validation.VALUE)  # the figure worked out from the parts
        for name in differing:
            changes.append(
                ValueChange(
                    monthly_return=monthly_return,
                    indicator=indicator,
                    field=name,
                    old=old[name],
                    new=new[name],
                    changed_by=user if user.is_authenticated else None,  # type: ignore[misc]
                    changed_at=now,
                    via=via,
                    reason=reason,
                    version=monthly_return.version,
                )
            )
        if saved is None:
            saved = ReturnValue(monthly_return=monthly_return, indicator=indicator)
        if not ratio or parts_changed:
            saved.value = entry.value
            saved.numerator, saved.denominator = entry.numerator, entry.denominator
            saved.annex_a_upload = annex_a_upload  # a figure typed over is no longer computed
        if validation.INTERNAL_NOTE in differing:
            saved.internal_note = entry.internal_note
        if validation.PUBLISHED_NOTE in differing:
            saved.published_note = entry.published_note
        if validation.EXPLANATION in differing:
            saved.explanation = entry.explanation
        saved.updated_by = user if user.is_authenticated else None  # type: ignore[assignment]
        saved.save()

    if created:
        _event(monthly_return, ReturnEventKind.CREATED, user)
    if changes:
        for change in changes:
            change.save()
        if not created:
            monthly_return.save(update_fields=["version", "updated_at"])
        kind = ReturnEventKind.UPLOADED if via == ChangeVia.UPLOAD else ReturnEventKind.SAVED
        count = entered_count(changes)
        note = f"{count} change{'s' if count != 1 else ''}"
        _event(monthly_return, kind, user, note=f"{reason}: {note}" if reason else note)
        if via != ChangeVia.UPLOAD:  # an upload is recorded by import_return_upload, with its file
            audit.record(
                AuditAction.RETURN_SAVED,
                user=user,
                authority=authority,
                detail=f"{release_name(monthly_return)}: draft saved ({via}), "
                f"{_changed_words(changes)}" + (f". {reason}" if reason else ""),
            )
    elif not created:
        monthly_return.version -= 1  # nothing changed: the version stays as it was
    warnings = [problem for entry in checked.values() for problem in entry.warnings]
    return SaveResult(monthly_return, changes=changes, warnings=warnings, created=created)


def _changed_words(changes: list[ValueChange]) -> str:
    """How many indicators, and how many of their entries, a save changed."""
    indicators = len({change.indicator_id for change in changes})
    count = entered_count(changes)
    return (
        f"{indicators} indicator{'s' if indicators != 1 else ''} changed "
        f"({count} change{'s' if count != 1 else ''})"
    )


def release_name(monthly_return: MonthlyReturn) -> str:
    return f"Monthly return {monthly_return.authority.name} {monthly_return.month:%Y-%m}"
