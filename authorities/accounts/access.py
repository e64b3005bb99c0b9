"""One way to refuse, for every page: someone signed out is sent to sign in and comes back
(Django's ``login_required`` on the view); someone signed in who may not is refused with
``PermissionDenied(refusal)``, which the project's 403 handler shows on the one refusal page,
``templates/403.html``, with the refusal's words. The refusal says what the page is for and what
to do, never only "no"."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from authorities.models import Action, Authority, actions_for


def refuse_unless(allowed: bool, refusal: str) -> None:
    """Raise ``PermissionDenied(refusal)`` unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(refusal)


def require_action(user: Any, authority: Authority, action: Action, refusal: str) -> None:
    """Refuse unless ``user`` may do ``action`` with ``authority`` (its returns and plan)."""
    refuse_unless(action in actions_for(user, authority), refusal)
