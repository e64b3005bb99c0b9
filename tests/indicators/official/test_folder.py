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
    assert [p.name for p in files.skipped] == ["notes.txt"]


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
