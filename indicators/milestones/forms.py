"""The improvement plan's forms, rendered as GOV.UK Design System markup. They check what was
typed; the services check who is asking and keep the history."""

from __future__ import annotations

from typing import Any

from django import forms

from authorities import dates
from authorities.models import Authority, Inspection
from authorities.toolkit.govuk import GovukFormMixin
from indicators.models import Indicator

from .models import ActionStatus, ImprovementAction, inspection_words

DUE_DATE_EXAMPLE = "for example 31 3 2027"
DESCRIPTION_LENGTH = 2000
REASON_LENGTH = 1000
CHECKBOXES = "forms/govuk_checkboxes_field.html"


def reason_field() -> forms.CharField:
    """The optional "why" kept with a change in the plan's history."""
    return forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=REASON_LENGTH,
        help_text=(
            "For example the board meeting that agreed it. It is kept in the plan's history "
            "with your name and the time, for everyone who can see the plan to read. It is "
            "not shown to the public."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"The reason must be {REASON_LENGTH:,} characters or fewer"},
    )


class InspectionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return inspection_words(obj)


class ActionForm(GovukFormMixin, forms.Form):
    description = forms.CharField(
        label="What will be done",
        max_length=DESCRIPTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Enter what will be done",
            "max_length": f"What will be done must be {DESCRIPTION_LENGTH:,} characters or fewer",
        },
    )
    owner = forms.CharField(
        label="Owner",
        max_length=200,
        help_text="A name or a role, for example Head of Service, Children in Care.",
        error_messages={
            "required": "Enter who owns the action: a name or a role",
            "max_length": "The owner must be 200 characters or fewer",
        },
    )
    due_date = forms.DateField(
        label="Due by",
        widget=forms.DateInput(attrs={"type": "date", "class": "govuk-input--width-10"}),
        error_messages={
            "required": f"Enter a due date, {DUE_DATE_EXAMPLE}",
            "invalid": f"Enter a real date, {DUE_DATE_EXAMPLE}",
        },
    )
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        initial=ActionStatus.NOT_STARTED,
        error_messages={
            "required": "Choose a status",
            "invalid_choice": "Choose a status from the list",
        },
    )
    indicators = forms.ModelMultipleChoiceField(
        label="Measures the action should move",
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Tick any that apply. They are listed with the action on the plan.",
        error_messages={"invalid_choice": "Choose measures from the list"},
    )
    inspection = InspectionChoice(
        label="Inspection whose recommendation it answers",
        queryset=Inspection.objects.none(),
        required=False,
        empty_label="None",
        error_messages={"invalid_choice": "Choose one of this authority's inspections"},
    )
    reason = reason_field()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(
        self,
        *args: Any,
        authority: Authority,
        action: ImprovementAction | None = None,
        **kwargs: Any,
    ) -> None:
        if action is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "description": action.description,
                "owner": action.owner,
                "due_date": action.due_date,
                "status": action.status,
                "indicators": list(action.indicators.all()),
                "inspection": action.inspection,
                "version": action.version,
            }
        super().__init__(*args, **kwargs)
        self.fields[
            "due_date"
        ].help_text = (
            f"{DUE_DATE_EXAMPLE.capitalize()}. The date must be {dates.plan_dates().words}."
        )
        measures = self.fields["indicators"]
        assert isinstance(measures, forms.ModelMultipleChoiceField)
        measures.queryset = Indicator.objects.order_by("sort_order", "code")
        measures.template_name = CHECKBOXES  # type: ignore[attr-defined]
        inspection = self.fields["inspection"]
        assert isinstance(inspection, forms.ModelChoiceField)
        inspection.queryset = Inspection.objects.filter(authority=authority).order_by("-start_date")
        if not inspection.queryset.exists():
            inspection.help_text = "No inspections of this authority are recorded."

    def clean_due_date(self) -> Any:
        due_date = self.cleaned_data["due_date"]
        plan = dates.plan_dates()
        if due_date not in plan:
            raise forms.ValidationError(f"The due date must be {plan.words}")
        return due_date

    @property
    def seen_version(self) -> int:
        return int(self.cleaned_data.get("version") or 0)


class RemovalForm(GovukFormMixin, forms.Form):
    """The confirmation of a removal, with an optional reason for the history."""

    reason = reason_field()
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
