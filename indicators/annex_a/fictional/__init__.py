"""Fictional Annex A workbooks: deterministic, plainly simulated, optionally messy.

Used by the tests, the demo and the benchmark. Every child, worker and team is invented: child
identifiers read ``FICT-000123``, the first sheet says the workbook is simulated, and the
workbook's properties say so too. The same arguments always give the same bytes' content.

The simulation follows children through the service: contacts, some becoming referrals,
assessments (most within 45 working days), section 47 enquiries and initial conferences, child
protection plans, periods of care and care leavers, with a stock of cases open before the
period. Each child has one current team and worker, written on every list the child is in, as a
case management system's extract does.

``messy=True`` writes the same facts the untidy ways real extracts do (codes with and without
their letter, dates as text, serial numbers or formulas with saved results, blank rows, extra
and reordered columns, renamed headers, stray spaces, a title row above a header, repeated rows,
odd sheet names): read properly, a messy workbook gives exactly the figures of a tidy one.
``damaged=True`` adds what cannot be read (#N/A, a formula saved without its result, impossible
dates, unknown codes), recorded in ``FictionalWorkbook.damaged`` so tests know where.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from openpyxl import Workbook

from indicators.annex_a.fictional.layout import (
    HEADERS,
    RENAMED,
    SHEET_NAMES,
    SIMULATED_NOTE,
    FictionalWorkbook,
)
from indicators.annex_a.fictional.simulation import Child, _Simulation
from indicators.annex_a.fictional.writing import _Mess, _write_list, as_saved_by_excel
from indicators.annex_a.working_days import month_end

__all__ = [
    "HEADERS",
    "RENAMED",
    "SHEET_NAMES",
    "SIMULATED_NOTE",
    "Child",
    "FictionalWorkbook",
    "as_saved_by_excel",
    "build",
    "make_workbook",
]


def build(
    *,
    seed: int = 1,
    months: int = 6,
    end: dt.date = dt.date(2025, 9, 30),
    contacts_per_month: int = 150,
    messy: bool = False,
    damaged: bool = False,
    omit_lists: Iterable[int] = (),
) -> FictionalWorkbook:
    """A fictional Annex A workbook covering ``months`` calendar months up to ``end`` (a month
    end, the day the extract was run). ``contacts_per_month`` sets the size: about 24 rows
    across the lists per contact a month over twelve months, so 4,200 gives a large county's
    100,000 rows."""
    if end != month_end(end):
        raise ValueError("A fictional workbook ends on the last day of a month.")
    if months < 1 or contacts_per_month < 1:
        raise ValueError("A fictional workbook needs at least one month and one contact a month.")
    simulation = _Simulation(seed, months, end, contacts_per_month)
    simulation.run()
    lists = simulation.in_period()
    mess = _Mess(seed, messy, damaged)
    found = FictionalWorkbook(b"", {}, period=(simulation.start, end))
    workbook = Workbook(write_only=True)
    workbook.properties.title = "Simulated Annex A (fictional data)"
    workbook.properties.creator = "Trajectory fictional data generator"
    about = workbook.create_sheet("About")
    about.append([SIMULATED_NOTE])
    about.append([f"Period: {simulation.start.isoformat()} to {end.isoformat()}"])
    omitted = set(omit_lists)
    for number in sorted(lists):
        if number in omitted:
            continue
        _write_list(workbook, number, lists[number], mess, found)
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    found.data = as_saved_by_excel(data, end)
    found.child_ids = tuple(c.id for c in simulation.children)
    found.worker_names = tuple(
        name
        for teams in simulation.teams.values()
        for workers in teams.values()
        for name in workers
    )
    return found


def make_workbook(**options: object) -> bytes:
    """The bytes of a fictional Annex A workbook (see ``build`` for the options)."""
    return build(**options).data  # type: ignore[arg-type]
