"""Measure how long a large county's Annex A takes to read and compute, and the memory it needs.

    python -c "from indicators.annex_a.bench import measure; print(measure())"

The workbook is generated first (not timed); then reading and computing are timed together and
the peak memory of the whole process is reported, as the budget (under 20 s and 600 MB for about
100,000 rows, issue 15) is about what the server needs, not about Python objects alone.
"""

from __future__ import annotations

import io
import multiprocessing
import resource
import sys
import time
import tracemalloc
from dataclasses import dataclass

from indicators.annex_a import analyse
from indicators.annex_a.fictional import build

TIME_BUDGET_SECONDS = 20.0
MEMORY_BUDGET_MB = 600.0


@dataclass(frozen=True)
class Measurement:
    rows: int  # data rows written across the lists
    file_mb: float
    generate_seconds: float
    seconds: float  # read and compute
    python_peak_mb: float  # peak Python allocations while reading and computing (0: not traced)
    process_peak_mb: float  # the process's peak resident memory since it started
    months: int
    figures: int

    @property
    def within_budget(self) -> bool:
        return self.seconds < TIME_BUDGET_SECONDS and self.process_peak_mb < MEMORY_BUDGET_MB

    def __str__(self) -> str:
        return (
            f"{self.rows:,} rows ({self.file_mb:.1f} MB xlsx): read and computed in "
            f"{self.seconds:.1f} s; peak memory {self.process_peak_mb:.0f} MB for the process"
            + (
                f" ({self.python_peak_mb:.0f} MB allocated by Python)"
                if self.python_peak_mb
                else ""
            )
            + f"; {self.months} months, "
            f"{self.figures} figures; generated in {self.generate_seconds:.1f} s. "
            f"Budget {TIME_BUDGET_SECONDS:.0f} s and {MEMORY_BUDGET_MB:.0f} MB: "
            f"{'met' if self.within_budget else 'NOT met'}."
        )


def _process_peak_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _analyse_alone(data: bytes, results: multiprocessing.Queue, trace: bool) -> None:
    """Run in a fresh interpreter, so its peak memory is that of reading and computing (plus
    the interpreter and libraries), not of generating the workbook."""
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    analysis = analyse(data)
    seconds = time.perf_counter() - started
    python_peak = tracemalloc.get_traced_memory()[1] if trace else 0
    results.put(
        (
            seconds,
            python_peak / (1024 * 1024),
            _process_peak_mb(),
            len(analysis.monthly.months),
            len(analysis.monthly.figures),
        )
    )


def measure(
    contacts_per_month: int = 4200,
    months: int = 12,
    *,
    messy: bool = True,
    seed: int = 1,
    trace_python: bool = False,
) -> Measurement:
    """Generate a workbook (by default about 100,000 rows over twelve months, messy as real
    extracts are), then time ``analyse`` on it in a fresh process. ``trace_python`` also
    records Python's own allocations with tracemalloc, which slows the run several times, so
    the time is then not the one to quote."""
    started = time.perf_counter()
    workbook = build(seed=seed, months=months, contacts_per_month=contacts_per_month, messy=messy)
    generated = time.perf_counter() - started
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    worker = context.Process(target=_analyse_alone, args=(workbook.data, results, trace_python))
    worker.start()
    seconds, python_peak, process_peak, month_count, figures = results.get()
    worker.join()
    return Measurement(
        rows=sum(workbook.rows.values()),
        file_mb=len(workbook.data) / (1024 * 1024),
        generate_seconds=generated,
        seconds=seconds,
        python_peak_mb=python_peak,
        process_peak_mb=process_peak,
        months=month_count,
        figures=figures,
    )


def compare_readers(data: bytes) -> dict[str, float]:
    """Seconds to pull every cell of every list sheet with python-calamine and with openpyxl's
    read-only mode: the measurement behind the reader's choice of library."""
    import openpyxl
    import python_calamine

    timings = {}
    started = time.perf_counter()
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    for name in book.sheet_names:
        for _ in book.get_sheet_by_name(name).iter_rows():
            pass
    timings["python-calamine"] = time.perf_counter() - started
    started = time.perf_counter()
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    for sheet in workbook.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            pass
    workbook.close()
    timings["openpyxl read-only"] = time.perf_counter() - started
    return timings
