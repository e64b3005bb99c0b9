"""manage.py import_official DIR [DIR ...]: every official file in one or more folders."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from authorities.accounts import audit
from authorities.toolkit.importing import ImportFailed, refresh_planner_statistics
from indicators.models import Observation
from indicators.official.folder import import_official


class Command(BaseCommand):
    help = (
        "Import folders of official files: EES tidy-data CSVs, the DfE statistical neighbour "
        "model and Ofsted outcome workbooks, then the report evidence shipped with Trajectory. "
        "Files are recognised by their layout; a file that is not recognised is skipped and "
        "listed (--strict refuses it). A problem in any recognised file changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folders", type=Path, nargs="+", metavar="folder")
        parser.add_argument(
            "--no-evidence", action="store_true", help="Do not load the shipped report evidence."
        )
        parser.add_argument(
            "--strict",
            action="store_true",
            help="Refuse the whole import if any file is not recognised.",
        )

    def handle(
        self,
        *args: object,
        folders: list[Path],
        no_evidence: bool,
        strict: bool,
        **options: object,
    ) -> None:
        try:
            lines = import_official(folders, evidence=not no_evidence, strict=strict)
        except ImportFailed as failure:
            audit.record_import("import_official", folders, failure=failure)
            raise CommandError(f"Nothing was imported.\n{failure.summary()}") from failure
        audit.record_import("import_official", folders, summary="\n".join(lines))
        refresh_planner_statistics(Observation)
        for line in lines:
            self.stdout.write(line)
