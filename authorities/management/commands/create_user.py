"""Create a user with a role: ``create_user USERNAME --email E --role ROLE [--authority GSS]``.

Roles held for one authority (data officer, approver, board member) need ``--authority``; a DfE
analyst is national and takes none; an administrator may be either. Without ``--password`` the
account gets an unusable password: the person sets one through "I have forgotten my password".
Running it again for an existing user adds the membership (and changes the email or password if
given); nothing else about the account changes.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from authorities.accounts import audit
from authorities.models import (
    AUTHORITY_ROLES,
    NATIONAL_ONLY_ROLES,
    AuditAction,
    Authority,
    Membership,
    Role,
)


class Command(BaseCommand):
    help = "Create a user (or add a role to one) with a membership of an authority, or national."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--authority", help="The authority's GSS code, e.g. E08000036.")
        parser.add_argument("--password", help="Omit to make the person set one by email.")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        role = Role(options["role"])
        gss_code = (options["authority"] or "").strip().upper()
        authority = None
        if role in AUTHORITY_ROLES and not gss_code:
            raise CommandError(f"A {role.label.lower()} belongs to an authority: give --authority")
        if role in NATIONAL_ONLY_ROLES and gss_code:
            raise CommandError(f"A {role.label} is national: leave out --authority")
        if gss_code:
            authority = Authority.objects.filter(gss_code=gss_code).first()
            if authority is None:
                raise CommandError(f"No authority has the GSS code {gss_code}")

        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=options["username"],
            defaults={
                "email": options["email"],
                "first_name": options["first_name"],
                "last_name": options["last_name"],
            },
        )
        if not created and options["email"]:
            user.email = options["email"]
        password = options["password"]
        if password:
            try:
                validate_password(password, user)
            except ValidationError as problem:
                raise CommandError(" ".join(problem.messages)) from None
            user.set_password(password)
        elif created:
            user.set_unusable_password()
        if role == Role.ADMINISTRATOR and authority is None:
            # A national administrator runs the service, including the admin site.
            user.is_staff = True
            user.is_superuser = True
        user.save()

        _, added = Membership.objects.get_or_create(user=user, authority=authority, role=role)
        where = authority.name if authority else "every authority"
        if added:
            audit.record(
                AuditAction.MEMBERSHIP_ADDED,
                authority=authority,
                detail=f"{user.get_username()}: {role.label} for {where} (create_user command)",
            )
        verb = "Created" if created else "Updated"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {user.get_username()}: {role.label.lower()} for {where}"
                + ("" if added else " (already had that role)")
            )
        )
        if created and not password:
            self.stdout.write(
                "No password was set: the person can set one with “I have forgotten my "
                "password” on the sign-in page."
            )
