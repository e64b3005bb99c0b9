from django.urls import path

from . import views

# Included by reports.urls, inside its "reports" namespace.
urlpatterns = [
    path("authorities/<str:gss_code>/packs/", views.pack_list, name="packs"),
    path("authorities/<str:gss_code>/packs/<int:pk>/", views.pack_detail, name="pack"),
    path("authorities/<str:gss_code>/packs/<int:pk>/pack.pdf", views.pack_pdf, name="pack_pdf"),
]
