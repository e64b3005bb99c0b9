"""Replace the demo data with a deterministic, clearly fictional data set."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from authorities.accounts.demo_users import create_demo_users
from authorities.models import Authority, Role
from authorities.toolkit.importing import refresh_planner_statistics
from indicators.annex_a.demo import DEMO_WORKBOOK, compute_demo_returns
from indicators.demo.load import load_demo
from indicators.demo.plan import DEFAULT_AUTHORITIES, DEFAULT_MONTHS, DEFAULT_SEED
from indicators.demo.returns import fill_demo_return_values
from indicators.milestones.demo import create_demo_plan
from indicators.models import Observation

User = get_user_model()


class Command(BaseCommand):
    help = (
        "Replace the demo data (is_demo / source demo) with simulated regions, authorities, "
        "inspections, events, milestones, monthly returns and observations. Deterministic for "
        "a given seed and size; never touches official data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Random seed.")
        parser.add_argument(
            "--authorities",
            type=int,
            default=DEFAULT_AUTHORITIES,
            help=f"Number of fictional authorities (default {DEFAULT_AUTHORITIES}).",
        )
        parser.add_argument(
            "--months",
            type=int,
            default=DEFAULT_MONTHS,
            help=f"Months of monthly figures, ending last month (default {DEFAULT_MONTHS}).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self._seed, self._months = options["seed"], options["months"]
        try:
            summary = load_demo(
                seed=options["seed"], authorities=options["authorities"], months=options["months"]
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        refresh_planner_statistics(Observation)
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(f"Done in {summary.seconds:.1f} s.")
        self._demo_users()
        self.stdout.write(
            self.style.WARNING(
                "These data are simulated for demonstration: every region, authority, figure, "
                "inspection and event is invented."
            )
        )

    def _demo_users(self) -> None:
        """One user of each role for a demo authority with an improvement plan (demo only)."""
        authority = (
            Authority.objects.filter(is_demo=True, milestones__isnull=False)
            .order_by("name")
            .first()
            or Authority.objects.filter(is_demo=True).order_by("name").first()
        )
        if authority is None:
            return
        filled = fill_demo_return_values(authority)
        self.stdout.write(f"{filled} figures filled in on {authority.name}'s approved returns.")
        self.stdout.write(f"Demo users (demo only; their authority is {authority.name}):")
        users = create_demo_users(authority)
        for username, role, password in users:
            self.stdout.write(f"  {username:<20} {role:<15} password: {password}")
        planner = User.objects.get(
            username=next(u for u, role, _ in users if role == Role.APPROVER)
        )
        actions = create_demo_plan(authority, planner=planner)
        self.stdout.write(f"{actions} actions in {authority.name}'s simulated improvement plan.")
        self._annex_a(authority, users)

    def _annex_a(self, authority: Authority, users: list[tuple[str, str, str]]) -> None:
        officer = User.objects.get(
            username=next(u for u, role, _ in users if role == Role.DATA_OFFICER)
        )
        accepted = compute_demo_returns(authority=authority, data_officer=officer, seed=self._seed)
        self.stdout.write(
            f"{accepted.total} figures computed from a fictional Annex A into "
            f"{authority.name}'s draft returns; the workbook is at {DEMO_WORKBOOK}."
        )
