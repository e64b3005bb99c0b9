from django.urls import include, path

from . import export_views, views
from .authority import views as authority_views
from .compare import views as compare_views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("authorities/<str:gss_code>/", authority_views.authority_detail, name="authority"),
    path(
        "authorities/<str:gss_code>/trajectory.csv",
        authority_views.trajectory_csv,
        name="trajectory_csv",
    ),
    path(
        "authorities/<str:gss_code>/evidence/", authority_views.authority_evidence, name="evidence"
    ),
    path("compare/", compare_views.compare, name="compare"),
    path("compare.csv", compare_views.compare_csv, name="compare_csv"),
    path("league/", compare_views.league, name="league"),
    path("league.csv", compare_views.league_csv, name="league_csv"),
    path("recovery/", compare_views.recovery, name="recovery"),
    path(
        "authorities/<str:gss_code>/neighbours/",
        compare_views.neighbours_grid,
        name="neighbours_grid",
    ),
    path("data/observations.csv", export_views.observations_csv, name="observations_csv"),
    path("figures/<int:pk>/source/", views.observation_source, name="observation_source"),
    path("", include("reports.packs.urls")),
]
