"""What the benchmark loads and times before the pages: the national-scale demo, and the official
files when given (a first import into a database without official data, then the same again)."""

from __future__ import annotations

import io
import time
from dataclasses import dataclass
from pathlib import Path

from django.core.management import call_command
from django.db import transaction

from authorities.models import Authority, Region
from indicators.models import Document, Evidence, Observation, Source


@dataclass
class Timing:
    name: str
    seconds: float
    note: str = ""


def clear_official_data() -> None:
    """Remove what import_official writes (official and report figures, evidence, and the real
    authorities and regions with their inspections, events and neighbours), so the benchmark
    times a first import. The benchmark runs in a database of its own; demo data stays."""
    with transaction.atomic():
        Observation.objects.filter(source__in=[Source.OFFICIAL, Source.REPORT]).delete()
        Evidence.objects.all().delete()
        Document.objects.all().delete()
        Authority.objects.filter(is_demo=False).delete()
        Region.objects.filter(is_demo=False).delete()


def time_loads(
    *, authorities: int, months: int, official: Path | None, skip_load: bool, stdout: io.TextIOBase
) -> list[Timing]:
    """Load the demo (unless ``skip_load``) and import the official files (when given), timing
    each."""
    timings: list[Timing] = []
    if not skip_load:
        started = time.perf_counter()
        call_command("load_demo", authorities=authorities, months=months, stdout=stdout)
        timings.append(
            Timing(
                "load_demo",
                round(time.perf_counter() - started, 1),
                f"{authorities} authorities, {months} months",
            )
        )
    if official and official.is_dir():
        clear_official_data()
        for name, note in (
            ("import_official", f"{official}, first import"),
            ("import_official again", "the same files, nothing new"),
        ):
            started = time.perf_counter()
            call_command("import_official", official, stdout=io.StringIO())
            timings.append(Timing(name, round(time.perf_counter() - started, 1), note))
    return timings
