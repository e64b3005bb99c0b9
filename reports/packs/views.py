"""Board pack pages: the list (and the form that makes one), the pack, and its PDF.

Only the authority's members, DfE users and administrators get past ``_member``; the packs
themselves are read through ``BoardPack.objects.for_user``, so a refused person finds nothing
even by address."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from authorities.accounts import access
from authorities.models import Authority
from reports import selectors as report_selectors

from . import build, pdf, selectors, services, small_charts, svg
from .changes import changes_since
from .forms import MeetingDateForm
from .models import BoardPack


def _member(request: HttpRequest, gss_code: str) -> Authority:
    """The authority, if the signed-in person may make and open its packs; else a refusal that
    says why."""
    authority = report_selectors.get_authority(gss_code)
    access.refuse_unless(
        services.may_make_packs(request.user, authority),
        f"Board packs for {authority.name} are for its members, DfE users and "
        "administrators. Sign in with an account that has a role for this authority, or "
        "ask an administrator to give your account one.",
    )
    return authority


@require_http_methods(["GET", "POST"])
@never_cache  # names and unpublished plans: never in a shared cache
@login_required
def pack_list(request: HttpRequest, gss_code: str) -> HttpResponse:
    authority = _member(request, gss_code)
    form = MeetingDateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        pack = services.make_pack(
            authority=authority,
            meeting_date=form.cleaned_data["meeting_date"],
            user=request.user,
        )
        words = f"Board pack made for the meeting on {pack.snapshot['meeting_words']}"
        if pack.version > 1:
            words += (
                f": this is version {pack.version}. The earlier versions for this meeting are "
                "kept as they were"
            )
        messages.success(request, words)
        return redirect(pack_url(pack))
    context = {
        "authority": authority,
        "packs": selectors.packs_for(request.user, authority),
        "form": form,
        "shows_demo_data": authority.is_demo,
    }
    return render(request, "reports/packs/list.html", context)


def pack_url(pack: BoardPack) -> str:
    return reverse("reports:pack", args=[pack.authority.gss_code, pack.pk])


def _page_context(request: HttpRequest, authority: Authority, pack: BoardPack) -> dict:
    snapshot = pack.snapshot
    measures = [
        {
            **measure,
            "number": number,
            # Safe: the builder escapes every piece of text it writes.
            "svg": mark_safe(
                svg.small_multiple(
                    small_charts.small_multiple(measure), element_id=f"chart-{number}"
                )
            ),
        }
        for number, measure in enumerate(snapshot["measures"], start=1)
    ]
    return {
        "authority": authority,
        "pack": pack,
        "snapshot": snapshot,
        "measures": measures,
        "sources": build.measure_sources(snapshot["measures"]),
        "key": mark_safe(svg.key(element_id="chart-key")),  # escaped by the builder
        "shows_demo_data": snapshot["shows_demo_data"],
    }


@require_GET
@never_cache
@login_required
def pack_detail(request: HttpRequest, gss_code: str, pk: int) -> HttpResponse:
    authority = _member(request, gss_code)
    pack = selectors.get_pack(request.user, authority, pk)
    context = _page_context(request, authority, pack)
    with_history = report_selectors.get_authority(authority.gss_code, with_history=True)
    context["changes"] = changes_since(pack.snapshot, with_history)
    return render(request, "reports/packs/pack.html", context)


@require_GET
@never_cache
@login_required
def pack_pdf(request: HttpRequest, gss_code: str, pk: int) -> HttpResponse:
    """The same print page as a tagged PDF: the pack as it was made (what changed since is on
    the page, not in the meeting's papers)."""
    authority = _member(request, gss_code)
    pack = selectors.get_pack(request.user, authority, pk)
    context = {
        **_page_context(request, authority, pack),
        "for_pdf": True,
        "base_template": "reports/packs/pdf_base.html",
    }
    html = render_to_string("reports/packs/pack.html", context, request=request)
    content = pdf.render_pdf(html, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"{authority.gss_code}-board-pack-{pack.meeting_date:%Y-%m-%d}-v{pack.version}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
