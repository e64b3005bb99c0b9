"""manage.py import_evidence [DIR]: figures and events read out of the founding reports."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from authorities.accounts import audit
from authorities.toolkit.importing import ImportFailed
from indicators.official.evidence_read import DEFAULT_DIRECTORY
from indicators.official.evidence_write import import_evidence


class Command(BaseCommand):
    help = (
        "Import report evidence: documents.csv, evidence.csv and events.csv from DIR (by "
        "default the copy shipped in indicators/data/reports). Dated figures that map onto a "
        "catalogue indicator also become observations. All or nothing; running it again "
        "changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "directory",
            nargs="?",
            type=Path,
            default=DEFAULT_DIRECTORY,
            help="the folder holding the three CSV files (default: the shipped copy)",
        )

    def handle(self, *args: object, directory: Path, **options: object) -> None:
        try:
            report = import_evidence(directory)
        except ImportFailed as failure:
            audit.record_import("import_evidence", [directory], failure=failure)
            raise CommandError(f"Nothing was imported.\n{failure.summary()}") from failure
        audit.record_import("import_evidence", [directory], summary=str(report))
        self.stdout.write(str(report))
