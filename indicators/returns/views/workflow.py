"""A return's workflow on its pages: approve (which publishes its figures) and reopen."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from authorities.models import Action, Authority
from authorities.toolkit.htmx import HtmxHttpRequest

from .. import selectors, services
from ..forms import ReopenForm
from ..models import MonthlyReturn
from .common import CHANGED_MESSAGE, members_only, open_month, return_url, seen_version
from .page import render_return_page


@require_POST
@members_only
def approve(request: HtmxHttpRequest, gss_code: str, month: datetime.date) -> HttpResponse:
    month = open_month(month)
    authority = selectors.get_authority_for(request.user, gss_code, Action.APPROVE)
    monthly_return = _existing(request, authority, month)
    try:
        services.approve_return(
            monthly_return=monthly_return, user=request.user, version=seen_version(request)
        )
    except services.StaleReturn:
        return render_return_page(request, authority, month, status=409, refusal=CHANGED_MESSAGE)
    except services.ReturnRefused as refusal:
        return render_return_page(request, authority, month, status=409, refusal=refusal.message)
    messages.success(
        request,
        f"The {selectors.month_name(month)} return was approved: its figures are now published",
    )
    return redirect(return_url(authority, month))


def _existing(
    request: HtmxHttpRequest, authority: Authority, month: datetime.date
) -> MonthlyReturn:
    monthly_return = selectors.get_return(request.user, authority, month)
    if monthly_return is None:
        raise Http404("This return has not been started")
    return monthly_return


@require_http_methods(["GET", "POST"])
@members_only
def reopen(request: HtmxHttpRequest, gss_code: str, month: datetime.date) -> HttpResponse:
    month = open_month(month)
    authority = selectors.get_authority_for(request.user, gss_code, Action.APPROVE)
    monthly_return = _existing(request, authority, month)
    form = ReopenForm(request.POST or None, initial={"version": monthly_return.version})
    refusal = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen_return(
                monthly_return=monthly_return,
                user=request.user,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except services.StaleReturn:
            refusal = CHANGED_MESSAGE
        except services.ReturnRefused as problem:
            refusal = problem.message
        else:
            messages.success(
                request,
                f"The {selectors.month_name(month)} return was reopened: it can be changed and "
                "submitted again",
            )
            return redirect(return_url(authority, month))
    context = {
        "authority": authority,
        "month": month,
        "month_name": selectors.month_name(month),
        "monthly_return": monthly_return,
        "form": form,
        "refusal": refusal,
    }
    return render(request, "returns/reopen.html", context, status=409 if refusal else 200)
