"""The observations export in the EES tidy-data layout, its view, and the round trip."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.urls import reverse

from authorities.models import Authority, Region
from indicators.exports import ExportQuery, InvalidExportQuery, observations_csv
from indicators.models import Observation, PeriodKind, Source
from indicators.official.ees_write import import_ees
from tests.factories import AuthorityFactory, ObservationFactory, RegionFactory, indicator

pytestmark = pytest.mark.django_db

LAYOUT = [
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
    "source",
]


def read(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def areas():
    region = RegionFactory(code="E12000003", name="Yorkshire and The Humber")
    wakefield = AuthorityFactory(
        gss_code="E08000036", dfe_code="384", name="Wakefield", region=region
    )
    london = RegionFactory(code="E12000007", name="London")
    camden = AuthorityFactory(gss_code="E09000007", dfe_code="202", name="Camden", region=london)
    return wakefield, camden


def observe(area_code: str, area_level: str = "authority", **fields) -> Observation:
    return ObservationFactory(area_code=area_code, area_level=area_level, **fields)


def test_layout_levels_and_symbols(areas):
    observe("E08000036", value=15.2)
    observe("E08000036", indicator=indicator("avg_caseload"), value=19.0)
    observe("E09000007", value=None, symbol="c")
    observe("E92000001", "national", value=13.0)
    observe("E12000003", "regional", value=11.5)
    observe("E13000001", "regional", value=None, symbol="low")
    rows = read(observations_csv(ExportQuery()))
    assert list(rows[0]) == [*LAYOUT, "avg_caseload", "agency_sw_pct"]
    by_code = {row["new_la_code"] or row["region_code"] or row["country_code"]: row for row in rows}
    assert by_code["E92000001"] == {
        "time_period": "2025",
        "time_identifier": "Reporting year",
        "geographic_level": "National",
        "country_code": "E92000001",
        "country_name": "England",
        "region_code": "",
        "region_name": "",
        "old_la_code": "",
        "new_la_code": "",
        "la_name": "",
        "source": "official",
        "avg_caseload": "",
        "agency_sw_pct": "13",
    }
    assert by_code["E12000003"]["geographic_level"] == "Regional"
    assert by_code["E12000003"]["region_name"] == "Yorkshire and The Humber"
    assert by_code["E13000001"]["region_name"] == "Inner London"
    assert by_code["E13000001"]["agency_sw_pct"] == "low"
    wakefield = by_code["E08000036"]
    assert (wakefield["geographic_level"], wakefield["old_la_code"], wakefield["la_name"]) == (
        "Local authority",
        "384",
        "Wakefield",
    )
    assert (wakefield["region_code"], wakefield["agency_sw_pct"]) == ("E12000003", "15.2")
    assert wakefield["avg_caseload"] == "19"
    assert by_code["E09000007"]["agency_sw_pct"] == "c"
    assert [row["geographic_level"] for row in rows] == [
        "National",
        "Regional",
        "Regional",
        "Local authority",
        "Local authority",
    ]


def test_filters_and_visible_sources(areas):
    observe("E08000036", value=15.2)
    observe("E09000007", value=20.0)
    observe("E92000001", "national", value=13.0)
    monthly = dict(
        period_kind=PeriodKind.MONTH,
        period_start=datetime.date(2025, 3, 1),
        period_end=datetime.date(2025, 3, 31),
        period_label="March 2025",
        source=Source.MONTHLY_RETURN,
        release="",
    )
    observe("E08000036", value=16.0, **monthly)

    def export(**params) -> list[dict[str, str]]:
        visible = params.pop("visible_sources", None)
        return read(observations_csv(ExportQuery(**params), visible_sources=visible))

    rows = export(areas=["E08000036", "E92000001"])
    assert {(row["new_la_code"], row["time_identifier"]) for row in rows} == {
        ("E08000036", "Reporting year"),
        ("E08000036", "March"),
        ("", "Reporting year"),
    }
    assert {row["agency_sw_pct"] for row in export(sources=["monthly_return"])} == {"16"}
    public = [Source.OFFICIAL, Source.REPORT, Source.DEMO]
    assert "March" not in {row["time_identifier"] for row in export(visible_sources=public)}
    # visible_sources narrows what the query asks for; it never widens it.
    assert export(sources=["monthly_return"], visible_sources=public) == []
    assert list(read(observations_csv(ExportQuery(indicators=["cla"])) + "\n")) == []
    header = observations_csv(ExportQuery(indicators=["cla"])).splitlines()[0]
    assert header.split(",") == [*LAYOUT, "cla"]


def test_one_figure_per_cell_and_every_row_of_one_source(areas):
    observe("E08000036", value=1.0, source=Source.DEMO, release="demo")
    observe("E08000036", value=2.0, release="older.csv")
    observe("E08000036", value=3.0, release="newer.csv")
    official, demo = read(observations_csv(ExportQuery()))
    # Official first, the latest recorded of those; the simulated figure in a row of its own.
    assert (official["source"], official["agency_sw_pct"]) == ("official", "3")
    assert (demo["source"], demo["agency_sw_pct"]) == ("demo", "1")


def test_an_england_row_never_mixes_simulated_and_official_figures(areas):
    observe("E92000001", "national", value=13.0)
    observe(
        "E92000001",
        "national",
        indicator=indicator("avg_caseload"),
        value=99.0,
        source=Source.DEMO,
        release="demo",
    )
    england = [row for row in read(observations_csv(ExportQuery())) if not row["region_code"]]
    by_source = {row["source"]: row for row in england}
    assert set(by_source) == {"official", "demo"}
    assert (by_source["official"]["agency_sw_pct"], by_source["official"]["avg_caseload"]) == (
        "13",
        "",
    )
    assert (by_source["demo"]["agency_sw_pct"], by_source["demo"]["avg_caseload"]) == ("", "99")


def test_a_fixed_number_of_queries(areas, django_assert_max_num_queries):
    for year in range(2015, 2025):
        for code in ("E08000036", "E09000007"):
            observe(
                code,
                value=float(year - 2000),
                period_start=datetime.date(year - 1, 10, 1),
                period_end=datetime.date(year, 9, 30),
                period_label=str(year),
            )
    with django_assert_max_num_queries(3):
        text = observations_csv(ExportQuery())
    assert len(read(text)) == 20


def test_invalid_queries():
    with pytest.raises(InvalidExportQuery, match="unknown source 'secret'"):
        ExportQuery.from_params(areas=[], indicators=[], sources=["secret"])
    with pytest.raises(InvalidExportQuery, match="unknown indicator 'nope'"):
        ExportQuery.from_params(areas=[], indicators=["nope", "cla"], sources=[])
    with pytest.raises(InvalidExportQuery, match="malformed GSS code"):
        ExportQuery.from_params(areas=["Wakefield"], indicators=[], sources=[])
    query = ExportQuery.from_params(areas=["e08000036"], indicators=["cla"], sources=["official"])
    assert (list(query.areas), list(query.indicators)) == (["E08000036"], ["cla"])


# --- the view -----------------------------------------------------------------------------------


@pytest.mark.urls("tests.indicators.export_urls")
class TestView:
    @pytest.fixture
    def figures(self, areas):
        observe("E08000036", value=15.2)
        observe(
            "E08000036",
            value=16.0,
            period_kind=PeriodKind.MONTH,
            period_start=datetime.date(2025, 3, 1),
            period_end=datetime.date(2025, 3, 31),
            period_label="March 2025",
            source=Source.MONTHLY_RETURN,
            release="",
        )
        observe("E09000007", value=20.0)

    def test_approved_monthly_return_figures_are_published_to_everyone(self, client, figures):
        # Only approved return values become observations, so every observation is public.
        response = client.get(reverse("observations_csv"))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert 'filename="observations.csv"' in response["Content-Disposition"]
        rows = read(response.content.decode())
        assert {row["agency_sw_pct"] for row in rows} == {"15.2", "16", "20"}
        response = client.get(reverse("observations_csv"), {"source": "monthly_return"})
        assert {row["agency_sw_pct"] for row in read(response.content.decode())} == {"16"}

    def test_parameters_repeat(self, client, figures):
        url = reverse("observations_csv")
        response = client.get(
            url,
            {
                "authority": ["E08000036", "E09000007"],
                "indicator": ["agency_sw_pct", "cla"],
                "source": ["official"],
            },
        )
        rows = read(response.content.decode())
        assert list(rows[0]) == [*LAYOUT, "agency_sw_pct", "cla"]
        assert {row["la_name"] for row in rows} == {"Wakefield", "Camden"}
        response = client.get(url, {"authority": "E09000007"})
        assert {row["la_name"] for row in read(response.content.decode())} == {"Camden"}

    @pytest.mark.parametrize(
        "params",
        [{"source": "secret"}, {"indicator": "nope"}, {"authority": "Wakefield"}],
    )
    def test_bad_parameters(self, client, params):
        response = client.get(reverse("observations_csv"), params)
        assert response.status_code == 400

    def test_only_get(self, client):
        assert client.post(reverse("observations_csv")).status_code == 405


# --- the round trip -----------------------------------------------------------------------------


def values() -> set[tuple]:
    return set(
        Observation.objects.values_list(
            "indicator__code",
            "area_level",
            "area_code",
            "period_kind",
            "period_start",
            "period_end",
            "period_label",
            "value",
            "symbol",
        )
    )


def round_trip(tmp_path) -> tuple[set[tuple], set[tuple]]:
    """Export everything, wipe the observations, import the export: values before and after."""
    before = values()
    path = tmp_path / "observations.csv"
    path.write_text(observations_csv(ExportQuery()), encoding="utf-8")
    Observation.objects.all().delete()
    result = import_ees([path])
    assert result.files[0].release == ""  # no official release: columns named by code
    assert (result.authorities_created, result.authorities_updated) == (0, 0)
    assert set(Observation.objects.values_list("release", flat=True)) == {"observations.csv"}
    return before, values()


@pytest.mark.official_data
def test_export_then_import_gives_the_same_values(official_dir, tmp_path):
    import_ees(
        [
            official_dir / "csww_indicators_2017_to_2025.csv",  # years to 30 September
            official_dir / "cla_number_and_rate_per_10k_children.csv",  # Inner and Outer London
            official_dir / "assessments_within_45_days_2016_to_2025.csv",  # years to 31 March
        ]
    )
    authorities = set(Authority.objects.values_list("gss_code", "dfe_code", "name", "region"))
    regions = set(Region.objects.values_list("code", "name"))
    before, after = round_trip(tmp_path)
    assert len(before) > 10000
    assert after == before
    assert set(Authority.objects.values_list("gss_code", "dfe_code", "name", "region")) == (
        authorities
    )
    assert set(Region.objects.values_list("code", "name")) == regions


def test_round_trip_of_indicators_made_from_unmapped_columns(tmp_path):
    text = "\n".join(
        [
            "time_period,time_identifier,geographic_level,country_code,country_name,"
            "agency_rate_fte,vacancy_rate_fte,caseload_fte,mystery_fte",
            "2025,Reporting year,National,E92000001,England,13,x,15,1.25",
            "2024,Reporting year,National,E92000001,England,14,10,16,u",
        ]
    )
    (tmp_path / "workforce.csv").write_text(text + "\n", encoding="utf-8")
    import_ees([tmp_path / "workforce.csv"], all_columns=True)
    mystery = Observation.objects.get(indicator__code="csww_mystery_fte", period_label="2025")
    assert mystery.period_end == datetime.date(2025, 9, 30)
    before, after = round_trip(tmp_path)
    assert len(before) == 8
    assert after == before
