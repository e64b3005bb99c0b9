"""Making a board pack: the one write of this journey."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from authorities import dates
from authorities.models import Action, Authority, actions_for
from reports import selectors as report_selectors

from . import build
from .models import BoardPack
from .selectors import previous_pack


def may_make_packs(user: Any, authority: Authority) -> bool:
    """The authority's members (board members too), DfE users and administrators: everyone who
    may see the authority's own business. Packs show only published figures."""
    return Action.VIEW in actions_for(user, authority)


def _person(user: Any) -> str:
    return user.get_full_name() or user.get_username()


@transaction.atomic
def make_pack(
    *,
    authority: Authority,
    meeting_date: datetime.date,
    user: Any,
    today: datetime.date | None = None,
) -> BoardPack:
    """A new version of the pack for ``authority``'s meeting on ``meeting_date``, built now
    and kept as it is. Earlier versions for the same meeting stay as they were."""
    if not may_make_packs(user, authority):
        raise PermissionDenied(f"You cannot make board packs for {authority.name}")
    dates.plan_dates(today).check(meeting_date, what="The meeting date")
    # One pack at a time per authority, so two people making one at once get versions 1 and 2.
    Authority.objects.select_for_update().filter(pk=authority.pk).first()
    version = (
        BoardPack.objects.filter(authority=authority, meeting_date=meeting_date).aggregate(
            highest=Max("version")
        )["highest"]
        or 0
    ) + 1
    previous = previous_pack(authority, meeting_date)
    window = (
        build.Window(
            start=previous.meeting_date,
            end=meeting_date,
            previous_meeting=previous.meeting_date,
            previous_pack_id=previous.pk,
        )
        if previous
        else build.first_window(meeting_date)
    )
    with_history = report_selectors.get_authority(authority.gss_code, with_history=True)
    snapshot = build.build_pack(with_history, meeting_date=meeting_date, window=window, today=today)
    return BoardPack.objects.create(
        authority=authority,
        meeting_date=meeting_date,
        version=version,
        made_by=user,
        made_by_name=_person(user),
        made_at=timezone.now(),
        snapshot=snapshot,
    )
