"""A return as a file: uploading one, and the templates (CSV and Excel) to fill in."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from authorities.models import Action
from authorities.toolkit.htmx import HtmxHttpRequest
from authorities.toolkit.importing import ImportFailed, ImportReport
from config.security import accepts_uploads

from .. import selectors, services, uploads
from ..forms import UploadForm
from .common import members_only, open_month, return_url, seen_version
from .entry import show_conflict


def _uploaded_words(file_name: str, report: ImportReport) -> str:
    changed = report.updated
    words = f"{changed} indicator{'s' if changed != 1 else ''} changed"
    notes = "".join(f". {note}" for note in report.notes)
    return f"{file_name} was uploaded: {words}{notes}"


@accepts_uploads
@require_http_methods(["GET", "POST"])
@members_only
def upload(request: HtmxHttpRequest, gss_code: str, month: datetime.date) -> HttpResponse:
    month = open_month(month)
    authority = selectors.get_authority_for(request.user, gss_code, Action.EDIT)
    form = UploadForm(request.POST or None, request.FILES or None)
    failed: ImportFailed | None = None
    refusal = ""
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            report = services.import_return_upload(
                authority=authority,
                month=month,
                user=request.user,
                file_name=upload_file.name,
                content=upload_file.read(),
                version=seen_version(request),
            )
        except services.StaleUpload as stale:
            # As for a stale form: nothing saved, and the file laid over what is saved now.
            return show_conflict(request, authority, month, stale.seen_version, stale)
        except ImportFailed as problem:
            failed = problem
        except services.ReturnRefused as problem:
            refusal = problem.message
        else:
            messages.success(request, _uploaded_words(upload_file.name, report))
            return redirect(return_url(authority, month))
    context = {
        "authority": authority,
        "month": month,
        "month_name": selectors.month_name(month),
        "monthly_return": selectors.get_return(request.user, authority, month),
        "form": form,
        "failed": failed,
        "refusal": refusal,
    }
    return render(request, "returns/upload.html", context, status=409 if refusal else 200)


def _template_rows(request: HtmxHttpRequest, gss_code: str, month: datetime.date) -> Any:
    month = open_month(month)
    authority = selectors.get_authority_for(request.user, gss_code, Action.VIEW)
    # The version is read before the values: a save in between makes the template look older
    # than its figures (so its upload is refused), never newer.
    monthly_return = selectors.get_return(request.user, authority, month)
    rows = uploads.template_rows(
        authority,
        month,
        selectors.month_indicators(),
        selectors.saved_values(monthly_return),
        version=monthly_return.version if monthly_return else 0,
    )
    return authority, month, rows


@require_GET
@members_only
def template_csv(request: HtmxHttpRequest, gss_code: str, month: datetime.date) -> HttpResponse:
    authority, month, rows = _template_rows(request, gss_code, month)
    response = HttpResponse(uploads.csv_template(rows), content_type="text/csv; charset=utf-8")
    filename = f"monthly-return-{authority.gss_code}-{month:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@members_only
def template_xlsx(request: HtmxHttpRequest, gss_code: str, month: datetime.date) -> HttpResponse:
    authority, month, rows = _template_rows(request, gss_code, month)
    title = f"Monthly return: {authority.name} ({authority.gss_code}), {month:%B %Y}"
    response = HttpResponse(
        uploads.xlsx_template(rows, title=title),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"monthly-return-{authority.gss_code}-{month:%Y-%m}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
