"""What the comparison pages show, read from the address: GET forms, so every address is a
permalink and the controls are the forms' fields. Unknown values fall back to the defaults."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.text import capfirst

from authorities.models import AuthorityKind, Grade, Region
from authorities.toolkit.govuk import GovukRadioSelect, StateForm
from authorities.toolkit.gss import is_gss_code
from indicators.models import Indicator, Source

from ..sources import SOURCE_WORDS
from .inputs import Alignment, alignment_choices, parse_group
from .league import ASC, DESC, SORTS, League
from .selection import ChoiceLists, Selection, dedupe, match_authorities

DEFAULT_INDICATOR = "agency_sw_pct"
MAX_CODES = 60  # more authorities than this in one URL is not a comparison anyone can read
ACTIONS = ("add", "add_group", "choose", "remove")


def pick_indicator(indicators: list[Indicator], code: str) -> Indicator | None:
    """The indicator asked for, else the default, else the first."""
    by_code = {indicator.code: indicator for indicator in indicators}
    return by_code.get(code) or by_code.get(DEFAULT_INDICATOR) or next(iter(indicators), None)


class ListField(forms.Field):
    """A repeated parameter (``?authority=A&authority=B``), as a list of text."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        return [str(item) for item in value or []]


def _select(**attrs: str) -> forms.Select:
    return forms.Select(attrs={"class": "app-select--full", **attrs})


# --- compare ----------------------------------------------------------------------------------


@dataclass
class CompareState:
    """Everything the comparison shows. It lives in the query string: the URL is a permalink."""

    authorities: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    indicator: str = ""
    focus: str = ""
    align: str = "none"

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


def _group_key(text: str) -> str:
    parsed = parse_group(text)
    return f"{parsed[0]}:{parsed[1]}" if parsed else ""


class CompareForm(StateForm):
    """The authorities and groups compared, the chart's settings, and the controls that add and
    remove authorities. "Add" and "Remove" send the whole form; the state they change is kept in
    hidden fields."""

    authority = ListField()
    group = ListField()
    add = forms.CharField(
        label="Add an authority",
        help_text="Part of its name, its GSS code or its 3-digit DfE code, for example Wakefield "
        "or E08000036",
        widget=forms.TextInput(
            attrs={"list": "compare-authority-names", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    add_group = forms.CharField(
        label="Add a group of authorities",
        help_text="An authority with its ten statistical neighbours, every authority in a region, "
        "or every authority judged Inadequate in a year",
        widget=_select(id="compare-group"),
    )
    indicator = forms.CharField(label="Indicator", widget=_select())
    align = forms.CharField(label="Time axis", widget=_select())
    focus = forms.CharField(label="Authority to emphasise", widget=_select())
    choose = ListField()  # the "Add <name>" buttons offered when a name matched several
    remove = ListField()  # the "Remove" buttons

    def __init__(self, data: Any = None, *, act: bool = True) -> None:
        """``act``: whether to add and remove as the address asks. Not when a chart setting
        changed, which redraws the chart and does nothing else: the form it belongs to also
        carries the "add" boxes, which were not submitted then, and a failed name left there
        must not fail again. Not for the CSV, which is the comparison as it stands."""
        super().__init__(data, auto_id="compare-%s")
        self.acted = act and any(key in self.data for key in ACTIONS)
        self.matches: list[tuple[str, str]] = []
        self.state = CompareState()
        # The chart's settings redraw the chart as they change.
        redraw = {
            "hx-get": reverse("reports:compare"),
            "hx-include": "closest form",
            "hx-target": "#compare",
            "hx-swap": "outerHTML",
            "hx-push-url": "true",
        }
        for name in ("indicator", "align", "focus"):
            self.fields[name].widget.attrs.update(redraw)
        self.offer("align", alignment_choices())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        codes = [code.strip().upper() for code in cleaned.get("authority", []) if code.strip()]
        groups = [_group_key(text) or text.strip()[:40] for text in cleaned.get("group", [])]
        self.state = CompareState(
            authorities=dedupe(code[:12] for code in codes)[:MAX_CODES],
            groups=dedupe(group for group in groups if group)[:MAX_CODES],
            indicator=cleaned.get("indicator", "")[:80],
            focus=cleaned.get("focus", "").upper()[:12],
            align=Alignment.parse(cleaned.get("align")).key,
        )
        if self.acted:
            self._act(cleaned)
        return cleaned

    def _act(self, cleaned: dict[str, Any]) -> None:
        """Add and remove authorities and groups as the form asked.

        A "Remove" or "Add <name>" button sends the whole form, the "add" boxes too: their text
        was not what the person asked for then (after "Add <name>" it is the name that matched
        several), so it is only read when neither button was pressed."""
        state = self.state
        authorities, groups, focus = list(state.authorities), list(state.groups), state.focus
        for item in cleaned.get("remove", []):
            kind, _, value = item.partition(":")
            if kind == "authority":
                authorities = [code for code in authorities if code != value]
                focus = "" if focus == value else focus
            elif kind == "group":
                groups = [group for group in groups if group != value]
        for code in cleaned.get("choose", []):
            code = code.strip().upper()
            if is_gss_code(code) and code not in authorities:
                authorities.append(code)
        pressed = "remove" in self.data or "choose" in self.data
        text = "" if pressed else cleaned.get("add", "")[:100]
        if text:
            self._add_authority(text, authorities)
        group = "" if pressed else cleaned.get("add_group", "")
        if group and not _group_key(group):
            self.add_error("add_group", "Choose a group from the list")
        elif group and _group_key(group) not in groups:
            groups.append(_group_key(group))
        self.state = replace(state, authorities=authorities[:MAX_CODES], groups=groups, focus=focus)

    def _add_authority(self, text: str, authorities: list[str]) -> None:
        matches = match_authorities(text)
        if len(matches) == 1:
            if matches[0].gss_code not in authorities:
                authorities.append(matches[0].gss_code)
        elif matches:
            self.add_error("add", f"More than one authority matches “{text}”: choose one")
            self.matches = [(authority.gss_code, authority.name) for authority in matches]
        else:
            self.add_error(
                "add",
                f"No authority matches “{text}”: enter part of a name, a GSS code or a 3-digit "
                "DfE code",
            )

    def settle(self) -> CompareState:
        """The comparison asked for, after any action."""
        self.is_valid()
        return self.state

    def show_comparison(
        self,
        *,
        indicators: list[Indicator],
        indicator: Indicator | None,
        choices: ChoiceLists,
        selection: Selection,
        keep_text: bool,
    ) -> None:
        """Show the settled comparison. What was typed stays in the box while it is wrong or not
        yet submitted (``keep_text``)."""
        self.offer("indicator", [(option.code, option.name) for option in indicators])
        self.offer("add_group", group_choices(choices))
        focus = [(authority.gss_code, authority.name) for authority in selection.authorities]
        self.offer("focus", [("", "The first authority"), *focus])
        text = self.cleaned_data.get("add", "")[:100] if keep_text else ""
        state = self.state
        self.show(
            authority=state.authorities,
            group=state.groups,
            add=text,
            indicator=indicator.code if indicator else "",
            align=state.align,
            focus=state.focus,
        )


def group_choices(choices: ChoiceLists) -> list[tuple[str, Any]]:
    """The groups the compare form offers, in three lists."""
    return [
        ("", "Choose a group"),
        (
            "Authorities judged Inadequate in a year",
            [
                (f"inadequate:{year}", f"Judged Inadequate in {year}")
                for year in choices.inadequate_years
            ],
        ),
        (
            "Authorities in a region",
            [(f"region:{code}", f"In {name}") for code, name in choices.regions],
        ),
        (
            "An authority and its statistical neighbours",
            [
                (f"neighbours:{code}", f"{name} and its statistical neighbours")
                for code, name in choices.authorities
            ],
        ),
    ]


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


KINDS = [(kind.value, kind.label) for kind in AuthorityKind if kind != AuthorityKind.OTHER]


class LeagueForm(StateForm):
    """The league table's indicator, period and source, its filters, the authority whose
    neighbours are highlighted, and its order (kept in hidden fields beside the table)."""

    indicator = forms.CharField(label="Indicator", widget=_select())
    period = forms.CharField(label="Period", widget=_select())
    source = forms.CharField(label="Figures", widget=GovukRadioSelect(modifiers="small"))
    region = forms.CharField(label="Region", widget=_select())
    kind = forms.CharField(label="Kind of authority", widget=_select())
    grade = forms.CharField(label="Latest Ofsted judgement", widget=_select())
    highlight = forms.CharField(
        label="Highlight an authority's statistical neighbours",
        help_text="Its ten neighbours are tagged in the table",
        widget=forms.Select(),
    )
    sort = forms.CharField(widget=forms.HiddenInput(attrs={"form": "league-form"}))
    order = forms.CharField(widget=forms.HiddenInput(attrs={"form": "league-form"}))

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, auto_id="league-%s")
        self.offer("kind", [("", "All kinds"), *KINDS])
        self.offer("grade", [("", "Any judgement"), *Grade.choices])

    def settle(self) -> LeagueState:
        """The table asked for; unknown sources, kinds, grades and orders are left out."""
        self.is_valid()

        def text(name: str, length: int = 40) -> str:
            return self.cleaned_data.get(name, "")[:length]

        def known(name: str, values: list[str] | tuple[str, ...]) -> str:
            return text(name) if text(name) in values else ""

        return LeagueState(
            indicator=text("indicator", 80),
            period=text("period"),
            source=known("source", Source.values),
            region=text("region").upper(),
            kind=known("kind", AuthorityKind.values),
            grade=known("grade", Grade.values),
            highlight=text("highlight").upper(),
            sort=known("sort", SORTS),
            order=known("order", (ASC, DESC)),
        )

    def show_league(
        self,
        state: LeagueState,
        *,
        indicators: list[Indicator],
        indicator: Indicator | None,
        league: League | None,
        regions: list[Region],
        highlight_choices: list[tuple[str, str]],
    ) -> None:
        """Show the table as drawn: its indicator, source and order as settled, and the periods,
        sources and authorities it has figures for."""
        self.offer("indicator", [(option.code, option.name) for option in indicators])
        periods = [(p.label, p.label) for p in reversed(league.periods)] if league else []
        self.offer("period", [("", league.default_period_words if league else ""), *periods])
        sources = league.sources if league else []
        self.offer("source", [(s, capfirst(SOURCE_WORDS[Source(s)])) for s in sources])
        self.offer("region", [("", "All regions"), *((r.code, r.name) for r in regions)])
        self.offer("highlight", [("", "None"), *highlight_choices])
        self.show(
            indicator=indicator.code if indicator else "",
            period=state.period,
            source=league.source if league else "",
            region=state.region,
            kind=state.kind,
            grade=state.grade,
            highlight=state.highlight,
            sort=league.sort if league else "",
            order=league.order if league else "",
        )


# --- the neighbours grid and the recovery summary ---------------------------------------------


class GridForm(StateForm):
    """The indicator the neighbours grid draws."""

    indicator = forms.CharField(strip=False, label="Indicator", widget=forms.Select())

    def __init__(self, data: Any = None, *, indicators: list[Indicator]) -> None:
        super().__init__(data, auto_id="grid-%s")
        self.indicators = indicators
        self.offer("indicator", [(option.code, option.name) for option in indicators])

    def settle(self) -> Indicator | None:
        self.is_valid()
        indicator = pick_indicator(self.indicators, self.cleaned_data.get("indicator", ""))
        self.show(indicator=indicator.code if indicator else "")
        return indicator


class RecoveryForm(StateForm):
    """Whether the recovery summary reads published or simulated inspections."""

    source = forms.CharField(
        strip=False, label="Inspections", widget=GovukRadioSelect(modifiers="small inline")
    )

    def __init__(self, data: Any = None) -> None:
        super().__init__(data, auto_id="recovery-%s")

    def settle(self) -> str:
        self.is_valid()
        return self.cleaned_data.get("source", "")

    def show_sources(self, sources: list[str], source: str) -> None:
        words = {Source.DEMO: "Simulated judgements"}
        self.offer(
            "source", [(s, words.get(Source(s), "Published Ofsted judgements")) for s in sources]
        )
        self.show(source=source)
