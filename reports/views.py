"""Pages. Views stay thin: they read the request, call selectors and render a template
(or, for an htmx request, the template's partial). The authority's page is in
``reports.authority``, the comparisons in ``reports.compare``."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_safe

from authorities.toolkit.htmx import HtmxHttpRequest, render_page
from indicators.annex_a.selectors import provenance as annex_a_provenance
from indicators.models import Source

from . import selectors


@require_safe  # GET, and HEAD for load balancers
def home(request: HtmxHttpRequest) -> HttpResponse:
    search = request.GET.get("q", "").strip()[:100]
    groups = selectors.authorities_by_region(search)
    count = sum(len(group.authorities) for group in groups)
    context = {
        "groups": groups,
        "search": search,
        "count": count,
        "shows_demo_data": any(a.is_demo for g in groups for a in g.authorities),
    }
    return render_page(request, "reports/home.html", context, region="results")


@require_GET
def observation_source(request: HttpRequest, pk: int) -> HttpResponse:
    """A figure's permalink. A figure removed since (its return reopened and approved again, or
    a newer copy imported) redirects to the one published in its place, which says so; one
    withdrawn and not published again is not found, like any unpublished figure."""
    observation = selectors.find_observation(pk)
    if observation is None:
        replacement = selectors.replacement_for(pk)
        if replacement is None:
            raise Http404("No published figure has this address")
        url = reverse("reports:observation_source", args=[replacement.pk])
        # Found, not moved permanently: the figure may be replaced again, or withdrawn.
        return redirect(f"{url}?{urlencode({'replaces': pk})}")
    context = {
        "observation": observation,
        "replaced": selectors.replaced_by(observation, request.GET.get("replaces")),
        "area_name": selectors.area_name(observation.area_code),
        "shows_demo_data": observation.source == Source.DEMO,
        "annex_a": annex_a_provenance(
            observation.annex_a_upload, observation.indicator.code, observation.period_start
        ),
    }
    return render(request, "reports/observation_source.html", context)
