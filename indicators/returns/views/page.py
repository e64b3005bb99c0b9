"""The return page: everything it shows, for the page itself and for every view that shows it
again (a refusal, a conflict, a form with problems)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.messages import get_messages
from django.http import HttpResponse
from django.shortcuts import render

from authorities.models import Action, Authority, actions_for
from authorities.toolkit.htmx import HtmxHttpRequest

from .. import selectors
from ..forms import ReturnForm, UploadForm, note_hints
from ..models import MonthlyReturn, ReturnStatus

OWN_SUBMISSION_NOTE = (
    "You submitted this return: another approver must approve it. You can still reopen it to "
    "correct a mistake."
)
OWN_FIGURES_NOTE = (
    "You entered or changed figures in this return {since}: another approver must approve it. "
    "You can still reopen it to correct a mistake."
)


def blank_form(
    authority: Authority, month: datetime.date, monthly_return: MonthlyReturn | None
) -> ReturnForm:
    """The return's entry form showing what is saved now."""
    indicators = selectors.month_indicators()
    return ReturnForm(
        indicators=indicators,
        beside=selectors.figures_beside(authority, month, indicators),
        saved=selectors.saved_values(monthly_return),
        version=monthly_return.version if monthly_return else 0,
        thresholds=selectors.thresholds(),
    )


def _approval_note(own_work: selectors.OwnWork, monthly_return: MonthlyReturn | None) -> str:
    if monthly_return is None or not own_work:
        return ""
    if own_work == selectors.OwnWork.SUBMITTED:
        return OWN_SUBMISSION_NOTE
    return OWN_FIGURES_NOTE.format(since=selectors.since_opened(monthly_return))


def _workflow_context(
    user: Any, authority: Authority, monthly_return: MonthlyReturn | None, status: str
) -> dict[str, Any]:
    """What the person may do with the return now."""
    actions = actions_for(user, authority)
    # The service refuses an approval by anyone who submitted the return or changed its
    # figures (four eyes); the page offers them the reason instead of a button that would only
    # be refused.
    may_approve = Action.APPROVE in actions and status == ReturnStatus.SUBMITTED
    own_work = selectors.own_work(user, monthly_return) if may_approve else selectors.OwnWork.NONE
    return {
        "editable": Action.EDIT in actions and status in selectors.EDITABLE,
        "can_edit": Action.EDIT in actions,
        "can_approve": may_approve and not own_work,
        "approval_note": _approval_note(own_work, monthly_return),
        "can_reopen": Action.APPROVE in actions
        and status in (ReturnStatus.SUBMITTED, ReturnStatus.APPROVED),
    }


def _months_context(month: datetime.date) -> dict[str, Any]:
    latest = selectors.latest_month(datetime.date.today())
    following = selectors.add_months(month, 1)
    return {
        "month": month,
        "month_name": selectors.month_name(month),
        "due": selectors.due_date(month),
        "previous_month": selectors.add_months(month, -1),
        "next_month": following if following <= latest else None,
    }


def page_context(
    request: HtmxHttpRequest,
    authority: Authority,
    month: datetime.date,
    *,
    form: ReturnForm | None = None,
    refusal: str = "",
    upload_form: UploadForm | None = None,
) -> dict[str, Any]:
    """Everything the return page shows. ``form`` is given when re-showing what was posted."""
    monthly_return = selectors.get_return(request.user, authority, month)
    status = monthly_return.status if monthly_return else ReturnStatus.DRAFT
    if form is None:
        form = blank_form(authority, month, monthly_return)
    # Outcomes that are not a success (nothing to save) are shown as a notice, not a success.
    said = list(get_messages(request))
    return {
        "messages": [message for message in said if message.level != messages.INFO],
        "notices": [message for message in said if message.level == messages.INFO],
        # Why it was last reopened, until it is approved again.
        "shows_reopen_reason": bool(monthly_return and monthly_return.reopened_at)
        and status != ReturnStatus.APPROVED,
        "authority": authority,
        "monthly_return": monthly_return,
        "status": status,
        "status_words": monthly_return.get_status_display() if monthly_return else "Not started",
        "status_tag": selectors.STATUS_TAGS[
            monthly_return.status if monthly_return else selectors.NOT_STARTED
        ],
        "form": form,
        "errors": form.error_list,
        "refusal": refusal,
        "events": selectors.timeline(monthly_return),
        "upload_form": upload_form or UploadForm(),
        "shows_demo_data": authority.is_demo,
        "note_hints": note_hints(authority.name),
        **_months_context(month),
        **_workflow_context(request.user, authority, monthly_return, status),
    }


def render_return_page(
    request: HtmxHttpRequest,
    authority: Authority,
    month: datetime.date,
    status: int = 200,
    **kw: Any,
) -> HttpResponse:
    context = page_context(request, authority, month, **kw)
    return render(request, "returns/return.html", context, status=status)
