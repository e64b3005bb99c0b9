"""The milestones' pages, under /authorities/<gss>/milestones/: add, change, remove and the
history. Thin: who may change them is checked here and again in the services."""

from __future__ import annotations

from typing import NoReturn

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from authorities.models import Authority
from authorities.toolkit.text import lower_first

from . import services
from .history import milestone_history as milestone_changes
from .milestone_forms import MilestoneForm, MilestoneRemovalForm
from .models import Milestone
from .views import authority_or_404


def _managed_authority(request: HttpRequest, gss_code: str) -> Authority | None:
    """The authority, if the person may change its plan; None when they must sign in first."""
    authority = authority_or_404(gss_code)
    if not request.user.is_authenticated:
        return None
    if not services.may_manage(request.user, authority):
        raise PermissionDenied(services.refusal(authority))
    return authority


def _milestones_url(authority: Authority) -> str:
    return reverse("reports:authority", args=[authority.gss_code]) + "#milestones"


def _current(milestone: Milestone) -> NoReturn:
    """Raised by a service when someone removed the milestone meanwhile: a 404 that says so."""
    raise Http404(f"This milestone has been removed (milestone {milestone.pk})")


def _saved_words(form: MilestoneForm, saved: Milestone, verb: str) -> str:
    text = (
        f"Milestone {verb}: {lower_first(saved.indicator.name)} {saved.value:g} "
        f"by {saved.due_date.day} {saved.due_date:%B %Y}"
    )
    if form.due_in_the_past:
        text += ". The due date is in the past, so it is recorded as an earlier stage of the plan"
    return text


@require_http_methods(["GET", "POST"])
def milestone_form(request: HttpRequest, gss_code: str, pk: int | None = None) -> HttpResponse:
    authority = _managed_authority(request, gss_code)
    if authority is None:
        return redirect_to_login(request.get_full_path())
    milestone = get_object_or_404(Milestone, pk=pk, authority=authority) if pk else None
    form = MilestoneForm(request.POST or None, instance=milestone, authority=authority)
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            result = services.save_milestone(
                authority=authority,
                indicator=values["indicator"],
                due_date=values["due_date"],
                value=values["value"],
                tolerance=values["tolerance"],
                note=values["note"],
                user=request.user,
                milestone=milestone,
                reason=values["reason"],
            )
        except Milestone.DoesNotExist:
            _current(milestone)  # type: ignore[arg-type]
        if result.change is None:
            messages.info(request, "Nothing was changed: the milestone is as it was")
        else:
            verb = "changed" if milestone else "added"
            messages.success(request, _saved_words(form, result.milestone, verb))
        return redirect(_milestones_url(authority))
    context = {"authority": authority, "form": form, "milestone": milestone}
    return render(request, "milestones/form.html", context)


@require_http_methods(["GET", "POST"])
def milestone_delete(request: HttpRequest, gss_code: str, pk: int) -> HttpResponse:
    authority = _managed_authority(request, gss_code)
    if authority is None:
        return redirect_to_login(request.get_full_path())
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
    return render(request, "milestones/delete.html", context)


@require_GET
@never_cache  # names and reasons: for the people signed in, never a shared cache
def milestone_history(request: HttpRequest, gss_code: str) -> HttpResponse:
    """Every milestone added, changed or removed: for those who manage the plan."""
    authority = _managed_authority(request, gss_code)
    if authority is None:
        return redirect_to_login(request.get_full_path())
    context = {
        "authority": authority,
        "changes": milestone_changes(request.user, authority),
    }
    return render(request, "milestones/history.html", context)
