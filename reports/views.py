"""Pages. Views stay thin: they read the request, call selectors and render a template
(or, for an htmx request, the template's partial)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from indicators.models import Source

from . import selectors


def _template(request: HttpRequest, page: str, partial: str) -> str:
    """The whole page, or just the region htmx asked for."""
    return f"{page}#{partial}" if getattr(request, "htmx", False) else page


@require_GET
@vary_on_headers("HX-Request")
def home(request: HttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    groups = selectors.authorities_by_region(search)
    count = sum(len(group.authorities) for group in groups)
    context = {
        "groups": groups,
        "search": search,
        "count": count,
        "shows_demo_data": any(a.is_demo for g in groups for a in g.authorities),
    }
    return render(request, _template(request, "reports/home.html", "results"), context)


@require_GET
def authority_detail(request: HttpRequest, gss_code: str) -> HttpResponse:
    authority = selectors.get_authority(gss_code)
    headlines = selectors.authority_headlines(authority)
    context = {
        "authority": authority,
        "headlines": headlines,
        "inspections": selectors.authority_inspections(authority),
        "events": selectors.authority_events(authority),
        "shows_demo_data": authority.is_demo
        or any(h.latest.source == Source.DEMO for h in headlines),
    }
    return render(request, "reports/authority.html", context)


@require_GET
def observation_source(request: HttpRequest, pk: int) -> HttpResponse:
    observation = selectors.get_observation(pk)
    context = {
        "observation": observation,
        "area_name": selectors.area_name(observation.area_code),
        "shows_demo_data": observation.source == Source.DEMO,
    }
    return render(request, "reports/observation_source.html", context)
