"""Pages. Views stay thin: they read the request, call selectors and render a template
(or, for an htmx request, the template's partial)."""

from __future__ import annotations

import csv
import datetime
import json
from dataclasses import dataclass
from typing import NoReturn

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from authorities.models import Action, Authority, actions_for
from indicators import services
from indicators.csv_safety import safe_row
from indicators.models import Indicator, Milestone, Source

from . import charts, presenters, selectors, statistics
from .formatting import lower_first
from .forms import MilestoneForm, MilestoneRemovalForm
from .milestone_history import milestone_history as milestone_changes
from .packs import services as pack_services

FIRST_YEAR = 2009


def _template(request: HttpRequest, page: str, partial: str) -> str:
    """The whole page, or just the region htmx asked for. A history restore gets the page."""
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return f"{page}#{partial}"
    return page


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


@dataclass
class ChartOptions:
    """What the trajectory chart shows; all of it lives in the URL, so the URL is a permalink."""

    indicator: Indicator | None
    neighbours: str
    first_year: int | None
    last_year: int | None
    show_events: bool

    def query(self, **changes: object) -> str:
        values: dict[str, str] = {
            "indicator": self.indicator.code if self.indicator else "",
            "neighbours": self.neighbours,
            "from": str(self.first_year or ""),
            "to": str(self.last_year or ""),
            "events": "on" if self.show_events else "off",
        }
        values.update({key: str(value) for key, value in changes.items()})
        return urlencode({k: v for k, v in values.items() if v != ""})


def _year(text: str | None) -> int | None:
    if text and text.isdigit() and FIRST_YEAR <= int(text) <= datetime.date.today().year + 5:
        return int(text)
    return None


def _chart_options(request: HttpRequest, available: list[Indicator]) -> ChartOptions:
    by_code = {indicator.code: indicator for indicator in available}
    chosen = by_code.get(request.GET.get("indicator", ""))
    if chosen is None and available:
        chosen = available[0]
    neighbours = request.GET.get("neighbours", statistics.MEAN)
    if neighbours not in (statistics.MEAN, statistics.MEDIAN):
        neighbours = statistics.MEAN
    first_year, last_year = _year(request.GET.get("from")), _year(request.GET.get("to"))
    if first_year and last_year and first_year > last_year:
        first_year, last_year = last_year, first_year
    return ChartOptions(
        indicator=chosen,
        neighbours=neighbours,
        first_year=first_year,
        last_year=last_year,
        show_events=request.GET.get("events", "on") != "off",
    )


def _trajectory_context(authority: Authority, options: ChartOptions) -> dict:
    if options.indicator is None:
        return {"trajectory": None}
    indicator = options.indicator
    data = selectors.trajectory(
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
    table = charts.trajectory_table(data.points)
    return {
        "trajectory": data,
        "figure": json.loads(figure.to_json()),
        "alt_text": charts.describe_trajectory(
            data.points,
            indicator_name=indicator.name,
            area_name=authority.name,
            unit=indicator.unit,
            decimals=indicator.decimals,
        ),
        "table": presenters.trajectory_table(table, data.points, indicator),
        "evidence": presenters.report_evidence(data.points, indicator),
        "events_shown": options.show_events and not data.events.empty,
        "monthly_axis": charts.monthly_on_own_axis(data.points, indicator.unit),
    }


@require_GET
@vary_on_headers("HX-Request")
def authority_detail(request: HttpRequest, gss_code: str) -> HttpResponse:
    authority = selectors.get_authority(gss_code, with_history=True)
    available = selectors.indicators_with_data(authority)
    options = _chart_options(request, available)
    context: dict = {
        "authority": authority,
        "options": options,
        "indicators": available,
        "years": list(range(FIRST_YEAR, datetime.date.today().year + 1)),
        **_trajectory_context(authority, options),
    }
    if getattr(request, "htmx", None) and not request.htmx.history_restore_request:  # type: ignore[attr-defined]
        context["shows_demo_data"] = authority.is_demo
        return render(request, "reports/authority.html#trajectory", context)
    headlines = selectors.authority_headlines(authority, neighbours_method=options.neighbours)
    context.update(
        {
            "headlines": headlines,
            "inspections": selectors.authority_inspections(authority),
            "events": selectors.authority_events(authority),
            "milestones": selectors.authority_milestones(authority),
            "can_manage_milestones": _can_manage_plan(request, authority),
            "can_make_packs": pack_services.may_make_packs(request.user, authority),
            "has_neighbours": bool(selectors.neighbour_codes(authority)),
            "shows_demo_data": authority.is_demo
            or any(h.latest.source == Source.DEMO for h in headlines),
        }
    )
    return render(request, "reports/authority.html", context)


@require_GET
def trajectory_csv(request: HttpRequest, gss_code: str) -> HttpResponse:
    """Exactly what the chart draws, as CSV: the same frame the data table is made from."""
    authority = selectors.get_authority(gss_code)
    options = _chart_options(request, selectors.indicators_with_data(authority))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    if options.indicator is None:
        response.write("Period,Period end\r\n")
        return response
    data = selectors.trajectory(
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
        "documents": selectors.authority_evidence(authority),
        "shows_demo_data": authority.is_demo,
    }
    return render(request, "reports/evidence.html", context)


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
    }
    return render(request, "reports/observation_source.html", context)


# --- milestones -------------------------------------------------------------------------------


def _can_manage_plan(request: HttpRequest, authority: Authority) -> bool:
    """Approvers and administrators of the authority (and national administrators)."""
    return Action.MANAGE_PLAN in actions_for(request.user, authority)


def _require_plan_manager(request: HttpRequest, authority: Authority) -> None:
    if not _can_manage_plan(request, authority):
        raise PermissionDenied(
            f"Only approvers and administrators of {authority.name} can change its improvement "
            "plan. Sign in with an account that manages this plan, or ask an administrator to "
            "give your account that role."
        )


def _milestones_url(authority: Authority) -> str:
    return reverse("reports:authority", args=[authority.gss_code]) + "#milestones"


def _current(milestone: Milestone) -> NoReturn:
    """Raised by a service when someone removed the milestone meanwhile: a 404 that says so."""
    raise Http404(f"This milestone has been removed (milestone {milestone.pk})")


@require_http_methods(["GET", "POST"])
def milestone_form(request: HttpRequest, gss_code: str, pk: int | None = None) -> HttpResponse:
    authority = selectors.get_authority(gss_code)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _require_plan_manager(request, authority)
    milestone = get_object_or_404(Milestone, pk=pk, authority=authority) if pk else None
    form = MilestoneForm(request.POST or None, instance=milestone, authority=authority)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.save_milestone(
                authority=authority,
                indicator=form.cleaned_data["indicator"],
                due_date=form.cleaned_data["due_date"],
                value=form.cleaned_data["value"],
                tolerance=form.cleaned_data["tolerance"],
                note=form.cleaned_data["note"],
                user=request.user,
                milestone=milestone,
                reason=form.cleaned_data["reason"],
            )
        except Milestone.DoesNotExist:
            _current(milestone)  # type: ignore[arg-type]
        saved = result.milestone
        if result.change is None:
            messages.info(request, "Nothing was changed: the milestone is as it was")
            return redirect(_milestones_url(authority))
        verb = "changed" if milestone else "added"
        text = (
            f"Milestone {verb}: {lower_first(saved.indicator.name)} {saved.value:g} "
            f"by {saved.due_date.day} {saved.due_date:%B %Y}"
        )
        if form.due_in_the_past:
            text += (
                ". The due date is in the past, so it is recorded as an earlier stage of the plan"
            )
        messages.success(request, text)
        return redirect(_milestones_url(authority))
    context = {"authority": authority, "form": form, "milestone": milestone}
    return render(request, "reports/milestone_form.html", context)


@require_http_methods(["GET", "POST"])
def milestone_delete(request: HttpRequest, gss_code: str, pk: int) -> HttpResponse:
    authority = selectors.get_authority(gss_code)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _require_plan_manager(request, authority)
    milestone = get_object_or_404(
        Milestone.objects.select_related("indicator"), pk=pk, authority=authority
    )
    form = MilestoneRemovalForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_milestone(
                milestone=milestone, user=request.user, reason=form.cleaned_data["reason"]
            )
        except Milestone.DoesNotExist:
            _current(milestone)
        messages.success(request, f"Milestone removed: {lower_first(milestone.indicator.name)}")
        return redirect(_milestones_url(authority))
    context = {"authority": authority, "milestone": milestone, "form": form}
    return render(request, "reports/milestone_delete.html", context)


@require_GET
@never_cache  # names and reasons: for the people signed in, never a shared cache
def milestone_history(request: HttpRequest, gss_code: str) -> HttpResponse:
    """Every milestone added, changed or removed: for those who manage the plan."""
    authority = selectors.get_authority(gss_code)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    _require_plan_manager(request, authority)
    context = {
        "authority": authority,
        "changes": milestone_changes(request.user, authority),
    }
    return render(request, "reports/milestone_history.html", context)
