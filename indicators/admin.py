"""The admin for indicators, figures, returns and milestones.

Returns, their values and history, published figures and milestones are read-only here: every
change to them goes through ``indicators.returns.services`` (or ``indicators.milestones.services``),
which checks who may do it, keeps the workflow's states and records who, when, old, new and why.
An administrator who needs a change makes it on the service's own pages, where it is recorded."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .milestones.models import Milestone, MilestoneChange
from .models import Document, Evidence, Indicator, Observation
from .returns.models import MonthlyReturn, ReturnEvent, ReturnValue, ValueChange


class ReadOnly:
    """Shown, never added, changed or deleted (the change page answers a POST with 403)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    pass


class ReadOnlyInline(ReadOnly, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "polarity", "frequency", "in_monthly_return"]
    list_filter = ["unit", "polarity", "frequency", "in_monthly_return"]
    search_fields = ["code", "name"]


@admin.register(Observation)
class ObservationAdmin(ReadOnlyAdmin):
    """Published figures: official statistics and report evidence come from the import commands
    (recorded in the audit log), monthly-return figures from approval (recorded in the return's
    history). Changed here, a figure would be public with no record of who changed it."""

    list_display = ["indicator", "area_code", "period_label", "value", "symbol", "source"]
    list_filter = ["source", "area_level", "indicator"]
    search_fields = ["area_code", "indicator__code", "release"]
    list_select_related = ["indicator"]


class ReturnValueInline(ReadOnlyInline):
    model = ReturnValue
    fields = [
        "indicator",
        "value",
        "numerator",
        "denominator",
        "internal_note",
        "published_note",
        "explanation",
    ]


class ReturnEventInline(ReadOnlyInline):
    model = ReturnEvent
    fields = ["at", "kind", "user_name", "version", "note", "reason"]
    verbose_name_plural = "timeline"


class ValueChangeInline(ReadOnlyInline):
    model = ValueChange
    fields = ["changed_at", "changed_by_name", "indicator", "field", "old", "new", "via", "reason"]
    verbose_name_plural = "changes to values"


@admin.register(MonthlyReturn)
class MonthlyReturnAdmin(ReadOnlyAdmin):
    """A return moves only through the workflow (save, submit, approve, reopen), which keeps
    its timeline, its published figures and the audit log in step."""

    list_display = ["authority", "month", "status", "version", "updated_at"]
    list_filter = ["status"]
    search_fields = ["authority__name", "authority__gss_code"]
    list_select_related = ["authority"]
    inlines = [ReturnValueInline, ReturnEventInline, ValueChangeInline]


class MilestoneChangeInline(ReadOnlyInline):
    model = MilestoneChange
    fk_name = "milestone"
    fields = ["changed_at", "changed_by_name", "kind", "old", "new", "reason"]
    verbose_name_plural = "history"


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdmin):
    """Milestones change on the authority's page, which keeps who, when, old, new and why."""

    list_display = ["authority", "indicator", "due_date", "value", "tolerance"]
    search_fields = ["authority__name", "indicator__code"]
    list_select_related = ["authority", "indicator"]
    inlines = [MilestoneChangeInline]


@admin.register(MilestoneChange)
class MilestoneChangeAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "authority", "kind", "changed_by_name", "reason"]
    list_filter = ["kind"]
    search_fields = ["authority__name", "authority__gss_code", "changed_by_name"]
    list_select_related = ["authority"]
    date_hierarchy = "changed_at"


# Report evidence: the documents figures were read from, and the figures with their citations.


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["file_name", "title", "authority", "kind", "published_date"]
    list_filter = ["kind"]
    search_fields = ["file_name", "title", "authority__name"]
    list_select_related = ["authority"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = [
        "authority",
        "indicator_name",
        "period_label",
        "value",
        "value_text",
        "unit",
        "comparator",
        "document",
    ]
    list_filter = ["document", "comparator", "indicator"]
    search_fields = ["authority__name", "indicator_name", "quote"]
    list_select_related = ["authority", "document"]
    raw_id_fields = ["observation"]


@admin.register(ReturnValue)
class ReturnValueAdmin(ReadOnlyAdmin):
    list_display = ["monthly_return", "indicator", "value", "numerator", "denominator"]
    list_select_related = ["monthly_return__authority", "indicator"]


@admin.register(ValueChange)
class ValueChangeAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "changed_by", "field", "old", "new", "via"]
    list_filter = ["via"]


@admin.register(ReturnEvent)
class ReturnEventAdmin(ReadOnlyAdmin):
    list_display = ["monthly_return", "kind", "at", "user_name"]
    list_filter = ["kind"]
