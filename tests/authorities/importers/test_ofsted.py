"""import_ofsted: both Ofsted workbooks, read once per module, written per test."""

import datetime
import json
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from authorities.importers.ofsted_read import ParsedWorkbook, parse_workbook
from authorities.importers.ofsted_write import import_ofsted, write_inspections
from authorities.models import Authority, Framework, Grade, Inspection, InspectionKind
from authorities.toolkit.importing import ImportFailed
from tests.conftest import SHARED_DATA, _require
from tests.factories import AuthorityFactory, InspectionFactory

pytestmark = pytest.mark.django_db

OUTCOMES = "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
HISTORY = "Childrens_social_care_in_England_2023_underlying_data.ods"
CSWW = "csww_indicators_2017_to_2025.csv"

EXPECTED_BY_FRAMEWORK_AND_KIND = {
    ("CPI", "full"): 51,  # 50 child protection inspections and 1 re-inspection
    ("ILACS", "focused_visit"): 36,
    ("ILACS", "full"): 171,
    ("ILACS", "monitoring_visit"): 24,
    ("ILACS", "short"): 100,
    ("OTHER", "full"): 5,  # targeted looked after children (TLAC) inspections
    ("SIF", "full"): 173,  # 152 first inspections and 21 re-inspections
    ("SLAC", "full"): 161,  # 152 inspections and 9 re-inspections
}


# --- the real workbooks, parsed once -------------------------------------------------------------


@pytest.fixture(scope="module")
def real() -> dict[str, ParsedWorkbook]:
    official = _require(SHARED_DATA / "official")
    return {name: parse_workbook(official / name) for name in (OUTCOMES, HISTORY)}


@pytest.fixture
def ees_authorities() -> int:
    """The authorities import_ees makes from the workforce file: each DfE code under its latest
    GSS code and name, joint returns ("314 / 318") split."""
    official = _require(SHARED_DATA / "official")
    frame = pd.read_csv(official / CSWW, dtype=str, keep_default_na=False)
    frame = frame[frame.geographic_level == "Local authority"].sort_values("time_period")
    latest: dict[str, tuple[str, str]] = {}
    for row in frame.itertuples():
        codes, gss_codes, names = (
            str(value).split(" / ") for value in (row.old_la_code, row.new_la_code, row.la_name)
        )
        for code, gss_code, name in zip(codes, gss_codes, names, strict=True):
            latest[code] = (gss_code, name)
    Authority.objects.bulk_create(
        Authority(dfe_code=code, gss_code=gss_code, name=name)
        for code, (gss_code, name) in latest.items()
    )
    return Authority.objects.count()


def snapshot() -> list[tuple]:
    return sorted(
        (
            i.authority.gss_code,
            i.framework,
            i.kind,
            i.start_date,
            i.published_date,
            i.overall_grade,
            json.dumps(i.sub_judgements, sort_keys=True),
            i.source,
            i.source_row,
        )
        for i in Inspection.objects.select_related("authority")
    )


def counts() -> dict[tuple[str, str], int]:
    found: dict[tuple[str, str], int] = {}
    for framework, kind in Inspection.objects.values_list("framework", "kind"):
        found[(framework, kind)] = found.get((framework, kind), 0) + 1
    return found


def test_both_workbooks_give_every_inspection_once(real, ees_authorities):
    assert not real[OUTCOMES].errors and not real[HISTORY].errors

    report = write_inspections([real[OUTCOMES], real[HISTORY]])

    assert counts() == EXPECTED_BY_FRAMEWORK_AND_KIND
    assert report.created == sum(EXPECTED_BY_FRAMEWORK_AND_KIND.values()) == 721
    assert Authority.objects.count() == ees_authorities  # every row found its authority
    wakefield = Inspection.objects.filter(
        authority__gss_code="E08000036", framework=Framework.ILACS, kind=InspectionKind.FULL
    ).order_by("start_date")
    assert [(i.start_date, i.published_date, i.overall_grade) for i in wakefield] == [
        (datetime.date(2018, 6, 4), datetime.date(2018, 7, 17), Grade.INADEQUATE),
        (datetime.date(2021, 11, 8), datetime.date(2022, 1, 5), Grade.GOOD),
    ]
    assert wakefield[0].authority.dfe_code == "384"
    assert wakefield[0].sub_judgements[
        "The impact of leaders on social work practice with children and families"
    ] == ("Inadequate")
    assert wakefield[0].source == f"{OUTCOMES} / ILACS_inspection_history"
    # The Ofsted inspection of 2016 (a founding document) is the first SIF, known by publication.
    sif = Inspection.objects.get(authority__gss_code="E08000036", framework=Framework.SIF)
    assert sif.start_date == sif.published_date == datetime.date(2016, 9, 20)
    assert sif.overall_grade == Grade.REQUIRES_IMPROVEMENT
    assert sif.sub_judgements["LSCB overall effectiveness"] == "Good"
    # SLAC: the worse of its two overall judgements; same-day re-inspections are one inspection.
    slac = Inspection.objects.get(
        authority__name="Cornwall", framework=Framework.SLAC, start_date=datetime.date(2011, 2, 25)
    )
    assert slac.overall_grade == Grade.INADEQUATE
    assert set(slac.sub_judgements) == {
        "Safeguarding overall effectiveness",
        "Looked after children overall effectiveness",
    }
    # Abolished authorities keep their history (the history workbook's second table).
    old_dorset = Inspection.objects.filter(authority__gss_code="E10000009")
    assert {i.framework for i in old_dorset} == {Framework.SLAC, Framework.SIF}
    # Visits are ungraded.
    visits = Inspection.objects.filter(kind=InspectionKind.MONITORING_VISIT)
    assert set(visits.values_list("overall_grade", flat=True)) == {""}
    # Disagreements between the workbooks are decided for the outcomes workbook and reported.
    merton = Inspection.objects.get(
        authority__name="Merton", framework=Framework.ILACS, published_date__year=2022
    )
    assert (merton.kind, merton.start_date) == (InspectionKind.SHORT, datetime.date(2022, 2, 28))
    nottingham = Inspection.objects.filter(
        authority__name="Nottingham", framework=Framework.ILACS, start_date__year=2022
    )
    assert [i.published_date for i in nottingham] == [datetime.date(2022, 9, 5)]
    assert any("Nottingham" in note and "2022-11-05" in note for note in report.notes)

    before = snapshot()
    again = write_inspections([real[OUTCOMES], real[HISTORY]])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 721)
    assert snapshot() == before


def test_either_order_gives_the_same_rows(real, ees_authorities):
    write_inspections([real[HISTORY]])
    assert Inspection.objects.filter(framework=Framework.ILACS).count() == 177
    second = write_inspections([real[OUTCOMES]])
    # The history workbook's ILACS rows are completed in place with their start dates.
    assert (second.created, second.updated) == (331 - 177, 177)
    history_first = snapshot()

    Inspection.objects.all().delete()
    write_inspections([real[OUTCOMES]])
    later = write_inspections([real[HISTORY]])
    assert later.created == 721 - 331 and later.updated == 0
    assert snapshot() == history_first

    Inspection.objects.all().delete()
    write_inspections([real[HISTORY], real[OUTCOMES]])
    assert snapshot() == history_first


def test_outcomes_workbook_creates_missing_authorities_history_workbook_cannot(real):
    with pytest.raises(ImportFailed) as failure:
        write_inspections([real[HISTORY]])
    first = failure.value.errors[0]
    assert first.file == f"{HISTORY} (sheet LA_inspections_2009-2023)"
    assert (first.row, first.column) == (6, "Local authority name")
    assert "Barking and Dagenham" in first.message
    assert Authority.objects.count() == 0 and Inspection.objects.count() == 0

    report = write_inspections([real[OUTCOMES]])

    # The 153 authorities with a latest judgement, and Bournemouth, Cumbria and Northamptonshire.
    assert Authority.objects.count() == 156
    wakefield = Authority.objects.get(gss_code="E08000036")
    assert (wakefield.name, wakefield.dfe_code, wakefield.region) == ("Wakefield", "", None)
    assert report.notes[1].startswith("156 authorities created")
    assert Inspection.objects.count() == 331


def test_after_the_real_import_ees_nothing_is_created(real, official_dir):
    ees = pytest.importorskip("indicators.official.ees_write")
    ees.import_ees([official_dir / CSWW])
    authorities = Authority.objects.count()

    write_inspections([real[OUTCOMES], real[HISTORY]])

    assert Authority.objects.count() == authorities
    assert counts() == EXPECTED_BY_FRAMEWORK_AND_KIND
    # Ofsted still uses Barnsley's old code; EES files it under the new one.
    assert Inspection.objects.filter(authority__gss_code="E08000038").count() == 5


# --- bad input, on small workbooks written here -----------------------------------------------


def write_ods(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    """A minimal OpenDocument spreadsheet (odfpy is not a dependency)."""

    def cell(value: object) -> str:
        if value is None or value == "":
            return "<table:table-cell/>"
        if isinstance(value, datetime.date):
            return (
                f'<table:table-cell office:value-type="date" office:date-value="{value}">'
                f"<text:p>{value}</text:p></table:table-cell>"
            )
        return (
            '<table:table-cell office:value-type="string">'
            f"<text:p>{escape(str(value))}</text:p></table:table-cell>"
        )

    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join(
            "<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>"
            for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return path


OUTCOMES_HEADER = [
    "Web link",
    "Local authority area code",
    "Local authority name",
    "Local authority status",
    "Ofsted region",
    "Inspection date",
    "Publication date",
    "Inspection type",
    "Overall effectiveness",
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
]


def outcomes_row(code: str, name: str, start: object, grade: str = "Good") -> list[object]:
    published = start + datetime.timedelta(days=40) if isinstance(start, datetime.date) else ""
    kind = "ILACS Standard Inspection"
    return [
        "link",
        code,
        name,
        "Current",
        "London",
        start,
        published,
        kind,
        grade,
        grade,
        "",
        "",
        "",
    ]


def outcomes_workbook(
    path: Path, rows: list[list[object]], rename: dict[str, str] | None = None
) -> Path:
    """The outcomes layout: a title, a note, the header on row 3, then the rows."""
    header = [(rename or {}).get(column, column) for column in OUTCOMES_HEADER]
    sheet = [["ILACS inspection history"], ["A note"], header, *rows]
    return write_ods(path, {"ILACS_inspection_history": sheet})


CPI_HEADER = [
    "Web link",
    "Local authority name",
    "LA region",
    "LA Authority Type",
    "Child Protection Inspections (CPI) publication date",
    "CPI Overall Effectiveness (OE)",
]


def history_workbook(path: Path, rows: list[list[object]]) -> Path:
    """The history layout: notes on rows 1-4, the header on row 5."""
    sheet = [["title"], ["note"], ["note"], ["note"], CPI_HEADER, *rows]
    return write_ods(path, {"LA_inspections_2009-2023": sheet})


@pytest.fixture
def existing() -> dict[str, int]:
    """Something already in the database that a failed import must leave exactly as it was."""
    wakefield = AuthorityFactory(gss_code="E08000036", dfe_code="384", name="Wakefield")
    InspectionFactory(authority=wakefield, start_date=datetime.date(2018, 6, 4))
    return state()


def state() -> dict[str, int]:
    return {
        "authorities": Authority.objects.count(),
        "inspections": Inspection.objects.count(),
        "graded": Inspection.objects.graded().count(),
    }


def fails(paths: list[Path]) -> list:
    with pytest.raises(ImportFailed) as failure:
        import_ofsted(paths)
    with pytest.raises(CommandError) as command:
        call_command("import_ofsted", *[str(p) for p in paths])
    assert "Nothing was imported" in str(command.value)
    assert str(failure.value.errors[0]) in str(command.value)
    return failure.value.errors


def test_a_good_small_workbook_imports_and_creates_its_authority(tmp_path, existing):
    path = outcomes_workbook(
        tmp_path / "outcomes.ods",
        [
            outcomes_row("E08000036", "Wakefield", datetime.date(2018, 6, 4), "Inadequate"),
            outcomes_row("E09000099", "Testbury", datetime.date(2019, 1, 7)),
        ],
    )
    call_command("import_ofsted", str(path))
    assert Authority.objects.get(gss_code="E09000099").name == "Testbury"
    wakefield = Inspection.objects.get(authority__gss_code="E08000036")  # updated in place
    assert (wakefield.overall_grade, wakefield.source_row) == (Grade.INADEQUATE, 4)


def test_wrong_sheet_name(tmp_path, existing):
    path = write_ods(tmp_path / "outcomes.ods", {"Sheet1": [["Local authority area code"]]})
    errors = fails([path])
    assert errors[0].file == "outcomes.ods" and errors[0].row is None
    assert "none of the expected sheets" in errors[0].message and "Sheet1" in errors[0].message
    assert state() == existing


def test_missing_column(tmp_path, existing):
    row = outcomes_row("E08000036", "Wakefield", datetime.date(2018, 6, 4))
    path = outcomes_workbook(tmp_path / "outcomes.ods", [row], {"Publication date": "Published"})
    errors = fails([path])
    assert str(errors[0]) == (
        "outcomes.ods (sheet ILACS_inspection_history), row 3, column 'Publication date': "
        "required column is missing"
    )
    assert state() == existing


def test_malformed_date_and_unknown_words_stop_everything(tmp_path, existing):
    rows = [
        outcomes_row("E09000099", "Testbury", datetime.date(2019, 1, 7)),  # fine on its own
        outcomes_row("E08000036", "Wakefield", "2018-13-45"),
        outcomes_row("E08000036", "Wakefield", datetime.date(2021, 11, 8), "Brilliant"),
    ]
    path = outcomes_workbook(tmp_path / "outcomes.ods", rows)
    errors = fails([path])
    where = [(e.row, e.column) for e in errors]
    assert (5, "Inspection date") in where
    assert (6, "Overall effectiveness") in where
    assert "'2018-13-45' is not a date" in str(errors[0])
    assert state() == existing  # Testbury was not created either


def test_unknown_authority_code(tmp_path, existing):
    rows = [outcomes_row("X123", "Nowhere", datetime.date(2019, 1, 7))]
    path = outcomes_workbook(tmp_path / "outcomes.ods", rows)
    errors = fails([path])
    assert (errors[0].row, errors[0].column) == (4, "Local authority area code")
    assert "neither a GSS code nor a 3-digit DfE code" in errors[0].message
    # A region's code is not an authority with children's services.
    rows = [outcomes_row("E12000003", "Yorkshire and The Humber", datetime.date(2019, 1, 7))]
    errors = fails([outcomes_workbook(tmp_path / "region.ods", rows)])
    assert "E12000003 is not the GSS code of an authority" in errors[0].message
    assert state() == existing


def test_unknown_authority_name_in_the_history_layout(tmp_path, existing):
    rows = [
        [
            "link",
            "Wakefield",
            "Yorkshire",
            "Metropolitan District",
            datetime.date(2012, 12, 7),
            "Good",
        ],
        ["link", "Atlantis", "South West", "Unitary", datetime.date(2013, 1, 4), "Good"],
    ]
    errors = fails([history_workbook(tmp_path / "history.ods", rows)])
    assert [(e.row, e.column) for e in errors] == [(7, "Local authority name")]
    assert "no authority called 'Atlantis' (Unitary)" in errors[0].message
    assert state() == existing

    rows[1][1:4] = ["WAKEFIELD", "Yorkshire", "Metropolitan District"]  # names match in any case
    call_command("import_ofsted", str(history_workbook(tmp_path / "fixed.ods", rows)))
    assert Inspection.objects.filter(framework=Framework.CPI).count() == 2


def test_truncated_workbook(tmp_path, existing):
    official = _require(SHARED_DATA / "official")
    data = (official / OUTCOMES).read_bytes()
    path = tmp_path / OUTCOMES
    path.write_bytes(data[: len(data) // 2])
    errors = fails([path])
    assert errors[0].file == OUTCOMES and "cannot read the workbook" in errors[0].message
    assert state() == existing


def test_a_missing_file(tmp_path, existing):
    errors = fails([tmp_path / "nothing.ods"])
    assert errors[0].file == "nothing.ods"
    assert state() == existing
