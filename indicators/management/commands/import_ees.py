"""manage.py import_ees FILE... — import CSVs in the EES tidy-data layout (all or nothing)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from authorities.accounts import audit
from authorities.toolkit.importing import ImportFailed
from indicators.official.ees_write import import_ees


class Command(BaseCommand):
    help = (
        "Import official statistics published in the Explore Education Statistics tidy-data "
        "layout. Every row of every file is checked first; a problem in any file changes nothing. "
        "indicators/official/ees_mapping.py says which column becomes which indicator."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE", help="EES tidy-data CSV files")
        parser.add_argument(
            "--all-columns",
            action="store_true",
            help="Also import columns the mapping does not know, as indicators of their own "
            "(unit unknown, no polarity).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = import_ees(options["files"], all_columns=options["all_columns"])
        except ImportFailed as failure:
            audit.record_import("import_ees", options["files"], failure=failure)
            count = len(failure.errors)
            raise CommandError(
                f"Nothing was imported: {count} problem{'s' if count != 1 else ''} found.\n"
                + failure.summary()
            ) from failure
        audit.record_import("import_ees", options["files"], summary=str(result))
        self.stdout.write(str(result))
