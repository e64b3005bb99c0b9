"""The improvement plan's pages, under /authorities/<gss>/plan/. Thin: who may see and change
the plan is checked here and again in the querysets and services (``selectors``,
``services``), which do the reading and writing."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from authorities.dates import long_date
from authorities.models import Action, Authority

from . import rag, selectors, services
from .forms import ActionForm, RemovalForm
from .models import ImprovementAction

View = Callable[..., HttpResponse]


def _signed_in(view: View) -> View:
    """Anonymous visitors are sent to sign in: the plan is never public."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapped


def authority_or_404(gss_code: str) -> Authority:
    try:
        return Authority.objects.select_related("region").get(gss_code=gss_code)
    except Authority.DoesNotExist:
        raise Http404(f"No authority has the GSS code {gss_code}") from None


def _seen_authority(request: HttpRequest, gss_code: str) -> Authority:
    authority = authority_or_404(gss_code)
    if not selectors.may_see(request.user, authority):
        raise PermissionDenied(
            f"{authority.name}'s improvement plan is seen only by the authority's own members "
            "and by DfE users."
        )
    return authority


def _managed_authority(request: HttpRequest, gss_code: str) -> Authority:
    authority = authority_or_404(gss_code)
    if not services.may_manage(request.user, authority):
        raise PermissionDenied(services.refusal(authority))
    return authority


def _action(request: HttpRequest, authority: Authority, pk: int) -> ImprovementAction:
    """The action, through the queryset of plans the person may change."""
    found = ImprovementAction.objects.for_user(request.user, Action.MANAGE_PLAN).select_related(
        "inspection"
    )
    return get_object_or_404(found, pk=pk, authority=authority)


def plan_url(authority: Authority) -> str:
    return reverse("plan:plan", args=[authority.gss_code])


@require_GET
@never_cache  # names and private plans: for the people signed in, never a shared cache
@_signed_in
def plan_page(request: HttpRequest, gss_code: str) -> HttpResponse:
    authority = _seen_authority(request, gss_code)
    plan = selectors.plan(request.user, authority)
    context = {
        "authority": authority,
        "plan": plan,
        "summary": plan.summary,
        "rule": rag.RULE,
        "can_manage": services.may_manage(request.user, authority),
        "shows_demo_data": authority.is_demo,
    }
    return render(request, "plan/plan.html", context)


def _saved_words(action: ImprovementAction) -> str:
    return f"{action.description[:80]} (owner {action.owner}, due by {long_date(action.due_date)})"


def _stale_context(stale: services.StaleAction) -> dict[str, Any]:
    latest = stale.latest
    return {
        "stale": stale.current,
        "stale_by": latest.changed_by_name if latest else "",
        "stale_at": latest.changed_at if latest else None,
    }


def _write(form: ActionForm, request: HttpRequest, **target: Any) -> Any:
    values = form.cleaned_data
    common = {
        "description": values["description"],
        "owner": values["owner"],
        "due_date": values["due_date"],
        "status": values["status"],
        "indicators": list(values["indicators"]),
        "inspection": values["inspection"],
        "user": request.user,
        "reason": values["reason"],
    }
    if "action" in target:
        return services.change_action(version=form.seen_version, **target, **common)
    return services.add_action(**target, **common)


@require_http_methods(["GET", "POST"])
@never_cache
@_signed_in
def action_form(request: HttpRequest, gss_code: str, pk: int | None = None) -> HttpResponse:
    authority = _managed_authority(request, gss_code)
    action = _action(request, authority, pk) if pk else None
    posted = request.POST if request.method == "POST" else None
    form = ActionForm(posted, authority=authority, action=action)
    context: dict[str, Any] = {"authority": authority, "form": form, "action": action}
    if posted is not None and form.is_valid():
        try:
            if action is None:
                saved = _write(form, request, authority=authority)
                messages.success(request, f"Action added: {_saved_words(saved)}")
            elif _write(form, request, action=action) is None:
                messages.success(request, "Nothing was changed: the action is as it was")
            else:
                messages.success(request, "Action changed")
            return redirect(plan_url(authority))
        except ImprovementAction.DoesNotExist:
            raise Http404("This action has been removed since you opened it") from None
        except services.StaleAction as stale:
            # Keep what the person typed, and show what is saved now; posting again (with the
            # version now shown) is a deliberate choice to replace it.
            data = posted.copy()
            data["version"] = str(stale.current.version)
            form = ActionForm(data, authority=authority, action=stale.current)
            form.is_valid()
            form.add_error(
                None,
                "Someone else changed this action since you opened it. Nothing was saved: "
                "check what is saved now, below, then save again to replace it with yours.",
            )
            context.update(form=form, **_stale_context(stale))
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
    return render(request, "plan/action_form.html", context)


@require_http_methods(["GET", "POST"])
@never_cache
@_signed_in
def action_remove(request: HttpRequest, gss_code: str, pk: int) -> HttpResponse:
    authority = _managed_authority(request, gss_code)
    action = _action(request, authority, pk)
    posted = request.POST if request.method == "POST" else None
    form = RemovalForm(posted, initial={"version": action.version})
    context: dict[str, Any] = {"authority": authority, "action": action, "form": form}
    if posted is not None and form.is_valid():
        try:
            services.remove_action(
                action=action,
                version=int(form.cleaned_data.get("version") or 0),
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, f"Action removed: {_saved_words(action)}")
            return redirect(plan_url(authority))
        except ImprovementAction.DoesNotExist:
            raise Http404("This action has been removed already") from None
        except services.StaleAction as stale:
            form = RemovalForm(
                {"reason": form.cleaned_data["reason"], "version": stale.current.version}
            )
            form.is_valid()
            form.add_error(
                None,
                "Someone else changed this action since you opened it. Nothing was removed: "
                "check it as it is now, then remove it again if you still mean to.",
            )
            context.update(form=form, action=stale.current, **_stale_context(stale))
    return render(request, "plan/action_remove.html", context)


@require_GET
@never_cache
@_signed_in
def plan_history(request: HttpRequest, gss_code: str) -> HttpResponse:
    """Every action added, changed or removed: for everyone who may see the plan."""
    authority = _seen_authority(request, gss_code)
    context = {
        "authority": authority,
        "changes": selectors.history(request.user, authority),
        "shows_demo_data": authority.is_demo,
    }
    return render(request, "plan/history.html", context)
