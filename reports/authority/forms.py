"""What the trajectory chart shows, read from the address: a GET form, so the address is a
permalink and the controls are the form's fields."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.http import urlencode

from authorities.toolkit.govuk import GovukRadioSelect, StateForm
from indicators.models import Indicator

from .. import bands

FIRST_YEAR = 2009


@dataclass
class ChartOptions:
    """What the trajectory chart shows; all of it lives in the URL, so the URL is a permalink."""

    indicator: Indicator | None
    neighbours: str
    first_year: int | None
    last_year: int | None
    show_events: bool

    def query(self, **changes: object) -> str:
        values: dict[str, str] = {
            "indicator": self.indicator.code if self.indicator else "",
            "neighbours": self.neighbours,
            "from": str(self.first_year or ""),
            "to": str(self.last_year or ""),
            "events": "on" if self.show_events else "off",
        }
        values.update({key: str(value) for key, value in changes.items()})
        return urlencode({k: v for k, v in values.items() if v != ""})


def chart_years() -> list[int]:
    """The years the chart's range can be set to."""
    return list(range(FIRST_YEAR, datetime.date.today().year + 1))


def _year(text: str) -> int | None:
    """A year the chart can start or end in; a few years ahead are kept for plans' milestones."""
    if text and text.isdigit() and FIRST_YEAR <= int(text) <= datetime.date.today().year + 5:
        return int(text)
    return None


class ChartForm(StateForm):
    """The trajectory chart's indicator, neighbours' average, years and events."""

    field_order = ["indicator", "neighbours", "from", "to", "events"]
    indicator = forms.CharField(
        strip=False,
        label="Indicator",
        widget=forms.Select(attrs={"class": "app-select--full"}),
    )
    neighbours = forms.CharField(
        strip=False,
        label="Statistical neighbours shown as",
        widget=GovukRadioSelect(
            modifiers="small inline",
            choices=[
                (bands.MEAN, "Mean (as LAIT)"),
                (bands.MEDIAN, "Median (as the outcomes dashboard)"),
            ],
        ),
    )
    events = forms.CharField(
        strip=False,
        label="Events on the chart",
        widget=GovukRadioSelect(
            modifiers="small inline", choices=[("on", "Show"), ("off", "Hide")]
        ),
    )

    def __init__(self, data: Any = None, *, indicators: list[Indicator]) -> None:
        super().__init__(data, auto_id="chart-%s")
        self.indicators = indicators
        self.offer("indicator", [(i.code, i.name) for i in indicators])
        years = [(str(year), str(year)) for year in chart_years()]
        self.offer("from", [("", "Earliest"), *years])
        self.offer("to", [("", "Latest"), *years])

    def settle(self) -> ChartOptions:
        """The chart's options from the address; unknown values fall back to the defaults: the
        first indicator with figures, the mean, every year, events shown."""
        self.is_valid()
        by_code = {indicator.code: indicator for indicator in self.indicators}
        chosen = by_code.get(self.cleaned_data.get("indicator", ""))
        if chosen is None and self.indicators:
            chosen = self.indicators[0]
        neighbours = self.cleaned_data.get("neighbours", "")
        if neighbours not in (bands.MEAN, bands.MEDIAN):
            neighbours = bands.MEAN
        first_year = _year(self.cleaned_data.get("from", ""))
        last_year = _year(self.cleaned_data.get("to", ""))
        if first_year and last_year and first_year > last_year:
            first_year, last_year = last_year, first_year
        options = ChartOptions(
            indicator=chosen,
            neighbours=neighbours,
            first_year=first_year,
            last_year=last_year,
            show_events=self.cleaned_data.get("events", "") != "off",
        )
        self.show(
            indicator=chosen.code if chosen else "",
            neighbours=neighbours,
            events="on" if options.show_events else "off",
            **{"from": first_year, "to": last_year},
        )
        return options


# "from" is a Python keyword, so the years' fields are added by name rather than declared.
ChartForm.base_fields["from"] = forms.CharField(strip=False, label="From", widget=forms.Select())
ChartForm.base_fields["to"] = forms.CharField(strip=False, label="To", widget=forms.Select())
