"""The improvement plan, under /authorities/<gss>/plan/."""

from django.urls import path

from . import views

app_name = "plan"

urlpatterns = [
    path("authorities/<str:gss_code>/plan/", views.plan_page, name="plan"),
    path("authorities/<str:gss_code>/plan/new/", views.action_form, name="add"),
    path("authorities/<str:gss_code>/plan/history/", views.plan_history, name="history"),
    path("authorities/<str:gss_code>/plan/<int:pk>/", views.action_form, name="edit"),
    path("authorities/<str:gss_code>/plan/<int:pk>/remove/", views.action_remove, name="remove"),
]
