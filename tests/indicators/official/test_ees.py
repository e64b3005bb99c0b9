"""manage.py import_ees: the EES tidy-data importer, on the real files and on small made-up ones.

Tests marked ``official_data`` read the published files in ../shared/data/official (never copied
into the project); each imports only the file or two it needs. The small files written to
``tmp_path`` use made-up figures, except the facts the data README lists.
"""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from authorities.models import Authority, Region
from authorities.toolkit.importing import ImportFailed
from indicators.models import Indicator, Observation, Source
from indicators.official.ees_read import parse_cell, parse_time
from indicators.official.ees_write import import_ees

pytestmark = pytest.mark.django_db

CSWW = "csww_indicators_2017_to_2025.csv"
C1 = "c1_children_in_need_referrals_and_rereferrals_2013_to_2025.csv"
D3 = "d3_cpps_subsequent_plan_2013_to_2025.csv"
CLA = "cla_number_and_rate_per_10k_children.csv"
ASSESSMENTS = "assessments_within_45_days_2016_to_2025.csv"
EES_FILES = (CSWW, C1, D3, CLA, ASSESSMENTS)

WAKEFIELD = "E08000036"
ENGLAND = "E92000001"


def run(*paths: Path, all_columns: bool = False) -> str:
    out = io.StringIO()
    options = {"all_columns": True} if all_columns else {}
    call_command("import_ees", *[str(path) for path in paths], stdout=out, **options)
    return out.getvalue()


def series(code: str, area: str) -> dict[str, float | str | None]:
    """period label -> value (or symbol) of an indicator for an area."""
    return {
        label: symbol or value
        for label, value, symbol in Observation.objects.filter(
            indicator__code=code, area_code=area
        ).values_list("period_label", "value", "symbol")
    }


def one(code: str, area: str, label: str) -> Observation:
    return Observation.objects.get(indicator__code=code, area_code=area, period_label=label)


def write(tmp_path: Path, name: str, text: str, *, bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_text(("\ufeff" if bom else "") + text, encoding="utf-8")
    return path


# A small made-up workforce file (the layout of the csww release; Wakefield's 2025 agency rate and
# England's are the README's facts, every other figure is invented).
HEADER = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,new_la_code,la_name,agency_rate_fte,vacancy_rate_fte,caseload_fte"
)
NATIONAL = "2025,Reporting year,National,E92000001,England,,,,,,13,20,15"
REGIONAL = (
    "2025,Reporting year,Regional,E92000001,England,E12000003,Yorkshire and The Humber,,,,11,21,16"
)
WAKEFIELD_ROW = (
    "2025,Reporting year,Local authority,E92000001,England,E12000003,Yorkshire and The Humber,"
    "384,E08000036,Wakefield,15.2,x,19"
)
LEEDS_ROW = (
    "2025,Reporting year,Local authority,E92000001,England,E12000003,Yorkshire and The Humber,"
    "383,E08000035,Leeds,low,c,17"
)
GOOD = "\n".join([HEADER, NATIONAL, REGIONAL, WAKEFIELD_ROW, LEEDS_ROW]) + "\n"


def snapshot() -> tuple:
    return (
        sorted(Observation.objects.values_list("id", "value", "symbol", "recorded_at")),
        sorted(Authority.objects.values_list("id", "gss_code", "dfe_code", "name", "region")),
        sorted(Region.objects.values_list("id", "code", "name")),
        Indicator.objects.count(),
    )


# --- the real files -------------------------------------------------------------------------------


@pytest.mark.official_data
def test_workforce_facts(official_dir):
    run(official_dir / CSWW)
    agency = series("agency_sw_pct", WAKEFIELD)
    assert {year: agency[year] for year in ("2017", "2018", "2019", "2021", "2025")} == {
        "2017": 5.5,
        "2018": 28.7,
        "2019": 32,
        "2021": 14.2,
        "2025": 15.2,
    }
    assert series("agency_sw_pct", ENGLAND)["2025"] == 13
    wakefield = Authority.objects.get(gss_code=WAKEFIELD)
    assert (wakefield.dfe_code, wakefield.name) == ("384", "Wakefield")
    assert wakefield.region.name == "Yorkshire and The Humber"
    # A snapshot at 30 September, and every figure leads back to its file and row.
    observation = one("agency_sw_pct", WAKEFIELD, "2025")
    assert observation.period_end == datetime.date(2025, 9, 30)
    assert observation.period_start == datetime.date(2024, 10, 1)
    assert (observation.period_kind, observation.area_level) == ("reporting_year", "authority")
    assert (observation.source, observation.release) == (Source.OFFICIAL, CSWW)
    lines = (official_dir / CSWW).read_text(encoding="utf-8-sig").splitlines()
    row = lines[observation.source_row - 1]
    assert row.startswith("2025,Reporting year,Local authority,") and ",E08000036," in row
    # True pairs: agency over agency plus directly employed; caseload is cases over case holders.
    assert observation.numerator / observation.denominator * 100 == pytest.approx(15.2, abs=0.05)
    caseload = one("avg_caseload", WAKEFIELD, "2025")
    assert caseload.numerator / caseload.denominator == pytest.approx(caseload.value, abs=0.05)
    assert one("sw_absence_pct", WAKEFIELD, "2025").numerator is None
    for code in ("sw_vacancy_pct", "sw_turnover_pct", "avg_caseload", "sw_absence_pct"):
        assert one(code, WAKEFIELD, "2025").value is not None


@pytest.mark.official_data
def test_assessment_facts(official_dir):
    run(official_dir / ASSESSMENTS)
    assessments = series("assessments_45wd_pct", WAKEFIELD)
    assert {year: assessments[year] for year in ("2016", "2017", "2018", "2019", "2021")} == {
        "2016": 87.2,
        "2017": 65.6,
        "2018": 51.3,
        "2019": 61.7,
        "2021": 89.8,
    }
    assert series("assessments_45wd_pct", ENGLAND)["2016"] == 83.4
    # Children in need years end on 31 March.
    observation = one("assessments_45wd_pct", WAKEFIELD, "2016")
    assert (observation.period_start, observation.period_end) == (
        datetime.date(2015, 4, 1),
        datetime.date(2016, 3, 31),
    )
    # Published as "x" where an authority no longer existed: a symbol, never a number.
    cumbria = one("assessments_45wd_pct", "E10000006", "2025")
    assert (cumbria.value, cumbria.symbol) == (None, "x")


@pytest.mark.official_data
def test_symbols_are_stored_as_symbols(official_dir):
    run(official_dir / C1, official_dir / D3)
    herefordshire = one("rereferrals_12m_pct", "E06000019", "2024")
    assert (herefordshire.value, herefordshire.symbol) == (None, "u")
    assert herefordshire.numerator is None and herefordshire.denominator is None
    city = one("rereferrals_12m_pct", "E09000001", "2024")
    assert (city.value, city.symbol, city.numerator, city.denominator) == (None, "c", None, 63)
    assert one("referrals_annual", "E09000001", "2024").value == 63
    scilly = one("cp_plans_repeat_pct", "E06000053", "2024")
    assert (scilly.value, scilly.symbol, scilly.numerator, scilly.denominator) == (
        None,
        "z",
        0,
        0,
    )
    assert not Observation.objects.filter(symbol="", value__isnull=True).exists()
    assert not Observation.objects.exclude(symbol="").filter(value__isnull=False).exists()


@pytest.mark.official_data
def test_looked_after_only_at_31_march(official_dir):
    output = run(official_dir / CLA)
    rows = (official_dir / CLA).read_text(encoding="utf-8-sig").splitlines()[1:]
    at_31_march = [row for row in rows if "Children looked after on 31 March each year" in row]
    rates = Observation.objects.filter(indicator__code="cla_rate_per_10k")
    assert rates.count() == len(at_31_march) == len(rows) // 3
    assert Observation.objects.filter(indicator__code="cla").count() == len(at_31_march)
    assert one("cla_rate_per_10k", "E10000006", "2025").symbol == "z"  # Cumbria, abolished
    assert one("cla_rate_per_10k", "E09000001", "2025").symbol == "c"  # City of London
    wakefield = one("cla_rate_per_10k", WAKEFIELD, "2025")
    assert wakefield.period_end == datetime.date(2025, 3, 31)
    assert wakefield.numerator / wakefield.denominator * 10000 == pytest.approx(
        wakefield.value, abs=0.6
    )
    # The other population types are listed, not silently dropped.
    assert "rate_per_10000 where population_type = 'Children starting" in output
    # London boroughs belong to London; Inner and Outer London keep their published figures.
    assert Authority.objects.get(gss_code="E09000007").region.code == "E12000007"
    assert Observation.objects.filter(area_code="E13000001", area_level="regional").exists()
    assert not Region.objects.filter(code__startswith="E13").exists()


@pytest.mark.official_data
def test_all_files_authorities_and_a_second_run_changes_nothing(official_dir):
    paths = [official_dir / name for name in EES_FILES]
    first = import_ees(paths)
    # 153 authorities today and 5 that ceased (Bournemouth, Poole, Dorset county council,
    # Northamptonshire, Cumbria); old GSS codes of continuing authorities are not separate.
    assert first.authorities_created == Authority.objects.count() == 158
    assert Authority.objects.filter(active_to__isnull=True).count() == 153
    assert first.regions_created == Region.objects.count() == 9
    assert first.created == Observation.objects.count()
    before = snapshot()
    second = import_ees(paths)
    assert (second.created, second.updated) == (0, 0)
    assert second.unchanged == first.created
    assert (second.authorities_created, second.authorities_updated) == (0, 0)
    assert (second.regions_created, second.regions_updated) == (0, 0)
    assert snapshot() == before


@pytest.mark.official_data
def test_reorganisations_and_code_changes(official_dir):
    run(official_dir / C1)

    def authority(code: str) -> Authority:
        return Authority.objects.get(gss_code=code)

    bcp = authority("E06000058")
    for old in ("E06000028", "E06000029"):  # Bournemouth, Poole
        assert (authority(old).active_to, authority(old).successor) == (
            datetime.date(2019, 3, 31),
            bcp,
        )
    assert bcp.active_from == datetime.date(2019, 4, 1) and bcp.active_to is None
    northamptonshire = authority("E10000021")
    assert northamptonshire.active_to == datetime.date(2021, 3, 31)
    assert northamptonshire.successor.name == "West Northamptonshire"
    assert authority("E06000061").active_from == datetime.date(2021, 4, 1)
    cumbria = authority("E10000006")
    assert (cumbria.active_to, cumbria.successor.name) == (datetime.date(2023, 3, 31), "Cumberland")
    # Ceased authorities keep their rows.
    assert len(series("rereferrals_12m_pct", "E10000006")) == 11
    # North Yorkshire's county-council years are filed under the council's current code.
    assert not Authority.objects.filter(gss_code="E10000023").exists()
    north_yorkshire = authority("E06000065")
    assert north_yorkshire.dfe_code == "815" and north_yorkshire.active_to is None
    assert len(series("rereferrals_12m_pct", "E06000065")) == 13


@pytest.mark.official_data
def test_kingston_and_richmond_joint_workforce_return(official_dir):
    output = run(official_dir / CSWW)
    kingston = one("agency_sw_pct", "E09000021", "2025")
    richmond = one("agency_sw_pct", "E09000027", "2025")
    assert kingston.value == richmond.value
    assert kingston.source_row == richmond.source_row
    assert "Joint return of Kingston upon Thames and Richmond upon Thames" in kingston.section
    assert Authority.objects.get(gss_code="E09000021").dfe_code == "314"
    assert Authority.objects.get(gss_code="E09000027").dfe_code == "318"
    assert "joint return 'Kingston upon Thames / Richmond upon Thames'" in output
    # Single-authority figures carry no such note.
    assert one("agency_sw_pct", WAKEFIELD, "2025").section == ""
    assert one("agency_sw_pct", "E08000024", "2025").symbol == "low"  # Sunderland


@pytest.mark.official_data
def test_unknown_columns_are_listed_and_all_columns_imports_them(official_dir):
    output = run(official_dir / CSWW)
    for column in ("inpost_headcount", "starters_fte", "working_days_lost_fte", "agency_fte"):
        assert f"    {column}" in output
    assert "--all-columns imports them" in output
    assert not Indicator.objects.filter(code="csww_inpost_headcount").exists()
    # --all-columns, on a smaller release: its counts become indicators of their own.
    run(official_dir / D3)
    output = run(official_dir / D3, all_columns=True)
    starts = Indicator.objects.get(code="d3_cpp_start")
    assert (starts.unit, starts.polarity, starts.frequency) == ("unknown", "neither", "annual")
    assert not starts.in_monthly_return
    assert starts.official_source_column == "CPP_start"
    assert one("d3_cpp_start", "E06000053", "2024").value == 0  # Isles of Scilly
    assert one("d3_cpp_subsequent", "E06000053", "2024").period_end == datetime.date(2024, 3, 31)
    # The mapped column is as it was.
    assert "4264 created, 0 updated, 2132 unchanged" in output


# --- small files ----------------------------------------------------------------------------------


def test_small_file_bom_and_column_order(tmp_path):
    columns = HEADER.split(",")
    order = [*columns[:8], columns[9], columns[8], *columns[10:]]  # la_name before new_la_code
    lines = []
    for line in GOOD.splitlines():
        fields = dict(zip(columns, line.split(","), strict=True)) if line != HEADER else None
        lines.append(",".join(order) if fields is None else ",".join(fields[c] for c in order))
    path = write(tmp_path, "workforce.csv", "\n".join(lines) + "\n", bom=True)
    output = run(path)
    assert "workforce.csv [csww]" in output
    assert one("agency_sw_pct", WAKEFIELD, "2025").value == 15.2
    assert one("agency_sw_pct", ENGLAND, "2025").area_level == "national"
    assert one("agency_sw_pct", "E12000003", "2025").area_level == "regional"
    assert one("sw_vacancy_pct", WAKEFIELD, "2025").symbol == "x"
    assert one("agency_sw_pct", "E08000035", "2025").symbol == "low"
    assert Authority.objects.count() == 2
    assert Region.objects.get(code="E12000003").name == "Yorkshire and The Humber"


def test_updated_values_are_counted(tmp_path):
    path = write(tmp_path, "workforce.csv", GOOD)
    first = import_ees([path])
    assert (first.created, first.updated, first.unchanged) == (12, 0, 0)
    path.write_text(GOOD.replace("Wakefield,15.2,x,19", "Wakefield,15.3,x,19"), encoding="utf-8")
    second = import_ees([path])
    assert (second.created, second.updated, second.unchanged) == (0, 1, 11)
    assert one("agency_sw_pct", WAKEFIELD, "2025").value == 15.3


def test_a_new_edition_of_a_release_replaces_the_figures_it_republishes(tmp_path):
    first = write(tmp_path, "workforce_2017_to_2025.csv", GOOD)
    import_ees([first])
    revised = GOOD.replace("Wakefield,15.2,x,19", "Wakefield,15.4,x,19")
    later_year = WAKEFIELD_ROW.replace("2025,", "2026,", 1).replace("15.2,x,19", "14.0,20,18")
    second = write(tmp_path, "workforce_2017_to_2026.csv", revised + later_year + "\n")
    result = import_ees([second])
    wakefield = Observation.objects.filter(indicator__code="agency_sw_pct", area_code=WAKEFIELD)
    # One figure per period, whichever edition it was first read from, citing the newer file.
    assert sorted(wakefield.values_list("period_label", "value", "release")) == [
        ("2025", 15.4, "workforce_2017_to_2026.csv"),
        ("2026", 14.0, "workforce_2017_to_2026.csv"),
    ]
    assert not Observation.objects.filter(release="workforce_2017_to_2025.csv").exists()
    report = result.files[0]
    assert (report.created, report.updated, report.unchanged) == (3, 12, 0)
    text = str(report)
    assert "12 figures were published before in workforce_2017_to_2025.csv" in text
    assert "1 of them were revised" in text
    again = import_ees([second])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 15)


def test_figures_held_twice_by_an_earlier_version_are_cleaned_up(tmp_path):
    path = write(tmp_path, "workforce.csv", GOOD)
    import_ees([path])
    kept = one("agency_sw_pct", WAKEFIELD, "2025")
    copy = Observation.objects.get(pk=kept.pk)
    copy.pk = None
    copy.release = "an older edition.csv"
    copy.save()
    result = import_ees([path])
    assert "1 older copies of figures held twice were removed" in str(result.files[0])
    assert one("agency_sw_pct", WAKEFIELD, "2025").pk == kept.pk


def test_periods(tmp_path):
    text = "\n".join(
        [
            "time_period,time_identifier,geographic_level,country_code,country_name,referrals",
            "201819,Financial year,National,E92000001,England,1",
            "201819,Academic year,National,E92000001,England,2",
            "2025,Calendar year,National,E92000001,England,3",
            "2025,March,National,E92000001,England,4",
            "201819,Reporting year,National,E92000001,England,5",
            "2025,Reporting year,National,E92000001,England,6",
        ]
    )
    import_ees([write(tmp_path, "periods.csv", text + "\n")])
    found = {
        observation.value: (
            observation.period_kind,
            observation.period_start,
            observation.period_end,
            observation.period_label,
            observation.source_row,
        )
        for observation in Observation.objects.filter(indicator__code="referrals")
    }
    date = datetime.date
    assert found == {
        1: ("financial_year", date(2018, 4, 1), date(2019, 3, 31), "2018-19", 2),
        2: ("academic_year", date(2018, 9, 1), date(2019, 8, 31), "2018/19", 3),
        3: ("calendar_year", date(2025, 1, 1), date(2025, 12, 31), "2025", 4),
        4: ("month", date(2025, 3, 1), date(2025, 3, 31), "March 2025", 5),
        5: ("reporting_year", date(2018, 4, 1), date(2019, 3, 31), "2018-19", 6),
        6: ("reporting_year", date(2024, 4, 1), date(2025, 3, 31), "2025", 7),
    }


def test_cells():
    assert parse_cell(" 28.7 ").value == 28.7
    assert parse_cell("-3").value == -3
    assert parse_cell("1e3").value == 1000
    for text, symbol in [("c", "c"), ("x", "x"), ("z", "z"), ("u", "u"), ("low", "low")]:
        assert (parse_cell(text).value, parse_cell(text).symbol) == (None, symbol)
    assert parse_cell("k").symbol == "k"
    assert parse_cell(":").symbol == "x"  # the old "not available"
    assert parse_cell("") is None and parse_cell("  ") is None
    for bad in ("1,234", "12.5.1", "n/a", "nan", "-"):
        with pytest.raises(ValueError):
            parse_cell(bad)


def test_time_validation():
    assert parse_time("2025", "Reporting year")[0] is not None
    assert parse_time("2025", "Spring term")[1] == "time_identifier"
    assert parse_time("2025-26", "Reporting year")[1] == "time_period"
    assert parse_time("201820", "Financial year")[1] == "time_period"
    assert parse_time("2025", "Financial year")[1] == "time_period"
    assert parse_time("201819", "March")[1] == "time_period"


def test_colon_and_blank_cells(tmp_path):
    text = "\n".join(
        [HEADER, WAKEFIELD_ROW.replace("15.2,x,19", ":,,19"), LEEDS_ROW.replace("low", "k")]
    )
    output = run(write(tmp_path, "workforce.csv", text + "\n"))
    assert one("agency_sw_pct", WAKEFIELD, "2025").symbol == "x"
    assert not Observation.objects.filter(indicator__code="sw_vacancy_pct", area_code=WAKEFIELD)
    assert one("agency_sw_pct", "E08000035", "2025").symbol == "k"
    assert "1 blank cells" in output


def test_code_changes_and_joint_returns(tmp_path):
    text = "\n".join(
        [
            HEADER,
            "2022,Reporting year,Local authority,E92000001,England,E12000003,"
            "Yorkshire and The Humber,815,E10000023,North Yorkshire,10,11,12",
            "2025,Reporting year,Local authority,E92000001,England,E12000003,"
            "Yorkshire and The Humber,815,E06000065,North Yorkshire,13,14,15",
            "2025,Reporting year,Local authority,E92000001,England,E13000002,Outer London,"
            "314 / 318,E09000021 / E09000027,"
            '"Kingston upon Thames / Richmond upon Thames",16,17,18',
        ]
    )
    output = run(write(tmp_path, "workforce.csv", text + "\n"))
    assert series("agency_sw_pct", "E06000065") == {"2022": 10, "2025": 13}
    assert set(Authority.objects.values_list("gss_code", "dfe_code", "name")) == {
        ("E06000065", "815", "North Yorkshire"),
        ("E09000021", "314", "Kingston upon Thames"),
        ("E09000027", "318", "Richmond upon Thames"),
    }
    assert "E10000023 -> E06000065 (1 rows)" in output
    assert (
        series("avg_caseload", "E09000021") == series("avg_caseload", "E09000027") == {"2025": 18}
    )
    assert Region.objects.get(code="E12000007").name == "London"


def test_reorganisation_from_a_small_file(tmp_path):
    text = "\n".join(
        [
            HEADER,
            "2018,Reporting year,Local authority,E92000001,England,E12000009,South West,837,"
            "E06000028,Bournemouth,1,2,3",
            "2020,Reporting year,Local authority,E92000001,England,E12000009,South West,839,"
            'E06000058,"Bournemouth, Christchurch and Poole",4,5,6',
        ]
    )
    first = import_ees([write(tmp_path, "workforce.csv", text + "\n")])
    bournemouth = Authority.objects.get(gss_code="E06000028")
    assert bournemouth.active_to == datetime.date(2019, 3, 31)
    assert bournemouth.successor.name == "Bournemouth, Christchurch and Poole"
    assert first.authorities_created == 2
    second = import_ees([tmp_path / "workforce.csv"])
    assert (second.authorities_created, second.authorities_updated) == (0, 0)


def test_unknown_columns_and_all_columns(tmp_path):
    text = "\n".join(
        [
            HEADER + ",mystery_rate,team",
            NATIONAL + ",1.5,North",
            NATIONAL + ",2.5,South",
        ]
    )
    path = write(tmp_path, "workforce.csv", text + "\n")
    # The two rows differ only by the unknown filter "team": the mapped columns clash.
    with pytest.raises(ImportFailed) as failure:
        import_ees([path])
    assert "also given on row 2" in str(failure.value)
    text = "\n".join([HEADER + ",mystery_rate,team", NATIONAL + ",1.5,North"])
    path.write_text(text + "\n", encoding="utf-8")
    output = run(path)
    assert "mystery_rate: 1 cells" in output and "columns read as filters" in output
    assert not Indicator.objects.filter(code__contains="mystery").exists()
    run(path, all_columns=True)
    mystery = Indicator.objects.get(code="csww_mystery_rate")
    assert (mystery.unit, mystery.polarity, mystery.in_monthly_return) == (
        "unknown",
        "neither",
        False,
    )
    assert one("csww_mystery_rate", ENGLAND, "2025").value == 1.5


def test_unrecognised_release_with_a_varying_filter(tmp_path):
    text = "\n".join(
        [
            "time_period,time_identifier,geographic_level,country_code,country_name,"
            "provision,places",
            "2025,Calendar year,National,E92000001,England,Foster care,10",
            "2025,Calendar year,National,E92000001,England,Residential,x",
        ]
    )
    output = run(write(tmp_path, "places.csv", text + "\n"), all_columns=True)
    assert "[no known release]" in output
    assert one("ees_places_foster_care", ENGLAND, "2025").value == 10
    assert one("ees_places_residential", ENGLAND, "2025").symbol == "x"


# --- bad input: each stops, names file, row and column, and changes nothing -----------------------


def _replace_last(text: str, old: str, new: str) -> str:
    head, _, tail = text.rpartition(old)
    return head + new + tail


BAD_INPUT = {
    "missing required column": (
        GOOD.replace("time_identifier,", "").replace("Reporting year,", ""),
        1,
        "time_identifier",
        "missing",
    ),
    "unknown region code": (
        GOOD.replace("E12000003,Yorkshire and The Humber,,,,", "E12000010,Nowhere,,,,"),
        3,
        "region_code",
        "unknown region code 'E12000010'",
    ),
    "malformed authority code": (
        GOOD.replace("E08000036", "E0800036"),
        4,
        "new_la_code",
        "malformed GSS code 'E0800036'",
    ),
    "district code": (
        GOOD.replace("E08000036", "E07000117"),
        4,
        "new_la_code",
        "not the code of an authority that runs children's services",
    ),
    "unknown country code": (
        GOOD.replace("National,E92000001", "National,W92000004"),
        2,
        "country_code",
        "unknown country code 'W92000004'",
    ),
    "malformed number": (
        GOOD.replace("Wakefield,15.2", "Wakefield,15.2.1"),
        4,
        "agency_rate_fte",
        "'15.2.1' is neither a number nor an EES symbol",
    ),
    "truncated file": (
        _replace_last(GOOD.rstrip("\n"), ",low,c,17", ""),
        5,
        "agency_rate_fte",
        "the file may be truncated",
    ),
    "unknown time identifier": (
        GOOD.replace("2025,Reporting year,Regional", "2025,Spring term,Regional"),
        3,
        "time_identifier",
        "unknown time identifier 'Spring term'",
    ),
    "malformed time period": (
        GOOD.replace("2025,Reporting year,National", "2025-26,Reporting year,National"),
        2,
        "time_period",
        "'2025-26' is not a 4-digit year",
    ),
    "unknown geographic level": (
        GOOD.replace("Regional", "Regionally"),
        3,
        "geographic_level",
        "unknown geographic level 'Regionally'",
    ),
    "malformed DfE code": (
        GOOD.replace(",384,", ",38,"),
        4,
        "old_la_code",
        "malformed DfE code '38'",
    ),
}


@pytest.mark.parametrize("case", list(BAD_INPUT))
def test_bad_input_changes_nothing(tmp_path, case):
    # Something already imported, to show it is left exactly as it was.
    run(write(tmp_path, "earlier.csv", GOOD.replace("15.2,x,19", "15.2,x,20")))
    before = snapshot()
    text, row, column, message = BAD_INPUT[case]
    path = write(tmp_path, "bad.csv", text)
    with pytest.raises(CommandError) as failure:
        run(path)
    error = str(failure.value)
    assert "Nothing was imported" in error
    assert f"bad.csv, row {row}, column {column!r}: " in error
    assert message in error
    assert snapshot() == before


def test_every_problem_is_reported_and_no_file_is_written(tmp_path):
    good = write(tmp_path, "good.csv", GOOD)
    bad = write(
        tmp_path,
        "bad.csv",
        GOOD.replace("Wakefield,15.2", "Wakefield,abc").replace("Leeds,low", "Leeds,1,2"),
    )
    before = snapshot()
    with pytest.raises(ImportFailed) as failure:
        import_ees([good, bad])
    found = {(error.file, error.row, error.column) for error in failure.value.errors}
    assert found == {("bad.csv", 4, "agency_rate_fte"), ("bad.csv", 5, None)}
    assert snapshot() == before


def test_missing_file_and_empty_file(tmp_path):
    empty = write(tmp_path, "empty.csv", "")
    with pytest.raises(ImportFailed) as failure:
        import_ees([tmp_path / "absent.csv", empty])
    messages = [str(error) for error in failure.value.errors]
    assert messages[0].startswith("absent.csv: no such file")
    assert messages[1] == "empty.csv, row 1: the file is empty"


def test_dfe_code_held_by_another_authority(tmp_path):
    Authority.objects.create(gss_code="E06009999", dfe_code="384", name="Somewhere else")
    before = snapshot()
    with pytest.raises(ImportFailed) as failure:
        import_ees([write(tmp_path, "workforce.csv", GOOD)])
    (error,) = failure.value.errors
    assert (error.file, error.row, error.column) == ("workforce.csv", 4, "old_la_code")
    assert "belongs to Somewhere else (E06009999)" in error.message
    assert snapshot() == before


def test_an_old_code_of_the_same_authority_passes_its_dfe_code_on(tmp_path):
    Authority.objects.create(gss_code="E10000023", dfe_code="815", name="North Yorkshire")
    text = "\n".join(
        [
            HEADER,
            "2025,Reporting year,Local authority,E92000001,England,E12000003,"
            "Yorkshire and The Humber,815,E06000065,North Yorkshire,13,14,15",
        ]
    )
    result = import_ees([write(tmp_path, "workforce.csv", text + "\n")])
    assert Authority.objects.get(gss_code="E06000065").dfe_code == "815"
    assert Authority.objects.get(gss_code="E10000023").dfe_code == ""
    assert (result.authorities_created, result.authorities_updated) == (1, 1)


def test_numerators_and_denominators_are_validated_too(tmp_path):
    text = "\n".join(
        [
            HEADER + ",agency_fte,inpost_fte",
            NATIONAL + ",40,260",
            WAKEFIELD_ROW + ",low,2x0",
        ]
    )
    with pytest.raises(ImportFailed) as failure:
        import_ees([write(tmp_path, "workforce.csv", text + "\n")])
    (error,) = failure.value.errors
    assert (error.row, error.column) == (3, "inpost_fte")
    import_ees([write(tmp_path, "workforce.csv", text.replace("2x0", "200") + "\n")])
    england = one("agency_sw_pct", ENGLAND, "2025")
    assert (england.numerator, england.denominator) == (40, 300)  # agency over agency + in post
    assert one("agency_sw_pct", WAKEFIELD, "2025").numerator is None  # "low" is not a count


def test_missing_catalogue_indicators_are_loaded(tmp_path):
    Indicator.objects.filter(code="avg_caseload").delete()
    import_ees([write(tmp_path, "workforce.csv", GOOD)])
    assert one("avg_caseload", WAKEFIELD, "2025").value == 19
    assert Indicator.objects.get(code="avg_caseload").unit == "number"
