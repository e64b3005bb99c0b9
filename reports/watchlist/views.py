"""The watchlist page and its CSV, and what the authority page shows of the same flags and of
the improvement plan. Thin: the reads are in ``selectors`` and ``indicators.milestones``."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from authorities.accounts import access
from authorities.models import Authority, Region
from authorities.toolkit.csv_safety import safe_row
from indicators.milestones import selectors as plan_selectors

from . import selectors
from .forms import WatchlistForm

REFUSAL = (
    "The watchlist is for DfE users and others who may see every authority. Your account "
    "can see your own authority's page, which opens with the same flags."
)


def _watchlist(request: HttpRequest) -> tuple[WatchlistForm, selectors.Watchlist]:
    access.refuse_unless(selectors.sees_all(request.user), REFUSAL)
    regions = Region.objects.filter(authorities__isnull=False).distinct()
    form = WatchlistForm(request.GET or None, regions=list(regions))
    filters = form.filters()
    found = selectors.watchlist(
        request.user,
        region=filters["region"],
        judgement=filters["judgement"],
        flag=filters["flag"],
        sort=filters["sort"],
    )
    return form, found


def _query(form: WatchlistForm) -> str:
    """The valid filters, as the permalink's query string."""
    return urlencode({key: value for key, value in form.filters().items() if value})


@require_GET
@never_cache  # private figures (plan actions, returns): never a shared cache
@login_required
def watchlist(request: HttpRequest) -> HttpResponse:
    form, found = _watchlist(request)
    query = _query(form)
    context = {
        "form": form,
        "watchlist": found,
        "query": query,
        "flag_kinds": selectors.FLAG_KINDS,
        "filtered": any(form.filters()[key] for key in ("region", "judgement", "flag")),
        "shows_demo_data": found.shows_demo_data,
    }
    return render(request, "reports/watchlist/watchlist.html", context)


CSV_HEADER = [
    "Authority",
    "GSS code",
    "Region",
    "Simulated",
    "Latest Ofsted judgement",
    "Framework",
    "Judgement published",
    "Months since the judgement",
    "Flags",
    *selectors.FLAG_KINDS.values(),
    "Sends monthly returns",
]


def csv_row(entry: selectors.AuthorityFlags) -> list[Any]:
    judgement = entry.judgement
    authority = entry.authority
    return [
        authority.name,
        authority.gss_code,
        entry.region_name,
        "yes" if authority.is_demo else "no",
        judgement.label if judgement else "",
        judgement.framework if judgement else "",
        judgement.date.isoformat() if judgement else "",
        judgement.months if judgement else "",
        len(entry.flags),
        *(
            "; ".join(f"{flag.subject}: {flag.detail}" for flag in entry.of(kind))
            for kind in selectors.FLAG_KINDS
        ),
        "yes" if entry.sends_returns else "no",
    ]


@require_GET
@never_cache
@login_required
def watchlist_csv(request: HttpRequest) -> HttpResponse:
    """The rows the page shows, in its order, one authority a row."""
    _, found = _watchlist(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="watchlist-{found.today}.csv"'
    writer = csv.writer(response)
    writer.writerow(safe_row(CSV_HEADER))
    writer.writerows(safe_row(csv_row(entry)) for entry in found.entries)
    return response


def authority_page_context(request: HttpRequest, authority: Authority) -> dict[str, Any]:
    """What the authority page adds: the flags it opens with (the watchlist's, for this
    authority) and the improvement plan's status (None for those who may not see the plan)."""
    return {
        "attention": selectors.authority_flags(authority, user=request.user),
        "plan_summary": plan_selectors.plan_summary(authority, user=request.user),
    }
