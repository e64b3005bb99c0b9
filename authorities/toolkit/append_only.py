"""One mechanism for tables whose rows are written once and never changed: the audit log and a
monthly return's history.

A row is added with ``save()`` or ``create()``; changing or deleting it, one by one or through
the queryset, raises ``AppendOnlyError``. Deleting what a row belongs to still takes the row
with it (a removed return takes its history, a removed account leaves its audit entries with no
user): Django's collector goes through the base manager, not these guards.
"""

from __future__ import annotations

from typing import Any

from django.db import models


class AppendOnlyError(ValueError):
    """A row of an append-only table cannot be changed or removed once written."""


def _refuse(model: type[models.Model], doing: str) -> AppendOnlyError:
    return AppendOnlyError(f"{model.__name__} rows are history: they cannot be {doing}")


class AppendOnlyQuerySet[M: models.Model](models.QuerySet[M]):
    def update(self, **kwargs: Any) -> int:
        raise _refuse(self.model, "changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise _refuse(self.model, "deleted")


class AppendOnly(models.Model):
    """An abstract base for append-only models; their managers should build on
    ``AppendOnlyQuerySet``."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise _refuse(type(self), "changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise _refuse(type(self), "deleted")
