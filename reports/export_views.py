"""The observations export: ``/data/observations.csv`` in the EES tidy-data layout."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_GET

from indicators import exports


@require_GET
def observations_csv(request: HttpRequest) -> HttpResponse:
    """``?authority=<GSS>&indicator=<code>&source=<source>``, each repeatable or absent.

    ``authority`` takes any area's GSS code: an authority, a region or England (E92000001).
    """
    try:
        query = exports.ExportQuery.from_params(
            areas=request.GET.getlist("authority"),
            indicators=request.GET.getlist("indicator"),
            sources=request.GET.getlist("source"),
        )
    except exports.InvalidExportQuery as problem:
        return HttpResponseBadRequest(str(problem), content_type="text/plain; charset=utf-8")
    # Observations hold published figures only (official statistics, approved monthly returns,
    # report evidence, simulated demo data); unapproved return values never become observations.
    text = exports.observations_csv(query)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="observations.csv"'
    return response
