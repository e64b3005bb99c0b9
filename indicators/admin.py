from django.contrib import admin

from .models import (
    Indicator,
    Milestone,
    MonthlyReturn,
    Observation,
    ReturnEvent,
    ReturnValue,
    ValueChange,
)


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "polarity", "frequency", "in_monthly_return"]
    list_filter = ["unit", "polarity", "frequency", "in_monthly_return"]
    search_fields = ["code", "name"]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["indicator", "area_code", "period_label", "value", "symbol", "source"]
    list_filter = ["source", "area_level", "indicator"]
    search_fields = ["area_code", "indicator__code", "release"]
    list_select_related = ["indicator"]


@admin.register(MonthlyReturn)
class MonthlyReturnAdmin(admin.ModelAdmin):
    list_display = ["authority", "month", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["authority__name"]
    list_select_related = ["authority"]


@admin.register(Milestone)
class MilestoneAdmin(admin.ModelAdmin):
    list_display = ["authority", "indicator", "due_date", "value", "tolerance"]
    search_fields = ["authority__name", "indicator__code"]
    list_select_related = ["authority", "indicator"]


# Report evidence: the documents figures were read from, and the figures with their citations.
from .models import Document, Evidence  # noqa: E402


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


class ReadOnlyAdmin(admin.ModelAdmin):
    """History is append-only: the admin shows it and changes nothing."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


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
