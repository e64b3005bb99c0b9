import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from authorities.models import Authority, Inspection, StatisticalNeighbour
from indicators.models import Evidence, Observation
from indicators.official.folder import classify

pytestmark = pytest.mark.django_db


def test_import_official_loads_a_whole_folder_in_order(official_dir):
    call_command("import_official", official_dir)
    assert Authority.objects.filter(gss_code="E08000036", dfe_code="384").exists()
    assert StatisticalNeighbour.objects.filter(model_year=2025).count() == 1530
    assert Inspection.objects.filter(authority__gss_code="E08000036").exists()
    assert Evidence.objects.exists()
    wakefield_2018 = Observation.objects.get(
        area_code="E08000036",
        indicator__code="agency_sw_pct",
        period_label="2018",
        source="official",
    )
    assert wakefield_2018.value == 28.7
    counts = (Observation.objects.count(), Inspection.objects.count(), Evidence.objects.count())
    call_command("import_official", official_dir)
    assert (
        Observation.objects.count(),
        Inspection.objects.count(),
        Evidence.objects.count(),
    ) == counts


def test_files_are_recognised_by_layout_not_name(tmp_path):
    (tmp_path / "anything.csv").write_text(
        "time_period,time_identifier,geographic_level,country_code,country_name\n"
    )
    (tmp_path / "model.csv").write_text("old_la_code,la_name,SN_1,SN_1P\n")
    (tmp_path / "notes.txt").write_text("hello")
    files = classify(tmp_path)
    assert [p.name for p in files.ees] == ["anything.csv"]
    assert [p.name for p in files.neighbours] == ["model.csv"]
    assert [(p.name, reason) for p, reason in files.skipped] == [
        ("notes.txt", "not a file type Trajectory imports (.txt)")
    ]


GOOD_EES = (
    "time_period,time_identifier,geographic_level,country_code,country_name,"
    "assessments_completed_within_45_days_percent\n"
    "2025,Reporting year,National,E92000001,England,82.1\n"
)


def _stray_files(folder):
    """A folder as a user might leave it: one release and three files that are not releases."""
    (folder / "assessments.csv").write_text(GOOD_EES)
    (folder / "budget.csv").write_text("service,amount\nfostering,100\n")
    (folder / "notes.txt").write_text("downloaded from EES")
    workbook = openpyxl.Workbook()
    workbook.active.title = "Budget 2025"
    workbook.save(folder / "budget.xlsx")


def test_unrecognised_files_are_skipped_and_listed_not_fatal(tmp_path):
    _stray_files(tmp_path)
    out = io.StringIO()
    call_command("import_official", tmp_path, "--no-evidence", stdout=out)
    report = out.getvalue()
    assert "assessments.csv: imported as an EES release" in report
    assert "budget.csv: skipped, not an EES CSV" in report
    assert "notes.txt: skipped, not a file type Trajectory imports (.txt)" in report
    assert (
        "budget.xlsx: skipped, a workbook, but not Ofsted's inspection outcomes "
        "(sheets: Budget 2025)" in report
    )
    england = Observation.objects.get(area_code="E92000001", period_label="2025")
    assert england.value == 82.1


def test_strict_refuses_a_folder_with_an_unrecognised_file(tmp_path):
    _stray_files(tmp_path)
    with pytest.raises(CommandError, match=r"budget\.xlsx: not recognised.*--strict"):
        call_command("import_official", tmp_path, "--no-evidence", "--strict")
    assert not Observation.objects.exists()


@pytest.mark.official_data
def test_official_and_official_more_import_together(official_dir, official_more_dir):
    out = io.StringIO()
    call_command("import_official", official_dir, official_more_dir, stdout=out)
    report = out.getvalue()
    for name in ("csww_indicators_2017_to_2025.csv", "b1_children_in_need_2013_to_2025.csv"):
        assert f"{name}: imported as an EES release" in report
    assert "LA_Inspection_Outcomes_as_at_31_March_2025.ods: imported as an Ofsted" in report
    assert "New_Statistical_Neighbour_Groupings_April_2021.csv: skipped" in report
    wakefield_2025 = Observation.objects.get(
        area_code="E08000036", indicator__code="agency_sw_pct", period_label="2025"
    )
    assert wakefield_2025.value == 15.2
    assert Inspection.objects.filter(authority__gss_code="E08000036").exists()


def test_a_bad_file_anywhere_changes_nothing(tmp_path):
    (tmp_path / "good.csv").write_text(
        "time_period,time_identifier,geographic_level,country_code,country_name,"
        "assessments_completed_within_45_days_percent\n"
        "2025,Reporting year,National,E92000001,England,82.1\n"
    )
    (tmp_path / "bad.csv").write_text(
        "time_period,time_identifier,geographic_level,country_code,country_name,"
        "assessments_completed_within_45_days_percent\n"
        "2025,Reporting year,National,E92000001,England,eighty\n"
    )
    with pytest.raises(CommandError, match=r"bad\.csv.*row 2"):
        call_command("import_official", tmp_path, "--no-evidence")
    assert not Observation.objects.exists()


def test_an_empty_folder_is_an_error(tmp_path):
    with pytest.raises(CommandError, match="holds no EES CSV"):
        call_command("import_official", tmp_path)
