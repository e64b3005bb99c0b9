"""Django forms rendered as GOV.UK Design System markup: one renderer, its templates, and GET
forms that hold a page's state."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting
from django.http import QueryDict


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


class GovukRadioSelect(forms.RadioSelect):
    """GOV.UK radios (``modifiers`` such as "small inline" add govuk-radios--small and so on),
    each radio's id made of the field's and its value's."""

    template_name = "forms/govuk_radios.html"
    option_template_name = "forms/govuk_radio.html"

    def __init__(self, *args: Any, modifiers: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.modifiers = modifiers.split()

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["modifiers"] = self.modifiers
        return context

    def create_option(
        self,
        name: str,
        value: Any,
        label: Any,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if attrs and attrs.get("id"):
            option["attrs"]["id"] = f"{attrs['id']}-{value}"
        return option


class GovukFormMixin:
    """Adds GOV.UK classes and the aria-describedby links to hint and error to every widget.

    Every ``type="date"`` input is written in ISO 8601 (the only format a browser's date input
    reads) and every date field also accepts ``DATE_INPUT_FORMATS``."""

    fields: dict[str, forms.Field]
    # Whether a field that may be left blank says "(optional)" after its label.
    marks_optional_fields = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            widget = field.widget
            if not widget.is_hidden:  # nothing to style in a hidden input
                existing = widget.attrs.get("class", "")
                widget.attrs["class"] = f"{_css_class(widget)} {existing}".strip()
            if isinstance(widget, forms.DateInput) and widget.input_type == "date":
                widget.format = ISO_DATE
            if isinstance(field, forms.DateField):
                others = [f for f in field.input_formats or () if f not in DATE_INPUT_FORMATS]
                field.input_formats = [*DATE_INPUT_FORMATS, *others]
            self._describe(name)

    def _describe(self, name: str) -> None:
        field = self.fields[name]
        # Worked out as BoundField.auto_id does, without making (and caching) the bound field:
        # a form's own __init__ may still change the field's help text after this runs.
        html_name = self.add_prefix(name)  # type: ignore[attr-defined]
        auto_id = self.auto_id  # type: ignore[attr-defined]
        bound_id = auto_id % html_name if auto_id and "%s" in str(auto_id) else html_name
        described = []
        if field.help_text:
            described.append(f"{bound_id}-hint")
        if getattr(self, "_errors", None) and name in self._errors:  # type: ignore[attr-defined]
            described.append(f"{bound_id}-error")
            error_class = ERROR_CLASSES.get(_css_class(field.widget))
            classes = field.widget.attrs.get("class", "").split()
            if error_class and error_class not in classes:
                field.widget.attrs["class"] = " ".join([*classes, error_class])
        # Radios are described on their fieldset (forms/govuk_field.html), not radio by radio.
        if described and not field.widget.use_fieldset:
            field.widget.attrs["aria-describedby"] = " ".join(described)

    def describe_fields(self) -> None:
        """Link every field to its hint and error again: for a form whose own ``__init__`` words
        its fields (help text) after this mixin has styled them."""
        for name in self.fields:
            self._describe(name)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        self.describe_fields()


class StateForm(GovukFormMixin, forms.Form):
    """A GET form holding what a page shows (a chart's indicator, a table's filters and order), so
    that its address is a permalink.

    Every field has a value: an address that says nothing usable about one (an old link, one edited
    by hand) falls back to its default, so no field is marked optional and none shows an error of
    its own. Each form's ``settle`` reads the address, settles the state (falling back where it
    must) and ``show``s it: the controls show the state the page is drawn from, not the address.
    """

    marks_optional_fields = False
    use_required_attribute = False

    def __init__(self, data: QueryDict | None = None, **kwargs: Any) -> None:
        super().__init__(QueryDict() if data is None else data, **kwargs)
        for field in self.fields.values():
            field.required = False

    def show(self, **values: str | list[str] | int | None) -> None:
        """Show these values in the controls (None for none, a list for a repeated field)."""
        data = QueryDict(mutable=True)
        for name, value in values.items():
            items = value if isinstance(value, list) else ["" if value is None else value]
            data.setlist(name, [str(item) for item in items])
        self.data = data

    def offer(self, name: str, choices: list[tuple[str, Any]]) -> None:
        """The choices a select or radios control offers (they depend on the data)."""
        self.fields[name].widget.choices = choices  # type: ignore[attr-defined]
