"""A return uploaded as a file: read, checked and saved through the same rules as the form,
and recorded in the audit log whatever happened."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from authorities.accounts import audit
from authorities.models import Action, AuditAction, Authority
from authorities.toolkit.importing import ImportFailed, ImportReport
from indicators.returns.models import (
    ChangeVia,
    MonthlyReturn,
)

from .. import selectors as returns_selectors
from .. import uploads
from .saving import (
    StaleReturn,
    StaleUpload,
    _require,
    require_editable,
    save_return_values,
)


def import_return_upload(
    *,
    authority: Authority,
    month: datetime.date,
    user: AbstractBaseUser | AnonymousUser,
    file_name: str,
    content: bytes,
    version: int | None = None,
) -> ImportReport:
    """A filled-in CSV or Excel template: every row read and checked by the same rules as the
    form; any problem (by row and column) raises ImportFailed and nothing is written. Like the
    form, it is refused (StaleUpload, nothing written) if the return was saved since the
    version the file was made from (its template_version row) or, for a file without one,
    since ``version``, the version shown on the page it was uploaded from. Every outcome goes
    to the audit log."""
    try:
        with transaction.atomic():
            report = _import_return_upload(
                authority=authority,
                month=month,
                user=user,
                file_name=file_name,
                content=content,
                version=version,
            )
            audit.record(
                AuditAction.RETURN_UPLOADED,
                user=user,
                authority=authority,
                detail=f"{file_name} for {month:%Y-%m}: {report.updated} indicators changed, "
                f"{report.unchanged} unchanged",
            )
    except StaleUpload as stale:
        made_from = "template" if stale.from_template else "page"
        audit.record(
            AuditAction.UPLOAD_FAILED,
            user=user,
            authority=authority,
            detail=f"{file_name} for {month:%Y-%m}: nothing changed, the return was saved since "
            f"the version the upload was made from ({made_from} version {stale.seen_version}, "
            f"now {stale.current_version})",
        )
        raise
    except ImportFailed as failure:
        count = len(failure.errors)
        audit.record(
            AuditAction.UPLOAD_FAILED,
            user=user,
            authority=authority,
            detail=f"{file_name} for {month:%Y-%m}: {count} problem{'s' if count != 1 else ''}\n"
            + failure.summary(limit=10),
        )
        raise
    return report


def _import_return_upload(
    *,
    authority: Authority,
    month: datetime.date,
    user: AbstractBaseUser | AnonymousUser,
    file_name: str,
    content: bytes,
    version: int | None = None,
) -> ImportReport:
    _require(user, Action.EDIT, authority, "upload")
    current = MonthlyReturn.objects.filter(authority=authority, month=month).first()
    if current is not None:
        require_editable(current)
    indicators = returns_selectors.month_indicators()
    entries = uploads.read_return_file(
        file_name=file_name,
        content=content,
        authority=authority,
        month=month,
        indicators=indicators,
        previous=returns_selectors.previous_values(authority, month, indicators),
        thresholds=returns_selectors.thresholds(),
    )
    report = ImportReport(file=file_name)
    if not entries.rows:
        report.notes.append("No figures were filled in, so nothing changed")
        return report
    seen = entries.version if entries.version is not None else version
    try:
        result = save_return_values(
            authority=authority,
            month=month,
            user=user,
            entries=entries.rows,
            version=seen,
            via=ChangeVia.UPLOAD,
            reason=f"Uploaded {file_name}"[:200],
        )
    except StaleReturn as stale:
        raise StaleUpload(
            stale.current_version, file_name=file_name, entries=entries, seen=seen or 0
        ) from None
    changed = {change.indicator_id for change in result.changes}
    report.updated = len(changed)
    report.unchanged = len(entries.rows) - len(changed)

    if entries.blank:
        report.notes.append(
            f"{len(entries.blank)} indicators were left blank in the file and kept as they were"
        )
    return report
