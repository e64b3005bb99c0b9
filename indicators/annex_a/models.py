"""What an Annex A upload leaves behind: aggregates only (registered by indicators.models).

An upload's row is the record its computed figures point back to (the provenance page reads
it) and, until accepted, what the accept step writes from: figures and the quality report,
never a child's identifier, a date of birth, a row or a worker's name.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from authorities.models import Authority

# How long an upload's figures wait for the uploader to accept them.
PENDING_FOR = datetime.timedelta(hours=2)


class AnnexAUpload(models.Model):
    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_by_name = models.CharField(
        max_length=150, blank=True, help_text="Kept in case the account is removed."
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    sha256 = models.CharField("SHA-256 of the file", max_length=64)
    rows_used = models.PositiveIntegerField(help_text="Data rows read across the lists.")
    rules_version = models.CharField(max_length=20)
    months = models.JSONField(default=list, help_text="The months fully covered (ISO dates).")
    figures = models.JSONField(
        default=list, help_text="Computed figures per measure and month: counts only."
    )
    quality = models.JSONField(default=dict, help_text="The data-quality report: counts only.")
    caseload_threshold = models.PositiveIntegerField(
        default=20, help_text="Children per worker above which a worker is counted as over."
    )
    versions_seen = models.JSONField(
        default=dict,
        help_text="Each month's return version when the figures were shown (0: not started), "
        "so accepting cannot overwrite work saved since.",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"Annex A for {self.authority} uploaded {self.uploaded_at:%Y-%m-%d %H:%M}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and timezone.now() - self.uploaded_at < PENDING_FOR

    def figure(self, code: str, month: datetime.date) -> dict[str, Any] | None:
        wanted = month.isoformat()
        for figure in self.figures:
            if figure["measure"] == code and figure["month"] == wanted:
                return dict(figure)
        return None


class TeamMonth(models.Model):
    """One team's counts for one month, from an upload: the authority's own management
    information, shown to its members only (never DfE, exports or comparisons)."""

    upload = models.ForeignKey(AnnexAUpload, on_delete=models.CASCADE, related_name="team_months")
    team = models.CharField(max_length=200)
    month = models.DateField()
    open_cin = models.PositiveIntegerField(null=True)
    on_plan = models.PositiveIntegerField(null=True)
    looked_after = models.PositiveIntegerField(null=True)
    care_leavers = models.PositiveIntegerField(null=True)
    unallocated = models.PositiveIntegerField(null=True)
    allocated_children = models.PositiveIntegerField(null=True)
    workers = models.PositiveIntegerField(null=True)
    children_per_worker_median = models.FloatField(null=True)
    children_per_worker_max = models.PositiveIntegerField(null=True)
    workers_over_threshold = models.PositiveIntegerField(null=True)
    assessments = models.PositiveIntegerField(null=True)
    assessments_in_time = models.PositiveIntegerField(null=True)
    cp_visits_counted = models.PositiveIntegerField(null=True)
    cp_visits_in_time = models.PositiveIntegerField(null=True)
    cla_visits_counted = models.PositiveIntegerField(null=True)
    cla_visits_in_time = models.PositiveIntegerField(null=True)

    class Meta:
        ordering = ["upload", "month", "team"]
        constraints = [
            models.UniqueConstraint(
                fields=["upload", "team", "month"], name="annex_a_team_month_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.month:%Y-%m}"

    @staticmethod
    def share(part: int | None, whole: int | None) -> float | None:
        return None if part is None or not whole else 100 * part / whole

    @property
    def assessments_pct(self) -> float | None:
        return self.share(self.assessments_in_time, self.assessments)

    @property
    def cp_visits_pct(self) -> float | None:
        return self.share(self.cp_visits_in_time, self.cp_visits_counted)

    @property
    def cla_visits_pct(self) -> float | None:
        return self.share(self.cla_visits_in_time, self.cla_visits_counted)
