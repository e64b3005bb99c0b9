"""import_evidence: documents, figures and events read out of the founding reports.

The facts are asserted on the copy the project ships in indicators/data/reports (what
``manage.py import_evidence`` reads by default), so these tests run everywhere. Only two tests,
both marked ``official_data``, need ../shared, and skip without it:

* the shipped copy is identical to the original in ../shared/data/reports (a failure in CI,
  where TRAJECTORY_REQUIRE_OFFICIAL_DATA is set, if that folder is absent);
* every quote is in its report's text, in ../shared/seeds, which the project does not ship.
"""

import csv
import datetime
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from authorities.models import Authority, DatePrecision, Event, EventCategory
from authorities.toolkit.importing import ImportFailed
from indicators.models import Document, Evidence, Observation, PeriodKind, Source
from indicators.official.evidence_read import DEFAULT_DIRECTORY
from indicators.official.evidence_write import import_evidence
from tests.conftest import SHARED_DATA
from tests.factories import AuthorityFactory, EventFactory, ObservationFactory

pytestmark = pytest.mark.django_db

FILES = ("documents.csv", "evidence.csv", "events.csv")
WAKEFIELD_2018 = "000_14d4294a303393d2.txt"


def state() -> dict[str, int]:
    return {
        "authorities": Authority.objects.count(),
        "documents": Document.objects.count(),
        "evidence": Evidence.objects.count(),
        "observations": Observation.objects.count(),
        "events": Event.objects.count(),
    }


def snapshot() -> list[tuple]:
    evidence = Evidence.objects.values_list(
        "document__file_name",
        "area_name",
        "indicator_name",
        "period_label",
        "period_start",
        "value",
        "value_text",
        "comparator",
        "quote",
        "observation__value",
    )
    events = Event.objects.values_list("authority__gss_code", "date", "category", "description")
    return sorted(map(repr, evidence)) + sorted(map(repr, events))


def series(indicator: str, gss_code: str = "E08000036") -> list[tuple]:
    found = Observation.objects.filter(
        indicator__code=indicator, area_code=gss_code, source=Source.REPORT
    )
    return [(o.period_start, o.period_kind, o.value) for o in found.order_by("period_start")]


def test_the_shipped_reports():
    report = import_evidence()  # the shipped copy, indicators/data/reports

    assert state() == {
        "authorities": 4,  # Wakefield, Kirklees, Worcestershire and Dudley, created from codes
        "documents": 5,
        "evidence": 466,  # every row of evidence.csv
        "observations": 30,
        "events": 176,  # 278 less 99 undated, 2 with a span for a date and 1 England-wide
    }
    wakefield = Authority.objects.get(gss_code="E08000036")
    assert (wakefield.name, wakefield.dfe_code, wakefield.region) == ("Wakefield", "", None)

    # Unallocated cases: "from over 200 at the beginning of the calendar year to 28 in August
    # 2018 and 12 in September 2018" -- the bound stays in the quote.
    assert series("unallocated_cases") == [
        (datetime.date(2018, 1, 1), PeriodKind.MONTH, 200),
        (datetime.date(2018, 8, 1), PeriodKind.MONTH, 28),
        (datetime.date(2018, 9, 1), PeriodKind.MONTH, 12),
    ]
    january = Observation.objects.get(
        indicator__code="unallocated_cases", period_start=datetime.date(2018, 1, 1)
    )
    assert "from over 200 at the beginning of the calendar year" in january.quote
    assert (january.release, january.section) == (
        WAKEFIELD_2018,
        "8 (Evidence of any Specific Early Impact)",
    )
    assert (january.period_end, january.period_label) == (
        datetime.date(2018, 1, 31),
        "January 2018",
    )
    # Caseloads: 31 at the end of August, 25.14 at the end of September, against an interim
    # target of 25, which stays evidence (a target is not the authority's figure).
    assert series("avg_caseload") == [
        (datetime.date(2018, 8, 31), PeriodKind.DAY, 31),
        (datetime.date(2018, 9, 30), PeriodKind.DAY, 25.14),
    ]
    target = Evidence.objects.get(comparator="target (interim)")
    assert (target.indicator.code, target.value, target.observation) == ("avg_caseload", 25, None)
    assert target.quote == "close to interim target of 25"
    september = Evidence.objects.get(
        indicator_name="social_worker_caseload_avg", period_start=datetime.date(2018, 9, 30)
    )
    assert september.observation.value == 25.14 and september.document.file_name == WAKEFIELD_2018
    assert "at end of September were 25.14" in september.quote
    # Comparator rows belong to the document's authority and say what they describe.
    england = Evidence.objects.filter(area_name="England", document__gss_code="E08000036")
    assert england.exists() and all(e.authority_id == wakefield.pk for e in england)
    assert not Evidence.objects.filter(comparator="", observation__isnull=False).exclude(
        observation__source=Source.REPORT
    )
    # A financial year becomes a financial-year observation.
    assert series("care_leavers_eet_pct") == [
        (datetime.date(2014, 4, 1), PeriodKind.FINANCIAL_YEAR, 52)
    ]
    # Grades and dates are kept as words; an unparseable period stays undated evidence.
    assert Evidence.objects.filter(value_text="Inadequate").exists()
    span = Evidence.objects.get(period_label="2010-17")
    assert span.period_start is None and span.value == 10
    assert any("2010-17-01" in note for note in report.notes)
    # Events: in their category, with the document (credited where the file left it blank).
    events = Event.objects.filter(authority=wakefield)
    assert events.filter(category=EventCategory.INSPECTION).exists()
    assert set(Event.objects.values_list("precision", flat=True)) <= set(DatePrecision.values)
    assert not Event.objects.filter(document="").exists()

    before = snapshot()
    again = import_evidence(DEFAULT_DIRECTORY)
    assert (again.created, again.updated) == (0, 0)
    assert again.unchanged == 5 + 466 + 30 + 176
    assert snapshot() == before and state()["evidence"] == 466


@pytest.mark.official_data
def test_quotes_are_in_their_documents():
    seeds = SHARED_DATA.parent / "seeds"
    if not seeds.is_dir():
        pytest.skip(f"{seeds} is not here: the founding reports' texts live in ../shared/seeds")
    import_evidence()
    texts = {path.name: path.read_text(encoding="utf-8") for path in seeds.iterdir()}
    flat = {name: " ".join(text.split()) for name, text in texts.items()}
    for evidence in Evidence.objects.select_related("document"):
        # Exact, but for seven quotes copied from tables, where a tab or line break is a space.
        assert " ".join(evidence.quote.split()) in flat[evidence.document.file_name]
    for event in Event.objects.all():
        assert " ".join(event.quote.split()) in flat[event.document]
    for observation in Observation.objects.filter(indicator__code="unallocated_cases"):
        assert observation.quote in texts[observation.release]


def test_the_command_reads_the_shipped_copy_by_default():
    out = io.StringIO()
    call_command("import_evidence", stdout=out)
    assert Evidence.objects.count() == 466 and Event.objects.count() == 176
    assert series("unallocated_cases")[-1] == (datetime.date(2018, 9, 1), PeriodKind.MONTH, 12)
    assert out.getvalue().startswith(f"{DEFAULT_DIRECTORY}: {5 + 466 + 30 + 176} created, ")


def csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


@pytest.mark.official_data
def test_the_shipped_copy_is_identical_to_the_original(reports_dir):
    """indicators/data/reports must not drift from ../shared/data/reports."""
    shipped = sorted(path.name for path in DEFAULT_DIRECTORY.glob("*.csv"))
    original = sorted(path.name for path in reports_dir.glob("*.csv"))
    assert shipped == original, f"the shipped copy has {shipped}, {reports_dir} has {original}"
    assert set(FILES) <= set(shipped)
    for name in shipped:
        ours, theirs = DEFAULT_DIRECTORY / name, reports_dir / name
        if ours.read_bytes() == theirs.read_bytes():
            continue
        # Bytes may differ only by line endings (or a byte-order mark): the rows must not.
        assert csv_rows(ours) == csv_rows(theirs), (
            f"{ours} differs from {theirs}: copy the original over the shipped copy"
        )


# --- small changes to the real files, in tmp_path ----------------------------------------------


@pytest.fixture
def reports(tmp_path) -> Path:
    """A copy of the shipped files to spoil."""
    for name in FILES:
        shutil.copy(DEFAULT_DIRECTORY / name, tmp_path / name)
    return tmp_path


def rewrite(path: Path, change) -> None:
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    change(rows)
    with path.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)


def set_cell(path: Path, row: int, column: str, value: str) -> None:
    def change(rows: list[list[str]]) -> None:
        rows[row - 1][rows[0].index(column)] = value

    rewrite(path, change)


@pytest.fixture
def existing() -> dict[str, int]:
    """What is in the database before a failed import, which must leave it exactly so."""
    wakefield = AuthorityFactory(gss_code="E08000036", name="Wakefield")
    EventFactory(authority=wakefield)
    ObservationFactory(area_code=wakefield.gss_code)
    return state()


def fails(directory: Path) -> list:
    with pytest.raises(ImportFailed) as failure:
        import_evidence(directory)
    with pytest.raises(CommandError) as command:
        call_command("import_evidence", str(directory))
    assert "Nothing was imported" in str(command.value)
    assert str(failure.value.errors[0]) in str(command.value)
    return failure.value.errors


def test_a_corrected_file_updates_and_removes(reports):
    import_evidence(reports)
    set_cell(reports / "evidence.csv", 54, "value", "11")  # September's unallocated cases

    def drop_target(rows: list[list[str]]) -> None:
        rows[:] = [row for row in rows if row[rows[0].index("comparator")] != "target (interim)"]

    rewrite(reports / "evidence.csv", drop_target)
    report = import_evidence(reports)

    assert series("unallocated_cases")[-1] == (datetime.date(2018, 9, 1), PeriodKind.MONTH, 11)
    assert report.updated == 2  # the observation and its evidence
    assert any("evidence no longer in evidence.csv deleted: 1" in note for note in report.notes)
    assert Evidence.objects.count() == 465


def test_missing_column(reports, existing):
    rewrite(reports / "evidence.csv", lambda rows: [row.pop() for row in rows])
    errors = fails(reports)
    assert str(errors[0]).startswith(
        "evidence.csv, row 1, column 'quote': required column is missing (the header has "
    )
    assert state() == existing


def test_unknown_document_and_authority_code(reports, existing):
    set_cell(reports / "evidence.csv", 3, "document", "999_missing.txt")
    set_cell(reports / "events.csv", 4, "gss_code", "X08000036")
    errors = fails(reports)
    assert [(e.file, e.row, e.column) for e in errors] == [
        ("evidence.csv", 3, "document"),
        ("events.csv", 4, "gss_code"),
    ]
    assert "'999_missing.txt' is not in documents.csv" in errors[0].message
    assert state() == existing


def test_malformed_dates(reports, existing):
    set_cell(reports / "documents.csv", 2, "published", "2018-13")
    set_cell(reports / "events.csv", 3, "date_precision", "fortnight")
    errors = fails(reports)
    assert [(e.file, e.row, e.column) for e in errors] == [
        ("documents.csv", 2, "published"),
        ("events.csv", 3, "date_precision"),
    ]
    assert "'2018-13' is not a date" in errors[0].message
    assert state() == existing


def test_unknown_category(reports, existing):
    set_cell(reports / "events.csv", 2, "category", "gossip")
    errors = fails(reports)
    assert (errors[0].file, errors[0].row, errors[0].column) == ("events.csv", 2, "category")
    assert state() == existing


def test_truncated_file(reports, existing):
    path = reports / "evidence.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    errors = fails(reports)
    assert errors[0].file == "evidence.csv" and errors[0].row is not None
    assert "cut short" in errors[0].message
    assert state() == existing


def test_a_missing_file(reports, existing):
    (reports / "events.csv").unlink()
    errors = fails(reports)
    assert (errors[0].file, errors[0].message) == ("events.csv", "file not found")
    assert state() == existing
