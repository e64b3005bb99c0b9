"""Django's password views, each recording its outcome in the audit log.

A change of password and a completed reset are recorded for the account. A request for a reset
is recorded for each active account the email address belongs to (the accounts sent a link), and
not at all for an address that matches none: the requester sees the same page either way, and
the log keeps no address of someone who may have no account.
"""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.http import HttpResponse

from . import audit
from .models import AuditAction


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        audit.record(AuditAction.PASSWORD_CHANGED, user=form.user, request=self.request)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        response = super().form_valid(form)
        for user in form.get_users(form.cleaned_data["email"]):
            audit.record(AuditAction.PASSWORD_RESET_REQUESTED, user=user, request=self.request)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        audit.record(AuditAction.PASSWORD_RESET, user=form.user, request=self.request)
        return response
