"""manage.py benchmark on a small demo: every page it times answers, and its figures are written
as JSON. (Its timings are never asserted: speed is for `make bench`, not for the tests.)"""

import io
import json

import pytest
from django.core.management import call_command

from authorities.models import Authority
from indicators.models import Indicator, Observation, Source
from reports.benchmark import loads
from tests.factories import AuthorityFactory, ObservationFactory, RegionFactory

pytestmark = pytest.mark.django_db

PAGES = {
    "home",
    "authority page",
    "chart fragment",
    "trajectory CSV",
    "compare 12 authorities",
    "league table",
    "neighbours grid",
    "recovery",
    "watchlist (DfE)",
    "team page (member)",
    "plan (member)",
    "board packs (member)",
    "return form",
    "return save",
}


def test_the_benchmark_measures_every_page_on_a_small_demo(tmp_path, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    output = tmp_path / "bench.json"
    out = io.StringIO()
    call_command(
        "benchmark",
        authorities=12,
        months=14,
        repeats=2,
        warmup=1,
        output=output,
        stdout=out,
    )
    results = json.loads(output.read_text())
    pages = {page["name"]: page for page in results["pages"]}
    assert set(pages) == PAGES
    assert all(page["status"] == 200 for page in pages.values()), pages
    assert all(page["queries"] > 0 and page["bytes"] > 0 for page in pages.values()), pages
    # Each page that only reads has its SQL replayed raw, for the ratio of page time to data time;
    # the save, which writes, has none. Every page says its gzipped size.
    reads = [page for name, page in pages.items() if name != "return save"]
    assert all(page["sql_ms"] > 0 and page["ratio"] > 0 for page in reads), reads
    assert all(page["cached_median_ms"] > 0 for page in reads)
    assert pages["return save"]["sql_ms"] is None
    assert all(0 < page["gzip_bytes"] < page["bytes"] for page in pages.values())
    timings = {timing["name"]: timing for timing in results["timings"]}
    assert list(timings) == ["load_demo", "board pack made", "board pack PDF"]
    assert timings["board pack PDF"]["seconds"] > 0
    assert "budget 10 s" in timings["board pack PDF"]["note"]
    assert "authority page" in out.getvalue()
    assert "ratio" in out.getvalue()
    # The hostile uploads need server threads that see the data: not here, in memory on SQLite or
    # in the test's transaction on PostgreSQL (tests/production/test_live_server.py sends them to
    # gunicorn instead).
    assert results["hostile_uploads"] == []
    assert any(line.startswith("hostile uploads: the ") for line in results["skipped"])


def test_every_chart_measures_each_indicator(tmp_path, settings):
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    output = tmp_path / "bench.json"
    call_command("load_demo", authorities=12, months=14, stdout=io.StringIO())
    call_command(
        "benchmark",
        skip_load=True,
        every_chart=True,
        repeats=1,
        warmup=0,
        output=output,
        stdout=io.StringIO(),
    )
    pages = json.loads(output.read_text())["pages"]
    charts = [page for page in pages if page["name"].startswith("chart: ")]
    assert {page["name"] for page in charts} == {
        f"chart: {code}" for code in Indicator.objects.values_list("code", flat=True)
    }
    assert all(page["status"] == 200 for page in charts)


def test_clearing_official_data_keeps_the_demo():
    real = AuthorityFactory(name="Wakefield", gss_code="E08000036", is_demo=False)
    demo = AuthorityFactory(name="Simulated Vale", is_demo=True, region=RegionFactory(is_demo=True))
    ObservationFactory(area_code=real.gss_code, source=Source.OFFICIAL)
    ObservationFactory(area_code=demo.gss_code, source=Source.DEMO)
    loads.clear_official_data()
    assert list(Authority.objects.values_list("name", flat=True)) == ["Simulated Vale"]
    assert list(Observation.objects.values_list("source", flat=True)) == [Source.DEMO]
