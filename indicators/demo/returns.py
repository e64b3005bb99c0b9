"""The demo users' authority sends its returns through Trajectory: its approved demo returns get
the figures they were approved with."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from authorities.models import Authority
from indicators.models import Observation, PeriodKind, Source
from indicators.returns.models import MonthlyReturn, ReturnStatus, ReturnValue


@transaction.atomic
def fill_demo_return_values(authority: Authority) -> int:
    """Make the authority the one that sends its returns through Trajectory (the demo users'):
    its approved demo returns get the figures they were approved with (the demo observations
    for their month), and those monthly figures become published return figures (source
    "monthly return"), as approving them in the app would have made them. The open month keeps
    no figure until its return is approved, so the chart and headlines show one monthly series.

    Only one authority's: the rest keep their figures as observations, which is all the charts
    need, and the national-scale load stays fast.
    """
    # The services import much of the app; needed only here.
    from indicators.returns.services import release_name

    returns = {
        r.month: r
        for r in MonthlyReturn.objects.filter(
            authority=authority, is_demo=True, status=ReturnStatus.APPROVED
        )
    }
    mine = Observation.objects.filter(
        area_code=authority.gss_code,
        period_kind=PeriodKind.MONTH,
        indicator__in_monthly_return=True,
    )
    # Simulated figures, or the same figures already published by an earlier run.
    monthly = mine.filter(
        source__in=[Source.DEMO, Source.MONTHLY_RETURN], period_start__in=list(returns)
    ).values_list("id", "period_start", "indicator_id", "value", "numerator", "denominator")
    ReturnValue.objects.filter(monthly_return__in=list(returns.values())).delete()
    values = []
    published = []
    for pk, month, indicator_id, value, numerator, denominator in monthly:
        monthly_return = returns[month]
        values.append(
            ReturnValue(
                monthly_return=monthly_return,
                indicator_id=indicator_id,
                value=value,
                numerator=numerator,
                denominator=denominator,
                internal_note="Simulated figure from the demo generator.",
            )
        )
        approved = timezone.localtime(monthly_return.approved_at).date()
        published.append(
            Observation(
                pk=pk,
                source=Source.MONTHLY_RETURN,
                release=release_name(monthly_return),
                section=f"Approved on {approved.day} {approved:%B %Y} (simulated return)",
            )
        )
    ReturnValue.objects.bulk_create(values, batch_size=2000)
    Observation.objects.bulk_update(published, ["source", "release", "section"], batch_size=2000)
    # The months without an approved return (the open one): no figure until it is approved.
    mine.filter(source=Source.DEMO).exclude(period_start__in=list(returns)).delete()
    return len(values)
