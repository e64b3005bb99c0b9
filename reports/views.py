"""Pages. Views stay thin: they read the request, call selectors and render a template
(or, for an htmx request, the template's partial). The authority's page is in
``reports.authority``, the comparisons in ``reports.compare``."""

from __future__ import annotations

from typing import NoReturn

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from authorities.models import Action, Authority, actions_for
from authorities.toolkit.htmx import HtmxHttpRequest, render_page
from indicators import services
from indicators.annex_a.selectors import provenance as annex_a_provenance
from indicators.models import Milestone, Source

from . import selectors
from .formatting import lower_first
from .forms import MilestoneForm, MilestoneRemovalForm
from .milestone_history import milestone_history as milestone_changes


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
