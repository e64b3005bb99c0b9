"""The watchlist, under /watchlist/."""

from django.urls import path

from . import views

app_name = "watchlist"

urlpatterns = [
    path("", views.watchlist, name="watchlist"),
    path("watchlist.csv", views.watchlist_csv, name="csv"),
]
