"""What every returns view shares: members only (with a 403 page, or a short fragment for htmx),
the months a return can be opened for, and the version of the return the page showed."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from authorities import dates
from authorities.models import Authority
from authorities.toolkit.htmx import HtmxHttpRequest, wants_region

from .. import selectors, uploads

CHANGED_MESSAGE = (
    "The return has changed since you opened it. Nothing was done: check it as it is now, "
    "then try again."
)
View = Callable[..., HttpResponse]


def members_only(view: View) -> View:
    """Anonymous people are sent to sign in (htmx is told to go there too); a signed-in person
    without access gets a 403 page, or a short 403 fragment for htmx."""

    @wraps(view)
    def wrapped(request: HtmxHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            if wants_region(request):
                login = redirect_to_login(request.htmx.current_url or "/returns/")
                return HttpResponseClientRedirect(login["Location"])
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as refusal:
            if wants_region(request):
                return HttpResponse(
                    "You do not have access to this.", status=403, content_type="text/plain"
                )
            return render(request, "returns/forbidden.html", {"reason": str(refusal)}, status=403)

    return wrapped


def open_month(month: datetime.date) -> datetime.date:
    """The month, if a return can be opened for it; a 404 otherwise."""
    if month not in dates.return_months(selectors.latest_month(datetime.date.today())):
        raise Http404("There is no return for that month")
    return month


def return_url(authority: Authority, month: datetime.date) -> str:
    return reverse("returns:return", args=[authority.gss_code, month])


def seen_version(request: HtmxHttpRequest) -> int:
    """The version of the return the page showed (0 for none, or for anything else sent)."""
    text = request.POST.get("version", "").strip()
    return int(text) if uploads.is_version(text) else 0
