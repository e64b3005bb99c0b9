"""Which column of which EES release becomes which catalogue indicator: the one place that says so.

Explore Education Statistics (EES) publishes "tidy data" CSVs: every row is one area and one period
(``time_period``, ``time_identifier``, ``geographic_level``, ``country_code``, ``country_name``;
regional rows add ``region_code``/``region_name``, local authority rows add ``old_la_code``,
``new_la_code`` and ``la_name``); the other columns are filters (``category``, ``population_type``)
or indicators. The importer (``ees_read`` and ``ees_write`` beside this module) reads any such
file; this module says what the columns mean:

- ``RELEASES``: each official release, recognised by a set of its columns (not by its file name),
  which of its columns become which catalogue indicator, under which filter values, with which
  numerator and denominator (only where the published counts really divide to the published
  rate), and when its "Reporting year" ends.
- A column named by an indicator code maps onto that indicator. That is the layout of our own
  export (``indicators.exports``), so an export can be imported again.
- Symbols: the EES symbols are stored as symbols with no value, never as numbers.
- Geography: England, the nine regions and the London sub-regions; GSS codes that changed while
  the children's services authority stayed the same (``CODE_CHANGES``); and the reorganisations
  that ended authorities (``REORGANISATIONS``).

Everything else in a file is reported by the importer as "not mapped"; ``--all-columns`` imports it
as indicators of its own, named by ``derived_indicator_code``.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from indicators.catalogue import CATALOGUE
from indicators.models import AreaLevel, PeriodKind, Symbol

# --- the layout ---------------------------------------------------------------------------------

REQUIRED_COLUMNS = (
    "time_period",
    "time_identifier",
    "geographic_level",
    "country_code",
    "country_name",
)
REGION_COLUMNS = ("region_code", "region_name")
AUTHORITY_COLUMNS = ("old_la_code", "new_la_code", "la_name")
# The order our export writes them in; indicator columns follow.
GEOGRAPHY_COLUMNS = REQUIRED_COLUMNS + REGION_COLUMNS + AUTHORITY_COLUMNS

# Geography columns of levels we do not store (districts, constituencies, ...). They are neither
# filters nor indicators; rows at those levels are skipped and counted in the import report.
OTHER_GEOGRAPHY_COLUMNS = frozenset(
    {
        "lad_code",
        "lad_name",
        "pcon_code",
        "pcon_name",
        "ward_code",
        "ward_name",
        "lsip_code",
        "lsip_name",
        "opportunity_area_code",
        "opportunity_area_name",
        "english_devolved_area_code",
        "english_devolved_area_name",
        "local_enterprise_partnership_code",
        "local_enterprise_partnership_name",
        "mayoral_combined_authority_code",
        "mayoral_combined_authority_name",
        "police_force_area_code",
        "police_force_area_name",
        "rsc_region_lead_name",
        "trust_id",
        "trust_name",
        "sponsor_id",
        "sponsor_name",
        "school_urn",
        "school_laestab",
        "school_name",
        "provider_ukprn",
        "provider_name",
        "institution_id",
        "institution_name",
        "planning_area_code",
        "planning_area_name",
    }
)

GEOGRAPHIC_LEVELS: dict[str, str] = {
    "National": AreaLevel.NATIONAL.value,
    "Regional": AreaLevel.REGIONAL.value,
    "Local authority": AreaLevel.AUTHORITY.value,
}
GEOGRAPHIC_LEVEL_LABELS = {level: label for label, level in GEOGRAPHIC_LEVELS.items()}
# EES levels that are valid but finer or other than ours: their rows are skipped and counted.
SKIPPED_GEOGRAPHIC_LEVELS = frozenset(
    {
        "Local authority district",
        "Parliamentary constituency",
        "Ward",
        "Local skills improvement plan area",
        "Opportunity area",
        "English devolved area",
        "Local enterprise partnership",
        "Mayoral combined authority",
        "Police force area",
        "RSC region",
        "MAT",
        "Sponsor",
        "School",
        "Provider",
        "Institution",
        "Planning area",
    }
)

# --- areas --------------------------------------------------------------------------------------


ENGLISH_REGIONS: dict[str, str] = {
    "E12000001": "North East",
    "E12000002": "North West",
    "E12000003": "Yorkshire and The Humber",
    "E12000004": "East Midlands",
    "E12000005": "West Midlands",
    "E12000006": "East of England",
    "E12000007": "London",
    "E12000008": "South East",
    "E12000009": "South West",
}
# DfE splits London into Inner and Outer London: London boroughs' rows carry these codes, and
# regional rows are published for them. Their figures are stored at those codes (regional level);
# an authority's ``region`` is the English region they belong to.
SUB_REGIONS: dict[str, tuple[str, str]] = {
    "E13000001": ("Inner London", "E12000007"),
    "E13000002": ("Outer London", "E12000007"),
}

# A joint return names every authority in each of the three columns, separated by " / ".
JOINT_SEPARATOR = "/"


def region_name(code: str) -> str:
    """The name of an English region or London sub-region, "" when unknown."""
    if code in ENGLISH_REGIONS:
        return ENGLISH_REGIONS[code]
    if code in SUB_REGIONS:
        return SUB_REGIONS[code][0]
    return ""


def english_region(code: str) -> str:
    """The English region (E12) a region or sub-region code belongs to."""
    return SUB_REGIONS[code][1] if code in SUB_REGIONS else code


@dataclass(frozen=True)
class CodeChange:
    """A GSS code replaced by another while the children's services authority stayed the same.

    DfE keeps the authority's 3-digit code and, in newer releases, files earlier years under the
    new GSS code; older releases still use the old one. The importer stores every year under the
    current code, so one authority has one series whichever release a figure came from.
    """

    old: str
    new: str
    dfe_code: str
    name: str
    since: datetime.date
    note: str


CODE_CHANGES: dict[str, CodeChange] = {
    change.old: change
    for change in (
        CodeChange(
            "E10000002",
            "E06000060",
            "825",
            "Buckinghamshire",
            datetime.date(2020, 4, 1),
            "Buckinghamshire County Council became the unitary Buckinghamshire Council.",
        ),
        CodeChange(
            "E10000023",
            "E06000065",
            "815",
            "North Yorkshire",
            datetime.date(2023, 4, 1),
            "North Yorkshire County Council became the unitary North Yorkshire Council.",
        ),
        CodeChange(
            "E10000027",
            "E06000066",
            "933",
            "Somerset",
            datetime.date(2023, 4, 1),
            "Somerset County Council became the unitary Somerset Council.",
        ),
        CodeChange(
            "E08000016",
            "E08000038",
            "370",
            "Barnsley",
            datetime.date(2025, 4, 1),
            "New code after the Barnsley and Sheffield boundary change.",
        ),
        CodeChange(
            "E08000019",
            "E08000039",
            "373",
            "Sheffield",
            datetime.date(2025, 4, 1),
            "New code after the Barnsley and Sheffield boundary change.",
        ),
    )
}


def current_gss_code(code: str) -> str:
    """The code an authority's figures are stored under (follows ``CODE_CHANGES``)."""
    seen = set()
    while code in CODE_CHANGES and code not in seen:
        seen.add(code)
        code = CODE_CHANGES[code].new
    return code


@dataclass(frozen=True)
class Reorganisation:
    """An authority that ceased on ``date`` (the first day of the new arrangements).

    ``Authority.successor`` holds one authority: for a split it is the first of ``successors``
    (the larger by population); the others are listed here.
    """

    predecessor: str
    predecessor_name: str
    successors: tuple[str, ...]
    date: datetime.date
    note: str

    @property
    def last_day(self) -> datetime.date:
        return self.date - datetime.timedelta(days=1)


REORGANISATIONS: tuple[Reorganisation, ...] = (
    Reorganisation(
        "E06000028",
        "Bournemouth",
        ("E06000058",),
        datetime.date(2019, 4, 1),
        "Bournemouth, Christchurch and Poole replaced Bournemouth and Poole.",
    ),
    Reorganisation(
        "E06000029",
        "Poole",
        ("E06000058",),
        datetime.date(2019, 4, 1),
        "Bournemouth, Christchurch and Poole replaced Bournemouth and Poole.",
    ),
    Reorganisation(
        "E10000009",
        "Dorset (county council)",
        ("E06000059", "E06000058"),
        datetime.date(2019, 4, 1),
        "The unitary Dorset Council replaced the county council; Christchurch went to "
        "Bournemouth, Christchurch and Poole.",
    ),
    Reorganisation(
        "E10000021",
        "Northamptonshire",
        ("E06000062", "E06000061"),
        datetime.date(2021, 4, 1),
        "West Northamptonshire and North Northamptonshire replaced the county council; one "
        "children's trust serves both.",
    ),
    Reorganisation(
        "E10000006",
        "Cumbria",
        ("E06000063", "E06000064"),
        datetime.date(2023, 4, 1),
        "Cumberland and Westmorland and Furness replaced the county council.",
    ),
)

# --- values -------------------------------------------------------------------------------------

# Cell text -> stored symbol. ":" is the old GSS symbol for "not available", stored as "x".
SYMBOLS: dict[str, str] = {
    **{symbol.value: symbol.value for symbol in Symbol if symbol.value},
    ":": Symbol.NOT_AVAILABLE.value,
}
# A blank cell means nothing was published for that area, period and column (our own export
# leaves a cell blank where no figure exists): no observation is stored and the report counts it.

# --- periods ------------------------------------------------------------------------------------

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
TIME_IDENTIFIERS: dict[str, str] = {
    "Reporting year": PeriodKind.REPORTING_YEAR.value,
    "Financial year": PeriodKind.FINANCIAL_YEAR.value,
    "Academic year": PeriodKind.ACADEMIC_YEAR.value,
    "Calendar year": PeriodKind.CALENDAR_YEAR.value,
    **{month: PeriodKind.MONTH.value for month in MONTHS},
}
# Children's social care reporting years run to 31 March unless a release says otherwise.
DEFAULT_YEAR_END = (3, 31)

# --- releases -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One published column that becomes a catalogue indicator.

    ``numerator`` and ``denominator`` name the published counts the rate is made of; a
    denominator of several columns is their sum. ``where`` restricts the mapping to rows with these
    filter values.
    """

    source: str
    indicator: str
    numerator: tuple[str, ...] = ()
    denominator: tuple[str, ...] = ()
    where: Mapping[str, str] = field(default_factory=dict)

    def applies_to(self, filters: Mapping[str, str]) -> bool:
        return all(filters.get(name) == value for name, value in self.where.items())


@dataclass(frozen=True)
class Release:
    key: str
    title: str
    signature: frozenset[str]  # the columns that identify the release
    columns: tuple[Column, ...]
    filters: tuple[str, ...] = ()
    year_end: tuple[int, int] = DEFAULT_YEAR_END  # (month, day) a "Reporting year" ends on
    note: str = ""

    def used_columns(self) -> set[str]:
        """Columns read for mapped indicators: values, numerators, denominators."""
        used: set[str] = set()
        for column in self.columns:
            used.add(column.source)
            used.update(column.numerator)
            used.update(column.denominator)
        return used


REFERRALS = {"category": "Referrals and Re-referrals"}
REPEAT_PLANS = {"category": "Child Protection Plans which are a second or subsequent plan"}
LOOKED_AFTER_AT_31_MARCH = {"population_type": "Children looked after on 31 March each year"}

RELEASES: tuple[Release, ...] = (
    Release(
        key="csww",
        title="Children's social work workforce",
        signature=frozenset({"agency_rate_fte", "vacancy_rate_fte", "caseload_fte"}),
        # A snapshot at 30 September; turnover counts leavers in the year to that date.
        year_end=(9, 30),
        columns=(
            # Agency workers as a share of agency and directly employed social workers.
            Column(
                "agency_rate_fte",
                "agency_sw_pct",
                numerator=("agency_fte",),
                denominator=("inpost_fte", "agency_fte"),
            ),
            # Vacancies as a share of established posts (filled plus vacant).
            Column(
                "vacancy_rate_fte",
                "sw_vacancy_pct",
                numerator=("vacancy_fte",),
                denominator=("inpost_fte", "vacancy_fte"),
            ),
            Column(
                "turnover_rate_fte",
                "sw_turnover_pct",
                numerator=("leavers_fte",),
                denominator=("inpost_fte",),
            ),
            Column(
                "caseload_fte",
                "avg_caseload",
                numerator=("cases",),
                denominator=("case_holders_fte",),
            ),
            # Working days lost over working days available: the days available are not
            # published, so no numerator or denominator.
            Column("absence_rate_fte", "sw_absence_pct"),
        ),
        note="Kingston upon Thames and Richmond upon Thames (and, since 2021, North and West "
        "Northamptonshire) send one joint return: its figures are stored for each authority and "
        "marked as joint.",
    ),
    # The same release in its older headline layout (the 2017 to 2022 editions): rates only,
    # columns named with a "%" (some copies have it written "perc"). Same key, same indicators,
    # same 30 September date: never a second set of indicators.
    *(
        Release(
            key="csww",
            title="Children's social work workforce (older headline layout)",
            signature=frozenset({f"agency_worker_rate_fte_{mark}", f"vacancy_rate_fte_{mark}"}),
            year_end=(9, 30),
            columns=(
                Column(f"agency_worker_rate_fte_{mark}", "agency_sw_pct"),
                Column(f"vacancy_rate_fte_{mark}", "sw_vacancy_pct"),
                Column(f"turnover_rate_fte_{mark}", "sw_turnover_pct"),
                Column("caseload_fte", "avg_caseload"),
                Column(f"absence_rate_fte_{mark}", "sw_absence_pct"),
            ),
            note="An older edition's layout of the workforce release: its figures are the same "
            "indicators, and a newer edition's figures are never replaced by it.",
        )
        for mark in ("%", "perc")
    ),
    Release(
        key="c1",
        title="Children in need: referrals and re-referrals",
        signature=frozenset({"referral_count", "rereferral_percent"}),
        filters=("category",),
        columns=(
            Column(
                "rereferral_percent",
                "rereferrals_12m_pct",
                numerator=("rereferral_count",),
                denominator=("referral_count",),
                where=REFERRALS,
            ),
            Column("referral_count", "referrals_annual", where=REFERRALS),
        ),
    ),
    Release(
        key="d3",
        title="Children in need: child protection plans that were a second or subsequent plan",
        signature=frozenset({"CPP_start", "CPP_subsequent_percent"}),
        filters=("category",),
        columns=(
            Column(
                "CPP_subsequent_percent",
                "cp_plans_repeat_pct",
                numerator=("CPP_subsequent",),
                denominator=("CPP_start",),
                where=REPEAT_PLANS,
            ),
        ),
    ),
    Release(
        key="cla",
        title="Children looked after: number and rate per 10,000 children",
        signature=frozenset({"population_type", "children_count", "rate_per_10000"}),
        filters=("population_type",),
        columns=(
            Column(
                "rate_per_10000",
                "cla_rate_per_10k",
                numerator=("children_count",),
                denominator=("population_estimate",),
                where=LOOKED_AFTER_AT_31_MARCH,
            ),
            # Children looked after on 31 March: the month-end count of the monthly return.
            Column("children_count", "cla", where=LOOKED_AFTER_AT_31_MARCH),
        ),
    ),
    Release(
        key="care_leavers",
        title="Care leavers: activity and suitability of accommodation",
        # The activity and the accommodation files share their columns: the breakdown says which.
        signature=frozenset({"care_leaver_age", "breakdown", "care_leaver_percent"}),
        filters=("care_leaver_age", "breakdown"),
        columns=tuple(
            Column(
                "care_leaver_percent",
                f"care_leavers_{age_code}_{measure}_pct",
                where={"care_leaver_age": age, "breakdown": breakdown},
            )
            for age_code, age in (("19_21", "19 to 21 years"), ("17_18", "17 to 18 years"))
            for measure, breakdown in (
                ("eet", "Total in education, employment or training"),
                ("accom", "Accommodation considered suitable"),
            )
        ),
    ),
    Release(
        key="cla_placement_stability",
        title="Children looked after: placement stability",
        signature=frozenset({"cla_group", "placement_stability", "children_percent"}),
        filters=("cla_group", "placement_stability"),
        columns=(
            Column(
                "children_percent",
                "cla_3plus_placements_pct",
                where={
                    "cla_group": "CLA on 31 March",
                    "placement_stability": "With 3 or more placements during the year",
                },
            ),
            Column(
                "children_percent",
                "cla_long_term_stability_pct",
                where={
                    "cla_group": "Children looked after continuously for at least 2.5 years "
                    "on 31 March aged under 16 years",
                    "placement_stability": "Living with the same carer for at least 2 years",
                },
            ),
        ),
    ),
    Release(
        key="assessments",
        title="Children's social care assessments completed within 45 working days",
        signature=frozenset({"assessments_completed_within_45_days_percent"}),
        columns=(Column("assessments_completed_within_45_days_percent", "assessments_45wd_pct"),),
    ),
)

# Files no release recognises: unmapped columns are named with this key.
UNRECOGNISED_RELEASE_KEY = "ees"


def release_for_columns(columns: set[str] | frozenset[str]) -> Release | None:
    """The release whose signature columns are all present, or None."""
    for release in RELEASES:
        if release.signature <= columns:
            return release
    return None


def reporting_year_end(indicator_code: str) -> tuple[int, int]:
    """When a "Reporting year" ends for an indicator met in a column named by its code.

    Catalogue indicators take it from the release that feeds them; indicators derived from an
    unmapped column from the release their code starts with.
    """
    for release in RELEASES:
        if any(column.indicator == indicator_code for column in release.columns):
            return release.year_end
    for release in RELEASES:
        if indicator_code.startswith(f"{release.key}_"):
            return release.year_end
    return DEFAULT_YEAR_END


CATALOGUE_CODES = frozenset(item["code"] for item in CATALOGUE)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def derived_indicator_code(release_key: str, column: str, filters: Mapping[str, str]) -> str:
    """The code of an indicator made from an unmapped column (``--all-columns``).

    ``filters`` are the values of the filters that vary within the file, so each combination
    is its own indicator. Codes longer than the model allows end in a short hash.
    """
    parts = [release_key, _slug(column), *(_slug(value) for value in filters.values())]
    code = "_".join(part for part in parts if part)
    if len(code) > 80:
        digest = hashlib.sha1(code.encode()).hexdigest()[:8]
        code = f"{code[:71].rstrip('_')}_{digest}"
    return code


def derived_indicator_name(column: str, filters: Mapping[str, str]) -> str:
    if not filters:
        return column[:200]
    where = ", ".join(f"{name}: {value}" for name, value in filters.items())
    return f"{column} ({where})"[:200]
