"""Django forms rendered as GOV.UK Design System markup: one renderer, two templates."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting


class GovukFormRenderer(TemplatesSetting):
    form_template_name = "forms/govuk_form.html"
    field_template_name = "forms/govuk_field.html"


WIDGET_CLASSES = {
    forms.Select: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.RadioSelect: "govuk-radios__input",
    forms.FileInput: "govuk-file-upload",
}


class GovukFormMixin:
    """Adds GOV.UK classes and the aria-describedby links to hint and error to every widget."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            css = next(
                (c for kind, c in WIDGET_CLASSES.items() if isinstance(widget, kind)), "govuk-input"
            )
            existing = widget.attrs.get("class", "")
            widget.attrs["class"] = f"{css} {existing}".strip()
            self._describe(name)

    def _describe(self, name: str) -> None:
        field = self.fields[name]
        bound_id = f"id_{name}"
        described = []
        if field.help_text:
            described.append(f"{bound_id}-hint")
        if getattr(self, "_errors", None) and name in self._errors:  # type: ignore[attr-defined]
            described.append(f"{bound_id}-error")
            field.widget.attrs["class"] += " govuk-input--error"
        if described:
            field.widget.attrs["aria-describedby"] = " ".join(described)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.fields:
            self._describe(name)
