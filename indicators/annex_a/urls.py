"""Annex A: the upload under /returns/<gss>/annex-a/, and the public rules page."""

from __future__ import annotations

from django.urls import path

from indicators.annex_a import views

app_name = "annex_a"

urlpatterns = [
    path("returns/<str:gss_code>/annex-a/", views.upload, name="upload"),
    path("returns/<str:gss_code>/annex-a/<int:pk>/", views.result, name="result"),
    path("returns/<str:gss_code>/annex-a/<int:pk>/accept/", views.accept, name="accept"),
    path("annex-a/rules/", views.rules, name="rules"),
    path("authorities/<str:gss_code>/teams/", views.teams, name="teams"),
]
