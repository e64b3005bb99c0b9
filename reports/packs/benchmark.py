"""The board pack's part of ``manage.py benchmark``: the time to make a pack, and to make its
PDF as a member downloads it (the budget is under 10 s on the project's machine)."""

from __future__ import annotations

import statistics
import time

from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from authorities.models import Authority, Membership, Role
from indicators.milestones.models import Milestone
from reports.benchmark.loads import Timing

from . import services
from .models import BoardPack

PDF_BUDGET_SECONDS = 10


def board_pack_timings(*, repeats: int = 3) -> list[Timing]:
    """Make a pack for the authority the benchmark's pages use (one with milestones), then
    download its PDF ``repeats`` times; the pack made is removed again."""
    authority = (
        Authority.objects.filter(pk__in=Milestone.objects.values("authority")).first()
        or Authority.objects.order_by("gss_code").first()
    )
    if authority is None:
        return []
    user, _ = get_user_model().objects.get_or_create(username="bench-board-member")
    Membership.objects.get_or_create(user=user, authority=authority, role=Role.BOARD_MEMBER)
    started = time.perf_counter()
    pack = services.make_pack(authority=authority, meeting_date=timezone.localdate(), user=user)
    made = time.perf_counter() - started
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    url = reverse("reports:pack_pdf", args=[authority.gss_code, pack.pk])
    durations = []
    size = 0
    try:
        for _ in range(max(1, repeats)):
            started = time.perf_counter()
            response = client.get(url)
            durations.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"The board pack PDF answered {response.status_code}")
            size = len(response.content)
    finally:
        BoardPack.objects.filter(pk=pack.pk).delete()
    measures = len(pack.snapshot["measures"])
    return [
        Timing("board pack made", round(made, 2), f"{authority.name}, {measures} measures"),
        Timing(
            "board pack PDF",
            round(statistics.median(durations), 2),
            f"median of {len(durations)}, {size / 1024:.0f} KB, budget {PDF_BUDGET_SECONDS} s",
        ),
    ]
