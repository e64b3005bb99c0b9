"""manage.py benchmark: load the national-scale demo, then time the pages."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from reports import benchmark
from reports.packs.benchmark import board_pack_timings


class Command(BaseCommand):
    help = (
        "Load the national-scale demo dataset (and the official files, if given), then measure "
        "server-side time per request, queries and response size for the main pages. Prints a "
        "table and writes the same figures as JSON."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--authorities", type=int, default=153)
        parser.add_argument("--months", type=int, default=120)
        parser.add_argument("--repeats", type=int, default=20)
        parser.add_argument("--warmup", type=int, default=3)
        parser.add_argument("--skip-load", action="store_true", help="Measure what is loaded.")
        parser.add_argument("--official", type=Path, help="Folder of official files to time.")
        parser.add_argument(
            "--every-chart",
            action="store_true",
            help="Also measure the chart fragment of every indicator, not only one.",
        )
        parser.add_argument("--output", type=Path, default=Path("bench-results.json"))

    def handle(self, *args: Any, **options: Any) -> None:
        timings: list[benchmark.Timing] = []
        if not options["skip_load"]:
            started = time.perf_counter()
            call_command(
                "load_demo",
                authorities=options["authorities"],
                months=options["months"],
                stdout=self.stdout,
            )
            timings.append(
                benchmark.Timing(
                    "load_demo",
                    round(time.perf_counter() - started, 1),
                    f"{options['authorities']} authorities, {options['months']} months",
                )
            )
        official = options["official"]
        if official and official.is_dir():
            # A first import into a database without official data, then the same files again.
            benchmark.clear_official_data()
            for name, note in (
                ("import_official", f"{official}, first import"),
                ("import_official again", "the same files, nothing new"),
            ):
                started = time.perf_counter()
                call_command("import_official", official, stdout=open("/dev/null", "w"))  # noqa: SIM115
                timings.append(
                    benchmark.Timing(name, round(time.perf_counter() - started, 1), note)
                )
        endpoints, skipped = benchmark.default_endpoints(every_chart=options["every_chart"])
        measurements = [
            benchmark.measure(e, repeats=options["repeats"], warmup=options["warmup"])
            for e in endpoints
        ]
        timings += board_pack_timings(repeats=min(3, options["repeats"]))
        scripts = benchmark.javascript_sizes()

        self.stdout.write(f"\nDatabase: {connection.vendor}; DEBUG={settings.DEBUG}")
        for timing in timings:
            self.stdout.write(f"{timing.name}: {timing.seconds} s ({timing.note})")
        self.stdout.write("")
        self.stdout.write(benchmark.table(measurements))
        for line in skipped:
            self.stdout.write(f"skipped: {line}")
        self.stdout.write(f"\nJavaScript, gzip: {scripts['total'] / 1024:.0f} KB in all")
        benchmark.write_json(
            options["output"],
            database=connection.vendor,
            timings=timings,
            pages=measurements,
            skipped=skipped,
            javascript_gzip_bytes=scripts,
        )
        self.stdout.write(f"Written to {options['output']}")
