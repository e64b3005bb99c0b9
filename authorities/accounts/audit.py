"""The audit log: one small service that writes ``AuditEntry`` rows, and the auth signals.

Security-relevant actions are recorded where they happen: sign-in, failed sign-in and sign-out
through Django's auth signals (connected in ``AuthoritiesConfig.ready``); password changes,
reset requests and resets in the views of ``authorities.accounts.passwords``; roles given,
changed and taken away in the admin and ``create_user``; draft saves, uploads, submissions,
approvals and reopenings of returns in ``indicators.returns.services``; imports in the import
commands.
Entries are append-only.
"""

from __future__ import annotations

import getpass
import ipaddress
import logging
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.http import HttpRequest

from authorities.models import AuditAction, AuditEntry, Authority, Membership

if TYPE_CHECKING:
    from authorities.toolkit.importing import ImportFailed

logger = logging.getLogger("trajectory.audit")

DETAIL_LENGTH = 4000

# Entries about a person's own account. Each carries the authorities the person has a role in
# (``AuditEntry.user_authorities``), so an administrator of one authority sees their own staff's
# sign-ins, failed sign-ins and password changes.
ACCOUNT_ACTIONS = frozenset(
    {
        AuditAction.SIGN_IN,
        AuditAction.SIGN_IN_FAILED,
        AuditAction.SIGN_IN_THROTTLED,
        AuditAction.SIGN_OUT,
        AuditAction.PASSWORD_CHANGED,
        AuditAction.PASSWORD_RESET_REQUESTED,
        AuditAction.PASSWORD_RESET,
    }
)


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from. Behind a proxy that appends to X-Forwarded-For
    (``DJANGO_TRUSTED_PROXIES`` > 0), the address that many hops from the right; otherwise
    REMOTE_ADDR. Anything that is not an IP address gives None."""
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    if proxies:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def record(
    action: str,
    *,
    user: Any = None,
    authority: Authority | None = None,
    detail: str = "",
    request: HttpRequest | None = None,
    username: str = "",
) -> AuditEntry:
    """Append one entry. ``user`` defaults to the request's signed-in user; ``username`` to the
    user's. Inside a transaction the entry commits (or rolls back) with the change it records."""
    action = AuditAction(action)
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if user is not None and not username:
        username = user.get_username()
    entry = AuditEntry.objects.create(
        action=action,
        user=user,
        username=username[:150],
        authority=authority,
        ip_address=client_ip(request),
        detail=detail[:DETAIL_LENGTH],
    )
    if action in ACCOUNT_ACTIONS:
        entry.user_authorities.add(*_authorities_of(user, username))
    logger.info(
        "%s",
        action.label,
        extra={
            "audit_action": str(action),
            "username": entry.username,
            "authority": authority.gss_code if authority else "",
            "ip": entry.ip_address or "",
        },
    )
    return entry


def _authorities_of(user: Any, username: str) -> list[int]:
    """The authorities the person has a role in: the user, or else the account with the name
    given (a failed sign-in names an account without signing in to it)."""
    if user is None and username:
        model = get_user_model()
        user = model._default_manager.filter(**{model.USERNAME_FIELD: username}).first()
    if user is None:
        return []
    return list(
        Membership.objects.filter(user=user, authority__isnull=False)
        .values_list("authority", flat=True)
        .distinct()
    )


def record_import(
    command: str,
    files: Iterable[object],
    *,
    summary: str = "",
    failure: ImportFailed | None = None,
) -> AuditEntry:
    """An import command's outcome: what it read, as which operating-system account, and what
    changed or what was wrong."""
    names = ", ".join(str(name) for name in files) or "(no files)"
    try:
        operator = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid, as in some containers
        operator = f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"
    head = f"{command} {names} (run by {operator})"
    if failure is not None:
        count = len(failure.errors)
        text = f"{head}: nothing imported, {count} problem{'s' if count != 1 else ''}\n"
        return record(AuditAction.IMPORT_FAILED, detail=text + failure.summary(limit=20))
    return record(AuditAction.DATA_IMPORTED, detail=f"{head}\n{summary}".strip())


# --- auth signals ------------------------------------------------------------------------------


def _signed_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record(AuditAction.SIGN_IN, user=user, request=request)


def _signed_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None and user.is_authenticated:
        record(AuditAction.SIGN_OUT, user=user, request=request)


def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """A wrong name or password. The name tried is kept (never the password)."""
    username = str(credentials.get("username") or "")
    record(AuditAction.SIGN_IN_FAILED, request=request, username=username)


def connect_signals() -> None:
    user_logged_in.connect(_signed_in, dispatch_uid="trajectory.audit.signed_in")
    user_logged_out.connect(_signed_out, dispatch_uid="trajectory.audit.signed_out")
    user_login_failed.connect(_sign_in_failed, dispatch_uid="trajectory.audit.sign_in_failed")
