"""How a board pack writes a figure and where it came from: what the figure stands for (its key,
compared across builds), its citation in the words of its source page, and the figure itself as
people read it when the pack is made."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from indicators.models import Indicator, Observation, Source
from reports.formatting import format_value


def figure_key(indicator_code: str, area_code: str, row: Mapping[str, Any]) -> str:
    """What a figure stands for, whatever copy of it is published: compared across builds."""
    return "|".join(
        [indicator_code, area_code, str(row["source"]), str(row["period_kind"]), row["start"]]
    )


def citation(row: Mapping[str, Any]) -> dict:
    """Where a figure comes from, in the words of its source page: the file and row, the
    return with who approved it and when, or the report with its section and quote."""
    source = str(row["source"])
    label = {
        Source.REPORT: "Document",
        Source.MONTHLY_RETURN: "Return",
        Source.DEMO: "Generator",
    }.get(Source(source), "File")
    return {
        "source_words": str(Source(source).label),
        "label": label,
        "release": row.get("release") or "",
        "row": row.get("source_row"),
        "section": row.get("section") or "",
        "quote": row.get("quote") or "",
    }


def citation_words(cited: Mapping[str, Any]) -> str:
    """One line for a table cell: '2025 workforce.csv, row 12' or 'Monthly return ...;
    Approved by ... on ...'."""
    words = cited["release"] or cited["source_words"]
    if cited.get("row"):
        words += f", row {cited['row']}"
    if cited.get("section"):
        words += f"; {cited['section']}"
    return words


def figure(
    row: Mapping[str, Any], indicator: Indicator, area_code: str, area_name: str, cited: dict
) -> dict:
    value = row["value"]
    return {
        "id": row["id"],
        "key": "",  # set below, once the start date is written
        "area_code": area_code,
        "area_name": area_name,
        "value": value,
        "symbol": row["symbol"] or "",
        "text": format_value(value, indicator.unit, indicator.decimals, row["symbol"] or ""),
        "period_label": row["period_label"],
        "period_kind": row["period_kind"],
        "start": row["period_start"].isoformat(),
        "end": row["period_end"].isoformat() if row.get("period_end") else "",
        "source": str(row["source"]),
        "citation": cited,
    }


def keyed(figure: dict, indicator: Indicator) -> dict:
    figure["key"] = figure_key(indicator.code, figure["area_code"], figure)
    return figure


def observation_row(observation: Observation) -> dict:
    return {
        "id": observation.pk,
        "value": observation.value,
        "symbol": observation.symbol,
        "period_label": observation.period_label,
        "period_kind": observation.period_kind,
        "period_start": observation.period_start,
        "period_end": getattr(observation, "period_end", None),
        "source": observation.source,
    }
