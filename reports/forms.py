from __future__ import annotations

from typing import Any

from django import forms

from indicators.models import Indicator, Milestone

from .formatting import lower_first
from .rendering import GovukFormMixin


class MilestoneForm(GovukFormMixin, forms.ModelForm):
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
            "due_date": "For example 2027-03-31.",
            "tolerance": "How far off the target still counts as amber rather than red.",
            "note": "For example what the board agreed and when.",
        }
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}),
            "value": forms.NumberInput(attrs={"class": "govuk-input--width-5", "step": "any"}),
            "tolerance": forms.NumberInput(attrs={"class": "govuk-input--width-5", "step": "any"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, authority: Any, **kwargs: Any) -> None:
        self.authority = authority
        super().__init__(*args, **kwargs)
        # The model's own validation (its unique constraints) needs the authority set.
        self.instance.authority = authority
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
