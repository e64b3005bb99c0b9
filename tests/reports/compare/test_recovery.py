"""The recovery summary: how long authorities judged Inadequate took to be judged better."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from authorities.models import Framework, Grade, InspectionKind
from indicators.models import Source
from reports.compare.recovery import recovery
from tests.factories import AuthorityFactory, InspectionFactory

pytestmark = pytest.mark.django_db


D = datetime.date


def judged(authority, framework, grade, published, **extra):
    values = {
        "start_date": published - datetime.timedelta(days=70),
        "end_date": published - datetime.timedelta(days=60),
        "published_date": published,
        **extra,
    }
    return InspectionFactory(
        authority=authority, framework=framework, overall_grade=grade, **values
    )


@pytest.fixture
def history():
    """Seven spells in six authorities, worked out by hand (years = days / 365.25):

    Ashby   SLAC Inadequate 1 Mar 2012 -> Adequate 1 Mar 2014: 731 days, 2.0 years
            SIF  Inadequate 2 May 2016 -> ILACS Requires improvement 2 May 2019: 1095 days, 3.0
    Brill   ILACS Inadequate 1 Mar 2018, Inadequate again 1 Mar 2019 -> Good 1 Mar 2021:
            1096 days from the first, 3.0
    Corby   ILACS Inadequate 1 Jun 2022, nothing since: still Inadequate
    Dale    ILACS Inadequate, not published, visit ended 17 Aug 2018 -> Requires improvement
            19 Aug 2019: 367 days, 1.0
    Eden    ILACS Inadequate 1 Jan 2019 -> Outstanding 1 Jan 2024: 1826 days, 5.0
    Fen     ILACS Inadequate 2 Sep 2019, then abolished: ceased
    Gale    Good only: not counted
    """
    ashby = AuthorityFactory(name="Ashby")
    judged(ashby, Framework.SLAC, Grade.INADEQUATE, D(2012, 3, 1))
    judged(ashby, Framework.SLAC, Grade.ADEQUATE, D(2014, 3, 1))
    judged(ashby, Framework.SIF, Grade.INADEQUATE, D(2016, 5, 2))
    InspectionFactory(
        authority=ashby,
        kind=InspectionKind.MONITORING_VISIT,
        start_date=D(2017, 6, 5),
        overall_grade="",
    )
    judged(ashby, Framework.ILACS, Grade.REQUIRES_IMPROVEMENT, D(2019, 5, 2))
    brill = AuthorityFactory(name="Brill")
    judged(brill, Framework.ILACS, Grade.INADEQUATE, D(2018, 3, 1))
    judged(brill, Framework.ILACS, Grade.INADEQUATE, D(2019, 3, 1))
    judged(brill, Framework.ILACS, Grade.GOOD, D(2021, 3, 1))
    corby = AuthorityFactory(name="Corby")
    judged(corby, Framework.ILACS, Grade.GOOD, D(2015, 3, 2))
    judged(corby, Framework.ILACS, Grade.INADEQUATE, D(2022, 6, 1))
    dale = AuthorityFactory(name="Dale")
    InspectionFactory(
        authority=dale,
        framework=Framework.ILACS,
        start_date=D(2018, 8, 6),
        end_date=D(2018, 8, 17),
        published_date=None,
        overall_grade=Grade.INADEQUATE,
    )
    judged(dale, Framework.ILACS, Grade.REQUIRES_IMPROVEMENT, D(2019, 8, 19))
    eden = AuthorityFactory(name="Eden")
    judged(eden, Framework.ILACS, Grade.INADEQUATE, D(2019, 1, 1))
    judged(eden, Framework.ILACS, Grade.OUTSTANDING, D(2024, 1, 1))
    fen = AuthorityFactory(name="Fen", active_to=D(2020, 3, 31))
    judged(fen, Framework.ILACS, Grade.INADEQUATE, D(2019, 9, 2))
    gale = AuthorityFactory(name="Gale")
    judged(gale, Framework.ILACS, Grade.GOOD, D(2019, 9, 2))
    return {a.name: a for a in (ashby, brill, corby, dale, eden, fen, gale)}


def test_spells_by_hand(history):
    summary = recovery()
    spells = [
        (s.name, s.framework, s.judged, s.recovered_on, s.years, s.status) for s in summary.spells
    ]
    assert spells == [
        ("Ashby", "SLAC", D(2012, 3, 1), D(2014, 3, 1), 2.0, "recovered"),
        ("Ashby", "SIF", D(2016, 5, 2), D(2019, 5, 2), 3.0, "recovered"),
        ("Brill", "ILACS", D(2018, 3, 1), D(2021, 3, 1), 3.0, "recovered"),
        ("Dale", "ILACS", D(2018, 8, 17), D(2019, 8, 19), 1.0, "recovered"),
        ("Eden", "ILACS", D(2019, 1, 1), D(2024, 1, 1), 5.0, "recovered"),
        ("Fen", "ILACS", D(2019, 9, 2), None, None, "ceased"),
        ("Corby", "ILACS", D(2022, 6, 1), None, None, "still_inadequate"),
    ]
    assert [name for _, name in summary.authorities] == [
        "Ashby",
        "Brill",
        "Dale",
        "Eden",
        "Fen",
        "Corby",
    ]
    assert summary.spells[1].recovered_framework == "ILACS"
    assert summary.spells[1].recovered_grade_label == "Requires improvement"


def test_median_and_range_by_framework_of_the_inadequate_judgement(history):
    summary = recovery()
    frameworks = {f.framework: f for f in summary.frameworks}
    assert list(frameworks) == ["SLAC", "SIF", "ILACS"]
    ilacs = frameworks["ILACS"]
    assert (len(ilacs.spells), len(ilacs.recovered)) == (5, 3)
    assert ilacs.median_years == 3.0
    assert (ilacs.fastest.name, ilacs.fastest.years) == ("Dale", 1.0)
    assert (ilacs.slowest.name, ilacs.slowest.years) == ("Eden", 5.0)
    assert ilacs.median_spell.name == "Brill"
    assert [s.name for s in ilacs.still_inadequate] == ["Corby"]
    assert [s.name for s in ilacs.ceased] == ["Fen"]
    assert frameworks["SLAC"].median_years == 2.0
    overall = summary.overall
    assert (len(overall.recovered), overall.median_years) == (5, 3.0)
    assert [s.name for s in summary.still_inadequate] == ["Corby"]


def test_an_even_number_of_recoveries_has_no_single_median_spell():
    for name, years in [("One", 1), ("Two", 2)]:
        authority = AuthorityFactory(name=name)
        judged(authority, Framework.ILACS, Grade.INADEQUATE, D(2018, 1, 1))
        judged(authority, Framework.ILACS, Grade.GOOD, D(2018 + years, 1, 1))
    ilacs = recovery().frameworks[0]
    assert ilacs.median_years == pytest.approx(1.5, abs=0.01)
    assert ilacs.median_spell is None


def test_simulated_inspections_are_summarised_apart(history):
    demo = AuthorityFactory(name="Simulated Vale", is_demo=True)
    judged(demo, Framework.ILACS, Grade.INADEQUATE, D(2020, 1, 1), is_demo=True)
    official = recovery()
    assert official.sources == [Source.OFFICIAL, Source.DEMO]
    assert "Simulated Vale" not in [name for _, name in official.authorities]
    simulated = recovery(Source.DEMO)
    assert [name for _, name in simulated.authorities] == ["Simulated Vale"]
    assert simulated.shows_demo_data


# --- the page ---------------------------------------------------------------------------------


def test_every_number_links_to_the_authorities_behind_it(client, history):
    response = client.get(reverse("reports:recovery"))
    html = response.content.decode()
    summary = response.context["summary"]
    ilacs = next(f for f in summary.frameworks if f.framework == "ILACS")
    assert f'id="{ilacs.anchor}"' in html
    for spell in summary.spells:
        assert f'id="{spell.anchor}"' in html
    assert f'href="#{ilacs.fastest.anchor}">1.0' in html
    assert f'href="#{ilacs.slowest.anchor}">5.0' in html
    assert f'href="#{ilacs.median_spell.anchor}">3.0' in html
    assert f'href="#{ilacs.anchor}">5<span' in html  # the number of ILACS spells
    assert 'href="#still-inadequate">1<span' in html
    assert "6 authorities" in html and "7 spells" in html
    compare = next(link for f, link in response.context["frameworks"] if f is ilacs)
    assert compare.startswith(reverse("reports:compare") + "?authority=")
    assert compare.endswith("&align=grade:inadequate")
    assert compare.count("authority=") == 5
    assert not response.context["shows_demo_data"]
    assert "<script>" not in html


def test_recovery_fragment_for_htmx_and_full_page_without(client, history):
    url = reverse("reports:recovery")
    fragment = client.get(url, headers={"HX-Request": "true"})
    assert fragment.content.decode().lstrip().startswith('<div id="recovery"')
    assert "<html" not in fragment.content.decode()
    assert "HX-Request" in fragment["Vary"]
    assert "<html" in client.get(url).content.decode()


def test_the_page_with_no_inadequate_judgement(client):
    html = client.get(reverse("reports:recovery")).content.decode()
    assert "No Inadequate judgement has been recorded." in html


def test_query_count_does_not_grow_with_the_number_of_authorities(client, history):
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reports:recovery"))
    for n in range(30):
        authority = AuthorityFactory()
        judged(authority, Framework.SIF, Grade.INADEQUATE, D(2014, 1, 1) + datetime.timedelta(n))
        judged(authority, Framework.ILACS, Grade.GOOD, D(2019, 1, 1) + datetime.timedelta(n))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("reports:recovery"))
    assert len(response.context["summary"].spells) == 37
    assert len(many) == len(few)
