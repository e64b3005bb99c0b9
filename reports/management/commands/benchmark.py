"""manage.py benchmark: load the national-scale demo, then time the pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from reports.benchmark import hostile, loads, pages, results
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
        parser.add_argument(
            "--no-hostile-uploads",
            action="store_true",
            help="Skip sending the hostile uploads of issue 13 while timing /healthz and a page.",
        )
        parser.add_argument("--output", type=Path, default=Path("bench-results.json"))

    def handle(self, *args: Any, **options: Any) -> None:
        timings = loads.time_loads(
            authorities=options["authorities"],
            months=options["months"],
            official=options["official"],
            skip_load=options["skip_load"],
            stdout=self.stdout,
        )
        endpoints, skipped = pages.default_endpoints(every_chart=options["every_chart"])
        measurements = [
            pages.measure(e, repeats=options["repeats"], warmup=options["warmup"])
            for e in endpoints
        ]
        timings += board_pack_timings(repeats=min(3, options["repeats"]))
        scripts = pages.javascript_sizes()
        latencies: list[hostile.Latency] = []
        authority = pages.bench_authority()
        if authority is not None and not options["no_hostile_uploads"]:
            latencies, why = hostile.measure_hostile_uploads(authority)
            if why:
                skipped.append(why)

        self.stdout.write(f"\nDatabase: {connection.vendor}; DEBUG={settings.DEBUG}")
        for timing in timings:
            self.stdout.write(f"{timing.name}: {timing.seconds} s ({timing.note})")
        self.stdout.write("")
        self.stdout.write(results.table(measurements))
        if latencies:
            self.stdout.write("\nThree hostile uploads at once, with /healthz and a page:")
            self.stdout.write(hostile.latency_table(latencies))
        for line in skipped:
            self.stdout.write(f"skipped: {line}")
        self.stdout.write(f"\nJavaScript, gzip: {scripts['total'] / 1024:.0f} KB in all")
        results.write_json(
            options["output"],
            database=connection.vendor,
            timings=timings,
            pages=measurements,
            hostile_uploads=latencies,
            skipped=skipped,
            javascript_gzip_bytes=scripts,
        )
        self.stdout.write(f"Written to {options['output']}")
