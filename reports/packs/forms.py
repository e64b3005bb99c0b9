"""The meeting date, asked for with the GOV.UK date input (day, month and year boxes) and
checked with its error messages: what is missing, what is not a real date, what is out of range.
"""

from __future__ import annotations

import datetime
from typing import Any, NoReturn

from django import forms
from django.core.exceptions import ValidationError

from authorities import dates

MONTH_NAMES = {
    name.lower(): number
    for number in range(1, 13)
    for name in (
        datetime.date(2000, number, 1).strftime("%B"),
        datetime.date(2000, number, 1).strftime("%b"),
    )
}
PARTS = ("day", "month", "year")
WHAT = "The meeting date"


class MeetingDateForm(forms.Form):
    day = forms.CharField(required=False, max_length=10, strip=True)
    month = forms.CharField(required=False, max_length=10, strip=True)
    year = forms.CharField(required=False, max_length=10, strip=True)

    def __init__(self, *args: Any, today: datetime.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.parts_in_error: set[str] = set()

    @property
    def hint(self) -> str:
        return (
            f"For example, 27 3 {(self.today or datetime.date.today()).year + 1}. "
            f"The date must be {dates.plan_dates(self.today).words}."
        )

    def _refuse(self, message: str, parts: tuple[str, ...] | list[str] = PARTS) -> NoReturn:
        self.parts_in_error = set(parts)
        raise ValidationError(message)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        given = {part: (cleaned.get(part) or "").strip() for part in PARTS}
        missing = [part for part in PARTS if not given[part]]
        if len(missing) == 3:
            self._refuse("Enter the meeting date")
        if missing:
            self._refuse(f"{WHAT} must include a {' and a '.join(missing)}", missing)
        month_text = given["month"].lower()
        month = MONTH_NAMES.get(month_text) or (int(month_text) if month_text.isdigit() else 0)
        if not given["day"].isdigit():
            self._refuse(f"{WHAT} must be a real date", ["day"])
        if not 1 <= month <= 12:
            self._refuse(f"{WHAT} must be a real date", ["month"])
        if not given["year"].isdigit() or len(given["year"]) != 4:
            self._refuse("Year must include 4 numbers", ["year"])
        try:
            meeting_date = datetime.date(int(given["year"]), month, int(given["day"]))
        except ValueError:
            self._refuse(f"{WHAT} must be a real date", ["day", "month"])
        allowed = dates.plan_dates(self.today)
        if meeting_date not in allowed:
            self._refuse(f"{WHAT} must be {allowed.words}")
        cleaned["meeting_date"] = meeting_date
        return cleaned

    @property
    def error(self) -> str:
        errors = self.non_field_errors()
        return str(errors[0]) if errors else ""

    @property
    def first_part_in_error(self) -> str:
        return next((part for part in PARTS if part in self.parts_in_error), "day")

    @property
    def summary(self) -> list[tuple[str, str]]:
        """The error summary's one entry, linked to the first part of the date in error."""
        return [(f"#meeting-date-{self.first_part_in_error}", self.error)] if self.errors else []
