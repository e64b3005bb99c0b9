"""Writes for the Annex A journey: analyse an upload (keeping aggregates only), then accept its
figures into the months' draft returns through the returns' own save service."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import transaction
from django.utils import timezone

from authorities.accounts import audit
from authorities.models import Action, AuditAction, Authority, actions_for
from indicators.annex_a import DEFAULT_LIMITS, Analysis, analyse
from indicators.annex_a.forms import file_limit
from indicators.annex_a.models import AnnexAUpload, TeamMonth
from indicators.annex_a.selectors import Outcome, comparison
from indicators.models import ChangeVia, MonthlyReturn
from indicators.returns import services as returns_services
from indicators.returns import validation


class UploadRefused(Exception):
    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


def _require_editor(user: Any, authority: Authority) -> None:
    if Action.EDIT not in actions_for(user, authority):
        raise UploadRefused(
            f"Only a data officer or administrator of {authority.name} can upload its Annex A"
        )


def _person(user: Any) -> str:
    return user.get_full_name() or user.get_username()


def analyse_upload(
    *, authority: Authority, user: Any, data: bytes
) -> tuple[AnnexAUpload, Analysis]:
    """Read the workbook (bytes only: the file is never written anywhere) and keep what the
    accept step needs: figures and the quality report, aggregates only. Raises the engine's
    UnreadableWorkbook for a file that cannot be read at all; nothing is kept then."""
    _require_editor(user, authority)
    analysis = analyse(data, limits=replace(DEFAULT_LIMITS, max_file_bytes=file_limit()))
    with transaction.atomic():  # after the reading, so no transaction waits on it
        upload = _keep(authority, user, analysis)
    return upload, analysis


def _keep(authority: Authority, user: Any, analysis: Analysis) -> AnnexAUpload:
    months = analysis.monthly.months
    versions = dict(
        MonthlyReturn.objects.filter(authority=authority, month__in=months).values_list(
            "month", "version"
        )
    )
    figures = [figure.as_dict() for figure in analysis.monthly.figures]
    upload = AnnexAUpload.objects.create(
        authority=authority,
        uploaded_by=user,
        uploaded_by_name=_person(user),
        sha256=analysis.sha256,
        rows_used=analysis.rows_read,
        rules_version=analysis.rules_version,
        months=[month.isoformat() for month in months],
        versions_seen={month.isoformat(): versions.get(month, 0) for month in months},
        figures=figures,
        quality=analysis.quality.as_dict(),
        caseload_threshold=analysis.teams.threshold,
    )
    # Counts per team and month only: the workers' names stay in ``analysis`` for the page.
    TeamMonth.objects.bulk_create(
        TeamMonth(upload=upload, **{k: v for k, v in row.__dict__.items()})
        for row in analysis.teams.rows
    )
    return upload


@dataclass
class Accepted:
    written: dict[datetime.date, int] = field(default_factory=dict)  # figures per month
    left: dict[datetime.date, int] = field(default_factory=dict)  # differing, return locked
    refused: list[str] = field(default_factory=list)  # figures the return's rules refused

    @property
    def total(self) -> int:
        return sum(self.written.values())


def _entry(line: Any) -> dict[str, str]:
    """The figure as the return form would send it, keeping the saved notes as they are."""
    saved = line.saved
    entry = {
        validation.INTERNAL_NOTE: saved.internal_note if saved else "",
        validation.PUBLISHED_NOTE: saved.published_note if saved else "",
        validation.EXPLANATION: saved.explanation if saved else "",
    }
    figure = line.figure
    if validation.is_ratio(line.indicator):
        entry[validation.NUMERATOR] = validation.number_text(figure["numerator"])
        entry[validation.DENOMINATOR] = validation.number_text(figure["denominator"])
    else:
        entry[validation.VALUE] = validation.number_text(figure["value"])
    return entry


@transaction.atomic
def accept_upload(*, upload: AnnexAUpload, user: Any) -> Accepted:
    """Every computed figure into its month's return as a draft value, through the returns'
    save service (history, version and four eyes unchanged). Submitted and approved returns are
    left as they are: their differences are counted for the person to take to an approver. One
    transaction: all the months or none."""
    authority = upload.authority
    _require_editor(user, authority)
    locked = AnnexAUpload.objects.select_for_update().get(pk=upload.pk)
    if not locked.is_pending:
        raise UploadRefused(
            "These figures were already accepted, or were computed too long ago: upload the "
            "workbook again"
        )
    accepted = Accepted()
    reason = f"Computed from Annex A (SHA-256 {locked.sha256[:12]}…)"
    for month_lines in comparison(locked):
        month = month_lines.month
        if month_lines.locked:
            accepted.left[month] = month_lines.count(Outcome.DIFFERS)
            continue
        wanted = {
            line.indicator.code: line
            for line in month_lines.lines
            if line.outcome in (Outcome.FILLS, Outcome.REPLACES)
        }
        entries = {code: _entry(line) for code, line in wanted.items()}
        checked = returns_services.check_entries(authority=authority, month=month, entries=entries)
        for code, entry in checked.items():
            if not entry.ok:  # the return's own rules say no: leave the figure as it was
                accepted.refused.append(f"{wanted[code].indicator.name}, {month:%B %Y}")
                del entries[code]
        if not entries:
            accepted.written[month] = 0
            continue
        try:
            result = returns_services.save_return_values(
                authority=authority,
                month=month,
                user=user,
                entries=entries,
                version=locked.versions_seen.get(month.isoformat(), 0),
                via=ChangeVia.ANNEX_A,
                reason=reason,
                annex_a_upload=locked,
            )
        except returns_services.StaleReturn as stale:
            raise UploadRefused(
                f"The {month:%B %Y} return was saved by someone since these figures were "
                "worked out, so nothing was put into any return: upload the workbook again to "
                "see the figures beside what is saved now"
            ) from stale
        accepted.written[month] = result.count
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["accepted_at"])
    audit.record(
        AuditAction.RETURN_SAVED,
        user=user,
        authority=authority,
        detail=f"Annex A figures accepted into drafts ({accepted.total} figures, "
        f"SHA-256 {locked.sha256})",
    )
    return accepted
