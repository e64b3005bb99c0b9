"""Observations as a CSV in the EES tidy-data layout, the standard the official files use.

One row per area, period and source (``time_period``, ``time_identifier``, ``geographic_level``,
``country_code``, ``country_name``, ``region_code``, ``region_name``, ``old_la_code``,
``new_la_code``, ``la_name``, then ``source``), then one column per indicator named by its code.
Every row carries its source, and a row holds figures of that one source only: official
statistics, monthly returns, report evidence and simulated (demo) figures are never mixed in one
row. Symbols stay symbols; a blank cell means no figure. ``manage.py import_ees`` reads the
export back: columns named by an indicator code map onto that indicator.

The export is built with a fixed number of queries (observations, authorities, regions) whatever
its size. Where one cell has several figures of one source (the same indicator and period from
several releases), it shows the most recently recorded. Rows are ordered official statistics
first, then the monthly return, report evidence and demo data. Periods EES has no time
identifier for (quarters, days) are left out.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import pandas as pd

from authorities.models import ENGLAND_CODE, ENGLAND_NAME, Authority, Region
from authorities.toolkit.csv_safety import safe_cell
from authorities.toolkit.gss import is_gss_code
from indicators.models import SOURCE_PRIORITY, AreaLevel, Indicator, Observation, Source
from indicators.official import ees_mapping as mapping
from indicators.official.ees_read import ees_time

LEVEL_ORDER = {
    AreaLevel.NATIONAL.value: 0,
    AreaLevel.REGIONAL.value: 1,
    AreaLevel.AUTHORITY.value: 2,
}
MONTH_RANK = {month: rank for rank, month in enumerate(mapping.MONTHS, start=1)}


# Each row's source (official, monthly_return, report, demo), after the geography columns.
SOURCE_COLUMN = "source"


class InvalidExportQuery(ValueError):
    """A parameter of the export names something that does not exist or is malformed."""


@dataclass(frozen=True)
class ExportQuery:
    """What to export. Empty means "all"; each list may name several."""

    areas: Sequence[str] = ()  # GSS codes of authorities, regions or England
    indicators: Sequence[str] = ()
    sources: Sequence[str] = ()

    @classmethod
    def from_params(
        cls, *, areas: Sequence[str], indicators: Sequence[str], sources: Sequence[str]
    ) -> ExportQuery:
        """Validate parameters as a request gives them; raises ``InvalidExportQuery``."""
        areas = list(dict.fromkeys(code.strip().upper() for code in areas if code.strip()))
        indicators = list(dict.fromkeys(code.strip() for code in indicators if code.strip()))
        sources = list(dict.fromkeys(code.strip() for code in sources if code.strip()))
        problems = [f"malformed GSS code {code!r}" for code in areas if not is_gss_code(code)]
        problems += [f"unknown source {code!r}" for code in sources if code not in Source.values]
        if indicators:
            known = set(
                Indicator.objects.filter(code__in=indicators).values_list("code", flat=True)
            )
            problems += [f"unknown indicator {code!r}" for code in indicators if code not in known]
        if problems:
            raise InvalidExportQuery("; ".join(problems))
        return cls(areas=areas, indicators=indicators, sources=sources)


def format_value(value: float) -> str:
    """The shortest text that reads back as the same number: 32.0 -> "32", 28.7 -> "28.7"."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def observations_frame(
    query: ExportQuery, *, visible_sources: Collection[str] | None = None
) -> pd.DataFrame:
    """The export as a DataFrame of text cells, in the EES layout.

    ``visible_sources`` limits what the caller may see (None: every source); it is applied on
    top of the sources the query asks for.
    """
    observations = Observation.objects.all()
    if query.areas:
        observations = observations.filter(area_code__in=query.areas)
    if query.indicators:
        observations = observations.filter(indicator__code__in=query.indicators)
    if query.sources:
        observations = observations.filter(source__in=query.sources)
    if visible_sources is not None:
        observations = observations.filter(source__in=list(visible_sources))
    rows = list(
        observations.values_list(
            "area_level",
            "area_code",
            "indicator__code",
            "indicator__sort_order",
            "period_kind",
            "period_start",
            "period_end",
            "period_label",
            "value",
            "symbol",
            "source",
            "recorded_at",
            "id",
        )
    )
    cells = []
    order: dict[str, tuple[int, str]] = {}
    for (
        level,
        area_code,
        code,
        sort_order,
        kind,
        start,
        end,
        label,
        value,
        symbol,
        source,
        recorded_at,
        pk,
    ) in rows:
        time = ees_time(kind, start, end, label)
        if time is None:
            continue
        order[code] = (sort_order, code)
        cells.append(
            (
                time[0],
                time[1],
                level,
                area_code,
                code,
                symbol or format_value(value or 0.0),
                source,
                SOURCE_PRIORITY.get(source, len(SOURCE_PRIORITY)),
                recorded_at,
                pk,
            )
        )
    # The indicators asked for, in the order asked; otherwise all found, in catalogue order.
    indicator_columns = list(query.indicators) or sorted(order, key=lambda code: order[code])
    keys = ["time_period", "time_identifier", "area_level", "area_code", "source", "priority"]
    frame = pd.DataFrame(cells, columns=[*keys[:4], "indicator", "cell", *keys[4:], "at", "pk"])
    if frame.empty:
        return pd.DataFrame(columns=[*mapping.GEOGRAPHY_COLUMNS, SOURCE_COLUMN, *indicator_columns])
    frame = frame.sort_values(["priority", "at", "pk"], ascending=[True, False, False])
    frame = frame.drop_duplicates([*keys, "indicator"], keep="first")
    wide = frame.pivot(index=keys, columns="indicator", values="cell")
    wide = wide.reindex(columns=indicator_columns)
    wide.columns.name = None
    wide = wide.reset_index()
    geography = _geography(wide["area_level"], wide["area_code"])
    wide = pd.concat([wide, geography], axis=1)
    # Latest year first; within a year the year's own rows, then months from the latest;
    # England, regions, then authorities.
    wide["year"] = wide["time_period"].str[:4].astype(int)
    wide["month"] = wide["time_identifier"].map(MONTH_RANK).fillna(len(MONTH_RANK) + 1)
    wide["level_rank"] = wide["area_level"].map(LEVEL_ORDER)
    wide = wide.sort_values(
        [
            "year",
            "time_period",
            "month",
            "time_identifier",
            "level_rank",
            "region_code",
            "new_la_code",
            "priority",
        ],
        ascending=[False, False, False, True, True, True, True, True],
    )
    return wide[[*mapping.GEOGRAPHY_COLUMNS, SOURCE_COLUMN, *indicator_columns]].reset_index(
        drop=True
    )


def _geography(levels: pd.Series, codes: pd.Series) -> pd.DataFrame:
    """The geography columns for each (level, area code)."""
    authorities = {
        gss: (dfe or "", name, region_code or "", region_name or "")
        for gss, dfe, name, region_code, region_name in Authority.objects.values_list(
            "gss_code", "dfe_code", "name", "region__code", "region__name"
        )
    }
    region_names = {
        **{code: mapping.region_name(code) for code in mapping.SUB_REGIONS},
        **dict(Region.objects.values_list("code", "name")),
    }
    rows = []
    for level, code in zip(levels, codes, strict=True):
        row = {
            "geographic_level": mapping.GEOGRAPHIC_LEVEL_LABELS.get(level, level),
            "country_code": ENGLAND_CODE,
            "country_name": ENGLAND_NAME,
            "region_code": "",
            "region_name": "",
            "old_la_code": "",
            "new_la_code": "",
            "la_name": "",
        }
        if level == AreaLevel.REGIONAL:
            row["region_code"] = code
            row["region_name"] = region_names.get(code) or mapping.region_name(code)
        elif level == AreaLevel.AUTHORITY:
            dfe, name, region_code, region_name = authorities.get(code, ("", "", "", ""))
            row.update(
                region_code=region_code,
                region_name=region_name,
                old_la_code=dfe,
                new_la_code=code,
                la_name=name,
            )
        rows.append(row)
    return pd.DataFrame(rows, index=levels.index)


def observations_csv(query: ExportQuery, *, visible_sources: Collection[str] | None = None) -> str:
    """The export as CSV text (UTF-8, "\\n" line ends, blank for no figure)."""
    frame = observations_frame(query, visible_sources=visible_sources)
    # Names, codes and symbols come from imported files: none may run as a spreadsheet formula.
    frame = frame.map(safe_cell)
    frame.columns = [safe_cell(str(column)) for column in frame.columns]
    return frame.to_csv(index=False, lineterminator="\n", na_rep="")
