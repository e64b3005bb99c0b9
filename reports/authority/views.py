"""An authority's page (its headlines, trajectory chart and timeline), the chart's data as CSV,
and the evidence read out of its reports. Views stay thin: they read the request, call selectors
and chart builders, and render the page or, for htmx, the chart's region."""

from __future__ import annotations

import csv
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from authorities.models import Action, Authority, actions_for
from authorities.toolkit.csv_safety import safe_row
from authorities.toolkit.htmx import HtmxHttpRequest, render_page, wants_region
from indicators.annex_a.selectors import may_see_teams
from indicators.models import Source

from .. import presenters, selectors
from ..charts import trajectory as charts
from ..packs import services as pack_services
from ..watchlist.views import authority_page_context
from . import selectors as authority_selectors
from .forms import ChartForm, ChartOptions
from .trajectory import trajectory


def _chart(authority: Authority, options: ChartOptions) -> dict[str, Any]:
    """The trajectory chart, its text alternative and its data table, for the template."""
    indicator = options.indicator
    if indicator is None:
        return {"trajectory": None}
    data = trajectory(
        authority,
        indicator,
        neighbours_method=options.neighbours,
        first_year=options.first_year,
        last_year=options.last_year,
    )
    figure = charts.trajectory_figure(
        data.points,
        data.inspections,
        data.events,
        data.milestones,
        title="",
        unit=indicator.unit,
        decimals=indicator.decimals,
        show_events=options.show_events,
    )
    return {
        "trajectory": data,
        "figure": figure.to_json(),
        "alt_text": charts.describe_trajectory(
            data.points,
            indicator_name=indicator.name,
            area_name=authority.name,
            unit=indicator.unit,
            decimals=indicator.decimals,
        ),
        "table": presenters.trajectory_table(
            charts.trajectory_table(data.points), data.points, indicator
        ),
        "table_caption": f"{indicator.name}, {authority.name} and comparators",
        "evidence": presenters.report_evidence(data.points, indicator),
        "events_shown": options.show_events and not data.events.empty,
        "monthly_axis": charts.monthly_on_own_axis(data.points, indicator.unit),
    }


def _timeline(request: HtmxHttpRequest, authority: Authority, neighbours: str) -> dict[str, Any]:
    """What the page shows around the chart: headlines, inspections, events and milestones."""
    headlines = authority_selectors.authority_headlines(authority, neighbours_method=neighbours)
    return {
        "headlines": headlines,
        "inspections": authority_selectors.authority_inspections(authority),
        "events": authority_selectors.authority_events(authority),
        "milestones": authority_selectors.authority_milestones(authority),
        # Approvers and administrators of the authority (and national administrators).
        "can_manage_milestones": Action.MANAGE_PLAN in actions_for(request.user, authority),
        "can_make_packs": pack_services.may_make_packs(request.user, authority),
        "has_neighbours": bool(selectors.neighbour_codes(authority)),
        "shows_demo_data": authority.is_demo
        or any(h.latest.source == Source.DEMO for h in headlines),
    }


@require_GET
def authority_detail(request: HtmxHttpRequest, gss_code: str) -> HttpResponse:
    authority = selectors.get_authority(gss_code, with_history=True)
    available = selectors.indicators_with_data(authority)
    form = ChartForm(request.GET, indicators=available)
    options = form.settle()
    context: dict[str, Any] = {
        "authority": authority,
        "form": form,
        "options": options,
        "indicators": available,
        "shows_demo_data": authority.is_demo,
        **_chart(authority, options),
        **dict(
            zip(
                ("successors", "predecessors"),
                authority_selectors.reorganisation(authority),
                strict=True,
            )
        ),
    }
    if not wants_region(request):  # the chart alone needs nothing more
        context.update(_timeline(request, authority, options.neighbours))
        context.update(authority_page_context(request, authority))
        context["sees_teams"] = may_see_teams(request.user, authority)
    return render_page(request, "reports/authority.html", context, region="trajectory")


@require_GET
def trajectory_csv(request: HttpRequest, gss_code: str) -> HttpResponse:
    """Exactly what the chart draws, as CSV: the same frame the data table is made from."""
    authority = selectors.get_authority(gss_code)
    options = ChartForm(request.GET, indicators=selectors.indicators_with_data(authority)).settle()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    if options.indicator is None:
        response.write("Period,Period end\r\n")
        return response
    data = trajectory(
        authority,
        options.indicator,
        neighbours_method=options.neighbours,
        first_year=options.first_year,
        last_year=options.last_year,
    )
    table = charts.trajectory_table(data.points)
    filename = f"{authority.gss_code}-{options.indicator.code}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(safe_row(str(column) for column in table.columns))
    for row in presenters.csv_rows(table):
        writer.writerow(row)
    return response


@require_GET
def authority_evidence(request: HttpRequest, gss_code: str) -> HttpResponse:
    authority = selectors.get_authority(gss_code)
    context = {
        "authority": authority,
        "documents": authority_selectors.authority_evidence(authority),
        "shows_demo_data": authority.is_demo,
    }
    return render(request, "reports/evidence.html", context)
