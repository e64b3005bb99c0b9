"""What every importer shares: errors that say file, row and column, and a report of what changed.

Each importer validates every row first and raises ``ImportFailed`` with all the problems it
found; only a file with no problems is written, inside one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class RowError:
    file: str
    row: int | None  # 1-based line number as a spreadsheet shows it (the header is row 1)
    column: str | None
    message: str

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


class ImportFailed(Exception):
    """Raised when a file cannot be imported; nothing has been written."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors[:50]))

    def summary(self, limit: int = 50) -> str:
        lines = [str(error) for error in self.errors[:limit]]
        if len(self.errors) > limit:
            lines.append(f"... and {len(self.errors) - limit} more problems")
        return "\n".join(lines)


@dataclass
class ImportReport:
    file: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        text = (
            f"{self.file}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )
        return "\n".join([text, *(f"  {note}" for note in self.notes)])


def refresh_planner_statistics() -> None:
    """Tell the database what a bulk load changed, so its planner picks the right indexes.

    Without it PostgreSQL plans the first queries after a large load from empty-table estimates.
    """
    from django.db import connection

    from .models import Observation

    table = connection.ops.quote_name(Observation._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
