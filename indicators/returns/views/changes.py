"""A return's history: every change to every value (or to one value), newest first, and the
steps in its life."""

from __future__ import annotations

import datetime

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from authorities.models import Action
from authorities.toolkit.htmx import HtmxHttpRequest, render_page
from indicators.models import Indicator

from .. import selectors
from .common import members_only, open_month


@require_GET
@vary_on_headers("HX-Request")  # the 403 fragment for htmx too
@members_only
def history(
    request: HtmxHttpRequest, gss_code: str, month: datetime.date, code: str | None = None
) -> HttpResponse:
    """Every change to every value of a return (or of one value), newest first."""
    month = open_month(month)
    authority = selectors.get_authority_for(request.user, gss_code, Action.VIEW)
    indicator: Indicator | None = None
    if code is not None:
        indicator = next((i for i in selectors.month_indicators() if i.code == code), None)
        if indicator is None:
            raise Http404("No such indicator in the monthly return")
    monthly_return = selectors.get_return(request.user, authority, month)
    context = {
        "authority": authority,
        "month": month,
        "month_name": selectors.month_name(month),
        "monthly_return": monthly_return,
        "indicator": indicator,
        "changes": selectors.history_rows(monthly_return, indicator),
        "events": selectors.timeline(monthly_return),
    }
    return render_page(request, "returns/history.html", context, region="changes")
