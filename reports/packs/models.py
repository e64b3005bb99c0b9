"""A board pack as it was made: kept, never changed, so a meeting's papers stay as they were."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from authorities.models import Action, Authority


class BoardPackQuerySet(models.QuerySet["BoardPack"]):
    def for_user(self, user: Any) -> BoardPackQuerySet:
        """The packs ``user`` may open: those of the authorities whose members they are, or of
        every authority for DfE users and administrators. Nothing for anyone else."""
        return self.filter(authority__in=Authority.objects.for_user(user, Action.VIEW))


class BoardPack(models.Model):
    """One version of the pack for an authority's board meeting, with everything it showed.

    ``snapshot`` holds what the pack shows (figures with their sources, the charts' data, plan
    rows, events, inspections and notes) as plain JSON, so opening the pack later shows the same
    figures whatever was published since. Making a pack again for the same meeting adds the
    next version; none is ever overwritten.
    """

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="board_packs")
    meeting_date = models.DateField()
    version = models.PositiveIntegerField(default=1)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    made_by_name = models.CharField(
        max_length=150, blank=True, help_text="Kept in case the account is removed."
    )
    made_at = models.DateTimeField()
    snapshot = models.JSONField(help_text="Everything the pack shows, as it was made.")

    objects = BoardPackQuerySet.as_manager()

    class Meta:
        ordering = ["authority", "-meeting_date", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["authority", "meeting_date", "version"],
                name="board_pack_unique_version",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="board_pack_version_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.authority} board pack {self.meeting_date} (version {self.version})"
