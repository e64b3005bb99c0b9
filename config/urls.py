from django.contrib import admin
from django.urls import include, path

from authorities.accounts import passwords
from authorities.accounts.signin import SignInView, SignOutView
from authorities.accounts.views import audit_log

from .health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    # Sign-in with a limit on failures, sign-out that says so, and password changes and resets
    # that are audited; the rest of Django's account views as they are.
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", SignOutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        passwords.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path("accounts/password_reset/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        passwords.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("audit/", audit_log, name="audit"),
    path("", include("indicators.annex_a.urls")),
    path("returns/", include("indicators.returns.urls")),
    path("", include("indicators.milestones.urls")),
    path("watchlist/", include("reports.watchlist.urls")),
    path("", include("reports.urls")),
]
