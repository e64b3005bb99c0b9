"""The audit log page, /audit/: administrators read who did what, filtered without JavaScript.

Anonymous people are sent to sign in; anyone signed in who is not an administrator gets a 403.
National administrators (and superusers) see every entry; an administrator of one authority sees
the entries about that authority, and the sign-ins and other account entries of the people with a
role in it (``AuditEntry.objects.for_user``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from authorities import dates
from authorities.models import (
    AuditAction,
    AuditEntry,
    AuditEntryQuerySet,
    Authority,
    Membership,
    Role,
)
from authorities.toolkit.govuk import GovukFormMixin

from . import access

PAGE_SIZE = 50
REFUSAL = (
    "The audit log is for administrators. If you should have access, ask an administrator to "
    "give your account the administrator role."
)


def is_administrator(user: Any) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return Membership.objects.filter(user=user, role=Role.ADMINISTRATOR).exists()


class AuditFilterForm(GovukFormMixin, forms.Form):
    action = forms.ChoiceField(
        label="What happened", required=False, choices=[("", "Anything"), *AuditAction.choices]
    )
    user = forms.CharField(
        label="Who",
        required=False,
        max_length=150,
        help_text="A username, or part of one.",
        widget=forms.TextInput(attrs={"class": "govuk-!-width-one-half", "spellcheck": "false"}),
    )
    authority = forms.CharField(
        label="Authority",
        required=False,
        max_length=100,
        help_text="A name, or part of one, or a GSS code such as E08000036.",
        widget=forms.TextInput(attrs={"class": "govuk-!-width-one-half"}),
    )
    date_from = forms.DateField(
        label="From",
        required=False,
        help_text="The first day to show, for example 2026-03-01.",
        widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}),
        error_messages={"invalid": "Enter the first day as a date, for example 2026-03-01"},
    )
    date_to = forms.DateField(
        label="To",
        required=False,
        help_text="The last day to show, for example 2026-03-31.",
        widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}),
        error_messages={"invalid": "Enter the last day as a date, for example 2026-03-31"},
    )

    def _in_range(self, name: str, what: str) -> datetime.date | None:
        day: datetime.date | None = self.cleaned_data.get(name)
        if day is not None:
            dates.past_dates().check(day, what=what)
        return day

    def clean_date_from(self) -> datetime.date | None:
        return self._in_range("date_from", "The first day")

    def clean_date_to(self) -> datetime.date | None:
        return self._in_range("date_to", "The last day")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and first > last:
            self.add_error("date_to", "The last day must be the same as or after the first day")
        return cleaned

    def apply(self, entries: AuditEntryQuerySet) -> AuditEntryQuerySet:
        if not self.is_bound:
            return entries
        if not self.is_valid():
            return entries.none()  # never the whole log in place of a filter that failed
        data = self.cleaned_data
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        if data.get("user"):
            entries = entries.filter(username__icontains=data["user"].strip())
        if data.get("authority"):
            text = data["authority"].strip()
            entries = entries.about(
                Authority.objects.filter(Q(name__icontains=text) | Q(gss_code__iexact=text))
            )
        if data.get("date_from"):
            entries = entries.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            entries = entries.filter(at__date__lte=data["date_to"])
        return entries


@require_GET
@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    access.refuse_unless(is_administrator(request.user), REFUSAL)
    asked = {key: value for key, value in request.GET.items() if key != "page" and value}
    form = AuditFilterForm(request.GET if asked else None)
    # A filter that cannot be read shows its errors and no entries: never the whole log, which
    # would look like the filter's result.
    invalid = form.is_bound and not form.is_valid()
    page = None
    if not invalid:
        entries = form.apply(
            AuditEntry.objects.for_user(request.user)
            .select_related("authority", "user")
            .prefetch_related("user_authorities")
        )
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "invalid": invalid,
        "filtered": bool(asked),
        "today": datetime.date.today(),
    }
    return render(request, "audit/log.html", context)
