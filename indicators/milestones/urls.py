"""The improvement plan, under /authorities/<gss>/plan/, and its milestones, under
/authorities/<gss>/milestones/."""

from django.urls import path

from . import milestone_views, views

app_name = "plan"

urlpatterns = [
    path("authorities/<str:gss_code>/plan/", views.plan_page, name="plan"),
    path("authorities/<str:gss_code>/plan/new/", views.action_form, name="add"),
    path("authorities/<str:gss_code>/plan/history/", views.plan_history, name="history"),
    path("authorities/<str:gss_code>/plan/<int:pk>/", views.action_form, name="edit"),
    path("authorities/<str:gss_code>/plan/<int:pk>/remove/", views.action_remove, name="remove"),
    path(
        "authorities/<str:gss_code>/milestones/new/",
        milestone_views.milestone_form,
        name="milestone_add",
    ),
    path(
        "authorities/<str:gss_code>/milestones/history/",
        milestone_views.milestone_history,
        name="milestone_history",
    ),
    path(
        "authorities/<str:gss_code>/milestones/<int:pk>/",
        milestone_views.milestone_form,
        name="milestone_edit",
    ),
    path(
        "authorities/<str:gss_code>/milestones/<int:pk>/delete/",
        milestone_views.milestone_delete,
        name="milestone_delete",
    ),
]
