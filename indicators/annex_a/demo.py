"""The demo shows the whole Annex A path: a fictional workbook for the demo users' authority,
computed and accepted by its demo data officer (drafts filled, approved returns left with their
differences listed), and the workbook left on disk for a newcomer to upload themselves."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings

from authorities.models import Authority
from indicators.annex_a import fictional
from indicators.annex_a.services import Accepted, accept_upload, analyse_upload
from indicators.models import MonthlyReturn
from indicators.returns import selectors as returns_selectors

DEMO_WORKBOOK = Path("artefacts/demo-annex-a.xlsx")  # relative to BASE_DIR; gitignored
DEMO_MONTHS = 6


def demo_workbook(
    *, seed: int, months: int = DEMO_MONTHS, today: datetime.date | None = None
) -> bytes:
    """A fictional Annex A covering ``months`` months up to the latest return month."""
    latest = returns_selectors.latest_month(today or datetime.date.today())
    end = returns_selectors.add_months(latest, 1) - datetime.timedelta(days=1)
    return fictional.make_workbook(seed=seed, months=months, end=end)


def compute_demo_returns(
    *, authority: Authority, data_officer: Any, seed: int, months: int = DEMO_MONTHS
) -> Accepted:
    """Upload and accept a fictional workbook as the demo data officer would, and leave it at
    ``DEMO_WORKBOOK`` (fictional: no real child is in it)."""
    data = demo_workbook(seed=seed, months=min(months, DEMO_MONTHS))
    path = Path(settings.BASE_DIR) / DEMO_WORKBOOK
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    upload, _analysis = analyse_upload(authority=authority, user=data_officer, data=data)
    accepted = accept_upload(upload=upload, user=data_officer)
    # A month the demo had no return for was started by accepting: it is demo data too.
    MonthlyReturn.objects.filter(authority=authority, month__in=upload.months).update(is_demo=True)
    return accepted
