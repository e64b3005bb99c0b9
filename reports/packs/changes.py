"""What has changed since a pack was made: its kept snapshot against what is published now.

Figures revised or withdrawn (every figure the pack shows, in the scorecard and the charts),
new periods published, next milestones changed, and improvement plan actions added, removed or
changed. A fixed number of queries: the authority page's headlines, the plan, and one read of
the figures the pack showed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from authorities import dates
from authorities.models import Authority
from indicators.models import Observation
from reports.authority import selectors as authority_selectors
from reports.formatting import format_value

from . import build, figures, plan


@dataclass
class Revised:
    indicator: str
    area: str
    period: str
    was: str
    now: str  # "" when the figure is no longer published
    figure_id: int | None = None  # the figure published now, for its source link


@dataclass
class Published:
    indicator: str
    period: str
    text: str
    figure_id: int
    was_period: str  # the latest period when the pack was made ("" for a new measure)


@dataclass
class MilestoneChanged:
    indicator: str
    was: str
    now: str


@dataclass
class PlanChanged:
    description: str
    what: str


@dataclass
class Changes:
    revised: list[Revised] = field(default_factory=list)
    withdrawn: list[Revised] = field(default_factory=list)
    published: list[Published] = field(default_factory=list)
    milestones: list[MilestoneChanged] = field(default_factory=list)
    plan: list[PlanChanged] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(
            self.revised or self.withdrawn or self.published or self.milestones or self.plan
        )


def _current(kept: dict[str, dict]) -> dict[str, tuple[float | None, str, int]]:
    """The figure published now for each kept figure's area, indicator, period and source: one
    query over the areas, indicators and sources the pack showed."""
    if not kept:
        return {}
    areas = {f["area_code"] for f in kept.values()}
    codes = {f["indicator"]["code"] for f in kept.values()}
    sources = {f["source"] for f in kept.values()}
    first = min(datetime.date.fromisoformat(f["start"]) for f in kept.values())
    rows = (
        Observation.objects.filter(
            area_code__in=areas,
            indicator__code__in=codes,
            source__in=sources,
            period_start__gte=first,
        )
        .order_by("recorded_at", "pk")
        .values_list(
            "indicator__code", "area_code", "source", "period_kind", "period_start", "value",
            "symbol", "id",
        )
    )  # fmt: skip
    current: dict[str, tuple[float | None, str, int]] = {}
    for code, area, source, kind, start, value, symbol, pk in rows:
        key = figures.figure_key(
            code, area, {"source": source, "period_kind": kind, "start": start.isoformat()}
        )
        if key in kept:
            current[key] = (value, symbol, pk)  # the newest copy wins
    return current


def _figure_changes(snapshot: dict, changes: Changes) -> None:
    kept = build.figures_by_key(snapshot["measures"])
    current = _current(kept)
    for key, figure in sorted(kept.items(), key=lambda item: (item[1]["end"], item[0])):
        indicator = figure["indicator"]
        now = current.get(key)
        if now is None:
            changes.withdrawn.append(
                Revised(
                    indicator["name"], figure["area_name"], figure["period_label"],
                    figure["text"], "",
                )
            )  # fmt: skip
            continue
        value, symbol, pk = now
        if (value, symbol or "") != (figure["value"], figure["symbol"] or ""):
            text = format_value(value, indicator["unit"], indicator["decimals"], symbol)
            changes.revised.append(
                Revised(
                    indicator["name"], figure["area_name"], figure["period_label"],
                    figure["text"], text, pk,
                )
            )  # fmt: skip


def _milestone_words(milestone: dict | None) -> str:
    if not milestone:
        return "none"
    return f"{milestone['text']} by {milestone['due_words']}"


def _scorecard_changes(snapshot: dict, fresh: list[dict], changes: Changes) -> None:
    kept = {m["indicator"]["code"]: m for m in snapshot["measures"]}
    for measure in fresh:
        code = measure["indicator"]["code"]
        latest = measure["latest"]
        old = kept.get(code)
        old_latest = old["latest"] if old else None
        if old_latest is None or latest["end"] > old_latest["end"]:
            changes.published.append(
                Published(
                    indicator=measure["indicator"]["name"],
                    period=latest["period_label"],
                    text=latest["text"],
                    figure_id=latest["id"],
                    was_period=old_latest["period_label"] if old_latest else "",
                )
            )
        if old is not None:
            was, now = _milestone_words(old["milestone"]), _milestone_words(measure["milestone"])
            if was != now:
                changes.milestones.append(MilestoneChanged(measure["indicator"]["name"], was, now))


PLAN_FIELDS = {
    "description": "description",
    "owner": "owner",
    "due_date": "due date",
    "status_words": "status",
    "rag_words": "red, amber or green",
}


def _plan_value(row: dict, name: str) -> str:
    value = row.get(name) or ""
    if name == "due_date" and value:
        return dates.long_date(datetime.date.fromisoformat(value))
    return str(value)


def plan_changes(kept: list[dict], now: list[dict]) -> list[PlanChanged]:
    """Actions added, removed or changed since the pack: pure, on the pack's plan rows."""
    before = {row["id"]: row for row in kept}
    after = {row["id"]: row for row in now}
    found: list[PlanChanged] = []
    for pk, row in after.items():
        if pk not in before:
            found.append(PlanChanged(row["description"], "Added"))
            continue
        moved = [
            f"{words} was {_plan_value(before[pk], name) or 'blank'}, "
            f"now {_plan_value(row, name) or 'blank'}"
            for name, words in PLAN_FIELDS.items()
            if before[pk].get(name) != row.get(name)
        ]
        if moved:
            found.append(PlanChanged(row["description"], "; ".join(moved).capitalize()))
    for pk, row in before.items():
        if pk not in after:
            found.append(PlanChanged(row["description"], "Removed from the plan"))
    return found


def changes_since(snapshot: dict[str, Any], authority: Authority) -> Changes:
    """Everything that differs between the kept pack and a build of it now."""
    changes = Changes()
    today = datetime.date.today()
    headlines = authority_selectors.authority_headlines(authority, today=today)
    fresh = [build.scorecard_row(authority, headline, {}) for headline in headlines]
    _figure_changes(snapshot, changes)
    _scorecard_changes(snapshot, fresh, changes)
    changes.plan = plan_changes(snapshot["plan"]["rows"], plan.plan_summary(authority, today=today))
    return changes
