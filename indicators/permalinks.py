"""A published figure's link outlives its row.

Figures are removed when a return is reopened (withdrawn: nobody may read them until the return
is approved again) and when a newer copy replaces one. Their ids are kept with what they were
figures of (``RetiredObservation``), so ``/figures/<id>/source/`` can lead to the figure published
for the same area, indicator, period and source now, and to nothing while none is.
"""

from __future__ import annotations

import itertools

from django.db.models import QuerySet
from django.utils import timezone

from .models import Observation, RetiredObservation, Retirement

BATCH = 1000
IDENTITY = ("indicator_id", "area_code", "period_kind", "period_start", "source")


def retire(observations: QuerySet[Observation], *, reason: Retirement) -> int:
    """Delete the figures, keeping each id and what it was a figure of. Call it inside the
    transaction that removes them. Returns how many were removed."""
    now = timezone.now()
    retired = [
        RetiredObservation(
            id=pk,
            indicator_id=indicator_id,
            area_code=area_code,
            period_kind=period_kind,
            period_start=period_start,
            source=source,
            retired_at=now,
            reason=reason,
        )
        for pk, indicator_id, area_code, period_kind, period_start, source in (
            observations.order_by().values_list("id", *IDENTITY)
        )
    ]
    if not retired:
        return 0
    RetiredObservation.objects.bulk_create(retired, batch_size=BATCH)
    for batch in itertools.batched((r.id for r in retired), BATCH):
        Observation.objects.filter(pk__in=batch).delete()
    return len(retired)
