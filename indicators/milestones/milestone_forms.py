from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from authorities import dates
from authorities.toolkit.govuk import GovukFormMixin
from authorities.toolkit.text import lower_first
from indicators.models import Indicator

from .models import Milestone

DUE_DATE_EXAMPLE = "for example 31 3 2027"
NUMBER_ATTRS = {"class": "govuk-input--width-5", "inputmode": "decimal", "spellcheck": "false"}
REASON_LENGTH = 1000


def reason_field() -> forms.CharField:
    """The optional "why" kept with a change in the milestones' history."""
    return forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=REASON_LENGTH,
        help_text=(
            "For example the board meeting that agreed it. It is kept in the history of the "
            "milestones with your name and the time, for the authority's approvers and "
            "administrators to read. It is not shown to the public."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"The reason must be {REASON_LENGTH:,} characters or fewer",
        },
    )


class MilestoneForm(GovukFormMixin, forms.ModelForm):
    reason = reason_field()

    class Meta:
        model = Milestone
        fields = ["indicator", "value", "due_date", "tolerance", "note"]
        labels = {
            "value": "Target value",
            "due_date": "Due by",
            "tolerance": "Tolerance for amber",
        }
        help_texts = {
            "value": "In the indicator's own unit: a percentage, a count or a caseload.",
            "due_date": "The date must be in the plan's range.",  # the range: see __init__
            "tolerance": (
                "How far off the target still counts as amber rather than red. "
                "Enter 0 if any miss is red."
            ),
            "note": "For example what the board agreed and when.",
        }
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}),
            # Text with a decimal keypad, not type="number" (GOV.UK advice): a browser sends a
            # number input holding "twenty" as empty, so the message would say nothing was given.
            "value": forms.TextInput(attrs=NUMBER_ATTRS),
            "tolerance": forms.TextInput(attrs=NUMBER_ATTRS),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "indicator": {
                "required": "Choose an indicator",
                "invalid_choice": "Choose an indicator from the list",
            },
            "value": {
                "required": "Enter the target value",
                "invalid": "Target value must be a number, for example 25 or 12.5",
            },
            "due_date": {
                "required": f"Enter a due date, {DUE_DATE_EXAMPLE}",
                "invalid": f"Enter a real date, {DUE_DATE_EXAMPLE}",
            },
            "tolerance": {
                "required": "Enter the tolerance for amber, or 0 if any miss is red",
                "invalid": "Tolerance must be a number, for example 0 or 1.5",
            },
        }

    def __init__(self, *args: Any, authority: Any, **kwargs: Any) -> None:
        self.authority = authority
        super().__init__(*args, **kwargs)
        # The model's own validation (its unique constraints) needs the authority set.
        self.instance.authority = authority
        self.fields["due_date"].help_text = (
            f"{DUE_DATE_EXAMPLE.capitalize()}. A date in the past is allowed, to record an "
            f"earlier stage of the plan. The date must be {dates.plan_dates().words}."
        )
        choice = self.fields["indicator"]
        assert isinstance(choice, forms.ModelChoiceField)
        choice.queryset = Indicator.objects.all()
        choice.empty_label = "Choose an indicator"

    def clean_value(self) -> float:
        value = self.cleaned_data["value"]
        indicator = self.cleaned_data.get("indicator")
        if value is not None and value < 0:
            raise forms.ValidationError("Enter a target of 0 or more")
        if indicator is not None and indicator.unit == "percent" and value > 100:
            raise forms.ValidationError("Enter a percentage between 0 and 100")
        return value

    def clean_tolerance(self) -> float:
        tolerance = self.cleaned_data["tolerance"]
        if tolerance is not None and tolerance < 0:
            raise forms.ValidationError("Tolerance must be 0 or more")
        return tolerance

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        indicator = cleaned.get("indicator")
        due_date = cleaned.get("due_date")
        if indicator and due_date:
            clash = Milestone.objects.filter(
                authority=self.authority, indicator=indicator, due_date=due_date
            ).exclude(pk=self.instance.pk)
            if clash.exists():
                self.add_error(
                    "due_date",
                    f"There is already a milestone for {lower_first(indicator.name)} "
                    "due on this date",
                )
        return cleaned

    @property
    def due_in_the_past(self) -> bool:
        """Whether the milestone, as entered, records an earlier stage of the plan."""
        due_date = getattr(self, "cleaned_data", {}).get("due_date")
        return due_date is not None and due_date < timezone.localdate()


class MilestoneRemovalForm(GovukFormMixin, forms.Form):
    """The confirmation of a removal, with an optional reason for the history."""

    reason = reason_field()
