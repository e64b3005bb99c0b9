from django.contrib import admin

from .models import Authority, Event, Inspection, Region, StatisticalNeighbour


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
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.admin import UserAdmin  # noqa: E402

from .models import Membership  # noqa: E402


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "authority", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__email", "authority__name", "authority__gss_code"]
    list_select_related = ["user", "authority"]
    autocomplete_fields = ["authority"]
    raw_id_fields = ["user"]


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
