"""Pages for comparing councils: the comparison chart, the league table, the recovery summary
and an authority's neighbours as small multiples.

Views stay thin: they read the query string through a GET form (all of each page's state lives
there, so every URL is a permalink), call the selectors and chart builders, and render the page
or, for htmx, its region.
"""

from __future__ import annotations

import csv
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from authorities.toolkit.csv_safety import safe_row
from authorities.toolkit.htmx import HtmxHttpRequest, render_page, vary_on_htmx, wants_region
from indicators.models import Indicator

from .. import presenters, selectors
from ..charts import compare as charts
from ..charts import tables
from ..formatting import lower_first
from . import presenters as league_presenters
from .forms import (
    CompareForm,
    CompareState,
    GridForm,
    LeagueForm,
    LeagueState,
    RecoveryForm,
    pick_indicator,
)
from .inputs import Alignment
from .league import League, league_authorities
from .league import league as league_table
from .recovery import FrameworkSummary
from .recovery import recovery as recovery_summary
from .selection import MAX_AUTHORITIES, Selection, choice_lists, select_authorities
from .selectors import CompareData, compare_series

# The chart's settings redraw the chart; the "add" boxes beside them were not submitted then.
SETTING_CONTROLS = frozenset({"compare-indicator", "compare-align", "compare-focus"})


def _indicators() -> list[Indicator]:
    return list(Indicator.objects.all())


def _csv_response(filename: str, header: list[str], rows: list[list[str]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(safe_row(header))
    writer.writerows(safe_row(row) for row in rows)
    return response


# --- compare ----------------------------------------------------------------------------------


def _compare_url(state: CompareState) -> str:
    query = state.query()
    return reverse("reports:compare") + (f"?{query}" if query else "")


def _comparison_table(data: CompareData, indicator: Indicator, alignment: Alignment) -> Any:
    """The chart's data table: by date, or by years since each authority's anchor."""
    if alignment.aligned:
        frame = tables.aligned_table(data.points, indicator.label)
        return presenters.aligned_cells(frame, data.points, indicator)
    return presenters.trajectory_table(tables.compare_table(data.points), data.points, indicator)


def _comparison(selection: Selection, indicator: Indicator, state: CompareState) -> dict[str, Any]:
    """The comparison chart, its text alternative and its data table, for the template."""
    alignment = Alignment.parse(state.align)
    data = compare_series(
        selection.authorities, indicator, focus_code=state.focus, alignment=alignment
    )
    count = len(data.authorities)
    figure = charts.compare_figure(
        data.points,
        title=f"{indicator.name}: {count} authorit{'y' if count == 1 else 'ies'} compared",
        unit=indicator.unit,
        decimals=indicator.decimals,
        axis_title=alignment.axis_title,
    )
    return {
        "data": data,
        "figure": figure.to_json(),
        "alt_text": charts.describe_compare(
            data.points,
            indicator_name=indicator.name,
            unit=indicator.unit,
            decimals=indicator.decimals,
            anchor_words=alignment.anchor_words,
        ),
        "table": _comparison_table(data, indicator, alignment),
        "table_caption": indicator.name
        + (f", by years since the {alignment.anchor_words}" if alignment.aligned else ""),
        "anchored": [
            (authority, data.anchors[authority.gss_code])
            for authority in data.authorities
            if authority.gss_code in data.anchors
        ],
        "shows_demo_data": data.shows_demo_data or any(a.is_demo for a in selection.authorities),
    }


def _compare_context(form: CompareForm, state: CompareState, *, keep_text: bool) -> dict[str, Any]:
    indicators = _indicators()
    indicator = pick_indicator(indicators, state.indicator)
    selection = select_authorities(state.authorities, state.groups)
    choices = choice_lists()
    form.show_comparison(
        indicators=indicators,
        indicator=indicator,
        choices=choices,
        selection=selection,
        keep_text=keep_text,
    )
    names = dict(choices.authorities)
    context: dict[str, Any] = {
        "form": form,
        "state": state,
        "indicator": indicator,
        "selection": selection,
        "chosen": [(code, names.get(code, "")) for code in state.authorities],
        "alignment": Alignment.parse(state.align),
        "choices": choices,
        "max_authorities": MAX_AUTHORITIES,
        "data": None,
        "shows_demo_data": any(a.is_demo for a in selection.authorities),
    }
    if indicator is not None and selection.authorities:
        context.update(_comparison(selection, indicator, state))
    return context


@require_GET
def compare(request: HtmxHttpRequest) -> HttpResponse:
    """Authorities side by side on one chart and in one table, on calendar time or aligned."""
    changing_setting = wants_region(request) and request.htmx.trigger in SETTING_CONTROLS
    form = CompareForm(request.GET, act=not changing_setting)
    state = form.settle()
    if form.acted and not form.errors and not wants_region(request):
        return vary_on_htmx(redirect(_compare_url(state)))
    context = _compare_context(form, state, keep_text=bool(form.errors) or changing_setting)
    context.update(
        {
            "permalink": request.build_absolute_uri(_compare_url(state)),
            "csv_query": state.query(),
            "swapped": wants_region(request),
        }
    )
    push = _compare_url(state) if form.acted else None
    return render_page(request, "reports/compare.html", context, region="compare", push=push)


@require_GET
def compare_csv(request: HttpRequest) -> HttpResponse:
    """Exactly the comparison's data table, as CSV."""
    state = CompareForm(request.GET, act=False).settle()
    indicator = pick_indicator(_indicators(), state.indicator)
    selection = select_authorities(state.authorities, state.groups)
    alignment = Alignment.parse(state.align)
    if indicator is None:
        return _csv_response("compare.csv", ["Period", "Period end"], [])
    data = compare_series(
        selection.authorities, indicator, focus_code=state.focus, alignment=alignment
    )
    filename = f"compare-{indicator.code}.csv"
    if alignment.aligned:
        frame = tables.aligned_table(data.points, indicator.label)
        return _csv_response(
            filename, [str(c) for c in frame.columns], tables.aligned_csv_rows(frame)
        )
    frame = tables.compare_table(data.points)
    return _csv_response(filename, [str(c) for c in frame.columns], presenters.csv_rows(frame))


# --- league -----------------------------------------------------------------------------------


def _league(state: LeagueState, indicators: list[Indicator]) -> League | None:
    indicator = pick_indicator(indicators, state.indicator)
    if indicator is None:
        return None
    return league_table(
        indicator,
        period_label=state.period,
        source=state.source,
        region=state.region,
        kind=state.kind,
        grade=state.grade,
        highlight=state.highlight,
        sort=state.sort,
        order=state.order,
    )


@require_GET
def league(request: HtmxHttpRequest) -> HttpResponse:
    """Every authority's figure for one indicator and period, with band, rank, change and latest
    judgement; sortable and filterable through the query string."""
    form = LeagueForm(request.GET)
    state = form.settle()
    indicators = _indicators()
    table = _league(state, indicators)
    form.show_league(
        state,
        indicators=indicators,
        indicator=table.indicator if table else None,
        league=table,
        regions=selectors.regions(),
        highlight_choices=league_authorities(table) if table else [],
    )
    context: dict[str, Any] = {
        "form": form,
        "state": state,
        "indicator": table.indicator if table else None,
        "league": table,
        "lines": league_presenters.league_lines(table) if table else [],
        "sort_links": league_presenters.sort_links(state, table) if table else [],
        "csv_query": state.query(),
        "filtered": bool(state.region or state.kind or state.grade),
        "shows_demo_data": bool(table and table.shows_demo_data),
    }
    region = "table" if request.htmx.target == "league-table" else "league"
    return render_page(request, "reports/league.html", context, region=region)


@require_GET
def league_csv(request: HttpRequest) -> HttpResponse:
    """The league table as CSV: the rows the page shows, in its order."""
    table = _league(LeagueForm(request.GET).settle(), _indicators())
    if table is None:
        return _csv_response("league.csv", ["Authority"], [])
    header, rows = league_presenters.league_csv(table)
    period = table.period.label.replace(" ", "-") if table.period else "none"
    return _csv_response(f"league-{table.indicator.code}-{period}.csv", header, rows)


# --- recovery ---------------------------------------------------------------------------------


def _compare_link(framework: FrameworkSummary) -> str:
    """The comparison of a framework's authorities, lined up on their first Inadequate judgement."""
    codes = framework.authority_codes[:MAX_AUTHORITIES]
    return _compare_url(CompareState(authorities=codes, align="grade:inadequate"))


@require_GET
def recovery(request: HtmxHttpRequest) -> HttpResponse:
    """How long authorities took to move on from an Inadequate judgement, by framework."""
    form = RecoveryForm(request.GET)
    summary = recovery_summary(form.settle())
    form.show_sources(summary.sources, summary.source)
    context = {
        "form": form,
        "summary": summary,
        "frameworks": [(f, _compare_link(f)) for f in summary.frameworks],
        "max_authorities": MAX_AUTHORITIES,
        "shows_demo_data": summary.shows_demo_data,
    }
    return render_page(request, "reports/recovery.html", context, region="summary")


# --- small multiples --------------------------------------------------------------------------


def _grid(authority: Any, selection: Selection, indicator: Indicator, group: str) -> dict[str, Any]:
    """The small multiples, their text alternative, data table and links, for the template."""
    data = compare_series(selection.authorities, indicator, focus_code=authority.gss_code)
    figure = charts.neighbours_figure(
        data.points,
        title=f"{indicator.name}: {authority.name} and its statistical neighbours",
        unit=indicator.unit,
        decimals=indicator.decimals,
    )
    compare_state = CompareState(groups=[group], indicator=indicator.code)
    with_england = data.points["role"].eq("england").any()
    lead = (
        f"{len(data.authorities)} small line charts of {lower_first(indicator.name)}, "
        f"one for {authority.name} and one for each of its statistical neighbours with "
        f"figures, on the same axes"
        + (", each with England for reference." if with_england else ".")
    )
    return {
        "data": data,
        "figure": figure.to_json(),
        "alt_text": charts.describe_compare(
            data.points,
            indicator_name=indicator.name,
            unit=indicator.unit,
            decimals=indicator.decimals,
            lead=lead,
        ),
        "table": presenters.trajectory_table(
            tables.compare_table(data.points), data.points, indicator
        ),
        "table_caption": f"{indicator.name}, {authority.name} and its statistical neighbours",
        "csv_query": compare_state.query(),
        "compare_query": compare_state.query(focus=authority.gss_code),
        "shows_demo_data": authority.is_demo
        or any(a.is_demo for a in selection.authorities)
        or data.shows_demo_data,
    }


@require_GET
def neighbours_grid(request: HtmxHttpRequest, gss_code: str) -> HttpResponse:
    """An authority and its statistical neighbours as a grid of small charts on shared axes."""
    authority = selectors.get_authority(gss_code)
    available = selectors.indicators_with_data(authority)
    form = GridForm(request.GET, indicators=available)
    indicator = form.settle()
    group = f"neighbours:{authority.gss_code}"
    selection = select_authorities([], [group], limit=MAX_AUTHORITIES)
    context: dict[str, Any] = {
        "authority": authority,
        "form": form,
        "indicators": available,
        "indicator": indicator,
        "selection": selection,
        "neighbour_count": max(len(selection.authorities) - 1, 0),
        "data": None,
        "shows_demo_data": authority.is_demo or any(a.is_demo for a in selection.authorities),
    }
    if indicator is not None and len(selection.authorities) > 1:
        context.update(_grid(authority, selection, indicator, group))
    return render_page(request, "reports/neighbours_grid.html", context, region="grid")
