"""Monthly returns, under /returns/."""

from __future__ import annotations

import datetime

from django.urls import path, register_converter

from . import views


class MonthConverter:
    """A month in a URL as YYYY-MM; a ``datetime.date`` (the first of the month) in Python."""

    regex = r"\d{4}-(?:0[1-9]|1[0-2])"

    def to_python(self, value: str) -> datetime.date:
        return datetime.date(int(value[:4]), int(value[5:7]), 1)

    def to_url(self, value: datetime.date | str) -> str:
        if isinstance(value, datetime.date):
            # Not %Y, which writes the year 1 as "1" on Linux: no URL month could match that.
            return f"{value.year:04d}-{value.month:02d}"
        return str(value)


register_converter(MonthConverter, "yyyymm")

app_name = "returns"

urlpatterns = [
    path("", views.index, name="index"),
    path("tracker/", views.tracker, name="tracker"),
    path("<str:gss_code>/<yyyymm:month>/", views.return_page, name="return"),
    path(
        "<str:gss_code>/<yyyymm:month>/fields/<slug:code>/",
        views.validate_field,
        name="validate",
    ),
    path("<str:gss_code>/<yyyymm:month>/approve/", views.approve, name="approve"),
    path("<str:gss_code>/<yyyymm:month>/reopen/", views.reopen, name="reopen"),
    path("<str:gss_code>/<yyyymm:month>/upload/", views.upload, name="upload"),
    path("<str:gss_code>/<yyyymm:month>/template.csv", views.template_csv, name="template_csv"),
    path("<str:gss_code>/<yyyymm:month>/template.xlsx", views.template_xlsx, name="template_xlsx"),
    path("<str:gss_code>/<yyyymm:month>/history/", views.history, name="history"),
    path(
        "<str:gss_code>/<yyyymm:month>/history/<slug:code>/",
        views.history,
        name="value_history",
    ),
]
