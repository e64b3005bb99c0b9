"""Areas (England, regions, local authorities) and what happens to them: inspections and events."""

from __future__ import annotations

import datetime
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q

from authorities.toolkit.append_only import AppendOnly, AppendOnlyQuerySet
from authorities.toolkit.gss import COUNTY, LONDON_BOROUGH, METROPOLITAN, UNITARY
from authorities.toolkit.gss import ENGLAND_CODE as ENGLAND_CODE  # re-exported for area queries
from authorities.toolkit.gss import ENGLAND_NAME as ENGLAND_NAME


class AuthorityKind(models.TextChoices):
    UNITARY = "unitary", "Unitary authority"
    METROPOLITAN = "metropolitan", "Metropolitan district"
    LONDON_BOROUGH = "london_borough", "London borough"
    COUNTY = "county", "County council"
    OTHER = "other", "Other"


# Children's services are run by upper-tier authorities; the GSS prefix says which kind.
KIND_BY_GSS_PREFIX = {
    UNITARY: AuthorityKind.UNITARY,
    METROPOLITAN: AuthorityKind.METROPOLITAN,
    LONDON_BOROUGH: AuthorityKind.LONDON_BOROUGH,
    COUNTY: AuthorityKind.COUNTY,
}


def kind_for_gss_code(gss_code: str) -> AuthorityKind:
    return KIND_BY_GSS_PREFIX.get(gss_code[:3], AuthorityKind.OTHER)


class Region(models.Model):
    code = models.CharField("GSS code", max_length=9, unique=True)
    name = models.CharField(max_length=100)
    is_demo = models.BooleanField(default=False, help_text="Simulated, for demonstration only.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AuthorityQuerySet(models.QuerySet["Authority"]):
    def active(self) -> AuthorityQuerySet:
        return self.filter(active_to__isnull=True)

    def of_kind(self, kind: str) -> AuthorityQuerySet:
        prefixes = [prefix for prefix, k in KIND_BY_GSS_PREFIX.items() if k == kind]
        query = Q()
        for prefix in prefixes:
            query |= Q(gss_code__startswith=prefix)
        return self.filter(query) if prefixes else self.none()

    def search(self, text: str) -> AuthorityQuerySet:
        text = text.strip()
        if not text:
            return self
        return self.filter(Q(name__icontains=text) | Q(gss_code__iexact=text) | Q(dfe_code=text))

    def for_user(self, user: Any, action: str = "view") -> AuthorityQuerySet:
        """The authorities whose private business (unpublished monthly returns) ``user`` may
        see, or do ``action`` with (see ``Action``). Authority pages themselves are public.

        Lazy: no query runs until the result is used, and the membership test is a subquery.
        """
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        roles = roles_with(action)
        if not roles:
            return self.none()
        mine = Membership.objects.filter(user=user, role__in=roles)
        national = mine.filter(authority__isnull=True)
        local = mine.filter(authority__isnull=False).values("authority")
        return self.filter(Exists(national) | Q(pk__in=local))


class Authority(models.Model):
    gss_code = models.CharField("GSS code", max_length=9, unique=True)
    dfe_code = models.CharField(
        "DfE code", max_length=3, blank=True, help_text="The 3-digit DfE (old LA) code."
    )
    name = models.CharField(max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="authorities", null=True, blank=True
    )
    active_from = models.DateField(null=True, blank=True)
    active_to = models.DateField(
        null=True, blank=True, help_text="Set when the authority was abolished or merged."
    )
    successor = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="predecessors"
    )
    is_demo = models.BooleanField(default=False, help_text="Simulated, for demonstration only.")

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "authorities"
        constraints = [
            models.UniqueConstraint(
                fields=["dfe_code"], condition=~Q(dfe_code=""), name="authority_unique_dfe_code"
            ),
            models.CheckConstraint(
                condition=Q(active_to__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="authority_active_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def kind(self) -> AuthorityKind:
        return kind_for_gss_code(self.gss_code)

    def get_kind_display(self) -> str:
        return str(self.kind.label)


class StatisticalNeighbour(models.Model):
    """One of an authority's ten closest authorities in a DfE statistical neighbour model."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="neighbours")
    neighbour = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    model_year = models.PositiveSmallIntegerField()
    rank = models.PositiveSmallIntegerField(help_text="1 is the closest.")
    closeness = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["authority", "model_year", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "model_year", "rank"], name="neighbour_unique_rank"
            ),
            models.UniqueConstraint(
                fields=["authority", "model_year", "neighbour"], name="neighbour_unique_pair"
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1) & Q(rank__lte=10), name="neighbour_rank_1_to_10"
            ),
            models.CheckConstraint(
                condition=~Q(authority=models.F("neighbour")), name="neighbour_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.authority} {self.model_year} #{self.rank}: {self.neighbour}"


class Framework(models.TextChoices):
    SLAC = "SLAC", "Safeguarding and looked after children (SLAC)"
    CPI = "CPI", "Child protection inspection (CPI)"
    SIF = "SIF", "Single inspection framework (SIF)"
    ILACS = "ILACS", "Inspecting local authority children's services (ILACS)"
    OTHER = "OTHER", "Other"


class InspectionKind(models.TextChoices):
    FULL = "full", "Full inspection"
    SHORT = "short", "Short inspection"
    FOCUSED_VISIT = "focused_visit", "Focused visit"
    MONITORING_VISIT = "monitoring_visit", "Monitoring visit"


class Grade(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"
    # Older frameworks graded on this four-point scale with different words.
    ADEQUATE = "adequate", "Adequate"


GRADE_ORDER = {
    Grade.OUTSTANDING: 1,
    Grade.GOOD: 2,
    Grade.REQUIRES_IMPROVEMENT: 3,
    Grade.ADEQUATE: 3,
    Grade.INADEQUATE: 4,
}


class InspectionQuerySet(models.QuerySet["Inspection"]):
    def graded(self) -> InspectionQuerySet:
        return self.exclude(overall_grade="")


class Inspection(models.Model):
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="inspections")
    framework = models.CharField(max_length=8, choices=Framework.choices)
    kind = models.CharField(max_length=20, choices=InspectionKind.choices)
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)
    published_date = models.DateField(null=True, blank=True)
    overall_grade = models.CharField(
        max_length=24, choices=Grade.choices, blank=True, help_text="Blank for ungraded visits."
    )
    sub_judgements = models.JSONField(
        default=dict, blank=True, help_text="Judgement name to grade, as published."
    )
    source = models.CharField(max_length=200, blank=True, help_text="File (and sheet) read.")
    source_row = models.PositiveIntegerField(null=True, blank=True)
    is_demo = models.BooleanField(default=False, help_text="Simulated, for demonstration only.")

    objects = InspectionQuerySet.as_manager()

    class Meta:
        ordering = ["authority", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "framework", "kind", "start_date"],
                name="inspection_unique_visit",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="inspection_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["authority", "start_date"])]

    def __str__(self) -> str:
        grade = self.get_overall_grade_display() or "ungraded"
        kind = self.get_kind_display()
        return f"{self.authority} {self.framework} {kind} {self.start_date}: {grade}"

    @property
    def judgement_date(self) -> datetime.date:
        """The date a judgement became public: publication if known, else the visit's end (as
        ``reports.compare.judgements.judgement_date_expression`` says it in SQL)."""
        return self.published_date or self.end_date or self.start_date


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"
    FINANCIAL_YEAR = "financial_year", "Financial year"
    YEAR = "year", "Year"


class EventCategory(models.TextChoices):
    INTERVENTION = "intervention", "Intervention"
    LEADERSHIP = "leadership", "Leadership"
    GOVERNANCE = "governance", "Governance"
    PRACTICE = "practice", "Practice"
    WORKFORCE = "workforce", "Workforce"
    DATA_SYSTEMS = "data_systems", "Data systems"
    FINANCE = "finance", "Finance"
    INSPECTION = "inspection", "Inspection"
    CONTEXT = "context", "Context"


class Event(models.Model):
    """Something dated that happened to an authority: a commissioner, a new director..."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="events")
    date = models.DateField()
    precision = models.CharField(
        max_length=16, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    date_label = models.CharField(max_length=100, blank=True, help_text="The date as worded.")
    category = models.CharField(max_length=16, choices=EventCategory.choices)
    detail_type = models.CharField(max_length=60, blank=True)
    description = models.TextField()
    document = models.CharField(max_length=200, blank=True)
    section = models.CharField(max_length=200, blank=True)
    quote = models.TextField(blank=True)
    is_demo = models.BooleanField(default=False, help_text="Simulated, for demonstration only.")

    class Meta:
        ordering = ["authority", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "date", "category", "description"],
                name="event_unique_per_day",
            )
        ]

    def __str__(self) -> str:
        return f"{self.authority} {self.date}: {self.description}"


# --- staff: membership of an authority with a role -----------------------------------------------


class Role(models.TextChoices):
    DATA_OFFICER = "data_officer", "Data officer"
    APPROVER = "approver", "Approver"
    BOARD_MEMBER = "board_member", "Board member"
    DFE_ANALYST = "dfe_analyst", "DfE analyst"
    ADMINISTRATOR = "administrator", "Administrator"


# Roles held for one authority, and roles held nationally (no authority). An administrator may be
# either: of one authority (everything for that authority) or national (everything everywhere).
AUTHORITY_ROLES = frozenset({Role.DATA_OFFICER, Role.APPROVER, Role.BOARD_MEMBER})
NATIONAL_ONLY_ROLES = frozenset({Role.DFE_ANALYST})


class Action(StrEnum):
    """What a person may do with an authority's monthly returns and plan."""

    VIEW = "view"  # see its returns, including figures not yet approved
    EDIT = "edit"  # enter, upload and submit a return
    APPROVE = "approve"  # approve a submitted return, reopen a submitted or approved one
    TRACK = "track"  # see the return tracker
    MANAGE_PLAN = "manage_plan"  # add, change and remove improvement-plan milestones


ROLE_ACTIONS: dict[str, frozenset[Action]] = {
    Role.DATA_OFFICER: frozenset({Action.VIEW, Action.EDIT}),
    Role.APPROVER: frozenset({Action.VIEW, Action.APPROVE, Action.TRACK, Action.MANAGE_PLAN}),
    Role.BOARD_MEMBER: frozenset({Action.VIEW}),
    Role.DFE_ANALYST: frozenset({Action.VIEW, Action.TRACK}),
    Role.ADMINISTRATOR: frozenset(Action),
}


def roles_with(action: str) -> list[str]:
    """The roles that allow ``action``."""
    return [str(role) for role, actions in ROLE_ACTIONS.items() if action in actions]


class MembershipQuerySet(models.QuerySet["Membership"]):
    def national(self) -> MembershipQuerySet:
        return self.filter(authority__isnull=True)

    def for_authority(self, authority: Authority) -> MembershipQuerySet:
        """Memberships that count for ``authority``: its own and the national ones."""
        return self.filter(Q(authority=authority) | Q(authority__isnull=True))


class Membership(models.Model):
    """A person's role for one authority, or nationally (DfE analysts and administrators)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    authority = models.ForeignKey(
        Authority,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
        help_text="Blank for a national role: DfE analysts, and administrators of every authority.",
    )
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user", "authority", "role"]
        constraints = [
            # NULLs are distinct in a unique index, so national roles need their own constraint.
            models.UniqueConstraint(
                fields=["user", "authority", "role"],
                condition=Q(authority__isnull=False),
                name="membership_unique_role_per_authority",
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(authority__isnull=True),
                name="membership_unique_national_role",
            ),
            models.CheckConstraint(
                condition=Q(authority__isnull=False) | ~Q(role__in=sorted(AUTHORITY_ROLES)),
                name="membership_local_role_has_authority",
            ),
            models.CheckConstraint(
                condition=Q(authority__isnull=True) | ~Q(role__in=sorted(NATIONAL_ONLY_ROLES)),
                name="membership_national_role_has_no_authority",
            ),
        ]

    def __str__(self) -> str:
        where = self.authority.name if self.authority_id and self.authority else "England"
        return f"{self.user}: {self.get_role_display()} ({where})"


def actions_for(user: Any, authority: Authority) -> frozenset[Action]:
    """Everything ``user`` may do with ``authority``'s returns and plan (one query).

    Superusers may do everything. Anonymous and inactive users may do nothing.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(Action)
    roles = Membership.objects.filter(user=user).for_authority(authority)
    allowed: set[Action] = set()
    for role in roles.values_list("role", flat=True):
        allowed |= ROLE_ACTIONS.get(role, frozenset())
    return frozenset(allowed)


def national_actions(user: Any) -> frozenset[Action]:
    """What ``user`` may do with every authority, from national roles (one query)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(Action)
    allowed: set[Action] = set()
    for role in Membership.objects.filter(user=user).national().values_list("role", flat=True):
        allowed |= ROLE_ACTIONS.get(role, frozenset())
    return frozenset(allowed)


# --- the audit log: who did what, append-only ----------------------------------------------------

from django.utils import timezone  # noqa: E402


class AuditAction(models.TextChoices):
    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    SIGN_IN_THROTTLED = "sign_in_throttled", "Sign-in refused: too many failures"
    SIGN_OUT = "sign_out", "Signed out"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    PASSWORD_RESET_REQUESTED = "password_reset_requested", "Password reset requested"
    PASSWORD_RESET = "password_reset", "Password reset"
    MEMBERSHIP_ADDED = "membership_added", "Role given"
    MEMBERSHIP_CHANGED = "membership_changed", "Role changed"
    MEMBERSHIP_REMOVED = "membership_removed", "Role taken away"
    ACCOUNT_CHANGED = "account_changed", "Account access changed"
    RETURN_SAVED = "return_saved", "Return draft saved"
    RETURN_SUBMITTED = "return_submitted", "Return submitted"
    RETURN_APPROVED = "return_approved", "Return approved"
    RETURN_REOPENED = "return_reopened", "Return reopened"
    RETURN_UPLOADED = "return_uploaded", "Return uploaded"
    UPLOAD_FAILED = "upload_failed", "Upload refused"
    DATA_IMPORTED = "data_imported", "Data imported"
    IMPORT_FAILED = "import_failed", "Import refused"


class AuditEntryQuerySet(AppendOnlyQuerySet["AuditEntry"]):
    def for_user(self, user: Any) -> AuditEntryQuerySet:
        """What ``user`` may read: everything for a superuser or national administrator; the
        entries about their own authorities for an administrator of one; nothing otherwise."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        admin = Membership.objects.filter(user=user, role=Role.ADMINISTRATOR)
        if admin.filter(authority__isnull=True).exists():
            return self
        return self.about(Authority.objects.filter(pk__in=admin.values("authority")))

    def about(self, authorities: models.QuerySet[Authority]) -> AuditEntryQuerySet:
        """Entries about any of ``authorities``, or about the account of someone with a role in
        one of them (their sign-ins, for one)."""
        people = AuditEntry.user_authorities.through.objects.filter(
            auditentry=OuterRef("pk"), authority__in=authorities
        )
        return self.filter(Q(authority__in=authorities) | Q(Exists(people)))


class AuditEntry(AppendOnly):
    """One security-relevant action: a sign-in, a role given, a return approved, a file
    imported. Written through ``authorities.accounts.audit.record``; never changed or removed."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=24, choices=AuditAction.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who did it (blank for a command run by an operator, or an unknown name).",
    )
    username = models.CharField(
        max_length=150, blank=True, help_text="The name given, kept if the account goes."
    )
    authority = models.ForeignKey(
        Authority, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user_authorities = models.ManyToManyField(
        Authority,
        blank=True,
        related_name="+",
        verbose_name="authorities of the person",
        help_text="For sign-ins and other account entries: the authorities the person had a "
        "role in then, whose administrators see the entry.",
    )
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    detail = models.TextField(blank=True)

    # Its own queryset adds for_user to the append-only guards it builds on.
    objects = AuditEntryQuerySet.as_manager()  # type: ignore[misc]

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["authority", "at"]), models.Index(fields=["user", "at"])]

    def __str__(self) -> str:
        who = self.username or "system"
        return f"{self.at:%Y-%m-%d %H:%M:%S} {who}: {self.get_action_display()}"
