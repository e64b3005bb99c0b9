"""The two layouts of Ofsted's local authority inspection outcomes workbooks, told apart by their
sheet names, and the words they use.

Two published layouts are read, told apart by their sheet names:

* **Outcomes** (``LA_Inspection_Outcomes_as_at_31_March_2025.ods``): three tables whose header is
  on row 3. ``ILACS_inspection_history`` (every ILACS standard and short inspection since 2018),
  ``In-year_inspections`` (the year's inspections, focused visits and monitoring visits) and
  ``Inspections_as_at_31_March`` (each authority's latest judgement; it has no type column, so its
  kind comes from the other two sheets). Authorities are identified by GSS code; each inspection
  has its start ("Inspection date") and publication dates.
* **History** (``Childrens_social_care_in_England_2023_underlying_data.ods``, sheet
  ``LA_inspections_2009-2023``): one row per authority, one group of columns per inspection (SLAC,
  SLAC re-inspections, CPI, CPRI, TLAC, first SIF, SIF re-inspection, first and second ILACS); a
  second table further down holds the authorities abolished by reorganisation. Authorities are
  identified by name and type only, and inspections by their **publication date only**.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from authorities.models import Framework, Grade, InspectionKind

GRADE_WORDS = {
    "outstanding": Grade.OUTSTANDING,
    "good": Grade.GOOD,
    "requires improvement to be good": Grade.REQUIRES_IMPROVEMENT,
    "requires improvement": Grade.REQUIRES_IMPROVEMENT,
    "adequate": Grade.ADEQUATE,
    "inadequate": Grade.INADEQUATE,
}
BLANK_MARKS = {"", "-", "\u2013"}

INSPECTION_TYPES = {
    "ilacs standard inspection": (Framework.ILACS, InspectionKind.FULL),
    "ilacs short inspection": (Framework.ILACS, InspectionKind.SHORT),
    "ilacs focused visit": (Framework.ILACS, InspectionKind.FOCUSED_VISIT),
    "ilacs monitoring visit": (Framework.ILACS, InspectionKind.MONITORING_VISIT),
    "la monitoring visit": (Framework.ILACS, InspectionKind.MONITORING_VISIT),
}
GRADED_KINDS = {InspectionKind.FULL, InspectionKind.SHORT}

# --- the outcomes workbook ---------------------------------------------------------------------

CODE = "Local authority area code"
NAME = "Local authority name"
PUBLISHED = "Publication date"
OVERALL = "Overall effectiveness"
REGION_COLUMNS = ("Ofsted region", "Region")
OUTCOME_SUB_JUDGEMENTS = (
    "The impact of leaders on social work practice with children and families",
    "The experiences and progress of children who need help and protection",
    "The experiences and progress of children in care",
    "The experiences and progress of care leavers",
)


@dataclass(frozen=True)
class OutcomeSheet:
    date_column: str
    type_column: str | None
    precedence: int  # where one inspection is in several sheets, the lowest is its source


OUTCOME_SHEETS = {
    "ILACS_inspection_history": OutcomeSheet("Inspection date", "Inspection type", 0),
    "In-year_inspections": OutcomeSheet("Inspection/Visit date", "Inspection/Visit type", 1),
    "Inspections_as_at_31_March": OutcomeSheet("Inspection date", None, 2),
}
HEADER_SEARCH_ROWS = 10  # the header is row 3; look a little further in case a title row is added

# --- the history workbook ----------------------------------------------------------------------

HISTORY_SHEET = re.compile(r"^LA_inspections_\d{4}-\d{4}$")
HISTORY_NAME = "local authority name"
HISTORY_TYPE = "la authority type"
HISTORY_REGION = "la region"
# "LA Authority Type" → the GSS prefix of that kind of authority.
TYPE_PREFIXES = {
    "london borough": "E09",
    "metropolitan district": "E08",
    "unitary": "E06",
    "shire county": "E10",
}
ILACS_LEADERS = "The impact of leaders on social work practice with children and families"
ILACS_HELP = "The experiences and progress of children who need help and protection"


@dataclass(frozen=True)
class ColumnGroup:
    """The columns of one inspection in the history workbook (header text normalised)."""

    label: str
    framework: str
    date: str
    overall: str | None  # None: the worse of the sub-judgements
    sub_judgements: tuple[tuple[str, str], ...]  # (column, published judgement name)
    type_column: str | None = None

    @property
    def columns(self) -> list[str]:
        columns = [self.date, *(column for column, _ in self.sub_judgements)]
        if self.overall:
            columns.append(self.overall)
        if self.type_column:
            columns.append(self.type_column)
        return columns


def _sif(label: str, prefix: str, date: str, lscb: bool) -> ColumnGroup:
    subs = [
        (
            f"{prefix} children who need help and protection",
            "Children who need help and protection",
        ),
        (
            f"{prefix} children looked after and achieving permanence",
            "Children looked after and achieving permanence",
        ),
        (f"{prefix} cla sub: adoption performance", "Adoption performance"),
        (
            f"{prefix} cla sub: experiences and progress of care leavers",
            "Experiences and progress of care leavers",
        ),
        (
            f"{prefix} leadership, management and governance",
            "Leadership, management and governance",
        ),
    ]
    if lscb:
        subs.append(("lscb overall effectiveness", "LSCB overall effectiveness"))
    return ColumnGroup(label, Framework.SIF, date, f"{prefix} overall judgement (oe)", tuple(subs))


def _ilacs(label: str, prefix: str, care_leavers_apart: bool) -> ColumnGroup:
    subs = [
        (f"{prefix} impact of leaders", ILACS_LEADERS),
        (f"{prefix} experiences and progress of children who need help and protection", ILACS_HELP),
    ]
    if care_leavers_apart:
        subs += [
            (
                f"{prefix} experiences and progress of children in care",
                "The experiences and progress of children in care",
            ),
            (
                f"{prefix} experiences and progress of care leavers",
                "The experiences and progress of care leavers",
            ),
        ]
    else:
        subs.append(
            (
                f"{prefix} experiences and progress of children in care and care leavers",
                "The experiences and progress of children in care and care leavers",
            )
        )
    return ColumnGroup(
        label,
        Framework.ILACS,
        f"{prefix} publication date",
        f"{prefix} overall effectiveness",
        tuple(subs),
        type_column=f"{prefix} inspection type",
    )


SAFEGUARDING_OE = "Safeguarding overall effectiveness"
LOOKED_AFTER_OE = "Looked after children overall effectiveness"
HISTORY_GROUPS = (
    ColumnGroup(
        "SLAC",
        Framework.SLAC,
        "safeguarding & looked after children (slac) inspection publication date",
        None,
        (
            ("slac safeguarding overall effectiveness (oe)", SAFEGUARDING_OE),
            ("slac looked after children overall effectiveness (oe)", LOOKED_AFTER_OE),
        ),
    ),
    ColumnGroup(
        "SLAC re-inspection of safeguarding",
        Framework.SLAC,
        "slac re-inspection of safeguarding publication date",
        None,
        (("slac re-inspection safeguarding oe", SAFEGUARDING_OE),),
    ),
    ColumnGroup(
        "SLAC re-inspection of services for children looked after",
        Framework.SLAC,
        "slac re-inspection of services for children looked after publication date",
        None,
        (("slac re-inspection of services children looked after oe", LOOKED_AFTER_OE),),
    ),
    ColumnGroup(
        "CPI",
        Framework.CPI,
        "child protection inspections (cpi) publication date",
        "cpi overall effectiveness (oe)",
        (),
    ),
    ColumnGroup(
        "CPRI",
        Framework.CPI,
        "child protection re-inspection (cpri) publication date",
        "cpri overall effectiveness (oe)",
        (),
    ),
    ColumnGroup(
        "TLAC",
        Framework.OTHER,
        "targeted looked after children (tlac) inspection publication date",
        "tlac overall effectiveness (oe)",
        (),
    ),
    _sif(
        "First SIF",
        "first sif",
        "single inspection of la children's services (sif) first sif publication date",
        lscb=True,
    ),
    _sif(
        "SIF re-inspection",
        "sif re-inspection",
        "single inspection of la children's services (sif) sif re-inspection publication date",
        lscb=False,
    ),
    _ilacs("First ILACS", "first ilacs framework", care_leavers_apart=False),
    _ilacs("Second ILACS", "second ilacs framework", care_leavers_apart=True),
    _ilacs("ILACS", "ilacs framework", care_leavers_apart=False),
)
