"""One signed-in user of each role for the demo. Demo only: the passwords are fixed."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from authorities.models import AUTHORITY_ROLES, Authority, Membership, Role

DEMO_USERS = [
    (Role.DATA_OFFICER, "demo-data-officer", "Dana", "Officer"),
    (Role.APPROVER, "demo-approver", "Abi", "Approver"),
    (Role.BOARD_MEMBER, "demo-board-member", "Bea", "Board"),
    (Role.DFE_ANALYST, "demo-dfe-analyst", "Dev", "Analyst"),
    (Role.ADMINISTRATOR, "demo-administrator", "Ada", "Admin"),
]


def demo_password(role: str) -> str:
    return f"trajectory-demo-{role.replace('_', '-')}"


@transaction.atomic
def create_demo_users(authority: Authority) -> list[tuple[str, str, str]]:
    """Create (or reset) one user of each role: data officer, approver and board member of
    ``authority``; a national DfE analyst and a national administrator. Returns (username,
    role, password) for each, so the demo can print them. Running it again moves the local
    roles to ``authority`` and resets the passwords."""
    User = get_user_model()
    created = []
    for role, username, first_name, last_name in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=username)
        user.first_name, user.last_name = first_name, last_name
        user.email = f"{username}@example.invalid"
        user.is_active = True
        user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR
        password = demo_password(role)
        user.set_password(password)
        user.save()
        Membership.objects.filter(user=user).delete()
        Membership.objects.create(
            user=user, role=role, authority=authority if role in AUTHORITY_ROLES else None
        )
        created.append((username, str(role), password))
    return created
