"""The recovery summary's data: of the authorities ever judged Inadequate, how long until their
next better judgement, by the framework of the Inadequate judgement, and which are still
Inadequate."""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from authorities.models import GRADE_ORDER, Framework, Grade, Inspection
from indicators.models import Source

from .judgements import grade_order, grade_words, judged, years_between
from .selection import dedupe

Row = Mapping[str, Any]  # a row from values()

RECOVERED, STILL_INADEQUATE, CEASED = "recovered", "still_inadequate", "ceased"


@dataclass
class Spell:
    """From an Inadequate judgement (the first of a run of them) to the next better one."""

    anchor: str  # the page anchor of this spell's row
    code: str
    name: str
    is_demo: bool
    framework: str
    judged: datetime.date
    kind: str
    recovered_on: datetime.date | None = None
    recovered_grade: str = ""
    recovered_framework: str = ""
    status: str = STILL_INADEQUATE
    years: float | None = None

    @property
    def recovered_grade_label(self) -> str:
        return grade_words(self.recovered_grade) if self.recovered_grade else ""


@dataclass
class FrameworkSummary:
    framework: str
    label: str
    spells: list[Spell]

    @property
    def anchor(self) -> str:
        return f"framework-{self.framework.lower()}"

    @property
    def recovered(self) -> list[Spell]:
        return [spell for spell in self.spells if spell.status == RECOVERED]

    @property
    def still_inadequate(self) -> list[Spell]:
        return [spell for spell in self.spells if spell.status == STILL_INADEQUATE]

    @property
    def ceased(self) -> list[Spell]:
        return [spell for spell in self.spells if spell.status == CEASED]

    @property
    def median_years(self) -> float | None:
        years = [spell.years for spell in self.recovered if spell.years is not None]
        return statistics.median(years) if years else None

    @property
    def median_spell(self) -> Spell | None:
        """The spell at the median, when there is one (an odd number recovered)."""
        ordered = sorted(self.recovered, key=lambda spell: spell.years or 0)
        return ordered[len(ordered) // 2] if len(ordered) % 2 == 1 else None

    @property
    def fastest(self) -> Spell | None:
        return min(self.recovered, key=lambda spell: spell.years or 0, default=None)

    @property
    def slowest(self) -> Spell | None:
        return max(self.recovered, key=lambda spell: spell.years or 0, default=None)

    @property
    def authority_codes(self) -> list[str]:
        return dedupe(spell.code for spell in self.spells)


@dataclass
class Recovery:
    source: str  # official (published inspections) or demo (simulated ones)
    sources: list[str]
    spells: list[Spell]
    frameworks: list[FrameworkSummary]
    overall: FrameworkSummary

    @property
    def authorities(self) -> list[tuple[str, str]]:
        return list(dict.fromkeys((spell.code, spell.name) for spell in self.spells))

    @property
    def still_inadequate(self) -> list[Spell]:
        return self.overall.still_inadequate

    @property
    def shows_demo_data(self) -> bool:
        return self.source == Source.DEMO


FRAMEWORK_ORDER = {code: index for index, code in enumerate(Framework.values)}


def recovery(source: str = "") -> Recovery:
    """Of the authorities ever judged Inadequate, how long until their next better judgement,
    by the framework of the Inadequate judgement; and which are still Inadequate. One query for
    the inspections (one more to learn whether simulated inspections exist).

    A spell starts with an Inadequate judgement that does not follow another; it ends at the
    next graded judgement with a better grade (``GRADE_ORDER``). A spell that has not ended is
    "still Inadequate", or "ceased" if the authority no longer exists.
    """
    kinds = set(Inspection.objects.graded().order_by().values_list("is_demo", flat=True).distinct())
    sources = [
        str(s) for s, demo in ((Source.OFFICIAL, False), (Source.DEMO, True)) if demo in kinds
    ]
    if source not in sources:
        source = sources[0] if sources else Source.OFFICIAL
    rows = (
        Inspection.objects.graded()
        .filter(is_demo=source == Source.DEMO)
        .order_by()
        .values(
            "id",
            "authority__gss_code",
            "authority__name",
            "authority__is_demo",
            "authority__active_to",
            "framework",
            "kind",
            "start_date",
            "end_date",
            "published_date",
            "overall_grade",
        )
    )
    by_authority: dict[str, list[Row]] = defaultdict(list)
    inspection: Row
    for inspection in rows:
        by_authority[inspection["authority__gss_code"]].append(inspection)
    spells = [spell for history in by_authority.values() for spell in _spells(history)]
    spells.sort(key=lambda spell: (spell.judged, spell.name))
    grouped: dict[str, list[Spell]] = defaultdict(list)
    for spell in spells:
        grouped[spell.framework].append(spell)
    frameworks = [
        FrameworkSummary(code, _framework_label(code), grouped[code])
        for code in sorted(grouped, key=lambda c: FRAMEWORK_ORDER.get(c, 99))
    ]
    overall = FrameworkSummary("all", "All frameworks", spells)
    return Recovery(source, sources, spells, frameworks, overall)


def _spells(history: list[Row]) -> list[Spell]:
    """One authority's spells, from its graded inspections."""
    inadequate = GRADE_ORDER[Grade.INADEQUATE]
    spells: list[Spell] = []
    open_spell: Spell | None = None
    for row in sorted(history, key=lambda row: (judged(row), row["start_date"])):
        order = grade_order(row["overall_grade"]) or 0
        if order == inadequate and open_spell is None:
            open_spell = Spell(
                anchor=f"spell-{row['id']}",
                code=row["authority__gss_code"],
                name=row["authority__name"],
                is_demo=row["authority__is_demo"],
                framework=row["framework"],
                judged=judged(row),
                kind=row["kind"],
                status=CEASED if row["authority__active_to"] else STILL_INADEQUATE,
            )
            spells.append(open_spell)
        elif open_spell is not None and order < inadequate:
            open_spell.recovered_on = judged(row)
            open_spell.recovered_grade = row["overall_grade"]
            open_spell.recovered_framework = row["framework"]
            open_spell.status = RECOVERED
            open_spell.years = years_between(open_spell.judged, open_spell.recovered_on)
            open_spell = None
    return spells


def _framework_label(code: str) -> str:
    return str(Framework(code).label) if code in Framework.values else code
