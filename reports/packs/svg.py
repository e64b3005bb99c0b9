"""Small multiples for the board pack, drawn as SVG text: data in, markup out.

No Django, no database and no request here: the builder reads only the plain values it is given,
the chart style (palette, dashes, markers, font) the screen's charts use, and the one rule for
writing numbers. Every piece of text from the data is escaped. Each chart is an image with a
name (``aria-label`` and ``<title>``, which WeasyPrint also writes as the PDF figure's
alternative text) and a description (``<desc>``); its figures are in a data table beside it.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from authorities.toolkit.numbers import format_number
from reports.charts import style

WIDTH = 340
HEIGHT = 190
MARGIN_LEFT = 52
MARGIN_RIGHT = 14
MARGIN_TOP = 24  # room for the inspections' labels
MARGIN_BOTTOM = 24  # room for the years
FONT_SIZE = 10

# plotly's dash names as SVG dash patterns, at the small multiples' line widths.
DASHES = {
    "solid": "",
    "dot": "2 3",
    "dash": "6 4",
    "longdash": "10 5",
    "dashdot": "6 3 2 3",
}
# Short words for a judgement above its line; the description and the table give it in full.
GRADE_WORDS = {
    "Outstanding": "Outstanding",
    "Good": "Good",
    "Requires improvement": "RI",
    "Adequate": "Adequate",
    "Inadequate": "Inadequate",
}
MAX_MARKED_POINTS = 12  # more than this and only the latest point of a series is marked


@dataclass(frozen=True)
class Point:
    when: datetime.date
    value: float | None  # None where a symbol stands instead of a figure: a gap in the line
    label: str = ""


@dataclass(frozen=True)
class Inspection:
    when: datetime.date
    grade: str  # as people read it: "Requires improvement"


@dataclass
class SmallMultiple:
    """One measure's chart: the authority's series, England's, the milestones and inspections."""

    name: str  # the text alternative: says what the chart shows, from its data
    description: str  # what is drawn how (lines, dashes, markers)
    unit: str
    decimals: int
    own: Sequence[Point]
    own_role: str = "authority"  # "authority" (annual) or "authority_monthly"
    england: Sequence[Point] = field(default_factory=list)
    milestones: Sequence[Point] = field(default_factory=list)
    inspections: Sequence[Inspection] = field(default_factory=list)


def _text(value: object) -> str:
    return escape(str(value), quote=False)


def _attr(value: object) -> str:
    return escape(str(value), quote=True)


def _days(day: datetime.date) -> int:
    return day.toordinal()


def nice_step(span: float, ticks: int = 4) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about ``ticks`` gridlines."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * power:
            return multiple * power
    return 10 * power  # pragma: no cover - the loop always returns


def _tick_decimals(step: float) -> int:
    """As many decimals as the step has (2.5 has one, 0.25 two), so every label is exact."""
    written = f"{step:.6g}"
    return len(written.split(".")[1]) if "." in written else 0


@dataclass(frozen=True)
class _Frame:
    first_day: int
    last_day: int
    top: float  # the value at the top of the plot
    width: float = WIDTH
    height: float = HEIGHT

    @property
    def plot_width(self) -> float:
        return self.width - MARGIN_LEFT - MARGIN_RIGHT

    @property
    def plot_height(self) -> float:
        return self.height - MARGIN_TOP - MARGIN_BOTTOM

    def x(self, day: datetime.date) -> float:
        share = (_days(day) - self.first_day) / max(1, self.last_day - self.first_day)
        return round(MARGIN_LEFT + share * self.plot_width, 1)

    def y(self, value: float) -> float:
        share = value / self.top if self.top else 0
        return round(MARGIN_TOP + (1 - share) * self.plot_height, 1)


def _frame(chart: SmallMultiple, width: int, height: int) -> _Frame | None:
    drawn = [p for p in [*chart.own, *chart.england, *chart.milestones] if p.value is not None]
    if not any(p.value is not None for p in chart.own):
        return None
    days = [_days(p.when) for p in drawn]
    first, last = min(days), max(days)
    # A little room either side, so the first and last points are not on the axes.
    padding = max(31, (last - first) // 30)
    highest = max(max(p.value for p in drawn if p.value is not None), 0.0)
    step = nice_step(highest or 1)
    top = step * math.ceil((highest or 1) / step)
    if top <= highest:
        top += step
    return _Frame(first - padding, last + padding, top, width, height)


def _path(frame: _Frame, points: Sequence[Point]) -> list[str]:
    """The line through the points as path data, broken where a figure is missing."""
    segments: list[str] = []
    current: list[str] = []
    for point in sorted(points, key=lambda p: p.when):
        if point.value is None:
            if current:
                segments.append(" ".join(current))
            current = []
            continue
        command = "M" if not current else "L"
        current.append(f"{command}{frame.x(point.when)},{frame.y(point.value)}")
    if current:
        segments.append(" ".join(current))
    return segments


def _marker(symbol: str, x: float, y: float, colour: str, size: float = 3.0) -> str:
    """A marker in the screen charts' shapes, so a series is told apart without its colour."""
    if symbol in ("square",):
        return (
            f'<rect x="{x - size}" y="{y - size}" width="{2 * size}" height="{2 * size}" '
            f'fill="{colour}"/>'
        )
    if symbol == "diamond":
        return (
            f'<polygon points="{x},{y - size - 1} {x + size + 1},{y} {x},{y + size + 1} '
            f'{x - size - 1},{y}" fill="{colour}"/>'
        )
    if symbol == "triangle-up":
        return (
            f'<polygon points="{x},{y - size - 1} {x + size + 1},{y + size} '
            f'{x - size - 1},{y + size}" fill="{colour}"/>'
        )
    if symbol == "x":
        return (
            f'<path d="M{x - size},{y - size} L{x + size},{y + size} M{x - size},{y + size} '
            f'L{x + size},{y - size}" stroke="{colour}" stroke-width="2" fill="none"/>'
        )
    if symbol == "circle-open":
        return (
            f'<circle cx="{x}" cy="{y}" r="{size}" fill="#ffffff" stroke="{colour}" '
            'stroke-width="1.5"/>'
        )
    return f'<circle cx="{x}" cy="{y}" r="{size}" fill="{colour}"/>'


def _series(frame: _Frame, points: Sequence[Point], role: str) -> list[str]:
    look = style.SERIES_STYLE[role]
    dash = DASHES.get(look["dash"], "")
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    width = min(2.5, max(1.5, look["width"] * 0.75))
    parts = [
        f'<path d="{d}" fill="none" stroke="{look["color"]}" stroke-width="{width}"'
        f'{dash_attr} stroke-linejoin="round"/>'
        for d in _path(frame, points)
    ]
    valued = sorted((p for p in points if p.value is not None), key=lambda p: p.when)
    marked = valued if len(valued) <= MAX_MARKED_POINTS else valued[-1:]
    for point in marked:
        assert point.value is not None
        parts.append(
            _marker(look["symbol"], frame.x(point.when), frame.y(point.value), look["color"])
        )
    return parts


def _planned(frame: _Frame, chart: SmallMultiple) -> list[str]:
    """The milestones as a planned line, starting from the last actual figure before the first
    milestone (as on the screen's trajectory chart)."""
    milestones = sorted((p for p in chart.milestones if p.value is not None), key=lambda p: p.when)
    if not milestones:
        return []
    before = [p for p in chart.own if p.value is not None and p.when <= milestones[0].when]
    start = [max(before, key=lambda p: p.when)] if before else []
    look = style.SERIES_STYLE["milestones"]
    parts = [
        f'<path d="{d}" fill="none" stroke="{look["color"]}" stroke-width="2" '
        f'stroke-dasharray="{DASHES["longdash"]}"/>'
        for d in _path(frame, [*start, *milestones])
    ]
    for point in milestones:
        assert point.value is not None
        parts.append(
            _marker("x", frame.x(point.when), frame.y(point.value), look["color"], size=3.5)
        )
    return parts


def _inspections(frame: _Frame, chart: SmallMultiple) -> list[str]:
    parts: list[str] = []
    last_label_x = -math.inf
    bottom = MARGIN_TOP + frame.plot_height
    for inspection in sorted(chart.inspections, key=lambda i: i.when):
        if not frame.first_day <= _days(inspection.when) <= frame.last_day:
            continue
        x = frame.x(inspection.when)
        parts.append(
            f'<line x1="{x}" y1="{MARGIN_TOP - 4}" x2="{x}" y2="{bottom}" '
            f'stroke="{style.INSPECTION_COLOUR}" stroke-width="1" stroke-dasharray="2 2"/>'
        )
        if x - last_label_x >= 56:  # labels that would overlap are left to the table
            word = GRADE_WORDS.get(inspection.grade, inspection.grade)
            parts.append(
                f'<text x="{x}" y="{MARGIN_TOP - 7}" text-anchor="middle" '
                f'font-size="{FONT_SIZE - 1}" fill="{style.TEXT}">{_text(word)}</text>'
            )
            last_label_x = x
    return parts


def _axes(frame: _Frame, chart: SmallMultiple) -> list[str]:
    parts: list[str] = []
    step = nice_step(frame.top)
    decimals = _tick_decimals(step)
    suffix = style.axis_suffix(chart.unit)
    left, right = MARGIN_LEFT, frame.width - MARGIN_RIGHT
    tick = 0.0
    while tick <= frame.top + step / 1000:
        y = frame.y(tick)
        colour = style.TEXT if tick == 0 else style.GRID
        parts.append(f'<line x1="{left}" y1="{y}" x2="{right}" y2="{y}" stroke="{colour}"/>')
        label = format_number(tick, decimals) + suffix
        parts.append(
            f'<text x="{left - 4}" y="{y + 3.5}" text-anchor="end" font-size="{FONT_SIZE}" '
            f'fill="{style.TEXT}">{_text(label)}</text>'
        )
        tick += step
    first = datetime.date.fromordinal(frame.first_day)
    last = datetime.date.fromordinal(frame.last_day)
    years = list(range(first.year + 1, last.year + 1))
    every = max(1, math.ceil(len(years) / 6))
    bottom = MARGIN_TOP + frame.plot_height
    if years:
        for year in years[::every]:
            x = frame.x(datetime.date(year, 1, 1))
            parts.append(
                f'<line x1="{x}" y1="{bottom}" x2="{x}" y2="{bottom + 4}" stroke="{style.TEXT}"/>'
            )
            parts.append(
                f'<text x="{x}" y="{bottom + 15}" text-anchor="middle" font-size="{FONT_SIZE}" '
                f'fill="{style.TEXT}">{year}</text>'
            )
    else:  # less than a year shown: its first and last months
        for day, anchor in ((first, "start"), (last, "end")):
            x = frame.x(day)
            parts.append(
                f'<text x="{x}" y="{bottom + 15}" text-anchor="{anchor}" '
                f'font-size="{FONT_SIZE}" fill="{style.TEXT}">{day:%b} {day.year}</text>'
            )
    return parts


def _open(chart: SmallMultiple, element_id: str, width: int, height: int) -> list[str]:
    ident = _attr(element_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{_attr(chart.name)}" '
        f'aria-describedby="{ident}-desc" id="{ident}" class="app-small-multiple__svg" '
        f'font-family="{_attr(style.FONT)}">',
        f'<title id="{ident}-title">{_text(chart.name)}</title>',
        f'<desc id="{ident}-desc">{_text(chart.description)}</desc>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def small_multiple(
    chart: SmallMultiple, *, element_id: str, width: int = WIDTH, height: int = HEIGHT
) -> str:
    """The chart as an SVG element: inline in the page and in the PDF, vector at any size.

    A chart with no figure to draw says so in place of the lines (the explicit empty state)."""
    frame = _frame(chart, width, height)
    parts = _open(chart, element_id, width, height)
    if frame is None:
        parts.append(
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" '
            f'font-size="{FONT_SIZE + 2}" fill="{style.TEXT}">No figures to draw</text>'
        )
        parts.append("</svg>")
        return "\n".join(parts)
    parts += _axes(frame, chart)
    parts += _inspections(frame, chart)
    if chart.england:
        parts += _series(frame, chart.england, "england")
    parts += _planned(frame, chart)
    parts += _series(frame, chart.own, chart.own_role)
    parts.append("</svg>")
    return "\n".join(parts)


# What each series is, and how it is drawn in words (the key's text alternative).
KEY = (
    ("authority", "The authority, yearly figures", "a solid dark blue line with dots"),
    (
        "authority_monthly",
        "The authority, monthly figures",
        "a solid light blue line with open circles",
    ),
    ("england", "England", "a black dash-dot line with diamonds"),
    ("milestones", "Milestones (planned)", "a green long-dashed line with crosses"),
    ("inspections", "Ofsted judgement", "a dotted grey upright line labelled with the grade"),
)
KEY_COLUMNS = 3
KEY_ROW = 20


def _swatch(role: str, x: float, y: float) -> str:
    """A short sample of a series' line and marker, 32 wide, centred on ``y``."""
    if role == "inspections":
        return (
            f'<line x1="{x + 16}" y1="{y - 7}" x2="{x + 16}" y2="{y + 7}" '
            f'stroke="{style.INSPECTION_COLOUR}" stroke-width="1" stroke-dasharray="2 2"/>'
        )
    look = style.SERIES_STYLE[role]
    dash = DASHES["longdash"] if role == "milestones" else DASHES.get(look["dash"], "")
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    symbol = "x" if role == "milestones" else look["symbol"]
    return (
        f'<path d="M{x},{y} L{x + 32},{y}" stroke="{look["color"]}" stroke-width="2" '
        f'fill="none"{dash_attr}/>{_marker(symbol, x + 16, y, look["color"])}'
    )


def key_name() -> str:
    return "Key to the charts: " + "; ".join(f"{words}, {look}" for _, words, look in KEY) + "."


def key(*, element_id: str, width: int = 680) -> str:
    """The key to every chart in the pack, drawn once: one image whose text alternative says
    what each line and marker stands for."""
    rows = math.ceil(len(KEY) / KEY_COLUMNS)
    height = rows * KEY_ROW + 4
    name = key_name()
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{_attr(name)}" '
        f'id="{_attr(element_id)}" class="app-chart-key" font-family="{_attr(style.FONT)}">',
        f"<title>{_text(name)}</title>",
    ]
    column_width = width / KEY_COLUMNS
    for index, (role, words, _) in enumerate(KEY):
        x = (index % KEY_COLUMNS) * column_width
        y = (index // KEY_COLUMNS) * KEY_ROW + KEY_ROW / 2 + 2
        parts.append(_swatch(role, x + 2, y))
        parts.append(
            f'<text x="{x + 40}" y="{y + 4}" font-size="{FONT_SIZE + 2}" '
            f'fill="{style.TEXT}">{_text(words)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)
