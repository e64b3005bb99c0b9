"""import_neighbours: DfE's statistical neighbour model, matched by DfE code."""

import csv
from pathlib import Path

import pandas as pd
import pytest
from django.core.management import CommandError, call_command

from authorities.importers.neighbours import import_neighbours
from authorities.models import Authority, StatisticalNeighbour
from authorities.toolkit.importing import ImportFailed
from tests.factories import AuthorityFactory, NeighbourFactory

pytestmark = pytest.mark.django_db

SN_FILE = "sn_model_2025_wide.csv"
CSWW = "csww_indicators_2017_to_2025.csv"
CLOSENESS = {"Extremely close", "Very close", "Close", "Somewhat close", "Not close"}


@pytest.fixture
def ees_authorities(official_dir) -> int:
    """The authorities import_ees makes from the workforce file: each DfE code under its latest
    GSS code and name, joint returns ("314 / 318") split."""
    frame = pd.read_csv(official_dir / CSWW, dtype=str, keep_default_na=False)
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


def neighbours_of(dfe_code: str, model_year: int = 2025) -> list[tuple[int, str, str]]:
    rows = StatisticalNeighbour.objects.filter(
        authority__dfe_code=dfe_code, model_year=model_year
    ).select_related("neighbour")
    return [(n.rank, n.neighbour.dfe_code, n.closeness) for n in rows.order_by("rank")]


def snapshot() -> list[tuple]:
    return sorted(
        StatisticalNeighbour.objects.values_list(
            "authority__dfe_code", "model_year", "rank", "neighbour__dfe_code", "closeness"
        )
    )


def test_real_file(official_dir, ees_authorities):
    path = official_dir / SN_FILE

    report = import_neighbours(path)

    assert report.created == StatisticalNeighbour.objects.count() == 1530  # 153 x 10
    assert Authority.objects.count() == ees_authorities
    with path.open(encoding="utf-8-sig", newline="") as file:
        wakefield = next(row for row in csv.DictReader(file) if row["old_la_code"] == "384")
    assert neighbours_of("384") == [
        (rank, wakefield[f"SN_{rank}"], wakefield[f"SN_{rank}P"].strip()) for rank in range(1, 11)
    ]
    assert neighbours_of("384")[1][1] == "370"  # Barnsley, however EES codes it
    assert set(StatisticalNeighbour.objects.values_list("closeness", flat=True)) == CLOSENESS
    assert set(StatisticalNeighbour.objects.values_list("model_year", flat=True)) == {2025}

    before = snapshot()
    again = import_neighbours(path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1530)
    assert snapshot() == before


def test_model_year_option_keeps_years_apart(official_dir, ees_authorities):
    call_command("import_neighbours", str(official_dir / SN_FILE), "--model-year", "2024")
    call_command("import_neighbours", str(official_dir / SN_FILE))
    assert StatisticalNeighbour.objects.filter(model_year=2024).count() == 1530
    assert neighbours_of("384", 2024) == neighbours_of("384", 2025)
    with pytest.raises(CommandError, match="not a plausible year"):
        call_command("import_neighbours", str(official_dir / SN_FILE), "--model-year", "25")


# --- small files written here ------------------------------------------------------------------

HEADER = ["old_la_code", "la_name", "region_ind", "region_name"] + [
    column for rank in range(1, 11) for column in (f"SN_{rank}", f"SN_{rank}P")
]


@pytest.fixture
def twelve() -> list[Authority]:
    """Twelve authorities with DfE codes 901-912, and a neighbour list already stored for 901."""
    authorities = [
        AuthorityFactory(dfe_code=str(900 + n), gss_code=f"E060009{n:02d}", name=f"Shire {n}")
        for n in range(1, 13)
    ]
    for rank in range(1, 11):
        NeighbourFactory(
            authority=authorities[0], neighbour=authorities[rank], rank=rank, closeness="Close"
        )
    return authorities


def row(code: int, neighbours: list[int], closeness: str = "Close ") -> list[str]:
    cells = [str(code), f"Shire {code - 900}", "1", "North East"]
    for neighbour in neighbours:
        cells += [str(neighbour), closeness]
    return cells


def write(path: Path, rows: list[list[str]], header: list[str] = HEADER) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def first_ten(code: int) -> list[int]:
    return [n for n in range(901, 913) if n != code][:10]


def test_a_changed_file_replaces_the_lists_exactly(tmp_path, twelve):
    path = write(tmp_path / "sn.csv", [row(901, first_ten(901)), row(902, first_ten(902))])
    report = import_neighbours(path)
    assert (report.created, report.updated, report.unchanged) == (10, 0, 10)

    swapped = first_ten(901)
    swapped[0], swapped[1] = swapped[1], swapped[0]
    changed = [row(901, swapped, "Very close"), row(902, first_ten(902))]
    report = import_neighbours(write(tmp_path / "sn.csv", changed))

    assert (report.created, report.updated, report.unchanged) == (0, 10, 10)
    assert neighbours_of("901") == [(r, str(n), "Very close") for r, n in enumerate(swapped, 1)]
    assert StatisticalNeighbour.objects.count() == 20


def test_an_authority_without_a_dfe_code_gets_it_by_name(tmp_path, twelve):
    Authority.objects.filter(dfe_code="912").update(dfe_code="")  # made by another importer
    rows = [row(902, [*first_ten(902)[:9], 912]), row(912, first_ten(912))]
    report = import_neighbours(write(tmp_path / "sn.csv", rows))
    assert Authority.objects.get(name="Shire 12").dfe_code == "912"
    assert "DfE codes given to 1 authorities" in report.notes[1]


def state() -> list[tuple]:
    return [("authorities", Authority.objects.count()), *snapshot()]


def fails(path: Path) -> list:
    with pytest.raises(ImportFailed) as failure:
        import_neighbours(path)
    with pytest.raises(CommandError) as command:
        call_command("import_neighbours", str(path))
    assert "Nothing was imported" in str(command.value)
    assert str(failure.value.errors[0]) in str(command.value)
    return failure.value.errors


def test_missing_column(tmp_path, twelve):
    before = state()
    header = HEADER[:-1]
    errors = fails(write(tmp_path / "sn.csv", [row(902, first_ten(902))[:-1]], header))
    assert str(errors[0]).startswith("sn.csv, row 1, column 'SN_10P': required column is missing")
    assert state() == before


def test_unknown_codes_are_named_by_row_and_column(tmp_path, twelve):
    before = state()
    rows = [row(902, first_ten(902)), row(903, [*first_ten(903)[:2], 999, *first_ten(903)[3:]])]
    errors = fails(write(tmp_path / "sn.csv", rows))
    assert errors[0].message.startswith("1 DfE codes are not in the database: 999")
    assert (errors[1].row, errors[1].column) == (3, "SN_3")
    assert "no authority has DfE code 999" in errors[1].message
    assert state() == before


def test_malformed_codes(tmp_path, twelve):
    before = state()
    rows = [
        row(902, [*first_ten(902)[:9], 902]),  # itself
        ["9X3", *row(903, first_ten(903))[1:]],
        row(904, [901, 901, *first_ten(904)[2:]]),
    ]
    errors = fails(write(tmp_path / "sn.csv", rows))
    assert [(e.row, e.column) for e in errors] == [(2, "SN_10"), (3, "old_la_code"), (4, "SN_2")]
    assert state() == before


def test_truncated_file(tmp_path, twelve):
    before = state()
    path = write(tmp_path / "sn.csv", [row(902, first_ten(902)), row(903, first_ten(903))])
    text = path.read_text(encoding="utf-8-sig")
    path.write_text(text[: len(text) - 30], encoding="utf-8-sig")
    errors = fails(path)
    assert (errors[0].row, errors[0].column) == (3, None)
    assert "cut short" in errors[0].message
    assert state() == before


def test_real_file_with_no_authorities_says_to_import_ees_first(official_dir):
    errors = fails(official_dir / SN_FILE)
    assert errors[0].message.startswith("153 DfE codes are not in the database")
    assert "import the EES files first" in errors[1].message
    assert Authority.objects.count() == 0
