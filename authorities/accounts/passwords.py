"""Django's password views, each recording its outcome in the audit log, with their forms'
errors in GOV.UK words.

A change of password and a completed reset are recorded for the account. A request for a reset
is recorded for each active account the email address belongs to (the accounts sent a link), and
not at all for an address that matches none: the requester sees the same page either way, and
the log keeps no address of someone who may have no account.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.http import HttpResponse

from authorities.models import AuditAction
from authorities.toolkit.govuk import GovukFormMixin

from . import audit
from .signin import account_inputs

NEW_PASSWORD_MESSAGES = {
    "new_password1": "Enter a new password",
    "new_password2": "Confirm the new password",
}
PASSWORDS_DIFFER = "The new passwords do not match. Enter the same new password twice"
NEW_PASSWORD_HINT = "At least 8 characters, not only numbers, and not a common password."


def _word_new_password_fields(form: SetPasswordForm) -> None:
    for name, message in NEW_PASSWORD_MESSAGES.items():
        form.fields[name].error_messages["required"] = message
    form.fields["new_password1"].label = "New password"
    form.fields["new_password1"].help_text = NEW_PASSWORD_HINT
    form.fields["new_password2"].label = "Confirm the new password"
    form.fields["new_password2"].help_text = ""


class ChangePasswordForm(GovukFormMixin, PasswordChangeForm):
    """Django's form in the words of the page: its label says "Current password", so do its
    errors."""

    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "Your current password is not correct",
        "password_mismatch": PASSWORDS_DIFFER,
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["old_password"].label = "Current password"
        self.fields["old_password"].error_messages["required"] = "Enter your current password"
        _word_new_password_fields(self)
        account_inputs(self)


class NewPasswordForm(GovukFormMixin, SetPasswordForm):
    error_messages = {**SetPasswordForm.error_messages, "password_mismatch": PASSWORDS_DIFFER}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _word_new_password_fields(self)
        account_inputs(self)


class ResetRequestForm(GovukFormMixin, PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "Email address"
        email.error_messages["required"] = "Enter your email address"
        email.error_messages["invalid"] = (
            "Enter an email address in the correct format, like name@example.com"
        )
        account_inputs(self)


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ChangePasswordForm

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        audit.record(AuditAction.PASSWORD_CHANGED, user=form.user, request=self.request)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetRequestForm

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        response = super().form_valid(form)
        for user in form.get_users(form.cleaned_data["email"]):
            audit.record(AuditAction.PASSWORD_RESET_REQUESTED, user=user, request=self.request)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:
        response = super().form_valid(form)
        audit.record(AuditAction.PASSWORD_RESET, user=form.user, request=self.request)
        return response
