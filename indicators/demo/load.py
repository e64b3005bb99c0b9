"""The demo's one write: ``load_demo`` replaces the previous demo data with a freshly planned set
inside one transaction, and never touches anything that is not demo data."""

from __future__ import annotations

import datetime as dt
import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connections, router, transaction
from django.utils import timezone

from authorities.models import Authority, Event, Inspection, Region, StatisticalNeighbour
from authorities.toolkit.months import month_index, month_last
from indicators.annex_a.models import AnnexAUpload
from indicators.catalogue import catalogue_rows
from indicators.milestones.models import Milestone
from indicators.models import Indicator, Observation, Source
from indicators.returns.models import MonthlyReturn, ReturnStatus

from .plan import (
    DEFAULT_AUTHORITIES,
    DEFAULT_MONTHS,
    DEFAULT_SEED,
    DemoPlan,
    build_plan,
    month_label,
    validate,
)

NEIGHBOUR_MODEL_YEAR = 2025
SIMULATED = "Simulated by load_demo"
BATCH_SIZE = 2000


@dataclass(frozen=True)
class DemoSummary:
    seed: int
    regions: int
    authorities: int
    neighbours: int
    observations: int
    inspections: int
    events: int
    milestones: int
    returns: int
    first_month: dt.date | None
    last_month: dt.date | None
    seconds: float

    def lines(self) -> list[str]:
        months = ""
        if self.first_month and self.last_month:
            months = f" ({month_label(self.first_month)} to {month_label(self.last_month)})"
        return [
            f"Demo data, seed {self.seed}: {self.authorities} authorities in "
            f"{self.regions} regions, {self.neighbours} statistical neighbour links.",
            f"{self.observations} observations, {self.returns} monthly returns{months}.",
            f"{self.inspections} inspections, {self.events} events, {self.milestones} milestones.",
        ]


def _observation_rows(
    plan: DemoPlan, indicator_ids: dict[str, int], release: str, connection: Any
) -> tuple[list[str], Iterator[tuple[Any, ...]]]:
    """Observation columns, and rows of database-ready values in that order.

    Rows are built straight from the numpy blocks: making 450,000 model instances and letting
    ``bulk_create`` compile them costs more than the whole budget for the national-scale set.
    Every value still goes through its field's ``get_db_prep_save``, once per distinct value.
    """
    fields = [f for f in Observation._meta.concrete_fields if not f.primary_key]
    columns = [str(f.column) for f in fields]
    by_name = {f.attname: f for f in fields}

    def prep(name: str, value: Any) -> Any:
        return by_name[name].get_db_prep_save(value, connection=connection)

    varying = [
        *("indicator_id", "area_level", "area_code", "period_kind", "period_start"),
        *("period_end", "period_label", "value", "symbol", "numerator", "denominator"),
    ]
    fixed = {"source": Source.DEMO.value, "release": release, "recorded_at": timezone.now()}
    template = [
        None
        if f.attname in varying
        else prep(f.attname, fixed[f.attname] if f.attname in fixed else f.get_default())
        for f in fields
    ]
    names = [f.attname for f in fields]
    at = [names.index(name) for name in varying]

    def rows() -> Iterator[tuple[Any, ...]]:
        for block in plan.blocks:
            indicator_id = indicator_ids[block.indicator]
            periods = [
                (
                    prep("period_kind", p.kind),
                    prep("period_start", p.start),
                    prep("period_end", p.end),
                    prep("period_label", p.label),
                )
                for p in block.periods
            ]
            values = block.value.tolist()
            nums = block.numerator.tolist() if block.numerator is not None else None
            dens = block.denominator.tolist() if block.denominator is not None else None
            symbols = block.symbols
            level = str(block.area_level)
            for a, area_code in enumerate(block.area_codes):
                value_row = values[a]
                num_row = nums[a] if nums is not None else None
                den_row = dens[a] if dens is not None else None
                for p, (kind, start, end, label) in enumerate(periods):
                    symbol = symbols.get((a, p), "") if symbols else ""
                    if symbol:
                        value = num = den = None
                    else:
                        value = value_row[p]
                        num = num_row[p] if num_row is not None else None
                        den = den_row[p] if den_row is not None else None
                    row = template.copy()
                    items = (indicator_id, level, area_code, kind, start, end, label)
                    for i, item in zip(at, (*items, value, symbol, num, den), strict=True):
                        row[i] = item
                    yield tuple(row)

    return columns, rows()


def _insert_observations(plan: DemoPlan, indicator_ids: dict[str, int], release: str) -> int:
    """Write the plan's observations: COPY on PostgreSQL, batched executemany elsewhere."""
    connection = connections[router.db_for_write(Observation)]
    columns, rows = _observation_rows(plan, indicator_ids, release, connection)
    table = connection.ops.quote_name(Observation._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        for batch in itertools.batched(rows, BATCH_SIZE * 5):
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _bulk_create(model: Any, objects: list[Any]) -> int:
    model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
    return len(objects)


def _clear() -> None:
    """Delete the previous demo data except the region and authority rows, which are updated in
    place (so anything else that points at them, like a user's membership, survives a re-run)."""
    Observation.objects.filter(source=Source.DEMO).delete()
    # Figures published by approving a demo authority's returns, in the app or by the demo.
    Observation.objects.filter(
        source=Source.MONTHLY_RETURN,
        area_code__in=Authority.objects.filter(is_demo=True).values("gss_code"),
    ).delete()
    Milestone.objects.filter(is_demo=True).delete()
    MonthlyReturn.objects.filter(is_demo=True).delete()
    AnnexAUpload.objects.filter(authority__is_demo=True).delete()  # its figures went just now
    Event.objects.filter(is_demo=True).delete()
    Inspection.objects.filter(is_demo=True).delete()
    StatisticalNeighbour.objects.filter(authority__is_demo=True).delete()
    # Clear DfE codes first so codes can move between kept rows without a clash.
    Authority.objects.filter(is_demo=True).update(dfe_code="")


def _upsert_areas(plan: DemoPlan) -> dict[str, int]:
    region_rows = {r.code: r for r in Region.objects.filter(code__in=[c for c, _ in plan.regions])}
    new_regions = []
    for code, name in plan.regions:
        if code in region_rows:
            region_rows[code].name = name
            region_rows[code].is_demo = True
        else:
            new_regions.append(Region(code=code, name=name, is_demo=True))
    Region.objects.bulk_update(list(region_rows.values()), ["name", "is_demo"])
    Region.objects.bulk_create(new_regions)
    region_ids = dict(
        Region.objects.filter(code__in=[c for c, _ in plan.regions]).values_list("code", "id")
    )

    codes = [a.gss_code for a in plan.authorities]
    existing = {a.gss_code: a for a in Authority.objects.filter(gss_code__in=codes)}
    new_authorities = []
    for spec in plan.authorities:
        values = dict(
            dfe_code=spec.dfe_code,
            name=spec.name,
            region_id=region_ids[spec.region_code],
            active_from=None,
            active_to=None,
            successor=None,
            is_demo=True,
        )
        if spec.gss_code in existing:
            row = existing[spec.gss_code]
            for key, value in values.items():
                setattr(row, key, value)
        else:
            new_authorities.append(Authority(gss_code=spec.gss_code, **values))
    Authority.objects.bulk_update(
        list(existing.values()),
        ["dfe_code", "name", "region", "active_from", "active_to", "successor", "is_demo"],
    )
    Authority.objects.bulk_create(new_authorities)
    # Demo areas this plan no longer has (a re-run with fewer authorities).
    Authority.objects.filter(is_demo=True).exclude(gss_code__in=codes).delete()
    (
        Region.objects.filter(is_demo=True)
        .exclude(code__in=region_ids)
        .exclude(authorities__is_demo=False)
        .delete()
    )
    return dict(Authority.objects.filter(gss_code__in=codes).values_list("gss_code", "id"))


def load_demo(
    *,
    seed: int = DEFAULT_SEED,
    authorities: int = DEFAULT_AUTHORITIES,
    months: int = DEFAULT_MONTHS,
    today: dt.date | None = None,
) -> DemoSummary:
    """Replace all demo data with a freshly generated, deterministic set. Touches nothing else."""
    started = time.perf_counter()
    validate(authorities=authorities, months=months)
    today = today or timezone.localdate()
    indicator_ids = dict(Indicator.objects.values_list("code", "id"))
    missing = [row["code"] for row in catalogue_rows() if row["code"] not in indicator_ids]
    if missing:
        raise ValueError(f"Indicators missing from the database (run migrate): {missing}")

    with transaction.atomic(using=router.db_for_write(Observation)):
        official = Authority.objects.filter(is_demo=False)
        plan = build_plan(
            seed=seed,
            authorities=authorities,
            months=months,
            today=today,
            taken_gss=set(official.values_list("gss_code", flat=True)),
            taken_dfe=set(official.exclude(dfe_code="").values_list("dfe_code", flat=True)),
            taken_regions=set(Region.objects.filter(is_demo=False).values_list("code", flat=True)),
        )
        _clear()
        ids = _upsert_areas(plan)
        authority_ids = [ids[a.gss_code] for a in plan.authorities]

        neighbours = _bulk_create(
            StatisticalNeighbour,
            [
                StatisticalNeighbour(
                    authority_id=authority_ids[a],
                    neighbour_id=authority_ids[b],
                    model_year=NEIGHBOUR_MODEL_YEAR,
                    rank=rank,
                    closeness=closeness,
                )
                for a, b, rank, closeness in plan.neighbours
            ],
        )

        # Non-demo rows a user made on a demo authority survive; skip demo rows that would clash.
        kept = Inspection.objects.filter(authority_id__in=authority_ids)
        taken_visits = set(kept.values_list("authority_id", "framework", "kind", "start_date"))
        inspections = _bulk_create(
            Inspection,
            [
                Inspection(
                    authority_id=authority_ids[i.authority],
                    framework=i.framework,
                    kind=i.kind,
                    start_date=i.start,
                    end_date=i.end,
                    published_date=i.published,
                    overall_grade=i.grade,
                    sub_judgements=i.sub_judgements,
                    source=SIMULATED,
                    is_demo=True,
                )
                for i in plan.inspections
                if (authority_ids[i.authority], i.framework, i.kind, i.start) not in taken_visits
            ],
        )
        kept_events = Event.objects.filter(authority_id__in=authority_ids)
        taken_events = set(
            kept_events.values_list("authority_id", "date", "category", "description")
        )
        events = _bulk_create(
            Event,
            [
                Event(
                    authority_id=authority_ids[e.authority],
                    date=e.date,
                    precision=e.precision,
                    date_label=e.date_label,
                    category=e.category,
                    detail_type=e.detail_type,
                    description=e.description,
                    document=SIMULATED,
                    is_demo=True,
                )
                for e in plan.events
                if (authority_ids[e.authority], e.date, e.category, e.description)
                not in taken_events
            ],
        )
        kept_milestones = Milestone.objects.filter(authority_id__in=authority_ids)
        taken_due = set(kept_milestones.values_list("authority_id", "indicator_id", "due_date"))
        milestones = _bulk_create(
            Milestone,
            [
                Milestone(
                    authority_id=authority_ids[m.authority],
                    indicator_id=indicator_ids[m.indicator],
                    due_date=m.due_date,
                    value=m.value,
                    tolerance=m.tolerance,
                    note=m.note,
                    document=SIMULATED,
                    is_demo=True,
                )
                for m in plan.milestones
                if (authority_ids[m.authority], indicator_ids[m.indicator], m.due_date)
                not in taken_due
            ],
        )
        # Only the demo users' authority sends its returns through Trajectory (the other
        # simulated authorities are its comparators, with figures of their own): it is the one
        # ``load_demo`` gives the demo users, the first by name with milestones.
        sender = (
            Authority.objects.filter(pk__in=authority_ids, milestones__isnull=False)
            .order_by("name")
            .values_list("pk", flat=True)
            .first()
            or Authority.objects.filter(pk__in=authority_ids)
            .order_by("name")
            .values_list("pk", flat=True)
            .first()
        )
        kept_returns = MonthlyReturn.objects.filter(authority_id__in=authority_ids)
        taken_months = set(kept_returns.values_list("authority_id", "month"))
        zone = timezone.get_current_timezone()
        returns = _bulk_create(
            MonthlyReturn,
            [
                MonthlyReturn(
                    authority_id=authority_id,
                    month=month,
                    status=ReturnStatus.APPROVED,
                    submitted_at=submitted,
                    approved_at=submitted + dt.timedelta(hours=5),
                    is_demo=True,
                )
                # The latest month is left open, so the demo's data officer has a return to
                # enter (it is not due until the 15th of this month, so not overdue).
                for month in plan.months[:-1]
                for submitted in [
                    dt.datetime.combine(
                        min(month_last(month_index(month)) + dt.timedelta(days=8), today),
                        dt.time(9, 30),
                        tzinfo=zone,
                    )
                ]
                for authority_id in ([sender] if sender is not None else [])
                if (authority_id, month) not in taken_months
            ],
        )
        observations = _insert_observations(plan, indicator_ids, f"load_demo seed {seed}")

    return DemoSummary(
        seed=seed,
        regions=len(plan.regions),
        authorities=len(plan.authorities),
        neighbours=neighbours,
        observations=observations,
        inspections=inspections,
        events=events,
        milestones=milestones,
        returns=returns,
        first_month=plan.months[0] if plan.months else None,
        last_month=plan.months[-1] if plan.months else None,
        seconds=time.perf_counter() - started,
    )
