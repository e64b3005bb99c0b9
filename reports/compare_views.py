"""Pages for comparing councils: the comparison chart, the league table, the recovery summary
and an authority's neighbours as small multiples.

Views stay thin: they read the query string (all of each page's state lives there, so every URL
is a permalink), call selectors in ``reports.comparisons`` and chart builders in
``reports.compare_charts``, and render a template or, for htmx, the template's partial.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from authorities.models import AuthorityKind, Grade
from authorities.toolkit.csv_safety import safe_row
from authorities.toolkit.gss import is_gss_code
from indicators.models import Indicator, Source

from . import compare_charts, comparisons, presenters, selectors
from .formatting import lower_first
from .selectors import SOURCE_WORDS

DEFAULT_INDICATOR = "agency_sw_pct"
MAX_CODES = 60  # more authorities than this in one URL is not a comparison anyone can read
ACTIONS = ("add", "add_group", "choose", "remove")
# The chart settings redraw the chart as they change. The form they belong to also carries the
# "add" boxes, which were not submitted then: a failed name left there must not fail again.
SETTING_CONTROLS = frozenset({"compare-indicator", "compare-align", "compare-focus"})


def _htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]


def _template(request: HttpRequest, page: str, partial: str) -> str:
    """The whole page, or just the region htmx asked for. A history restore gets the page."""
    return f"{page}#{partial}" if _htmx(request) else page


def _indicators() -> list[Indicator]:
    return list(Indicator.objects.all())


def _pick_indicator(indicators: list[Indicator], code: str) -> Indicator | None:
    by_code = {indicator.code: indicator for indicator in indicators}
    return by_code.get(code) or by_code.get(DEFAULT_INDICATOR) or next(iter(indicators), None)


def _figure_json(figure: Any) -> dict:
    return json.loads(figure.to_json())


def _csv_response(filename: str, header: list[str], rows: list[list[str]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(safe_row(header))
    writer.writerows(safe_row(row) for row in rows)
    return response


# --- compare ----------------------------------------------------------------------------------


@dataclass
class CompareState:
    """Everything the comparison shows. It lives in the query string: the URL is a permalink."""

    authorities: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    indicator: str = ""
    focus: str = ""
    align: str = "none"

    @classmethod
    def from_query(cls, query: QueryDict) -> CompareState:
        codes = [c.strip().upper() for c in query.getlist("authority") if c.strip()]
        groups = []
        for text in query.getlist("group"):
            parsed = comparisons.parse_group(text)
            groups.append(f"{parsed[0]}:{parsed[1]}" if parsed else text.strip()[:40])
        return cls(
            authorities=list(dict.fromkeys(c[:12] for c in codes))[:MAX_CODES],
            groups=list(dict.fromkeys(g for g in groups if g))[:MAX_CODES],
            indicator=query.get("indicator", "").strip()[:80],
            focus=query.get("focus", "").strip().upper()[:12],
            align=comparisons.Alignment.parse(query.get("align")).key,
        )

    def query(self, **changes: Any) -> str:
        state = replace(self, **changes) if changes else self
        pairs = [("authority", code) for code in state.authorities]
        pairs += [("group", group) for group in state.groups]
        if state.indicator:
            pairs.append(("indicator", state.indicator))
        if state.focus:
            pairs.append(("focus", state.focus))
        if state.align != "none":
            pairs.append(("align", state.align))
        return urlencode(pairs, safe=":")

    def without(self, item: str) -> str:
        """The query string with one authority (``authority:CODE``) or group removed."""
        kind, _, value = item.partition(":")
        if kind == "authority":
            focus = "" if self.focus == value else self.focus
            return self.query(authorities=[c for c in self.authorities if c != value], focus=focus)
        return self.query(groups=[g for g in self.groups if g != value])


@dataclass
class Problem:
    """A message for the error summary, linked to the control it is about."""

    text: str
    href: str = "#compare-add"


def _apply_actions(
    state: CompareState, query: QueryDict
) -> tuple[CompareState, list[Problem], list[tuple[str, str]]]:
    """Add and remove authorities and groups as the form asked. Returns the new state, problems
    to show, and the authorities a person may have meant when a name matched more than one.

    A "Remove" or "Add <name>" button sends the whole form, the "add" boxes too: their text was
    not what the person asked for then (after "Add <name>" it is the name that matched several),
    so it is only read when neither button was pressed."""
    problems: list[Problem] = []
    choices: list[tuple[str, str]] = []
    authorities = list(state.authorities)
    groups = list(state.groups)
    focus = state.focus
    for item in query.getlist("remove"):
        kind, _, value = item.partition(":")
        if kind == "authority":
            authorities = [c for c in authorities if c != value]
            focus = "" if focus == value else focus
        elif kind == "group":
            groups = [g for g in groups if g != value]
    for code in query.getlist("choose"):
        code = code.strip().upper()
        if is_gss_code(code) and code not in authorities:
            authorities.append(code)
    pressed = "remove" in query or "choose" in query
    text = "" if pressed else query.get("add", "").strip()[:100]
    if text:
        matches = comparisons.match_authorities(text)
        if len(matches) == 1:
            if matches[0].gss_code not in authorities:
                authorities.append(matches[0].gss_code)
        elif matches:
            problems.append(Problem(f"More than one authority matches “{text}”: choose one"))
            choices = [(a.gss_code, a.name) for a in matches]
        else:
            problems.append(
                Problem(
                    f"No authority matches “{text}”: enter part of a name, a GSS code or a "
                    "3-digit DfE code"
                )
            )
    group = "" if pressed else query.get("add_group", "").strip()
    if group:
        parsed = comparisons.parse_group(group)
        if parsed is None:
            problems.append(Problem("Choose a group from the list", "#compare-group"))
        elif f"{parsed[0]}:{parsed[1]}" not in groups:
            groups.append(f"{parsed[0]}:{parsed[1]}")
    new_state = replace(state, authorities=authorities[:MAX_CODES], groups=groups, focus=focus)
    return new_state, problems, choices


def _compare_context(state: CompareState) -> dict[str, Any]:
    indicators = _indicators()
    indicator = _pick_indicator(indicators, state.indicator)
    selection = comparisons.select_authorities(state.authorities, state.groups)
    alignment = comparisons.Alignment.parse(state.align)
    choices = comparisons.choice_lists()
    names = dict(choices.authorities)
    context: dict[str, Any] = {
        "state": state,
        "indicators": indicators,
        "indicator": indicator,
        "selection": selection,
        "chosen": [(code, names.get(code, "")) for code in state.authorities],
        "alignment": alignment,
        "alignment_choices": comparisons.alignment_choices(),
        "choices": choices,
        "max_authorities": comparisons.MAX_AUTHORITIES,
        "data": None,
    }
    if indicator is None or not selection.authorities:
        context["shows_demo_data"] = any(a.is_demo for a in selection.authorities)
        return context
    data = comparisons.compare_series(
        selection.authorities, indicator, focus_code=state.focus, alignment=alignment
    )
    count = len(data.authorities)
    title = f"{indicator.name}: {count} authorit{'y' if count == 1 else 'ies'} compared"
    figure = compare_charts.compare_figure(
        data.points,
        title=title,
        unit=indicator.unit,
        decimals=indicator.decimals,
        axis_title=alignment.axis_title,
    )
    if alignment.aligned:
        frame = compare_charts.aligned_table(data.points, indicator.label)
        table = compare_charts.aligned_cells(
            frame, data.points, unit=indicator.unit, decimals=indicator.decimals
        )
    else:
        frame = compare_charts.compare_table(data.points)
        table = presenters.trajectory_table(frame, data.points, indicator)
    context.update(
        {
            "data": data,
            "figure": _figure_json(figure),
            "alt_text": compare_charts.describe_compare(
                data.points,
                indicator_name=indicator.name,
                unit=indicator.unit,
                decimals=indicator.decimals,
                anchor_words=alignment.anchor_words,
            ),
            "table": table,
            "anchored": [
                (authority, data.anchors[authority.gss_code])
                for authority in data.authorities
                if authority.gss_code in data.anchors
            ],
            "shows_demo_data": data.shows_demo_data
            or any(a.is_demo for a in selection.authorities),
        }
    )
    return context


def _compare_url(state: CompareState) -> str:
    query = state.query()
    return reverse("reports:compare") + (f"?{query}" if query else "")


@require_GET
@vary_on_headers("HX-Request")
def compare(request: HttpRequest) -> HttpResponse:
    """Authorities side by side on one chart and in one table, on calendar time or aligned."""
    state = CompareState.from_query(request.GET)
    problems: list[Problem] = []
    choices: list[tuple[str, str]] = []
    changing_setting = _htmx(request) and request.htmx.trigger in SETTING_CONTROLS  # type: ignore[attr-defined]
    acted = not changing_setting and any(key in request.GET for key in ACTIONS)
    if acted:
        state, problems, choices = _apply_actions(state, request.GET)
        if not problems and not _htmx(request):
            return redirect(_compare_url(state))
    context = _compare_context(state)
    context.update(
        {
            "problems": problems,
            "matches": choices,
            # What was typed stays in the box while it is wrong or not yet submitted.
            "add_text": request.GET.get("add", "").strip()[:100]
            if problems or changing_setting
            else "",
            "add_error": next((p.text for p in problems if p.href == "#compare-add"), ""),
            "group_error": next((p.text for p in problems if p.href == "#compare-group"), ""),
            "permalink": request.build_absolute_uri(_compare_url(state)),
            "csv_query": state.query(),
            "swapped": _htmx(request),
        }
    )
    response = render(request, _template(request, "reports/compare.html", "compare"), context)
    if acted and _htmx(request):
        response["HX-Push-Url"] = _compare_url(state)
    return response


@require_GET
def compare_csv(request: HttpRequest) -> HttpResponse:
    """Exactly the comparison's data table, as CSV."""
    state = CompareState.from_query(request.GET)
    indicator = _pick_indicator(_indicators(), state.indicator)
    selection = comparisons.select_authorities(state.authorities, state.groups)
    alignment = comparisons.Alignment.parse(state.align)
    if indicator is None:
        return _csv_response("compare.csv", ["Period", "Period end"], [])
    data = comparisons.compare_series(
        selection.authorities, indicator, focus_code=state.focus, alignment=alignment
    )
    filename = f"compare-{indicator.code}.csv"
    if alignment.aligned:
        frame = compare_charts.aligned_table(data.points, indicator.label)
        return _csv_response(
            filename, [str(c) for c in frame.columns], compare_charts.aligned_csv_rows(frame)
        )
    frame = compare_charts.compare_table(data.points)
    return _csv_response(filename, [str(c) for c in frame.columns], presenters.csv_rows(frame))


# --- league -----------------------------------------------------------------------------------


@dataclass
class LeagueState:
    indicator: str = ""
    period: str = ""
    source: str = ""
    region: str = ""
    kind: str = ""
    grade: str = ""
    highlight: str = ""
    sort: str = ""
    order: str = ""

    @classmethod
    def from_query(cls, query: QueryDict) -> LeagueState:
        def text(name: str, length: int = 40) -> str:
            return query.get(name, "").strip()[:length]

        return cls(
            indicator=text("indicator", 80),
            period=text("period"),
            source=text("source") if text("source") in Source.values else "",
            region=text("region").upper(),
            kind=text("kind") if text("kind") in AuthorityKind.values else "",
            grade=text("grade") if text("grade") in Grade.values else "",
            highlight=text("highlight").upper(),
            sort=text("sort") if text("sort") in comparisons.SORTS else "",
            order=text("order") if text("order") in (comparisons.ASC, comparisons.DESC) else "",
        )

    def query(self, **changes: Any) -> str:
        state = replace(self, **changes) if changes else self
        values = {
            "indicator": state.indicator,
            "period": state.period,
            "source": state.source,
            "region": state.region,
            "kind": state.kind,
            "grade": state.grade,
            "highlight": state.highlight,
            "sort": state.sort,
            "order": state.order,
        }
        return urlencode({key: value for key, value in values.items() if value})


@dataclass
class SortLink:
    key: str
    heading: str
    query: str
    aria_sort: str  # ascending, descending or "" (not sorted by this column)
    numeric: bool


def _sort_links(state: LeagueState, league: comparisons.League) -> list[SortLink]:
    headings = compare_charts.league_headings(league)
    links = []
    for key in ("name", "region", "value", "band", "rank", "change", "grade"):
        sortable = key in comparisons.SORTS
        current = sortable and league.sort == key
        order = comparisons.DESC if current and league.order == comparisons.ASC else "asc"
        aria = ""
        if current:
            aria = "ascending" if league.order == comparisons.ASC else "descending"
        links.append(
            SortLink(
                key=key,
                heading=headings[key],
                query=state.query(sort=key, order=order) if sortable else "",
                aria_sort=aria,
                numeric=key in ("value", "rank", "change"),
            )
        )
    return links


def _league(state: LeagueState) -> tuple[Indicator | None, comparisons.League | None]:
    indicator = _pick_indicator(_indicators(), state.indicator)
    if indicator is None:
        return None, None
    return indicator, comparisons.league(
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
@vary_on_headers("HX-Request")
def league(request: HttpRequest) -> HttpResponse:
    """Every authority's figure for one indicator and period, with band, rank, change and latest
    judgement; sortable and filterable through the query string."""
    state = LeagueState.from_query(request.GET)
    indicators = _indicators()
    indicator, table = _league(state)
    context: dict[str, Any] = {
        "state": state,
        "indicators": indicators,
        "indicator": indicator,
        "league": table,
        "lines": compare_charts.league_lines(table) if table else [],
        "sort_links": _sort_links(state, table) if table else [],
        "regions": selectors.regions(),
        "kinds": [(k.value, k.label) for k in AuthorityKind if k != AuthorityKind.OTHER],
        "grades": Grade.choices,
        "highlight_choices": comparisons.league_authorities(table) if table else [],
        "source_words": {s: SOURCE_WORDS[Source(s)] for s in (table.sources if table else [])},
        "csv_query": state.query(),
        "filtered": bool(state.region or state.kind or state.grade),
        "shows_demo_data": bool(table and table.shows_demo_data),
    }
    partial = "league"
    htmx = getattr(request, "htmx", None)
    if _htmx(request) and htmx and htmx.target == "league-table":
        partial = "table"
    return render(request, _template(request, "reports/league.html", partial), context)


@require_GET
def league_csv(request: HttpRequest) -> HttpResponse:
    """The league table as CSV: the rows the page shows, in its order."""
    state = LeagueState.from_query(request.GET)
    indicator, table = _league(state)
    if indicator is None or table is None:
        return _csv_response("league.csv", ["Authority"], [])
    header, rows = compare_charts.league_csv(table)
    period = table.period.label.replace(" ", "-") if table.period else "none"
    return _csv_response(f"league-{indicator.code}-{period}.csv", header, rows)


# --- recovery ---------------------------------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
def recovery(request: HttpRequest) -> HttpResponse:
    """How long authorities took to move on from an Inadequate judgement, by framework."""
    source = request.GET.get("source", "")
    summary = comparisons.recovery(source)

    def compare_link(framework: comparisons.FrameworkSummary) -> str:
        codes = framework.authority_codes[: comparisons.MAX_AUTHORITIES]
        return _compare_url(CompareState(authorities=codes, align="grade:inadequate"))

    context = {
        "summary": summary,
        "frameworks": [(f, compare_link(f)) for f in summary.frameworks],
        "max_authorities": comparisons.MAX_AUTHORITIES,
        "shows_demo_data": summary.shows_demo_data,
    }
    return render(request, _template(request, "reports/recovery.html", "summary"), context)


# --- small multiples --------------------------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
def neighbours_grid(request: HttpRequest, gss_code: str) -> HttpResponse:
    """An authority and its statistical neighbours as a grid of small charts on shared axes."""
    authority = selectors.get_authority(gss_code)
    available = selectors.indicators_with_data(authority)
    indicator = _pick_indicator(available, request.GET.get("indicator", ""))
    group = f"neighbours:{authority.gss_code}"
    selection = comparisons.select_authorities([], [group], limit=comparisons.MAX_AUTHORITIES)
    context: dict[str, Any] = {
        "authority": authority,
        "indicators": available,
        "indicator": indicator,
        "selection": selection,
        "neighbour_count": max(len(selection.authorities) - 1, 0),
        "data": None,
        "shows_demo_data": authority.is_demo or any(a.is_demo for a in selection.authorities),
    }
    if indicator is not None and len(selection.authorities) > 1:
        data = comparisons.compare_series(
            selection.authorities, indicator, focus_code=authority.gss_code
        )
        figure = compare_charts.neighbours_figure(
            data.points,
            title=f"{indicator.name}: {authority.name} and its statistical neighbours",
            unit=indicator.unit,
            decimals=indicator.decimals,
        )
        frame = compare_charts.compare_table(data.points)
        compare_state = CompareState(groups=[group], indicator=indicator.code)
        count = len(data.authorities)
        with_england = data.points["role"].eq("england").any()
        lead = (
            f"{count} small line charts of {lower_first(indicator.name)}, "
            f"one for {authority.name} and one for each of its statistical neighbours with "
            f"figures, on the same axes"
            + (", each with England for reference." if with_england else ".")
        )
        context.update(
            {
                "data": data,
                "figure": _figure_json(figure),
                "alt_text": compare_charts.describe_compare(
                    data.points,
                    indicator_name=indicator.name,
                    unit=indicator.unit,
                    decimals=indicator.decimals,
                    lead=lead,
                ),
                "table": presenters.trajectory_table(frame, data.points, indicator),
                "csv_query": compare_state.query(),
                "compare_query": compare_state.query(focus=authority.gss_code),
                "shows_demo_data": context["shows_demo_data"] or data.shows_demo_data,
            }
        )
    return render(request, _template(request, "reports/neighbours_grid.html", "grid"), context)
