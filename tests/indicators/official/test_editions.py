"""Editions and older layouts of a release (issue 16, item 5): the workforce release's older
headline layout is the same release, dated 30 September, and an older edition imported after a
newer one never replaces the newer figures.

The older layout's file is not in ../shared/data, so these tests write small files in each
layout with the published figures for Wakefield (the older file's 2021 figure deliberately
differs, standing for a figure revised in the newer edition)."""

import datetime

import pytest

from indicators.models import Indicator, Observation
from indicators.official.ees_write import import_ees

pytestmark = pytest.mark.django_db

GEOGRAPHY = (
    "time_period,time_identifier,geographic_level,country_code,country_name,region_code,"
    "region_name,old_la_code,new_la_code,la_name"
)
WAKEFIELD = (
    "Local authority,E92000001,England,E12000003,Yorkshire and The Humber,384,E08000036,Wakefield"
)

NEWER = (
    f"{GEOGRAPHY},inpost_fte,agency_fte,agency_rate_fte,vacancy_fte,vacancy_rate_fte,"
    "caseload_fte\n"
    f"2021,Reporting year,{WAKEFIELD},180,29.8,14.2,20,10,16\n"
    f"2025,Reporting year,{WAKEFIELD},200,35.8,15.2,20,9.1,15\n"
)
OLDER = (
    f"{GEOGRAPHY},agency_worker_rate_fte_%,vacancy_rate_fte_%,turnover_rate_fte_%,caseload_fte,"
    "absence_rate_fte_%\n"
    f"2018,Reporting year,{WAKEFIELD},28.7,30.1,20.2,18.4,3.1\n"
    f"2021,Reporting year,{WAKEFIELD},14.0,10.5,16.0,16.2,2.9\n"
)


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


def _agency(period):
    return Observation.objects.get(
        indicator__code="agency_sw_pct", area_code="E08000036", period_label=period
    )


def test_the_older_headline_layout_is_the_same_release_dated_30_september(tmp_path):
    indicators_before = Indicator.objects.count()
    result = import_ees([_write(tmp_path, "csww_headline_measures_2017_to_2022.csv", OLDER)])
    assert result.files[0].release == "csww"
    assert Indicator.objects.count() == indicators_before  # no second set of indicators
    figure = _agency("2018")
    assert figure.value == 28.7
    assert figure.period_end == datetime.date(2018, 9, 30)
    turnover = Observation.objects.get(
        indicator__code="sw_turnover_pct", area_code="E08000036", period_label="2021"
    )
    assert turnover.value == 16.0


def test_an_older_edition_after_a_newer_one_never_replaces_its_figures(tmp_path):
    newer = _write(tmp_path, "csww_indicators_2017_to_2025.csv", NEWER)
    older = _write(tmp_path, "csww_headline_measures_2017_to_2022.csv", OLDER)
    import_ees([newer])
    result = import_ees([older])
    assert _agency("2021").value == 14.2
    assert _agency("2021").release == newer.name
    assert _agency("2018").value == 28.7  # a year the newer edition does not give is added
    notes = "\n".join(result.files[0].notes)
    assert (
        "figures are also in csww_indicators_2017_to_2025.csv, a newer edition "
        "(to 30 September 2025, this file to 30 September 2021): the newer edition's figures "
        "were kept" in notes
    )


def test_a_newer_edition_after_an_older_one_replaces_its_figures(tmp_path):
    newer = _write(tmp_path, "csww_indicators_2017_to_2025.csv", NEWER)
    older = _write(tmp_path, "csww_headline_measures_2017_to_2022.csv", OLDER)
    import_ees([older])
    result = import_ees([newer])
    assert _agency("2021").value == 14.2
    assert _agency("2021").release == newer.name
    assert any("this file's edition replaces them" in note for note in result.files[0].notes)
