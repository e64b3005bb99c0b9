from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.home, name="home"),
    path("authorities/<str:gss_code>/", views.authority_detail, name="authority"),
    path("figures/<int:pk>/source/", views.observation_source, name="observation_source"),
]
