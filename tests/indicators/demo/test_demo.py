"""The demo data generator: deterministic, fictional, in range, and only ever touching demo rows."""

import datetime
import io
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command

from authorities.models import (
    ENGLAND_CODE,
    GRADE_ORDER,
    Authority,
    AuthorityKind,
    Event,
    EventCategory,
    Framework,
    Grade,
    Inspection,
    InspectionKind,
    Region,
    StatisticalNeighbour,
)
from authorities.toolkit.months import last_complete_month
from indicators.catalogue import catalogue_rows
from indicators.demo.load import SIMULATED, load_demo
from indicators.demo.plan import NOT_SIMULATED, ObservationBlock, build_plan
from indicators.milestones.models import Milestone
from indicators.models import AreaLevel, Indicator, Observation, PeriodKind, Source
from indicators.returns.models import MonthlyReturn, ReturnStatus
from tests.factories import (
    AuthorityFactory,
    EventFactory,
    InspectionFactory,
    MilestoneFactory,
    MonthlyReturnFactory,
    NeighbourFactory,
    ObservationFactory,
    RegionFactory,
    indicator,
)

TODAY = datetime.date(2026, 10, 15)  # the last complete month is September 2026
SMALL = {"authorities": 12, "months": 14, "today": TODAY}
WORKFORCE = {"agency_sw_pct", "sw_vacancy_pct", "sw_turnover_pct", "sw_absence_pct", "avg_caseload"}
CATALOGUE = {row["code"]: row for row in catalogue_rows()}


def dump() -> dict[str, list]:
    """Every demo row as plain values, in a stable order (no ids or timestamps)."""
    demo_obs = Observation.objects.filter(source=Source.DEMO)
    return {
        "regions": list(
            Region.objects.filter(is_demo=True).order_by("code").values_list("code", "name")
        ),
        "authorities": list(
            Authority.objects.filter(is_demo=True)
            .order_by("gss_code")
            .values_list("gss_code", "dfe_code", "name", "region__code")
        ),
        "neighbours": list(
            StatisticalNeighbour.objects.filter(authority__is_demo=True)
            .order_by("authority__gss_code", "rank")
            .values_list("authority__gss_code", "neighbour__gss_code", "rank", "closeness")
        ),
        "inspections": list(
            Inspection.objects.filter(is_demo=True)
            .order_by("authority__gss_code", "start_date", "kind")
            .values_list(
                "authority__gss_code",
                "framework",
                "kind",
                "start_date",
                "end_date",
                "published_date",
                "overall_grade",
                "sub_judgements",
            )
        ),
        "events": list(
            Event.objects.filter(is_demo=True)
            .order_by("authority__gss_code", "date", "description")
            .values_list("authority__gss_code", "date", "precision", "category", "description")
        ),
        "milestones": list(
            Milestone.objects.filter(is_demo=True)
            .order_by("authority__gss_code", "indicator__code", "due_date")
            .values_list("authority__gss_code", "indicator__code", "due_date", "value")
        ),
        "returns": list(
            MonthlyReturn.objects.filter(is_demo=True)
            .order_by("authority__gss_code", "month")
            .values_list("authority__gss_code", "month", "status")
        ),
        "observations": list(
            demo_obs.order_by(
                "area_code", "indicator__code", "period_kind", "period_start"
            ).values_list(
                "area_code",
                "indicator__code",
                "area_level",
                "period_kind",
                "period_start",
                "period_end",
                "period_label",
                "value",
                "symbol",
                "numerator",
                "denominator",
                "release",
            )
        ),
    }


@pytest.fixture
def loaded():
    return load_demo(seed=7, **SMALL)


@pytest.mark.django_db
def test_same_seed_gives_the_same_data():
    load_demo(seed=7, **SMALL)
    first = dump()
    load_demo(seed=7, **SMALL)
    assert dump() == first
    assert len(first["observations"]) > 5_000


@pytest.mark.django_db
def test_a_different_seed_gives_different_data():
    load_demo(seed=7, **SMALL)
    first = dump()
    load_demo(seed=8, **SMALL)
    second = dump()
    assert second["observations"] != first["observations"]
    assert second["inspections"] != first["inspections"]
    assert [a[2] for a in second["authorities"]] != [a[2] for a in first["authorities"]]
    # Codes depend only on position, so another seed updates the same authority rows.
    assert [a[0] for a in second["authorities"]] == [a[0] for a in first["authorities"]]


def test_the_plan_is_pure_and_repeatable():
    first = build_plan(seed=3, authorities=11, months=2, today=TODAY)
    second = build_plan(seed=3, authorities=11, months=2, today=TODAY)
    assert first.authorities == second.authorities
    assert first.inspections == second.inspections
    for a, b in zip(first.blocks, second.blocks, strict=True):
        assert isinstance(a, ObservationBlock)
        assert (a.indicator, a.area_codes, a.periods, a.symbols) == (
            b.indicator,
            b.area_codes,
            b.periods,
            b.symbols,
        )
        assert a.value.tobytes() == b.value.tobytes()


@pytest.mark.django_db
def test_summary_counts_what_was_written(loaded):
    assert loaded.authorities == 12 == Authority.objects.filter(is_demo=True).count()
    assert loaded.observations == Observation.objects.filter(source=Source.DEMO).count()
    assert loaded.inspections == Inspection.objects.filter(is_demo=True).count()
    assert loaded.events == Event.objects.filter(is_demo=True).count()
    assert loaded.milestones == Milestone.objects.filter(is_demo=True).count()
    assert loaded.returns == 13 == MonthlyReturn.objects.filter(is_demo=True).count()
    assert loaded.neighbours == 120


@pytest.mark.django_db
def test_every_observation_is_demo_data_with_its_release(loaded):
    rows = Observation.objects.all()
    assert rows.exists()
    assert set(rows.values_list("source", flat=True)) == {Source.DEMO}
    assert set(rows.values_list("release", flat=True)) == {"load_demo seed 7"}


@pytest.mark.django_db
def test_values_are_in_range_for_each_unit(loaded):
    symbols = 0
    checked = defaultdict(int)
    rows = Observation.objects.filter(source=Source.DEMO).values_list(
        "indicator__code",
        "area_level",
        "period_kind",
        "value",
        "symbol",
        "numerator",
        "denominator",
    )
    for code, level, kind, value, symbol, num, den in rows:
        unit, entry = CATALOGUE[code]["unit"], CATALOGUE[code]["entry"]
        if value is None:
            symbols += 1
            assert symbol in ("c", "x")
            assert (level, kind) == (AreaLevel.AUTHORITY, PeriodKind.REPORTING_YEAR)
            assert num is None and den is None
            continue
        assert symbol == ""
        checked[code] += 1
        if unit == "percent":
            assert 0 <= value <= 100, (code, value)
        elif unit == "count":
            assert value >= 0 and value == int(value), (code, value)
        elif code == "avg_caseload":
            if level == AreaLevel.AUTHORITY:
                assert 8 <= value <= 36, value
            else:
                assert 12 <= value <= 25, value
        else:
            assert 0 <= value <= 400, (code, value)
        if entry == "ratio":
            assert num is not None and den is not None and den > 0
            assert 0 <= num <= den or code == "avg_caseload"
            scale = 1 if code == "avg_caseload" else 100
            assert value == pytest.approx(scale * num / den)
            if code not in WORKFORCE:
                assert num == int(num) and den == int(den)
        if code in ("agency_sw_pct",) and level == AreaLevel.AUTHORITY:
            assert 1 <= value <= 45
    assert set(checked) == set(CATALOGUE) - NOT_SIMULATED
    assert (
        0
        < symbols
        < 0.03
        * Observation.objects.filter(
            area_level=AreaLevel.AUTHORITY, period_kind=PeriodKind.REPORTING_YEAR
        ).count()
    )


@pytest.mark.django_db
def test_levels_are_plausible(loaded):
    def median(code: str) -> float:
        values = sorted(
            Observation.objects.filter(
                indicator__code=code, area_level=AreaLevel.AUTHORITY, value__isnull=False
            ).values_list("value", flat=True)
        )
        return values[len(values) // 2]

    assert 8 <= median("agency_sw_pct") <= 25
    assert 13 <= median("avg_caseload") <= 22
    assert 70 <= median("assessments_45wd_pct") <= 92
    assert 15 <= median("rereferrals_12m_pct") <= 28


@pytest.mark.django_db
def test_monthly_and_annual_periods(loaded):
    monthly = Observation.objects.filter(period_kind=PeriodKind.MONTH)
    assert set(monthly.values_list("indicator__code", flat=True)) == {
        code for code, row in CATALOGUE.items() if row["in_monthly_return"]
    }
    months = sorted(set(monthly.values_list("period_start", "period_end", "period_label")))
    assert len(months) == 14
    assert months[-1] == (
        datetime.date(2026, 9, 1),
        datetime.date(2026, 9, 30),
        "Sep 2026",
    )
    assert months[0][0] == datetime.date(2025, 8, 1)
    assert last_complete_month(TODAY) == datetime.date(2026, 9, 1)

    annual = Observation.objects.filter(
        period_kind=PeriodKind.REPORTING_YEAR, area_level=AreaLevel.AUTHORITY
    )
    for code in set(CATALOGUE) - NOT_SIMULATED:
        periods = set(
            annual.filter(indicator__code=code).values_list(
                "period_start", "period_end", "period_label"
            )
        )
        assert len(periods) == 10, code
        for start, end, label in periods:
            assert label == str(end.year)
            expected = (9, 30) if code in WORKFORCE else (3, 31)
            assert (end.month, end.day) == expected, code
            assert start == datetime.date(end.year - 1, end.month, end.day) + datetime.timedelta(
                days=1
            )
        assert max(end for _, end, _ in periods) < TODAY


@pytest.mark.django_db
def test_monthly_returns_are_approved_for_every_month_but_the_latest(loaded):
    returns = MonthlyReturn.objects.filter(is_demo=True)
    # Only the demo users' authority sends returns; the latest month is left for them to enter.
    assert returns.count() == 13
    assert returns.values("authority").distinct().count() == 1
    latest = Observation.objects.filter(source=Source.DEMO, period_kind="month").latest(
        "period_start"
    )
    assert not returns.filter(month=latest.period_start).exists()
    assert set(returns.values_list("status", flat=True)) == {ReturnStatus.APPROVED}
    assert all(r.submitted_at and r.approved_at for r in returns)


@pytest.mark.django_db
def test_fictional_codes_and_names(loaded):
    regions = Region.objects.filter(is_demo=True)
    assert regions.exists()
    assert all(r.code.startswith("E12000") and int(r.code[-3:]) >= 901 for r in regions)
    authorities = list(Authority.objects.filter(is_demo=True))
    assert {a.gss_code[:3] for a in authorities} == {"E06", "E08", "E09", "E10"}
    assert {a.kind for a in authorities} >= {AuthorityKind.UNITARY, AuthorityKind.COUNTY}
    for a in authorities:
        assert a.gss_code[3:6] == "000" and a.gss_code[6] in "89", a.gss_code
        assert 500 <= int(a.dfe_code) <= 799
        assert a.region is not None and a.region.is_demo
    assert len({a.name for a in authorities}) == len(authorities)


@pytest.mark.django_db
def test_every_authority_has_ten_neighbours_other_than_itself(loaded):
    for authority in Authority.objects.filter(is_demo=True):
        rows = list(authority.neighbours.all())
        assert [n.rank for n in rows] == list(range(1, 11))
        assert {n.model_year for n in rows} == {2025}
        assert authority.pk not in {n.neighbour_id for n in rows}
        assert len({n.neighbour_id for n in rows}) == 10
        assert {n.closeness for n in rows} <= {"Close", "Somewhat close", "Not close"}


def graded_history(authority: Authority) -> list[str]:
    return list(
        authority.inspections.graded()
        .order_by("start_date")
        .values_list("overall_grade", flat=True)
    )


@pytest.mark.django_db
def test_inspection_stories(loaded):
    authorities = list(Authority.objects.filter(is_demo=True))
    histories = {a: graded_history(a) for a in authorities}
    recovered = [
        a
        for a, grades in histories.items()
        if Grade.INADEQUATE in grades
        and any(
            GRADE_ORDER[Grade(g)] < GRADE_ORDER[Grade.INADEQUATE]
            for g in grades[grades.index(Grade.INADEQUATE) + 1 :]
        )
    ]
    assert recovered, "at least one authority falls to Inadequate and later improves"
    assert any(
        grades and set(grades) <= {Grade.GOOD, Grade.OUTSTANDING} for grades in histories.values()
    ), "at least one authority stays Good or better"

    for authority in recovered:
        fall = (
            authority.inspections.filter(overall_grade=Grade.INADEQUATE)
            .order_by("start_date")
            .first()
        )
        events = authority.events.filter(is_demo=True)
        assert set(events.values_list("category", flat=True)) >= {
            EventCategory.INTERVENTION,
            EventCategory.GOVERNANCE,
            EventCategory.LEADERSHIP,
        }
        assert all(e.date > fall.published_date for e in events)
        assert all(e.document == SIMULATED for e in events)
        assert authority.inspections.filter(
            kind=InspectionKind.MONITORING_VISIT, start_date__gt=fall.published_date
        ).exists()
        milestones = authority.milestones.filter(is_demo=True)
        assert set(milestones.values_list("indicator__code", flat=True)) >= {
            "avg_caseload",
            "agency_sw_pct",
        }
        caseload = milestones.filter(indicator__code="avg_caseload").order_by("due_date")
        interim, final = caseload
        assert interim.due_date < TODAY < final.due_date
        assert all(m.tolerance > 0 and m.note for m in milestones)
        # The plan starts from the caseload the board met: the targets lower it, or hold it,
        # by steps a board could reach, never to a level far from the actual figures.
        actual = (  # the earliest month loaded, about when the board agreed its plan
            Observation.objects.filter(
                area_code=authority.gss_code,
                indicator__code="avg_caseload",
                period_kind=PeriodKind.MONTH,
            )
            .order_by("period_start")
            .values_list("value", flat=True)
            .first()
        )
        assert final.value <= interim.value <= actual + 3
        assert actual - final.value <= 0.7 * max(actual - 17, 0) + 3


@pytest.mark.django_db
def test_inspections_look_like_ofsted_history(loaded):
    inspections = Inspection.objects.filter(is_demo=True)
    for inspection in inspections:
        assert inspection.source == SIMULATED
        assert inspection.start_date.year >= 2014
        assert inspection.end_date >= inspection.start_date
        lag = (inspection.published_date - inspection.end_date).days
        assert 42 <= lag <= 56
        assert inspection.published_date <= TODAY
        graded = inspection.kind == InspectionKind.FULL
        assert bool(inspection.overall_grade) == graded
        if inspection.framework == Framework.SIF:
            assert inspection.start_date < datetime.date(2018, 1, 1)
        if graded and inspection.framework == Framework.ILACS:
            assert set(inspection.sub_judgements) == {
                "Impact of leaders",
                "Help and protection",
                "Children in care",
                "Care leavers",
            }
            assert (
                inspection.sub_judgements["Impact of leaders"]
                == Grade(inspection.overall_grade).label
            )
        if not graded:
            assert inspection.sub_judgements == {}
    kinds = set(inspections.values_list("framework", "kind"))
    assert (Framework.SIF, InspectionKind.FULL) in kinds
    assert (Framework.ILACS, InspectionKind.FULL) in kinds
    assert (Framework.ILACS, InspectionKind.FOCUSED_VISIT) in kinds
    assert {k for _, k in kinds} >= {InspectionKind.MONITORING_VISIT}


@pytest.mark.django_db
def test_figures_follow_the_judgements(loaded):
    """Timeliness is worse and agency use and caseloads higher while an authority is Inadequate."""
    history = defaultdict(list)
    for gss, published, grade in Inspection.objects.graded().values_list(
        "authority__gss_code", "published_date", "overall_grade"
    ):
        history[gss].append((published, grade))

    def grade_at(gss: str, day: datetime.date) -> str | None:
        judged = [g for published, g in sorted(history[gss]) if published <= day]
        return judged[-1] if judged else None

    for code, worse_when_inadequate in (
        ("assessments_45wd_pct", "lower"),
        ("agency_sw_pct", "higher"),
        ("avg_caseload", "higher"),
    ):
        by_grade = defaultdict(list)
        for gss, end, value in Observation.objects.filter(
            indicator__code=code, area_level=AreaLevel.AUTHORITY, value__isnull=False
        ).values_list("area_code", "period_end", "value"):
            grade = grade_at(gss, end)
            if grade in (Grade.INADEQUATE, Grade.GOOD, Grade.OUTSTANDING):
                by_grade[grade == Grade.INADEQUATE].append(value)
        inadequate = sum(by_grade[True]) / len(by_grade[True])
        good = sum(by_grade[False]) / len(by_grade[False])
        if worse_when_inadequate == "lower":
            assert inadequate < good - 5, code
        else:
            assert inadequate > good + 3, code


@pytest.mark.django_db
def test_england_and_regional_figures_are_made_from_the_authorities(loaded):
    regions = list(Region.objects.filter(is_demo=True).values_list("code", flat=True))
    authority_rows = Observation.objects.filter(area_level=AreaLevel.AUTHORITY)
    for level, codes in ((AreaLevel.NATIONAL, [ENGLAND_CODE]), (AreaLevel.REGIONAL, regions)):
        rows = Observation.objects.filter(area_level=level, source=Source.DEMO)
        assert set(rows.values_list("area_code", flat=True)) == set(codes)
        for code in CATALOGUE:
            wanted = set(
                authority_rows.filter(indicator__code=code).values_list("period_kind", "period_end")
            )
            for area in codes:
                have = set(
                    rows.filter(indicator__code=code, area_code=area).values_list(
                        "period_kind", "period_end"
                    )
                )
                assert have == wanted, (level, area, code)

    september = {"period_kind": PeriodKind.MONTH, "period_start": datetime.date(2026, 9, 1)}
    cla = authority_rows.filter(indicator__code="cla", **september)
    england = Observation.objects.get(indicator__code="cla", area_code=ENGLAND_CODE, **september)
    assert england.value == sum(cla.values_list("value", flat=True))
    visits = authority_rows.filter(indicator__code="cla_visits_in_time_pct", **september)
    england = Observation.objects.get(
        indicator__code="cla_visits_in_time_pct", area_code=ENGLAND_CODE, **september
    )
    assert england.numerator == sum(visits.values_list("numerator", flat=True))
    assert england.denominator == sum(visits.values_list("denominator", flat=True))
    assert england.value == pytest.approx(100 * england.numerator / england.denominator)
    region = Region.objects.filter(is_demo=True).first()
    members = Authority.objects.filter(region=region).values_list("gss_code", flat=True)
    regional = Observation.objects.get(indicator__code="cla", area_code=region.code, **september)
    assert regional.value == sum(cla.filter(area_code__in=members).values_list("value", flat=True))


@pytest.mark.django_db
def test_re_running_replaces_rather_than_duplicates():
    load_demo(seed=7, **SMALL)
    counts = (
        Region.objects.count(),
        Authority.objects.count(),
        Observation.objects.count(),
        Inspection.objects.count(),
        MonthlyReturn.objects.count(),
        StatisticalNeighbour.objects.count(),
    )
    ids = set(Authority.objects.values_list("pk", flat=True))
    load_demo(seed=7, **SMALL)
    assert (
        Region.objects.count(),
        Authority.objects.count(),
        Observation.objects.count(),
        Inspection.objects.count(),
        MonthlyReturn.objects.count(),
        StatisticalNeighbour.objects.count(),
    ) == counts
    assert set(Authority.objects.values_list("pk", flat=True)) == ids  # rows reused

    load_demo(seed=9, authorities=11, months=2, today=TODAY)
    assert Authority.objects.filter(is_demo=True).count() == 11
    assert MonthlyReturn.objects.count() == 1  # one sender, two months, the latest left open
    assert set(Observation.objects.values_list("release", flat=True)) == {"load_demo seed 9"}
    gone = Authority.objects.filter(is_demo=True).values_list("gss_code", flat=True)
    assert not StatisticalNeighbour.objects.exclude(authority__gss_code__in=gone).exists()


@pytest.mark.django_db
def test_official_data_is_untouched():
    region = RegionFactory(code="E12000003", name="Yorkshire and The Humber")
    # Codes inside the demo ranges: the generator must step around them.
    wakefield = AuthorityFactory(
        gss_code="E08000036", dfe_code="384", name="Wakefield", region=region
    )
    squatter = AuthorityFactory(gss_code="E06000901", dfe_code="500", name="Test", region=region)
    NeighbourFactory(authority=wakefield, neighbour=squatter, rank=1)
    official = ObservationFactory(area_code=wakefield.gss_code, value=17.2)
    ObservationFactory(area_code=ENGLAND_CODE, area_level=AreaLevel.NATIONAL, value=18.0)
    inspection = InspectionFactory(authority=wakefield, overall_grade=Grade.INADEQUATE)
    event = EventFactory(authority=wakefield)
    milestone = MilestoneFactory(authority=wakefield)
    monthly = MonthlyReturnFactory(authority=wakefield, month=datetime.date(2026, 9, 1))

    def official_state():
        return (
            list(Region.objects.filter(is_demo=False).values()),
            list(Authority.objects.filter(is_demo=False).values()),
            list(StatisticalNeighbour.objects.filter(authority__is_demo=False).values()),
            list(Observation.objects.exclude(source=Source.DEMO).values()),
            list(Inspection.objects.filter(is_demo=False).values()),
            list(Event.objects.filter(is_demo=False).values()),
            list(Milestone.objects.filter(is_demo=False).values()),
            list(MonthlyReturn.objects.filter(is_demo=False).values()),
        )

    before = official_state()
    load_demo(seed=7, **SMALL)
    load_demo(seed=8, **SMALL)
    assert official_state() == before
    official.refresh_from_db()
    inspection.refresh_from_db()
    event.refresh_from_db()
    milestone.refresh_from_db()
    monthly.refresh_from_db()
    assert official.value == 17.2 and official.source == Source.OFFICIAL
    demo_codes = set(Authority.objects.filter(is_demo=True).values_list("gss_code", flat=True))
    demo_dfe = set(Authority.objects.filter(is_demo=True).values_list("dfe_code", flat=True))
    assert "E06000901" not in demo_codes and "500" not in demo_dfe


@pytest.mark.django_db
def test_rows_people_made_on_a_demo_authority_survive_a_re_run():
    load_demo(seed=7, **SMALL)
    authority = Authority.objects.filter(is_demo=True).first()
    month = datetime.date(2026, 9, 1)
    MonthlyReturn.objects.filter(authority=authority, month=month).delete()
    entered = MonthlyReturnFactory(authority=authority, month=month)
    target = MilestoneFactory(authority=authority, indicator=indicator("cla"))
    load_demo(seed=7, **SMALL)
    assert MonthlyReturn.objects.filter(pk=entered.pk, is_demo=False).exists()
    assert Milestone.objects.filter(pk=target.pk).exists()
    assert MonthlyReturn.objects.filter(authority=authority).count() == 14


@pytest.mark.django_db
def test_the_catalogue_is_loaded():
    assert Indicator.objects.count() == len(CATALOGUE)


@pytest.mark.django_db
def test_command_prints_a_summary():
    out = io.StringIO()
    call_command("load_demo", "--authorities", "11", "--months", "2", "--seed", "5", stdout=out)
    text = out.getvalue()
    assert "11 authorities" in text
    assert "observations" in text and "inspections" in text and "milestones" in text
    assert "simulated" in text
    assert Authority.objects.filter(is_demo=True).count() == 11


@pytest.mark.django_db
def test_command_refuses_too_few_authorities():
    with pytest.raises(CommandError, match="between 11"):
        call_command("load_demo", "--authorities", "5", stdout=io.StringIO())
    assert not Authority.objects.exists()


@pytest.mark.django_db
def test_the_demo_users_authority_has_its_approved_figures_on_its_returns(loaded):
    from indicators.demo.returns import fill_demo_return_values
    from indicators.returns.models import ReturnValue

    # The one that sends its returns: the demo users' authority.
    authority = Authority.objects.get(pk__in=MonthlyReturn.objects.values("authority"))
    filled = fill_demo_return_values(authority)
    approved = MonthlyReturn.objects.filter(authority=authority, status=ReturnStatus.APPROVED)
    assert filled == approved.count() * Indicator.objects.in_monthly_return().count()
    value = ReturnValue.objects.filter(monthly_return__in=approved).first()
    # The figure is published as the return's, as approving it in the app would have done.
    observed = Observation.objects.get(
        area_code=authority.gss_code,
        indicator=value.indicator,
        period_kind="month",
        period_start=value.monthly_return.month,
    )
    assert observed.source == Source.MONTHLY_RETURN
    assert observed.release == f"Monthly return {authority.name} {value.monthly_return.month:%Y-%m}"
    assert "simulated return" in observed.section
    assert (value.value, value.numerator, value.denominator) == (
        observed.value,
        observed.numerator,
        observed.denominator,
    )
    monthly = Observation.objects.filter(
        area_code=authority.gss_code, period_kind="month", indicator__in_monthly_return=True
    )
    # One monthly series, and nothing for the month whose return is still to be entered.
    assert not monthly.filter(source=Source.DEMO).exists()
    assert set(monthly.values_list("period_start", flat=True)) == set(
        approved.values_list("month", flat=True)
    )
    assert fill_demo_return_values(authority) == filled  # again: replaced, not duplicated
    assert monthly.count() == filled


@pytest.mark.django_db
def test_reloading_the_demo_removes_figures_published_from_demo_returns(loaded):
    from indicators.demo.returns import fill_demo_return_values

    authority = Authority.objects.filter(is_demo=True).order_by("name").first()
    fill_demo_return_values(authority)
    load_demo(seed=7, **SMALL)
    assert not Observation.objects.filter(
        area_code=authority.gss_code, source=Source.MONTHLY_RETURN
    ).exists()
