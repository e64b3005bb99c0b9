"""Reading one cell of an Annex A list the way a careful analyst would.

Each reader takes the raw cells of one column (as python-calamine gives them: str, float, int,
bool, date, datetime, or one of the markers below for error cells and formulas without a saved
value) and returns plain values plus a mask of the cells that held something but could not be
read. Text is cached per distinct value: real columns repeat the same few hundred strings.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt


class Marker(StrEnum):
    """Cells calamine reads as empty but which were not: kept apart so they are reported."""

    ERROR = "#ERROR"  # a spreadsheet error such as #N/A, #VALUE! or #REF!
    NO_VALUE = "#NOVALUE"  # a formula the file holds without its calculated value


class Problem(StrEnum):
    """Why a cell could not be read."""

    UNREADABLE = "unreadable"
    ERROR = "error"
    NO_VALUE = "no_value"


Raw = object  # a cell as python-calamine returns it, or a Marker

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\ufeff]+")
_PREFIX = re.compile(r"^[a-z]{1,2}\d?\)\s*")  # "a) ", "zz) ", "p1) " before a coded value


def clean_text(value: str) -> str:
    """Trim and collapse every kind of space, including non-breaking ones."""
    return _SPACES.sub(" ", value).strip()


def normal(value: str) -> str:
    """Text for comparing: cleaned and case-folded."""
    return clean_text(value).casefold()


def without_prefix(text: str) -> str:
    """A coded value without its list letter: 'b) female' -> 'female'."""
    return _PREFIX.sub("", text, count=1)


@dataclass
class Column:
    """One column read: values, and which cells held something that could not be read."""

    values: np.ndarray
    problem: list[Problem | None]

    @property
    def bad(self) -> npt.NDArray[np.bool_]:
        return np.fromiter(
            (p is not None for p in self.problem), dtype=bool, count=len(self.problem)
        )


def _marker_problem(value: Raw) -> Problem | None:
    if value is Marker.ERROR:
        return Problem.ERROR
    if value is Marker.NO_VALUE:
        return Problem.NO_VALUE
    return None


# --- dates -------------------------------------------------------------------------------------

_EXCEL_EPOCH = dt.date(1899, 12, 30)
# Serial numbers from 1 January 1920 to 31 December 2099: anything else in a date column is not a
# date (a stray count, an identifier), not a date a long way off.
_SERIAL_MIN, _SERIAL_MAX = 7306, 73415
_EARLIEST, _LATEST = dt.date(1920, 1, 1), dt.date(2099, 12, 31)
_TIME_SUFFIX = re.compile(r"[ t]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?( ?[ap]m)?$")
_ORDINAL = re.compile(r"(\d)(st|nd|rd|th)\b")
_TEXT_FORMATS = (
    "%d/%m/%Y",
    "%Y-%m-%d",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y/%m/%d",
    "%d %b %Y",
    "%d %B %Y",
    "%d-%b-%Y",
    "%d %b, %Y",
    "%d %B, %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%d/%m/%y",
    "%d-%m-%y",
    "%d-%b-%y",
    "%d %b %y",
    "%Y%m%d",
)


def _from_serial(number: float) -> dt.date | None:
    if _SERIAL_MIN <= number <= _SERIAL_MAX:
        return _EXCEL_EPOCH + dt.timedelta(days=int(number))
    return None


def parse_date_text(text: str) -> dt.date | None:
    """A date written as text in any of the ways Annex A extracts write them (UK day-first),
    or a serial number stored as text; None when it is not a date."""
    t = normal(text)
    t = _TIME_SUFFIX.sub("", t).strip()
    t = _ORDINAL.sub(r"\1", t).replace("sept", "sep").replace(",", ", ").replace(" ,", ",")
    t = _SPACES.sub(" ", t).strip()
    if re.fullmatch(r"\d{4,5}(\.\d+)?", t):
        return _from_serial(float(t))
    for pattern in _TEXT_FORMATS:
        try:
            parsed = dt.datetime.strptime(t, pattern).date()
        except ValueError:
            continue
        return parsed if _EARLIEST <= parsed <= _LATEST else None
    return None


def read_dates(cells: Sequence[Raw]) -> Column:
    """Dates from real dates, datetimes, Excel serial numbers or text; NaT where blank."""
    out = np.full(len(cells), np.datetime64("NaT", "D"), dtype="datetime64[D]")
    problems: list[Problem | None] = [None] * len(cells)
    cache: dict[str, dt.date | None] = {}
    for i, value in enumerate(cells):
        day: dt.date | None
        if isinstance(value, dt.datetime):
            day = value.date()
        elif isinstance(value, dt.date):
            day = value
        elif isinstance(value, Marker):
            problems[i] = _marker_problem(value)
            continue
        elif isinstance(value, str):
            if value in cache:
                day = cache[value]
            else:
                day = cache[value] = None if not clean_text(value) else parse_date_text(value)
            if day is None and clean_text(value):
                problems[i] = Problem.UNREADABLE
                continue
        elif isinstance(value, bool) or value is None:
            if value is not None:
                problems[i] = Problem.UNREADABLE
            continue
        elif isinstance(value, int | float):
            day = _from_serial(float(value))
            if day is None:
                problems[i] = Problem.UNREADABLE
                continue
        else:  # a time or a duration: not a date
            problems[i] = Problem.UNREADABLE
            continue
        if day is None:
            continue
        if not _EARLIEST <= day <= _LATEST:
            problems[i] = Problem.UNREADABLE
            continue
        out[i] = np.datetime64(day, "D")
    return Column(out, problems)


# --- numbers -----------------------------------------------------------------------------------


def read_counts(cells: Sequence[Raw]) -> Column:
    """Whole numbers of zero or more ('3', 3, 3.0); NaN where blank."""
    out = np.full(len(cells), np.nan)
    problems: list[Problem | None] = [None] * len(cells)
    for i, value in enumerate(cells):
        if isinstance(value, Marker):
            problems[i] = _marker_problem(value)
            continue
        if value is None or isinstance(value, bool):
            if value is not None:
                problems[i] = Problem.UNREADABLE
            continue
        number: float | None = None
        if isinstance(value, int | float):
            number = float(value)
        elif isinstance(value, str):
            text = clean_text(value)
            if not text:
                continue
            try:
                number = float(text)
            except ValueError:
                number = None
        if number is None or number < 0 or number != int(number) or number > 10_000:
            problems[i] = Problem.UNREADABLE
            continue
        out[i] = number
    return Column(out, problems)


# --- coded values ------------------------------------------------------------------------------

YES, NO = "yes", "no"
EET, NEET = "eet", "neet"
SUITABLE, UNSUITABLE = "suitable", "unsuitable"
NOT_KNOWN = "not known"  # a recognised answer meaning the information is not known

_NOT_KNOWN_WORDS = {"unknown", "not known", "not recorded", "not stated", "information not known"}


# Codes DfE uses for whether the authority is in touch with a care leaver: in touch (YES), not in
# touch (NO), died (DIED), refused (REFU), no longer requires services (NREQ), returned home
# (RHOM).
_NOT_IN_TOUCH = ("no", "n", "died", "dead", "refu", "refused", "nreq", "rhom")


def _in_touch(text: str) -> str | None:
    t = without_prefix(text)
    if t in {"yes", "y", "in touch"}:
        return YES
    if t in _NOT_IN_TOUCH or t.startswith(("not in touch", "no longer", "returned home")):
        return NO
    if t in _NOT_KNOWN_WORDS:
        return NOT_KNOWN
    return None


_ACTIVITY_CODE = re.compile(r"^(?:[a-z]{1,2}\)\s*)?([fpg])\s?([0-9])(?![0-9])")


def _activity(text: str) -> str | None:
    """Care leaver activity: F and P codes (full or part time education, training,
    employment or apprenticeship) are EET; G codes are not in EET."""
    matched = _ACTIVITY_CODE.match(text)
    if matched:
        return NEET if matched.group(1) == "g" else EET
    t = without_prefix(text)
    if t in _NOT_KNOWN_WORDS or t in {"not in touch", "no information"}:
        return NOT_KNOWN
    if "not in education" in t or t.startswith("neet") or "not in employment" in t:
        return NEET
    if re.search(r"\b(full|part)[ -]?time\b", t) and re.search(
        r"education|training|employment|apprentice", t
    ):
        return EET
    if t in {"eet", "in education", "in employment", "in training", "apprenticeship"}:
        return EET
    return None


def _suitability(text: str) -> str | None:
    t = without_prefix(text)
    if "unsuitable" in t or "not suitable" in t:
        return UNSUITABLE
    if "suitable" in t:
        return SUITABLE
    if t in _NOT_KNOWN_WORDS:
        return NOT_KNOWN
    return None


def _read_codes(cells: Sequence[Raw], decode: Callable[[str], str | None]) -> Column:
    out = np.full(len(cells), None, dtype=object)
    problems: list[Problem | None] = [None] * len(cells)
    cache: dict[str, str | None] = {}
    for i, value in enumerate(cells):
        if isinstance(value, Marker):
            problems[i] = _marker_problem(value)
            continue
        if value is None:
            continue
        if isinstance(value, bool):
            text = "yes" if value else "no"
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))
        else:
            text = str(value)
        if text in cache:
            code = cache[text]
        else:
            t = normal(text)
            code = cache[text] = "" if not t else decode(t)
        if code is None:
            problems[i] = Problem.UNREADABLE
        elif code:
            out[i] = code
    return Column(out, problems)


def read_in_touch(cells: Sequence[Raw]) -> Column:
    return _read_codes(cells, _in_touch)


def read_activity(cells: Sequence[Raw]) -> Column:
    return _read_codes(cells, _activity)


def read_suitability(cells: Sequence[Raw]) -> Column:
    return _read_codes(cells, _suitability)


# --- names and identifiers ---------------------------------------------------------------------

# What systems write in the worker column when nobody is allocated.
_UNALLOCATED = {
    "",
    "-",
    "--",
    "n/a",
    "na",
    "none",
    "null",
    "unallocated",
    "not allocated",
    "no worker",
    "no allocated worker",
    "awaiting allocation",
    "pending allocation",
    "unassigned",
    "tbc",
    "tba",
    "vacant",
    "0",
}


def _name(value: Raw) -> str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = clean_text(str(value))
    return text or None


def read_names(cells: Sequence[Raw]) -> Column:
    """Team names as written (spaces tidied); None where blank."""
    out = np.full(len(cells), None, dtype=object)
    problems: list[Problem | None] = [None] * len(cells)
    cache: dict[object, str | None] = {}
    for i, value in enumerate(cells):
        if isinstance(value, Marker):
            problems[i] = _marker_problem(value)
            continue
        try:
            out[i] = cache[value]
        except KeyError:
            out[i] = cache[value] = _name(value)
    return Column(out, problems)


def read_workers(cells: Sequence[Raw]) -> Column:
    """Worker names; None where blank or where the system wrote that nobody is allocated."""
    column = read_names(cells)
    cache: dict[str, str | None] = {}
    for i, name in enumerate(column.values):
        if name is None:
            continue
        if name not in cache:
            cache[name] = None if normal(name) in _UNALLOCATED else name
        column.values[i] = cache[name]
    return column


def read_ids(cells: Sequence[Raw]) -> Column:
    """Child identifiers as text (a number such as 1234.0 becomes '1234')."""
    return read_names(cells)
