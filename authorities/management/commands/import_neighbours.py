"""manage.py import_neighbours FILE [--model-year YYYY]: DfE's statistical neighbour model."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from authorities.accounts import audit
from authorities.importers.neighbours import DEFAULT_MODEL_YEAR, import_neighbours
from authorities.toolkit.importing import ImportFailed


class Command(BaseCommand):
    help = (
        "Import DfE's statistical neighbour model (sn_model_YYYY_wide.csv): ten ranked neighbours "
        "per authority, matched by DfE code. Replaces that model year's neighbours of the "
        "authorities in the file; all or nothing. Run import_ees first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the wide neighbour CSV")
        parser.add_argument(
            "--model-year",
            type=int,
            default=DEFAULT_MODEL_YEAR,
            help=f"the year of the model (default {DEFAULT_MODEL_YEAR})",
        )

    def handle(self, *args: object, file: Path, model_year: int, **options: object) -> None:
        if not 2000 <= model_year <= 2100:
            raise CommandError(f"--model-year {model_year} is not a plausible year")
        try:
            report = import_neighbours(file, model_year=model_year)
        except ImportFailed as failure:
            audit.record_import("import_neighbours", [file], failure=failure)
            raise CommandError(f"Nothing was imported.\n{failure.summary()}") from failure
        audit.record_import("import_neighbours", [file], summary=str(report))
        self.stdout.write(str(report))
