"""Reads for board packs. Every read is scoped to the packs the person may open."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import Http404

from authorities.models import Authority

from .models import BoardPack


def packs_for(user: Any, authority: Authority) -> list[BoardPack]:
    """The authority's packs ``user`` may open, newest meeting and version first, without
    their snapshots (a list needs none)."""
    return list(
        BoardPack.objects.for_user(user)
        .filter(authority=authority)
        .defer("snapshot")
        .order_by("-meeting_date", "-version")
    )


def get_pack(user: Any, authority: Authority, pk: int) -> BoardPack:
    """The pack, if ``user`` may open it: anyone else finds nothing here."""
    pack = BoardPack.objects.for_user(user).filter(authority=authority, pk=pk).first()
    if pack is None:
        raise Http404(f"{authority.name} has no board pack {pk} that you can open")
    return pack


def previous_pack(authority: Authority, meeting_date: datetime.date) -> BoardPack | None:
    """The newest version of the pack for the authority's last meeting before this one."""
    return (
        BoardPack.objects.filter(authority=authority, meeting_date__lt=meeting_date)
        .defer("snapshot")
        .order_by("-meeting_date", "-version")
        .first()
    )
