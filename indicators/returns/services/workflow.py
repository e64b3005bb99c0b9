"""The return's workflow: submitting, approving (which publishes its figures) and reopening.
Each checks who is asking, locks the return, checks the version the person saw, records the step
and either does everything or nothing."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from authorities.accounts import audit
from authorities.models import Action, AuditAction
from indicators import permalinks
from indicators.models import AreaLevel, Observation, PeriodKind, Retirement, Source
from indicators.returns.models import (
    MonthlyReturn,
    ReturnEventKind,
    ReturnStatus,
)

from .. import selectors as returns_selectors
from .. import validation
from .saving import (
    ReturnRefused,
    _check_version,
    _event,
    _locked,
    _require,
    _stored_texts,
    own_work_refusal,
    release_name,
    require_editable,
)


def submission_problems(monthly_return: MonthlyReturn) -> list[validation.Problem]:
    """Everything that stops the saved return being submitted: blanks, errors, and large
    changes without an explanation."""
    indicators = returns_selectors.month_indicators()
    saved = returns_selectors.saved_values(monthly_return)
    previous = returns_selectors.previous_values(
        monthly_return.authority, monthly_return.month, indicators
    )
    limits = returns_selectors.thresholds()
    problems: list[validation.Problem] = []
    for indicator in indicators:
        texts = _stored_texts(saved.get(indicator.code))
        checked = validation.check_entry(
            indicator, **texts, previous=previous[indicator.code], thresholds=limits
        )
        problems += checked.errors
        problems += validation.submission_problems(indicator, checked)
    return problems


@transaction.atomic
def submit_return(
    *,
    monthly_return: MonthlyReturn,
    user: AbstractBaseUser | AnonymousUser,
    version: int | None = None,
) -> MonthlyReturn:
    """Draft (or reopened) to submitted, once every indicator is filled in and every large
    change is explained."""
    monthly_return = _locked(monthly_return)
    _require(user, Action.EDIT, monthly_return, "submit")
    _check_version(monthly_return, version)
    if monthly_return.status == ReturnStatus.SUBMITTED:
        raise ReturnRefused("This return has already been submitted and is waiting for approval")
    require_editable(monthly_return)
    problems = submission_problems(monthly_return)
    if problems:
        raise ReturnRefused("The return cannot be submitted yet", problems)
    monthly_return.status = ReturnStatus.SUBMITTED
    monthly_return.submitted_at = timezone.now()
    monthly_return.submitted_by = user if user.is_authenticated else None  # type: ignore[assignment]
    monthly_return.version += 1
    monthly_return.save()
    _event(monthly_return, ReturnEventKind.SUBMITTED, user)
    audit.record(
        AuditAction.RETURN_SUBMITTED,
        user=user,
        authority=monthly_return.authority,
        detail=f"{release_name(monthly_return)}: submitted for approval",
    )
    return monthly_return


def _published(monthly_return: MonthlyReturn) -> Any:
    return Observation.objects.filter(
        source=Source.MONTHLY_RETURN,
        area_code=monthly_return.authority.gss_code,
        period_kind=PeriodKind.MONTH,
        period_start=monthly_return.month,
    )


def _publish(monthly_return: MonthlyReturn, user: Any) -> int:
    """The approved figures become Observations, with who approved them and when, and each
    figure's published note; its internal note stays in the return."""
    permalinks.retire(_published(monthly_return), reason=Retirement.REPLACED)
    month = monthly_return.month
    approved_on = timezone.localtime(monthly_return.approved_at).date()
    approver = user.get_full_name() or user.get_username()
    section = f"Approved by {approver} on {approved_on.day} {approved_on:%B %Y}"
    observations = [
        Observation(
            indicator=saved.indicator,
            area_level=AreaLevel.AUTHORITY,
            area_code=monthly_return.authority.gss_code,
            period_kind=PeriodKind.MONTH,
            period_start=month,
            period_end=returns_selectors.add_months(month, 1) - datetime.timedelta(days=1),
            period_label=f"{month:%b %Y}",
            value=saved.value,
            numerator=saved.numerator,
            denominator=saved.denominator,
            source=Source.MONTHLY_RETURN,
            release=release_name(monthly_return),
            section=section,
            note=saved.published_note,
            annex_a_upload_id=saved.annex_a_upload_id,
        )
        for saved in returns_selectors.saved_values(monthly_return).values()
        if saved.value is not None
    ]
    Observation.objects.bulk_create(observations)
    return len(observations)


@transaction.atomic
def approve_return(
    *,
    monthly_return: MonthlyReturn,
    user: AbstractBaseUser | AnonymousUser,
    version: int | None = None,
) -> MonthlyReturn:
    """Submitted to approved: the return is locked and its figures are published as
    Observations with source "monthly return". Four eyes: nobody who submitted it, or entered
    or changed any of its figures since it was last reopened (or started), may approve it, even
    if they hold the approver or administrator role."""
    monthly_return = _locked(monthly_return)
    _require(user, Action.APPROVE, monthly_return, "approve")
    _check_version(monthly_return, version)
    refusals: dict[str, str] = {
        ReturnStatus.DRAFT: "A draft cannot be approved: it must be submitted first",
        ReturnStatus.REOPENED: "This return was reopened: it must be submitted again before "
        "it can be approved",
        ReturnStatus.APPROVED: "This return has already been approved",
    }
    if monthly_return.status in refusals:
        raise ReturnRefused(refusals[monthly_return.status])
    refusal = own_work_refusal(user, monthly_return)
    if refusal:
        raise ReturnRefused(refusal)
    monthly_return.status = ReturnStatus.APPROVED
    monthly_return.approved_at = timezone.now()
    monthly_return.approved_by = user  # type: ignore[assignment]
    monthly_return.version += 1
    monthly_return.save()
    count = _publish(monthly_return, user)
    _event(monthly_return, ReturnEventKind.APPROVED, user, note=f"{count} figures published")
    audit.record(
        AuditAction.RETURN_APPROVED,
        user=user,
        authority=monthly_return.authority,
        detail=f"{release_name(monthly_return)}: {count} figures published",
    )
    return monthly_return


@transaction.atomic
def reopen_return(
    *,
    monthly_return: MonthlyReturn,
    user: AbstractBaseUser | AnonymousUser,
    reason: str,
    version: int | None = None,
) -> MonthlyReturn:
    """Submitted or approved back to editable, with a reason. An approved return's figures are
    withdrawn from the published Observations until it is approved again."""
    monthly_return = _locked(monthly_return)
    _require(user, Action.APPROVE, monthly_return, "reopen")
    _check_version(monthly_return, version)
    reason = reason.strip()
    if not reason:
        raise ReturnRefused(
            "Give a reason for reopening the return",
            [validation.Problem("", "reason", "Give a reason for reopening the return")],
        )
    if monthly_return.status not in (ReturnStatus.SUBMITTED, ReturnStatus.APPROVED):
        raise ReturnRefused(
            f"Only a submitted or approved return can be reopened; this one is "
            f"{monthly_return.get_status_display().lower()}"
        )
    # Withdrawn: no page shows them, and their links find nothing until it is approved again.
    withdrawn = permalinks.retire(_published(monthly_return), reason=Retirement.WITHDRAWN)
    monthly_return.status = ReturnStatus.REOPENED
    monthly_return.reopened_at = timezone.now()
    monthly_return.reopened_by = user  # type: ignore[assignment]
    monthly_return.reopen_reason = reason
    monthly_return.approved_at = None
    monthly_return.approved_by = None
    monthly_return.version += 1
    monthly_return.save()
    note = f"{withdrawn} published figures withdrawn" if withdrawn else ""
    _event(monthly_return, ReturnEventKind.REOPENED, user, reason=reason, note=note)
    audit.record(
        AuditAction.RETURN_REOPENED,
        user=user,
        authority=monthly_return.authority,
        detail=f"{release_name(monthly_return)}: {reason}" + (f" ({note})" if note else ""),
    )
    return monthly_return
