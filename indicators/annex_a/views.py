"""Annex A pages: upload a workbook for an authority, accept its figures into the drafts, and
the public rules page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadhandler import MemoryFileUploadHandler
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from authorities.models import Action, Authority, actions_for
from config.security import accepts_uploads
from indicators.annex_a import (
    DEFAULT_TIMESCALES,
    HAND_ENTERED,
    MEASURES,
    RULES_VERSION,
    Analysis,
    UnreadableWorkbook,
    selectors,
    services,
)
from indicators.annex_a.forms import AnnexAUploadForm
from indicators.annex_a.models import AnnexAUpload
from indicators.returns import selectors as returns_selectors
from indicators.returns.views.common import members_only


def _editable_authority(request: HttpRequest, gss_code: str) -> Authority:
    return returns_selectors.get_authority_for(request.user, gss_code, Action.EDIT)


def _result(
    request: HttpRequest,
    authority: Authority,
    upload: AnnexAUpload,
    analysis: Analysis | None = None,
) -> HttpResponse:
    context: dict[str, Any] = {
        "authority": authority,
        "upload": upload,
        "months": selectors.comparison(upload),
        "quality": selectors.quality_by_list(upload.quality),
        "stopped": selectors.stopped_measures(upload),
        # Worker names only here, on the page that answers the upload itself: never stored.
        "workers": analysis.teams.workers if analysis else (),
        "caseload_threshold": analysis.teams.threshold if analysis else None,
    }
    return render(request, "annex_a/result.html", context)


@accepts_uploads
@csrf_exempt  # the upload handlers must be set before the token is read from the body...
@require_http_methods(["GET", "POST"])
@members_only
def upload(request: HttpRequest, gss_code: str) -> HttpResponse:
    # ... in memory only, so the workbook never touches the disk.
    request.upload_handlers = [MemoryFileUploadHandler(request)]
    return _upload(request, gss_code)


@csrf_protect  # ... and then the token is checked as for any other form.
def _upload(request: HttpRequest, gss_code: str) -> HttpResponse:
    authority = _editable_authority(request, gss_code)
    form = AnnexAUploadForm(request.POST or None, request.FILES or None)
    unreadable = ""
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["file"]
        try:
            found, analysis = services.analyse_upload(
                authority=authority, user=request.user, data=chosen.read()
            )
        except UnreadableWorkbook as problem:
            unreadable = str(problem)
        except services.UploadRefused as refusal:
            raise PermissionDenied(refusal.message) from refusal
        else:
            return _result(request, authority, found, analysis)
        finally:
            chosen.close()
    context = {"authority": authority, "form": form, "unreadable": unreadable}
    return render(request, "annex_a/upload.html", context, status=422 if unreadable else 200)


@require_GET
@members_only
def result(request: HttpRequest, gss_code: str, pk: int) -> HttpResponse:
    authority = _editable_authority(request, gss_code)
    found = selectors.upload_for(request.user, authority, pk)
    if found is None:
        raise Http404("No such Annex A upload for this authority")
    return _result(request, authority, found)


@require_POST
@members_only
def accept(request: HttpRequest, gss_code: str, pk: int) -> HttpResponse:
    authority = _editable_authority(request, gss_code)
    found = selectors.upload_for(request.user, authority, pk)
    if found is None:
        raise Http404("No such Annex A upload for this authority")
    try:
        accepted = services.accept_upload(upload=found, user=request.user)
    except services.UploadRefused as refusal:
        messages.error(request, refusal.message)
    else:
        words = f"{accepted.total} figure{'s' if accepted.total != 1 else ''} put into the drafts"
        if accepted.left:
            left = sum(accepted.left.values())
            words += (
                f". {left} figure{'s' if left != 1 else ''} in submitted or approved returns "
                "were left as they are"
            )
        if accepted.refused:
            words += ". Left as they were, as the return's rules refused them: " + "; ".join(
                accepted.refused
            )
        messages.success(request, words)
    return redirect(reverse("annex_a:result", args=[authority.gss_code, found.pk]))


@require_GET
def rules(request: HttpRequest) -> HttpResponse:
    context = {
        "measures": [(m, m.describe(DEFAULT_TIMESCALES)) for m in MEASURES],
        "rules_version": RULES_VERSION,
        "timescales": DEFAULT_TIMESCALES.described(),
        "hand_entered": _hand_entered(),
    }
    return render(request, "annex_a/rules.html", context)


def _hand_entered() -> list[str]:
    names = {i.code: i.name for i in returns_selectors.month_indicators()}
    return [names.get(code, code) for code in HAND_ENTERED]


@require_GET
@members_only
def teams(request: HttpRequest, gss_code: str) -> HttpResponse:
    authority = Authority.objects.filter(gss_code=gss_code).first()
    if authority is None:
        raise Http404(f"No authority has the GSS code {gss_code}")
    if not selectors.may_see_teams(request.user, authority):
        raise PermissionDenied(f"Team figures are for members of {authority.name} only")
    context = {
        "authority": authority,
        "tables": selectors.team_tables(request.user, authority),
        "may_upload": Action.EDIT in actions_for(request.user, authority),
    }
    return render(request, "annex_a/teams.html", context)
