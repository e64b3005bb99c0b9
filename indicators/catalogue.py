"""The indicator catalogue: the monthly return core set and the official annual measures.

This is the one place that says what each indicator means, its unit and which way is better.
Definitions are our own words. Polarity agrees with DfE's own tools (design brief, section 4).
"""

from __future__ import annotations

from typing import Any

C = "count"
P = "percent"
N = "number"
R = "rate_per_10000"
HIGHER, LOWER, NEITHER = "higher", "lower", "neither"

CATALOGUE: list[dict[str, Any]] = [
    # --- the monthly return core set (design brief, section 4) ---
    dict(
        code="contacts",
        name="Contacts received",
        short_name="Contacts",
        unit=C,
        polarity=NEITHER,
        entry="count",
        definition="Contacts about a child received by children's social care in the month, "
        "from any source, whether or not they led to a referral.",
    ),
    dict(
        code="contacts_decided_1wd_pct",
        name="Contacts with a decision within 1 working day",
        short_name="Contact decisions in 1 day",
        unit=P,
        polarity=HIGHER,
        entry="ratio",
        numerator_label="Contacts decided within 1 working day",
        denominator_label="Contacts received",
        definition="Share of contacts received in the month on which a decision about next "
        "steps was made by the end of the next working day.",
    ),
    dict(
        code="referrals",
        name="Referrals received",
        short_name="Referrals",
        unit=C,
        polarity=NEITHER,
        entry="count",
        definition="Contacts accepted as referrals to children's social care in the month.",
    ),
    dict(
        code="rereferrals_12m_pct",
        name="Referrals within 12 months of a previous referral",
        short_name="Re-referrals",
        unit=P,
        polarity=LOWER,
        entry="ratio",
        numerator_label="Referrals within 12 months of a previous referral",
        denominator_label="Referrals received",
        official_source_column="rereferral_percent",
        definition="Share of referrals about a child who had already been referred in the "
        "previous 12 months. A high share can mean earlier work was closed too soon.",
    ),
    dict(
        code="assessments_45wd_pct",
        name="Assessments completed within 45 working days",
        short_name="Assessments in 45 days",
        unit=P,
        polarity=HIGHER,
        entry="ratio",
        numerator_label="Assessments completed within 45 working days",
        denominator_label="Assessments completed",
        official_source_column="assessments_completed_within_45_days_percent",
        definition="Share of children's social care assessments finished within the 45 "
        "working days statutory guidance allows.",
    ),
    dict(
        code="s47_enquiries",
        name="Section 47 enquiries started",
        short_name="Section 47 enquiries",
        unit=C,
        polarity=NEITHER,
        entry="count",
        definition="Child protection enquiries under section 47 of the Children Act 1989 "
        "started in the month.",
    ),
    dict(
        code="icpc_15wd_pct",
        name="Initial child protection conferences within 15 working days of the "
        "strategy discussion",
        short_name="Conferences in 15 days",
        unit=P,
        polarity=HIGHER,
        entry="ratio",
        numerator_label="Conferences held within 15 working days",
        denominator_label="Initial conferences held",
        definition="Share of initial child protection conferences held within 15 working "
        "days of the strategy discussion that started the enquiry.",
    ),
    dict(
        code="cp_plans",
        name="Children subject to a child protection plan at month end",
        short_name="Child protection plans",
        unit=C,
        polarity=NEITHER,
        entry="count",
        definition="Children with a child protection plan in force on the last day of the month.",
    ),
    dict(
        code="cp_plans_repeat_pct",
        name="Child protection plans that are a second or subsequent plan",
        short_name="Repeat plans",
        unit=P,
        polarity=LOWER,
        entry="ratio",
        numerator_label="Plans started that were a second or subsequent plan",
        denominator_label="Plans started",
        official_source_column="CPP_subsequent_percent",
        definition="Share of child protection plans started that were not the child's first plan.",
    ),
    dict(
        code="cp_visits_in_time_pct",
        name="Children on a plan visited within timescale",
        short_name="Plan visits in time",
        unit=P,
        polarity=HIGHER,
        entry="ratio",
        numerator_label="Children on a plan visited within timescale",
        denominator_label="Children on a plan",
        definition="Share of children on a child protection plan whose statutory visit "
        "happened within the timescale the authority sets.",
    ),
    dict(
        code="cla",
        name="Children looked after at month end",
        short_name="Children looked after",
        unit=C,
        polarity=NEITHER,
        entry="count",
        definition="Children in the authority's care on the last day of the month.",
    ),
    dict(
        code="cla_visits_in_time_pct",
        name="Children looked after visited within timescale",
        short_name="Looked-after visits in time",
        unit=P,
        polarity=HIGHER,
        entry="ratio",
        numerator_label="Children looked after visited within timescale",
        denominator_label="Children looked after",
        definition="Share of children in care whose statutory visit happened on time.",
    ),
    dict(
        code="cla_reviews_in_time_pct",
        name="Looked-after reviews held within timescale",
        short_name="Care reviews in time",
        unit=P,
        polarity=HIGHER,
        entry="ratio",
        numerator_label="Reviews held within timescale",
        denominator_label="Reviews due",
        definition="Share of reviews of a looked-after child's care plan held by the date "
        "they were due.",
    ),
    dict(
        code="rhi_72h_pct",
        name="Return home interviews offered within 72 hours",
        short_name="Return interviews in 72 hours",
        unit=P,
        polarity=HIGHER,
        entry="ratio",
        numerator_label="Interviews offered within 72 hours",
        denominator_label="Children returning from missing",
        definition="Share of children returning from a missing episode who were offered an "
        "independent interview within 72 hours.",
    ),
    dict(
        code="care_leavers_eet_pct",
        name="Care leavers in education, employment or training",
        short_name="Care leavers in EET",
        unit=P,
        polarity=HIGHER,
        entry="ratio",
        numerator_label="Care leavers in education, employment or training",
        denominator_label="Care leavers in touch",
        definition="Share of care leavers the authority is in touch with who are in "
        "education, employment or training.",
    ),
    dict(
        code="care_leavers_accom_pct",
        name="Care leavers in suitable accommodation",
        short_name="Care leavers suitably housed",
        unit=P,
        polarity=HIGHER,
        entry="ratio",
        numerator_label="Care leavers in suitable accommodation",
        denominator_label="Care leavers in touch",
        definition="Share of care leavers the authority is in touch with whose accommodation "
        "is judged suitable.",
    ),
    dict(
        code="unallocated_cases",
        name="Open cases without an allocated social worker at month end",
        short_name="Unallocated cases",
        unit=C,
        polarity=LOWER,
        entry="count",
        definition="Open cases with no named social worker on the last day of the month.",
    ),
    dict(
        code="avg_caseload",
        name="Average caseload per case-holding social worker (FTE)",
        short_name="Average caseload",
        unit=N,
        polarity=LOWER,
        entry="ratio",
        decimals=1,
        numerator_label="Cases held",
        denominator_label="Case-holding social workers (FTE)",
        official_source_column="caseload_fte",
        definition="Cases held divided by the full-time equivalent number of social workers "
        "who hold cases.",
    ),
    dict(
        code="agency_sw_pct",
        name="Agency social workers (FTE %)",
        short_name="Agency social workers",
        unit=P,
        polarity=LOWER,
        entry="ratio",
        numerator_label="Agency social workers (FTE)",
        denominator_label="All social workers (FTE)",
        official_source_column="agency_rate_fte",
        definition="Agency workers as a share of all children and family social workers, "
        "counted in full-time equivalents.",
    ),
    dict(
        code="sw_vacancy_pct",
        name="Social worker vacancy rate (FTE %)",
        short_name="Vacancy rate",
        unit=P,
        polarity=LOWER,
        entry="ratio",
        numerator_label="Vacant posts (FTE)",
        denominator_label="Established posts (FTE)",
        official_source_column="vacancy_rate_fte",
        definition="Vacant social worker posts as a share of all posts, in full-time equivalents.",
    ),
    dict(
        code="supervision_in_time_pct",
        name="Social workers supervised within timescale",
        short_name="Supervision in time",
        unit=P,
        polarity=HIGHER,
        entry="ratio",
        numerator_label="Social workers supervised within timescale",
        denominator_label="Social workers due supervision",
        definition="Share of social workers whose formal supervision took place when due.",
    ),
    # --- official annual measures that have no monthly counterpart ---
    dict(
        code="sw_turnover_pct",
        name="Social worker turnover rate (FTE %)",
        short_name="Turnover rate",
        unit=P,
        polarity=LOWER,
        frequency="annual",
        official_source_column="turnover_rate_fte",
        definition="Social workers who left in the year as a share of those in post, in "
        "full-time equivalents.",
    ),
    dict(
        code="sw_absence_pct",
        name="Social worker sickness absence rate (%)",
        short_name="Absence rate",
        unit=P,
        polarity=LOWER,
        frequency="annual",
        official_source_column="absence_rate_fte",
        definition="Working days lost to sickness as a share of the working days available.",
    ),
    dict(
        code="cla_rate_per_10k",
        name="Children looked after per 10,000 children",
        short_name="Looked-after rate",
        unit=R,
        polarity=NEITHER,
        frequency="annual",
        official_source_column="rate_per_10000",
        definition="Children in care on 31 March for every 10,000 children living in the area.",
    ),
    dict(
        code="care_leavers_19_21_eet_pct",
        name="Care leavers aged 19 to 21 in education, employment or training",
        short_name="Care leavers 19-21 in EET",
        unit=P,
        polarity=HIGHER,
        frequency="annual",
        decimals=0,
        official_source_column="care_leaver_percent",
        definition="Of the young people aged 19 to 21 who were looked after for at least 13 weeks "
        "after their 14th birthday, the share in education, employment or training around "
        "their birthday in the year to 31 March (those the authority has no information on "
        "count among all).",
    ),
    dict(
        code="care_leavers_17_18_eet_pct",
        name="Care leavers aged 17 to 18 in education, employment or training",
        short_name="Care leavers 17-18 in EET",
        unit=P,
        polarity=HIGHER,
        frequency="annual",
        decimals=0,
        official_source_column="care_leaver_percent",
        definition="As for ages 19 to 21, for care leavers aged 17 and 18.",
    ),
    dict(
        code="care_leavers_19_21_accom_pct",
        name="Care leavers aged 19 to 21 in suitable accommodation",
        short_name="Care leavers 19-21 suitably housed",
        unit=P,
        polarity=HIGHER,
        frequency="annual",
        decimals=0,
        official_source_column="care_leaver_percent",
        definition="Of the care leavers aged 19 to 21, the share whose accommodation around "
        "their birthday in the year to 31 March the authority considered suitable.",
    ),
    dict(
        code="care_leavers_17_18_accom_pct",
        name="Care leavers aged 17 to 18 in suitable accommodation",
        short_name="Care leavers 17-18 suitably housed",
        unit=P,
        polarity=HIGHER,
        frequency="annual",
        decimals=0,
        official_source_column="care_leaver_percent",
        definition="As for ages 19 to 21, for care leavers aged 17 and 18.",
    ),
    dict(
        code="cla_3plus_placements_pct",
        name="Children looked after with three or more placements in the year",
        short_name="Three or more placements",
        unit=P,
        polarity=LOWER,
        frequency="annual",
        decimals=0,
        official_source_column="children_percent",
        definition="Of the children looked after on 31 March, the share who had three or more "
        "placements during the year.",
    ),
    dict(
        code="cla_long_term_stability_pct",
        name="Children looked after long term living with the same carer for two years",
        short_name="Long-term placement stability",
        unit=P,
        polarity=HIGHER,
        frequency="annual",
        decimals=0,
        official_source_column="children_percent",
        definition="Of the children under 16 looked after continuously for at least two and a "
        "half years on 31 March, the share who had lived with the same carer for at least two "
        "years.",
    ),
    dict(
        code="referrals_annual",
        name="Referrals in the year",
        short_name="Referrals in the year",
        unit=C,
        polarity=NEITHER,
        frequency="annual",
        official_source_column="referral_count",
        definition="Referrals to children's social care in the year to 31 March.",
    ),
]

DEFAULTS = {
    "short_name": "",
    "definition": "",
    "decimals": None,
    "frequency": "monthly",
    "entry": "",
    "numerator_label": "",
    "denominator_label": "",
    "official_source_column": "",
}


def catalogue_rows() -> list[dict[str, Any]]:
    """The catalogue with every field filled in, in display order."""
    rows = []
    for order, item in enumerate(CATALOGUE, start=1):
        row = {**DEFAULTS, **item}
        row["in_monthly_return"] = row["frequency"] == "monthly"
        if row["decimals"] is None:
            # DfE's decimals: counts and rates per 10,000 children are whole numbers.
            row["decimals"] = 0 if row["unit"] in (C, R) else 1
        row["sort_order"] = order
        rows.append(row)
    return rows


def sync_catalogue(indicator_model: Any) -> int:
    """Create or update every catalogue indicator. Works with a migration's historical model."""
    for row in catalogue_rows():
        code = row.pop("code")
        indicator_model.objects.update_or_create(code=code, defaults=row)
    return len(CATALOGUE)
