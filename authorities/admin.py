from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from .accounts import audit
from .accounts.signin import AdminSignInForm
from .models import (
    AuditAction,
    AuditEntry,
    Authority,
    Event,
    Inspection,
    Membership,
    Region,
    StatisticalNeighbour,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "is_demo"]
    search_fields = ["name", "code"]


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "gss_code", "dfe_code", "region", "active_to", "is_demo"]
    list_filter = ["region", "is_demo"]
    search_fields = ["name", "gss_code", "dfe_code"]
    raw_id_fields = ["successor"]


@admin.register(StatisticalNeighbour)
class StatisticalNeighbourAdmin(admin.ModelAdmin):
    list_display = ["authority", "model_year", "rank", "neighbour", "closeness"]
    list_filter = ["model_year"]
    search_fields = ["authority__name", "neighbour__name"]
    list_select_related = ["authority", "neighbour"]


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ["authority", "framework", "kind", "start_date", "overall_grade", "is_demo"]
    list_filter = ["framework", "kind", "overall_grade"]
    search_fields = ["authority__name"]
    date_hierarchy = "start_date"
    list_select_related = ["authority"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["authority", "date", "category", "description", "is_demo"]
    list_filter = ["category"]
    search_fields = ["authority__name", "description"]
    list_select_related = ["authority"]


# --- people: memberships of authorities with roles ----------------------------------------------


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "authority", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "authority__name", "authority__gss_code"]
    list_select_related = ["user", "authority"]
    autocomplete_fields = ["authority"]
    raw_id_fields = ["user"]

    # Every role given, changed or taken away goes to the audit log.
    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = _membership(obj.pk) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        _record_membership_change(request, before, _membership(obj.pk))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        _record_membership_change(request, obj, None)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for membership in queryset.select_related("user", "authority"):
            _record_membership_change(request, membership, None)
        super().delete_queryset(request, queryset)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["authority"]
    fields = ["role", "authority"]


User = get_user_model()
if admin.site.is_registered(User):
    _user_admin = type(admin.site.get_model_admin(User))
    admin.site.unregister(User)
else:  # pragma: no cover - django.contrib.auth registers it
    _user_admin = UserAdmin


@admin.register(User)
class UserWithMembershipsAdmin(_user_admin):  # type: ignore[valid-type,misc]
    inlines = [*getattr(_user_admin, "inlines", []), MembershipInline]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = (
            User.objects.filter(pk=obj.pk).values(*ACCESS_FIELDS).first()
            if change and obj.pk
            else None
        )
        super().save_model(request, obj, form, change)
        if before is None:
            audit.record(
                AuditAction.ACCOUNT_CHANGED,
                request=request,
                detail=f"Account {obj.get_username()} created",
            )
            return
        moves = [
            f"{name.replace('_', ' ')}: {_yes_no(before[name])} → {_yes_no(getattr(obj, name))}"
            for name in ACCESS_FIELDS
            if before[name] != getattr(obj, name)
        ]
        if moves:
            audit.record(
                AuditAction.ACCOUNT_CHANGED,
                request=request,
                detail=f"Account {obj.get_username()}: " + "; ".join(moves),
            )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not Membership:
            super().save_formset(request, form, formset, change)
            return
        before = _memberships_of(form.instance.pk) if form.instance.pk else {}
        super().save_formset(request, form, formset, change)
        _record_membership_changes(request, before, _memberships_of(form.instance.pk))

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        _record_membership_changes(request, _memberships_of(obj.pk), {})
        audit.record(
            AuditAction.ACCOUNT_CHANGED,
            request=request,
            detail=f"Account {obj.get_username()} deleted",
        )
        super().delete_model(request, obj)


# --- the audit log: read-only, here as on /audit/ ---------------------------------------------

ACCESS_FIELDS = ("is_active", "is_staff", "is_superuser")


def _yes_no(value: object) -> str:
    return "yes" if value else "no"


def _memberships_of(user_id: Any) -> dict[int, Membership]:
    memberships = Membership.objects.filter(user_id=user_id).select_related("user", "authority")
    return {membership.pk: membership for membership in memberships}


def _membership(pk: Any) -> Membership | None:
    return Membership.objects.select_related("user", "authority").filter(pk=pk).first()


def _describe(membership: Membership) -> str:
    where = membership.authority.name if membership.authority else "every authority (national)"
    return f"{membership.user.get_username()}: {membership.get_role_display()} for {where}"


def _record_membership_change(
    request: HttpRequest, old: Membership | None, new: Membership | None
) -> None:
    """An audit entry for one membership given (no ``old``), taken away (no ``new``) or
    changed (both, differing)."""
    if old is None and new is not None:
        action, authority, detail = AuditAction.MEMBERSHIP_ADDED, new.authority, _describe(new)
    elif new is None and old is not None:
        action, authority, detail = AuditAction.MEMBERSHIP_REMOVED, old.authority, _describe(old)
    elif old is not None and new is not None:
        if (old.user_id, old.role, old.authority_id) == (new.user_id, new.role, new.authority_id):
            return
        action = AuditAction.MEMBERSHIP_CHANGED
        authority, detail = new.authority or old.authority, f"{_describe(old)} → {_describe(new)}"
    else:
        return
    audit.record(action, request=request, authority=authority, detail=detail)


def _record_membership_changes(
    request: HttpRequest, before: dict[int, Membership], after: dict[int, Membership]
) -> None:
    """Audit entries for the difference between two sets of one person's memberships."""
    for pk in before.keys() | after.keys():
        _record_membership_change(request, before.get(pk), after.get(pk))


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Append-only: nobody may add, change or delete an entry here."""

    list_display = ["at", "action", "username", "authority", "ip_address", "detail"]
    list_filter = ["action", "at"]
    search_fields = ["username", "detail", "authority__name", "authority__gss_code"]
    list_select_related = ["authority"]
    date_hierarchy = "at"
    readonly_fields = [
        "at",
        "action",
        "user",
        "username",
        "authority",
        "user_authorities",
        "ip_address",
        "detail",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# Sign-in to the admin is throttled like the service's own sign-in page.
admin.site.login_form = AdminSignInForm
