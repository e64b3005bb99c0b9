"""Reaching and entering a return: the returns a person can reach, the tracker, the return page,
saving (and submitting) it, the conflict when someone saved it meanwhile, and one field checked
as a person leaves it (htmx)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from authorities.models import Action, Authority, national_actions
from authorities.toolkit.htmx import HtmxHttpRequest, wants_region
from indicators.models import Indicator

from .. import selectors, services
from ..forms import (
    ChooseReturnForm,
    IndicatorEntryForm,
    Rebased,
    ReturnForm,
    file_as_form_data,
    note_hints,
    rebase,
    saved_since_words,
    stale_upload_refusal,
)
from ..models import MonthlyReturn
from ..selectors import SavedSince
from .common import members_only, open_month, return_url, seen_version
from .page import render_return_page

NOTHING_CHANGED = "Nothing was saved: no figure changed since the last save."


# --- the returns a person can reach -------------------------------------------------------------


@require_GET
@members_only
def index(request: HtmxHttpRequest) -> HttpResponse:
    latest = selectors.latest_month(datetime.date.today())
    visible = Authority.objects.for_user(request.user).order_by("name")
    choices = list(visible.values_list("gss_code", "name"))
    national = national_actions(request.user)
    chooser = ChooseReturnForm(
        request.GET if "authority" in request.GET else None, choices=choices, latest=latest
    )
    if chooser.is_bound and chooser.is_valid():
        gss_code = chooser.cleaned_data["authority"]
        return redirect("returns:return", gss_code, chooser.cleaned_data["month"])
    context = {
        "chooser": chooser,
        "latest": latest,
        "own": None
        if Action.VIEW in national
        else selectors.tracker(
            request.user, datetime.date.today(), action=Action.VIEW, only_senders=False
        ),
        "can_track": Authority.objects.for_user(request.user, Action.TRACK).exists(),
        "has_access": bool(choices),
    }
    return render(request, "returns/index.html", context)


@require_GET
@members_only
def tracker(request: HtmxHttpRequest) -> HttpResponse:
    if not Authority.objects.for_user(request.user, Action.TRACK).exists():
        raise PermissionDenied("The tracker is for approvers, DfE analysts and administrators")
    today = datetime.date.today()
    tracked = selectors.tracker(request.user, today)
    context = {
        "tracker": tracked,
        "today": today,
        "shows_demo_data": any(row.authority.is_demo for row in tracked.rows),
    }
    return render(request, "returns/tracker.html", context)


# --- one return ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@members_only
def return_page(request: HtmxHttpRequest, gss_code: str, month: datetime.date) -> HttpResponse:
    month = open_month(month)
    authority = selectors.get_authority_for(request.user, gss_code, Action.VIEW)
    if request.method == "GET":
        return render_return_page(request, authority, month)
    authority = selectors.get_authority_for(request.user, gss_code, Action.EDIT)
    return _save(request, authority, month)


def _posted_form(
    request: HtmxHttpRequest,
    authority: Authority,
    month: datetime.date,
    monthly_return: MonthlyReturn | None,
    version: int,
) -> ReturnForm:
    """What was posted, as the return's form at ``version``."""
    indicators = selectors.month_indicators()
    return ReturnForm(
        request.POST,
        indicators=indicators,
        beside=selectors.figures_beside(authority, month, indicators),
        saved=selectors.saved_values(monthly_return),
        version=version,
        thresholds=selectors.thresholds(),
    )


def _save(request: HtmxHttpRequest, authority: Authority, month: datetime.date) -> HttpResponse:
    monthly_return = selectors.get_return(request.user, authority, month)
    if monthly_return and monthly_return.status not in selectors.EDITABLE:
        try:
            services.require_editable(monthly_return)
        except services.ReturnRefused as refusal:
            return render_return_page(
                request, authority, month, status=409, refusal=refusal.message
            )
    posted_version = seen_version(request)
    if posted_version != (monthly_return.version if monthly_return else 0):
        return show_conflict(request, authority, month, posted_version)
    form = _posted_form(request, authority, month, monthly_return, posted_version)
    if not form.is_valid():
        return render_return_page(request, authority, month, form=form)
    try:
        result = services.save_return_values(
            authority=authority,
            month=month,
            user=request.user,
            entries=form.texts(),
            version=posted_version,
        )
    except services.StaleReturn:
        return show_conflict(request, authority, month, posted_version)
    except services.ReturnRefused as refusal:
        form.add_problems(refusal.problems)
        return render_return_page(request, authority, month, form=form, refusal=refusal.message)
    if request.POST.get("action") == "submit":
        return _submit(request, authority, month, result, monthly_return)
    if result.count:
        messages.success(request, f"Draft saved: {_saved_words(result.count)}")
    else:
        messages.info(request, NOTHING_CHANGED)
    return redirect(return_url(authority, month))


def _saved_words(count: int) -> str:
    return f"{count} change{'s' if count != 1 else ''} saved"


def _submit(
    request: HtmxHttpRequest,
    authority: Authority,
    month: datetime.date,
    result: services.SaveResult,
    opened: MonthlyReturn | None,
) -> HttpResponse:
    """Submit the return just saved; if it cannot be yet, the form again with its problems
    (beside the values saved when the page was opened, as when it was posted)."""
    saved_return = result.monthly_return
    try:
        services.submit_return(
            monthly_return=saved_return, user=request.user, version=saved_return.version
        )
    except services.ReturnRefused as refusal:
        again = _posted_form(request, authority, month, opened, saved_return.version)
        again.is_valid()
        again.add_problems(refusal.problems)
        saved = (
            f"Your draft was saved ({_saved_words(result.count)}), but the return"
            if result.count
            else "Nothing was saved, as no figure changed since the last save, and the return"
        )
        words = f"{saved} cannot be submitted yet. Put right the problems below, then submit again."
        return render_return_page(request, authority, month, form=again, refusal=words)
    messages.success(
        request, f"The {selectors.month_name(month)} return was submitted for approval"
    )
    return redirect(return_url(authority, month))


def _upload_refusal(
    request: HtmxHttpRequest,
    rebased: Rebased,
    since: dict[tuple[str, str], SavedSince],
    indicators: list[Indicator],
    stale_upload: services.StaleUpload,
) -> str:
    """Why a file was refused: the return was saved since the page (or template) it came from."""
    return stale_upload_refusal(
        stale_upload.file_name,
        rebased=rebased,
        saved_since=saved_since_words(since, indicators, request.user),
        from_template=stale_upload.from_template,
    )


def show_conflict(
    request: HtmxHttpRequest,
    authority: Authority,
    month: datetime.date,
    seen: int,
    stale_upload: services.StaleUpload | None = None,
) -> HttpResponse:
    """The return was saved since this person opened it (at version ``seen``): nothing is saved.
    Their form (or the file they uploaded, laid out as the form) is shown again at the version
    saved now: fields they did not change show what is saved now, fields they changed keep their
    input, and where someone else changed the same field a message says what is saved there, who
    saved it and when."""
    monthly_return = selectors.get_return(request.user, authority, month)
    indicators = selectors.month_indicators()
    saved = selectors.saved_values(monthly_return)
    since = selectors.saved_since(monthly_return, seen)
    posted = (
        request.POST
        if stale_upload is None
        else file_as_form_data(stale_upload.entries.rows, indicators)
    )
    rebased = rebase(posted, indicators=indicators, saved=saved, since=since, user=request.user)
    refusal = rebased.refusal
    if stale_upload is not None:
        refusal = _upload_refusal(request, rebased, since, indicators, stale_upload)
    form = ReturnForm(
        rebased.data,
        indicators=indicators,
        beside=selectors.figures_beside(authority, month, indicators),
        saved=saved,
        version=monthly_return.version if monthly_return else 0,
        thresholds=selectors.thresholds(),
    )
    form.is_valid()
    form.add_conflicts(rebased.conflicts)
    return render_return_page(request, authority, month, status=409, form=form, refusal=refusal)


@require_POST
@vary_on_headers("HX-Request")
@members_only
def validate_field(
    request: HtmxHttpRequest, gss_code: str, month: datetime.date, code: str
) -> HttpResponse:
    """One indicator's field group, checked: what htmx swaps in when a person leaves a field."""
    month = open_month(month)
    authority = selectors.get_authority_for(request.user, gss_code, Action.EDIT)
    indicator = next((i for i in selectors.month_indicators() if i.code == code), None)
    if indicator is None:
        raise Http404("No such indicator in the monthly return")
    if not wants_region(request):
        return redirect(return_url(authority, month))
    entry = IndicatorEntryForm(
        request.POST,
        indicator=indicator,
        beside=selectors.figures_beside(authority, month, [indicator])[code],
        thresholds=selectors.thresholds(),
    )
    entry.is_valid()
    context = {
        "authority": authority,
        "month": month,
        "entry": entry,
        "editable": True,
        "note_hints": note_hints(authority.name),
    }
    return render(request, "returns/return.html#checked_field", context)
