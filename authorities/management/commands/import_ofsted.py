"""manage.py import_ofsted FILE...: Ofsted inspection outcomes into inspections."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from authorities.accounts import audit
from authorities.importers.ofsted_write import import_ofsted
from authorities.toolkit.importing import ImportFailed


class Command(BaseCommand):
    help = (
        "Import Ofsted's local authority inspection outcomes: the outcomes workbook "
        "(LA_Inspection_Outcomes_as_at_31_March_YYYY.ods) and/or the 2009-2023 history "
        "(Childrens_social_care_in_England_YYYY_underlying_data.ods). All or nothing; "
        "running it again changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", type=Path, help="Ofsted .ods (or .xlsx) workbooks")

    def handle(self, *args: object, files: list[Path], **options: object) -> None:
        try:
            report = import_ofsted(files)
        except ImportFailed as failure:
            audit.record_import("import_ofsted", files, failure=failure)
            raise CommandError(f"Nothing was imported.\n{failure.summary()}") from failure
        audit.record_import("import_ofsted", files, summary=str(report))
        self.stdout.write(str(report))
