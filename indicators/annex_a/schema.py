"""The Annex A lists and columns the monthly measures read, and the names they go by.

Headers are matched after normalising (case, spaces of every kind, punctuation): first against
the known names of a column, then, if none matched, against a pattern, used only when exactly one
header fits it. Only the columns listed here are read; every other column is left alone, whatever
it holds. Lists 2, 10 and 11 (early help, adoption, adopters) feed no monthly measure.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from indicators.annex_a import values as v


class Kind(StrEnum):
    ID = "id"
    DATE = "date"
    COUNT = "count"
    IN_TOUCH = "in_touch"
    ACTIVITY = "activity"
    SUITABILITY = "suitability"
    TEAM = "team"
    WORKER = "worker"


READERS = {
    Kind.ID: v.read_ids,
    Kind.DATE: v.read_dates,
    Kind.COUNT: v.read_counts,
    Kind.IN_TOUCH: v.read_in_touch,
    Kind.ACTIVITY: v.read_activity,
    Kind.SUITABILITY: v.read_suitability,
    Kind.TEAM: v.read_names,
    Kind.WORKER: v.read_workers,
}

_PUNCTUATION = re.compile(r"[^a-z0-9]+")


def header_key(text: object) -> str:
    """A header reduced to lower-case words: "Child's  Category\u00a0of Need?" ->
    "childs category of need"."""
    t = v.normal(str(text)).replace("&", " and ").replace("'", "").replace("\u2019", "")
    return _PUNCTUATION.sub(" ", t).strip()


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    header: str  # the name Ofsted's template gives it, shown in messages
    kind: Kind
    aliases: tuple[str, ...] = ()
    pattern: str | None = None  # on header_key(); used only if no alias matched
    required: bool = False  # a blank here makes the row unusable, and is reported

    def names(self) -> set[str]:
        return {header_key(self.header), *(header_key(a) for a in self.aliases)}


@dataclass(frozen=True)
class ListSpec:
    number: int
    subject: str
    columns: tuple[ColumnSpec, ...]

    @property
    def title(self) -> str:
        return f"List {self.number} ({self.subject})"

    def column(self, key: str) -> ColumnSpec:
        return next(c for c in self.columns if c.key == key)


CHILD_ID = ColumnSpec(
    "child_id",
    "Child Unique ID",
    Kind.ID,
    aliases=(
        "Child ID",
        "Unique Child ID",
        "Child Identifier",
        "ChildUniqueID",
        "Person ID",
        "Client ID",
        "ID",
    ),
    pattern=r"^(child|person|client)( unique)? (id|identifier|ref|reference|number)$|child.*\bid\b",
)
TEAM = ColumnSpec(
    "team",
    "Allocated Team",
    Kind.TEAM,
    aliases=("Team", "Allocated Team Name", "Team Name", "Social Work Team", "Current Team"),
    pattern=r"\bteam\b",
)
WORKER = ColumnSpec(
    "worker",
    "Allocated Worker",
    Kind.WORKER,
    aliases=(
        "Allocated Social Worker",
        "Social Worker",
        "Worker",
        "Allocated Worker Name",
        "Case Worker",
        "Caseworker",
        "Key Worker",
        "Lead Worker",
    ),
    pattern=r"\b(worker|social worker|caseworker)\b",
)


def _date(
    key: str, header: str, *aliases: str, pattern: str | None = None, required: bool = False
) -> ColumnSpec:
    return ColumnSpec(key, header, Kind.DATE, aliases=aliases, pattern=pattern, required=required)


LISTS: dict[int, ListSpec] = {
    spec.number: spec
    for spec in (
        ListSpec(
            1,
            "contacts",
            (
                CHILD_ID,
                _date(
                    "contact_date",
                    "Date of Contact",
                    "Contact Date",
                    "Date Contact Received",
                    pattern=r"\bdate\b.*\bcontact\b|\bcontact\b.*\bdate\b",
                    required=True,
                ),
            ),
        ),
        ListSpec(
            3,
            "referrals",
            (
                CHILD_ID,
                _date(
                    "referral_date",
                    "Date of Referral",
                    "Referral Date",
                    "Date Referral Received",
                    "Referral Start Date",
                    pattern=r"\bdate\b.*\breferral\b|\breferral\b.*\bdate\b",
                    required=True,
                ),
                ColumnSpec(
                    "referrals_12m",
                    "Number of Referrals in Last 12 Months",
                    Kind.COUNT,
                    aliases=(
                        "No of Referrals in Last 12 Months",
                        "Referrals in Last 12 Months",
                        "Number of Referrals in the Last 12 Months",
                        "Number of Referrals in Previous 12 Months",
                    ),
                    pattern=r"referrals.*\b(last|previous|past)\b.*\b12\b",
                ),
            ),
        ),
        ListSpec(
            4,
            "assessments",
            (
                CHILD_ID,
                _date(
                    "assessment_start",
                    "Continuous Assessment Start Date",
                    "Assessment Start Date",
                    "Assessment Start",
                    "Date Assessment Started",
                    pattern=r"\bassessment\b.*\bstart",
                    required=True,
                ),
                _date(
                    "assessment_authorised",
                    "Continuous Assessment Date of Authorisation",
                    "Assessment Authorisation Date",
                    "Date of Authorisation",
                    "Assessment Date of Authorisation",
                    "Date Assessment Authorised",
                    "Assessment Completion Date",
                    "Assessment Completed Date",
                    pattern=r"authori[sz]|\bassessment\b.*\bcomplet",
                ),
                TEAM,
                WORKER,
            ),
        ),
        ListSpec(
            5,
            "section 47 enquiries and initial conferences",
            (
                CHILD_ID,
                _date(
                    "strategy_date",
                    "Strategy discussion initiating Section 47 Enquiry Start Date",
                    "Section 47 Enquiry Start Date",
                    "S47 Start Date",
                    "Strategy Discussion Date",
                    "Date of Strategy Discussion",
                    "S47 Enquiry Start Date",
                    pattern=r"(strategy|section 47|s47).*\b(start|date)\b",
                    required=True,
                ),
                _date(
                    "icpc_date",
                    "Date of Initial Child Protection Conference",
                    "ICPC Date",
                    "Initial Child Protection Conference Date",
                    "Date of ICPC",
                    pattern=r"\bdate\b.*(initial child protection conference|icpc)"
                    r"|(initial child protection conference|icpc).*\bdate\b",
                ),
            ),
        ),
        ListSpec(
            6,
            "children in need",
            (
                CHILD_ID,
                _date(
                    "cin_start",
                    "CIN Start Date",
                    "Child in Need Start Date",
                    "CIN Episode Start Date",
                    pattern=r"\b(cin|child in need)\b.*\bstart",
                    required=True,
                ),
                _date(
                    "cin_closure",
                    "CIN Closure Date",
                    "CIN End Date",
                    "Child in Need Closure Date",
                    "CIN Episode End Date",
                    "Case Closure Date",
                    pattern=r"\b(cin|child in need)\b.*\b(closure|closed|end)\b",
                ),
                TEAM,
                WORKER,
            ),
        ),
        ListSpec(
            7,
            "child protection",
            (
                CHILD_ID,
                _date(
                    "cp_start",
                    "Child Protection Plan Start Date",
                    "CP Plan Start Date",
                    "CPP Start Date",
                    "Plan Start Date",
                    pattern=r"\b(child protection|cp|cpp)\b.*\bstart",
                    required=True,
                ),
                _date(
                    "cp_end",
                    "Child Protection Plan End Date",
                    "CP Plan End Date",
                    "CPP End Date",
                    "Plan End Date",
                    pattern=r"\b(child protection|cp|cpp)\b.*\bend\b",
                ),
                _date(
                    "cp_last_visit",
                    "Date of the Last Statutory Visit",
                    "Date of Last Statutory Visit",
                    "Last Statutory Visit Date",
                    "Date of Last Visit",
                    "Last Visit Date",
                    "Date Child Last Seen",
                    pattern=r"\blast\b.*\bvisit\b",
                ),
                ColumnSpec(
                    "previous_cp_plans",
                    "Number of Previous Child Protection Plans",
                    Kind.COUNT,
                    aliases=(
                        "Previous Child Protection Plans",
                        "Number of Previous CP Plans",
                        "No of Previous CP Plans",
                        "Previous CP Plans",
                    ),
                    pattern=r"\bprevious\b.*\b(plan|plans)\b",
                ),
                TEAM,
                WORKER,
            ),
        ),
        ListSpec(
            8,
            "children looked after",
            (
                CHILD_ID,
                _date(
                    "cla_start",
                    "Date Started to be Looked After",
                    "Date Started to be Looked After (current period)",
                    "Date Child Started to be Looked After",
                    "Date Became Looked After",
                    "Date Started Care",
                    "Date Entered Care",
                    "Period of Care Start Date",
                    "CLA Start Date",
                    "LAC Start Date",
                    pattern=r"\bstart.*\b(looked after|care|cla|lac)\b"
                    r"|\b(looked after|cla|lac)\b.*\bstart",
                    required=True,
                ),
                _date(
                    "cla_end",
                    "Date Ceased to be Looked After",
                    "Date Ceased Care",
                    "Date Left Care",
                    "Period of Care End Date",
                    "CLA End Date",
                    "LAC End Date",
                    pattern=r"\bdate\b.*\bceased\b|\b(cla|lac|period of care)\b.*\bend\b",
                ),
                _date(
                    "cla_last_visit",
                    "Date of Last Social Work Visit",
                    "Date of Last Social Worker Visit",
                    "Date of Last Statutory Visit",
                    "Last Social Work Visit",
                    "Last Statutory Visit Date",
                    pattern=r"\blast\b.*\b(social work|social worker|statutory)\b.*\bvisit\b",
                ),
                _date(
                    "cla_last_review",
                    "Date of Latest Statutory Review",
                    "Date of Last Statutory Review",
                    "Date of Latest Review",
                    "Date of Last Review",
                    "Latest Review Date",
                    "Last CLA Review Date",
                    "Date of Last LAC Review",
                    pattern=r"\b(latest|last)\b.*\breview\b",
                ),
                TEAM,
                WORKER,
            ),
        ),
        ListSpec(
            9,
            "care leavers",
            (
                CHILD_ID,
                TEAM,
                ColumnSpec(
                    "in_touch",
                    "LA in Touch",
                    Kind.IN_TOUCH,
                    aliases=("In Touch", "Local Authority in Touch", "LA in Contact"),
                    pattern=r"\bin touch\b",
                ),
                ColumnSpec(
                    "activity",
                    "Activity Status",
                    Kind.ACTIVITY,
                    aliases=("Main Activity", "Activity", "Current Activity"),
                    pattern=r"\bactivity\b",
                ),
                ColumnSpec(
                    "accommodation_suitable",
                    "Suitability of Accommodation",
                    Kind.SUITABILITY,
                    aliases=(
                        "Suitability of Accomodation",
                        "Accommodation Suitable",
                        "Suitable Accommodation",
                        "Accommodation Suitability",
                    ),
                    pattern=r"suitab",
                ),
            ),
        ),
    )
}

# Lists that no monthly measure reads; named so a sheet called "List 2" is not a mystery.
UNUSED_LISTS = {2: "early help assessments", 10: "adoption", 11: "adopters"}


def list_title(number: int) -> str:
    if number in LISTS:
        return LISTS[number].title
    return f"List {number} ({UNUSED_LISTS.get(number, 'unknown')})"


_SHEET = re.compile(r"^\s*(?:annex\s*a\s*)?list\s*(?:no\.?\s*)?0?(\d{1,2})(?!\d)")


def sheet_list_number(name: str) -> int | None:
    """The list a sheet holds, from its name: 'List 3', 'List3', 'list 03 - referrals',
    'LIST_7 CP'. None for any other sheet."""
    t = v.normal(name).replace("_", " ").replace("-", " ")
    matched = _SHEET.match(t)
    if not matched:
        return None
    number = int(matched.group(1))
    return number if 1 <= number <= 11 else None


def match_headers(spec: ListSpec, headers: Sequence[object]) -> dict[str, int]:
    """Column positions for the spec's columns found among a sheet's headers."""
    keys = [header_key(h) if h not in (None, "") else "" for h in headers]
    found: dict[str, int] = {}
    taken: set[int] = set()
    for column in spec.columns:
        names = column.names()
        for i, k in enumerate(keys):
            if k and k in names and i not in taken:
                found[column.key] = i
                taken.add(i)
                break
    for column in spec.columns:
        if column.key in found or column.pattern is None:
            continue
        pattern = re.compile(column.pattern)
        candidates = [i for i, k in enumerate(keys) if k and i not in taken and pattern.search(k)]
        if len(candidates) == 1:
            found[column.key] = candidates[0]
            taken.add(candidates[0])
    return found
