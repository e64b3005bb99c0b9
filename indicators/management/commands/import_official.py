"""manage.py import_official DIR: every official file in a folder, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from authorities.accounts import audit
from authorities.toolkit.importing import ImportFailed, refresh_planner_statistics
from indicators.models import Observation
from indicators.official.folder import import_official


class Command(BaseCommand):
    help = (
        "Import a folder of official files: EES tidy-data CSVs, the DfE statistical neighbour "
        "model and Ofsted outcome workbooks, then the report evidence shipped with Trajectory. "
        "Files are recognised by their layout. A problem in any file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--no-evidence", action="store_true", help="Do not load the shipped report evidence."
        )

    def handle(self, *args: object, folder: Path, no_evidence: bool, **options: object) -> None:
        try:
            lines = import_official(folder, evidence=not no_evidence)
        except ImportFailed as failure:
            audit.record_import("import_official", [folder], failure=failure)
            raise CommandError(f"Nothing was imported.\n{failure.summary()}") from failure
        audit.record_import("import_official", [folder], summary="\n".join(lines))
        refresh_planner_statistics(Observation)
        for line in lines:
            self.stdout.write(line)
