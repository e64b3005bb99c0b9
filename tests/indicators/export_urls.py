"""A URLconf for the export tests, until reports/urls.py routes the view."""

from django.urls import path

from reports.export_views import observations_csv

urlpatterns = [
    path("data/observations.csv", observations_csv, name="observations_csv"),
]
