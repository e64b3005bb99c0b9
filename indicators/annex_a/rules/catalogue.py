"""The catalogue of measures: what each needs from the lists and how it is described to
users. Add a measure here and its counter in the module for its group."""

from __future__ import annotations

from indicators.annex_a.rules.common import Measure, Need, Unit

# --- the measures ------------------------------------------------------------------------------

L6_OPEN = Need(6, ("cin_start", "cin_closure", "worker"))
L7_OPEN = Need(7, ("cp_start", "cp_end", "worker"), optional=True)
L8_OPEN = Need(8, ("cla_start", "cla_end", "worker"), optional=True)

MEASURES: tuple[Measure, ...] = (
    Measure(
        "contacts",
        "Contacts received",
        Unit.COUNT,
        (Need(1, ("contact_date",)),),
        "Every row of List 1 whose “Date of Contact” falls in the month. Each contact counts, so "
        "a child contacted twice counts twice.",
    ),
    Measure(
        "referrals",
        "Referrals received",
        Unit.COUNT,
        (Need(3, ("referral_date",)),),
        "Every row of List 3 whose “Date of Referral” falls in the month. A child referred "
        "twice counts twice.",
    ),
    Measure(
        "rereferrals_12m_pct",
        "Referrals within 12 months of a previous referral",
        Unit.PERCENT,
        (Need(3, ("referral_date", "referrals_12m")),),
        "Of the referrals received in the month (List 3), the share about a child referred in "
        "the 12 months before: “Number of Referrals in Last 12 Months” is 2 or more (the count "
        "includes the referral itself), or the list holds an earlier referral of the same child "
        "within 12 months. A referral for which neither can be told is left out.",
        numerator_label="Referrals within 12 months of a previous referral",
        denominator_label="Referrals received",
    ),
    Measure(
        "assessments_45wd_pct",
        "Assessments completed within 45 working days",
        Unit.PERCENT,
        (Need(4, ("assessment_start", "assessment_authorised")),),
        "Of the assessments authorised in the month (List 4, “Continuous Assessment Date of "
        "Authorisation”), the share authorised within {assessment_days} working days of their "
        "start. Working days leave out weekends and England and Wales bank holidays; the day "
        "after the start is day 1.",
        numerator_label="Assessments completed within 45 working days",
        denominator_label="Assessments completed",
    ),
    Measure(
        "s47_enquiries",
        "Section 47 enquiries started",
        Unit.COUNT,
        (Need(5, ("strategy_date",)),),
        "Every row of List 5 whose strategy discussion (the start of the section 47 enquiry) "
        "falls in the month.",
    ),
    Measure(
        "icpc_15wd_pct",
        "Initial child protection conferences within 15 working days of the strategy discussion",
        Unit.PERCENT,
        (Need(5, ("strategy_date", "icpc_date")),),
        "Of the initial child protection conferences held in the month (List 5), the share held "
        "within {icpc_days} working days of the strategy discussion that started the enquiry.",
        numerator_label="Conferences held within 15 working days",
        denominator_label="Initial conferences held",
    ),
    Measure(
        "cp_plans",
        "Children subject to a child protection plan at month end",
        Unit.COUNT,
        (Need(7, ("cp_start", "cp_end")),),
        "Children in List 7 whose plan had started by the last day of the month and had not "
        "ended by then (no end date, or an end date after that day). Each child counts once.",
    ),
    Measure(
        "cp_plans_repeat_pct",
        "Child protection plans that are a second or subsequent plan",
        Unit.PERCENT,
        (Need(7, ("cp_start", "previous_cp_plans")),),
        "Of the plans that started in the month (List 7), the share that were not the child's "
        "first: “Number of Previous Child Protection Plans” is 1 or more, or the list holds an "
        "earlier plan for the same child.",
        numerator_label="Plans started that were a second or subsequent plan",
        denominator_label="Plans started",
    ),
    Measure(
        "cp_visits_in_time_pct",
        "Children on a plan visited within timescale",
        Unit.PERCENT,
        (Need(7, ("cp_start", "cp_end", "cp_last_visit")),),
        "Of the children on a plan at the end of the month, the share whose last statutory "
        "visit was no more than {cp_visit_working_days} working days before the month's last "
        "day; a child whose plan began within those {cp_visit_working_days} working days counts "
        "as in time. List 7 gives only each child's latest visit, so a month is counted only "
        "when no child's latest visit came after it: in practice, the month the workbook ends.",
        numerator_label="Children on a plan visited within timescale",
        denominator_label="Children on a plan",
        as_at=True,
    ),
    Measure(
        "cla",
        "Children looked after at month end",
        Unit.COUNT,
        (Need(8, ("cla_start", "cla_end")),),
        "Children in List 8 who had started to be looked after by the last day of the month and "
        "had not ceased by then. Each child counts once.",
    ),
    Measure(
        "cla_visits_in_time_pct",
        "Children looked after visited within timescale",
        Unit.PERCENT,
        (Need(8, ("cla_start", "cla_end", "cla_last_visit")),),
        "Of the children looked after at the end of the month, the share whose last social "
        "work visit was no more than {cla_visit_days} days before the month's last day; a child "
        "who started to be looked after within the last {cla_first_visit_days} days counts as "
        "in time. As with plan visits, a month is counted only when no child's latest visit "
        "came after it.",
        numerator_label="Children looked after visited within timescale",
        denominator_label="Children looked after",
        as_at=True,
    ),
    Measure(
        "cla_reviews_in_time_pct",
        "Looked-after reviews held within timescale",
        Unit.PERCENT,
        (Need(8, ("cla_start", "cla_end", "cla_last_review")),),
        "Of the children looked after at the end of the month whose first review was due "
        "(looked after for more than {cla_first_review_working_days} working days), the share "
        "whose latest review was still in date: a first review (held within "
        "{cla_first_review_working_days} working days of the start) lasts "
        "{cla_second_review_months} months, any later one {cla_review_months} months. A child "
        "with no review in the current period of care counts as late. A month is counted only "
        "when no child's latest review came after it.",
        numerator_label="Reviews held within timescale",
        denominator_label="Reviews due",
        as_at=True,
    ),
    Measure(
        "care_leavers_eet_pct",
        "Care leavers in education, employment or training",
        Unit.PERCENT,
        (Need(9, ("in_touch", "activity")),),
        "Of the care leavers in List 9 the authority is in touch with (“LA in Touch” is Yes), "
        "the share in education, employment or training (activity codes beginning F or P; G "
        "codes are not). A care leaver in touch with no activity recorded counts as not known "
        "to be. List 9 describes care leavers on the day the workbook was produced, so this is "
        "given for the month ending that day.",
        numerator_label="Care leavers in education, employment or training",
        denominator_label="Care leavers in touch",
        as_at=True,
    ),
    Measure(
        "care_leavers_accom_pct",
        "Care leavers in suitable accommodation",
        Unit.PERCENT,
        (Need(9, ("in_touch", "accommodation_suitable")),),
        "Of the care leavers in List 9 the authority is in touch with, the share whose "
        "accommodation is recorded as suitable. A care leaver in touch with no judgement "
        "recorded counts as not known to be. Given for the month ending on the day the workbook "
        "was produced.",
        numerator_label="Care leavers in suitable accommodation",
        denominator_label="Care leavers in touch",
        as_at=True,
    ),
    Measure(
        "unallocated_cases",
        "Open cases without an allocated social worker at month end",
        Unit.COUNT,
        (L6_OPEN, L7_OPEN, L8_OPEN),
        "Children open at the end of the month (an open episode in List 6, a plan in List 7 or a "
        "period of care in List 8) for whom no list names an allocated worker: a blank, or words "
        "such as “Unallocated”. Allocation is recorded as on the day the workbook was produced, "
        "so this is given for the month ending that day.",
        as_at=True,
    ),
    Measure(
        "children_per_allocated_worker",
        "Children per allocated worker at month end",
        Unit.NUMBER,
        (L6_OPEN, L7_OPEN, L8_OPEN),
        "Open children with an allocated worker at the end of the month, divided by the number "
        "of different workers holding them. It counts heads, not full-time equivalents, so it "
        "sits beside the average caseload per FTE (entered by hand) rather than replacing it. "
        "Given for the month ending on the day the workbook was produced.",
        numerator_label="Open children with an allocated worker",
        denominator_label="Workers holding open cases",
        as_at=True,
        in_catalogue=False,
    ),
)

MEASURES_BY_CODE = {m.code: m for m in MEASURES}

# Monthly-return indicators the lists cannot give; they stay entered by hand.
HAND_ENTERED = (
    "contacts_decided_1wd_pct",
    "rhi_72h_pct",
    "avg_caseload",
    "agency_sw_pct",
    "sw_vacancy_pct",
    "supervision_in_time_pct",
)
