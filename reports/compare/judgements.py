"""Ofsted judgements as the comparisons read them: when a judgement became public, its grade in
words and in order, and the years between two dates."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db.models.functions import Coalesce

from authorities.models import GRADE_ORDER, Grade


def judgement_date_expression() -> Coalesce:
    """The date a judgement became public, in SQL: publication, else end, else start."""
    return Coalesce("published_date", "end_date", "start_date")


def judged(row: Mapping[str, Any]) -> datetime.date:
    """The same date, from an inspection read with values()."""
    return row["published_date"] or row["end_date"] or row["start_date"]


def grade_words(grade: str) -> str:
    return str(Grade(grade).label) if grade in Grade.values else grade


def grade_order(grade: str) -> int | None:
    """1 for Outstanding to 4 for Inadequate (``GRADE_ORDER``); None when not a known grade."""
    return GRADE_ORDER.get(Grade(grade)) if grade in Grade.values else None


def years_between(start: datetime.date, end: datetime.date) -> float:
    return round((end - start).days / 365.25, 2)
