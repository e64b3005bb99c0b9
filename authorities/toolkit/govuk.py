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
# The red border of a field in error, for the widgets that have one.
ERROR_CLASSES = {
    "govuk-select": "govuk-select--error",
    "govuk-textarea": "govuk-textarea--error",
    "govuk-file-upload": "govuk-file-upload--error",
    "govuk-input": "govuk-input--error",
}

# ``<input type="date">`` reads and sends only ISO 8601; any other format shows an empty field.
ISO_DATE = "%Y-%m-%d"
# What a date field accepts: the browser's ISO, and what people type where a browser shows a
# plain text box instead of a date picker (31/3/2027, 31 3 2027, 31.3.2027, 31 March 2027).
DATE_INPUT_FORMATS = [
    ISO_DATE,
    "%d/%m/%Y",
    "%d %m %Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%d %B %Y",
    "%d %b %Y",
]


def _css_class(widget: forms.Widget) -> str:
    classes = (css for kind, css in WIDGET_CLASSES.items() if isinstance(widget, kind))
    return next(classes, "govuk-input")


class GovukFormMixin:
    """Adds GOV.UK classes and the aria-describedby links to hint and error to every widget.

    Every ``type="date"`` input is written in ISO 8601 (the only format a browser's date input
    reads) and every date field also accepts ``DATE_INPUT_FORMATS``."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            css = _css_class(widget)
            existing = widget.attrs.get("class", "")
            widget.attrs["class"] = f"{css} {existing}".strip()
            if isinstance(widget, forms.DateInput) and widget.input_type == "date":
                widget.format = ISO_DATE
            if isinstance(field, forms.DateField):
                others = [f for f in field.input_formats or () if f not in DATE_INPUT_FORMATS]
                field.input_formats = [*DATE_INPUT_FORMATS, *others]
            self._describe(name)

    def _describe(self, name: str) -> None:
        field = self.fields[name]
        bound_id = f"id_{name}"
        described = []
        if field.help_text:
            described.append(f"{bound_id}-hint")
        if getattr(self, "_errors", None) and name in self._errors:  # type: ignore[attr-defined]
            described.append(f"{bound_id}-error")
            error_class = ERROR_CLASSES.get(_css_class(field.widget))
            classes = field.widget.attrs.get("class", "").split()
            if error_class and error_class not in classes:
                field.widget.attrs["class"] = " ".join([*classes, error_class])
        if described:
            field.widget.attrs["aria-describedby"] = " ".join(described)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.fields:
            self._describe(name)
