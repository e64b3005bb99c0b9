"""Forms for monthly returns. The figures' rules live in ``validation``; these forms read the
request, apply the rules and carry the results to the templates."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils import timezone

from authorities import dates
from authorities.toolkit.govuk import GovukFormMixin
from indicators.models import Indicator
from indicators.returns.models import ReturnValue, ValueChange

from . import validation
from .selectors import Beside, SavedSince
from .uploads import parse_month, size_text, upload_limits
from .validation import (
    DENOMINATOR,
    EXPLANATION,
    INTERNAL_NOTE,
    NOTE_FIELDS,
    NUMBER_FIELDS,
    NUMERATOR,
    PUBLISHED_NOTE,
    VALUE,
    Checked,
    Problem,
    Thresholds,
)

NUMBER_MESSAGES = {"max_length": "Enter a number of 20 characters or fewer"}


def _number_field() -> forms.CharField:
    return forms.CharField(required=False, max_length=20, error_messages=NUMBER_MESSAGES)


def saved_texts(saved: ReturnValue | None) -> dict[str, str]:
    if saved is None:
        return {}
    return {
        VALUE: validation.number_text(saved.value),
        NUMERATOR: validation.number_text(saved.numerator),
        DENOMINATOR: validation.number_text(saved.denominator),
        INTERNAL_NOTE: saved.internal_note,
        PUBLISHED_NOTE: saved.published_note,
        EXPLANATION: saved.explanation,
    }


def note_hints(authority_name: str) -> dict[str, str]:
    """Who reads each note, said on the form beside it."""
    return {
        INTERNAL_NOTE: f"Only people at {authority_name} and DfE who can see this return will "
        "read it. It is never published.",
        PUBLISHED_NOTE: "Shown to everyone with the figure once the return is approved, on the "
        "public dashboard and on the page that says where the figure comes from. Write nothing "
        "about individual children, families or staff.",
    }


class IndicatorEntryForm(forms.Form):
    """One indicator's fields: a count, or a numerator and denominator; an internal note (never
    published) and a published note; and an explanation when the figure moved a lot since last
    month. Prefixed with the indicator's code, so one page holds them all (``contacts-value``,
    ``agency_sw_pct-numerator``...)."""

    value = _number_field()
    numerator = _number_field()
    denominator = _number_field()
    internal_note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), strip=True
    )
    published_note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), strip=True
    )
    explanation = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), strip=True
    )

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        indicator: Indicator,
        beside: Beside | None = None,
        saved: ReturnValue | None = None,
        thresholds: Thresholds | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", indicator.code)
        kwargs.setdefault("initial", saved_texts(saved))
        super().__init__(data, **kwargs)
        self.indicator = indicator
        self.beside = beside or Beside()
        self.saved = saved
        self.thresholds = thresholds or Thresholds()
        # On a conflict: field name to what someone saved there since the person opened it.
        self.conflicts: dict[str, str] = {}
        if validation.is_ratio(indicator):
            del self.fields[VALUE]
        else:
            del self.fields[NUMERATOR]
            del self.fields[DENOMINATOR]
        self.checked: Checked = self._check(self.initial) if not self.is_bound else Checked("")

    @property
    def is_ratio(self) -> bool:
        return validation.is_ratio(self.indicator)

    @property
    def is_caseload(self) -> bool:
        return validation.is_caseload(self.indicator)

    def _check(self, texts: Mapping[str, Any]) -> Checked:
        return validation.check_entry(
            self.indicator,
            **{name: str(texts.get(name) or "") for name in validation.FIELDS},
            previous=self.beside.previous_value,
            thresholds=self.thresholds,
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.checked = self._check(cleaned)
        for problem in self.checked.errors:
            if problem.field in self.fields and problem.field not in self.errors:
                self.add_error(problem.field, problem.message)
        return cleaned

    def texts(self) -> dict[str, str]:
        """The entry as text, ready for ``services.save_return_values``."""
        return {name: str(self.cleaned_data.get(name) or "") for name in self.fields}

    def add_problem(self, problem: Problem) -> None:
        """Show a problem found elsewhere (when submitting) against its field."""
        name = problem.field if problem.field in self.fields else next(iter(self.fields))
        if not (self.errors.get(name) and problem.message in self.errors[name]):
            self.add_error(name, problem.message)

    @property
    def warnings(self) -> list[str]:
        return [problem.message for problem in self.checked.warnings]

    @property
    def needs_explanation(self) -> bool:
        return self.checked.needs_explanation

    @property
    def computed(self) -> float | None:
        """The percentage or caseload worked out from the two parts, when it can be."""
        return self.checked.value if self.is_ratio else None

    def field_errors(self) -> dict[str, list[str]]:
        return {name: [str(e) for e in self.errors.get(name, [])] for name in self.fields}


class ReturnForm:
    """All the indicators' entry forms for one return, and the version the person saw."""

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        indicators: list[Indicator],
        beside: Mapping[str, Beside],
        saved: Mapping[str, ReturnValue],
        version: int,
        thresholds: Thresholds,
    ) -> None:
        self.data = data
        self.version = version
        self.entries = [
            IndicatorEntryForm(
                data,
                indicator=indicator,
                beside=beside.get(indicator.code),
                saved=saved.get(indicator.code),
                thresholds=thresholds,
            )
            for indicator in indicators
        ]
        self.non_field_errors: list[str] = []

    @property
    def is_bound(self) -> bool:
        return self.data is not None

    def is_valid(self) -> bool:
        return all([entry.is_valid() for entry in self.entries])  # every entry checked

    def texts(self) -> dict[str, dict[str, str]]:
        return {entry.indicator.code: entry.texts() for entry in self.entries}

    def entry(self, code: str) -> IndicatorEntryForm | None:
        return next((entry for entry in self.entries if entry.indicator.code == code), None)

    def add_problems(self, problems: list[Problem]) -> None:
        for problem in problems:
            entry = self.entry(problem.indicator)
            if entry is None:
                self.non_field_errors.append(problem.message)
            else:
                entry.add_problem(problem)

    def add_conflicts(self, conflicts: Mapping[str, Mapping[str, str]]) -> None:
        """After a conflict: say, at each field both people changed, what is saved there now."""
        for entry in self.entries:
            entry.conflicts = dict(conflicts.get(entry.indicator.code, {}))

    @property
    def error_list(self) -> list[tuple[str, str]]:
        """(link, message) for the error summary, in page order."""
        found = [("", message) for message in self.non_field_errors]
        for entry in self.entries:
            for name in entry.fields:
                link = f"#{entry[name].auto_id}"
                for message in entry.errors.get(name, []):
                    found.append((link, str(message)))
                if name in entry.conflicts:
                    found.append((link, entry.conflicts[name]))
        return found


# --- two people (or two tabs) saving the same return -------------------------------------------


def entry_fields(indicator: Indicator) -> tuple[str, ...]:
    """The fields of an indicator's entry on the form."""
    parts = (NUMERATOR, DENOMINATOR) if validation.is_ratio(indicator) else (VALUE,)
    return (*parts, *NOTE_FIELDS, EXPLANATION)


@dataclass
class Rebased:
    """A stale form's input laid over what is saved now: the data to show the person again, and
    a message for each field both they and someone else changed."""

    data: dict[str, str]
    conflicts: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def refusal(self) -> str:
        words = (
            "This return has been saved since you opened it (by someone else, or by you in "
            "another tab or window), so nothing was saved. Figures you had not changed now show "
            "what is saved; what you changed is still in the fields."
        )
        return f"{words} {self.next_step}"

    @property
    def next_step(self) -> str:
        count = sum(len(fields) for fields in self.conflicts.values())
        if not count:
            return "Check the return, then save again."
        if count == 1:
            return "One field you changed had also been changed since: check it, then save again."
        return (
            f"{count} fields you changed had also been changed since: check them, then save again."
        )


def rebase(
    data: Mapping[str, Any],
    *,
    indicators: list[Indicator],
    saved: Mapping[str, ReturnValue],
    since: Mapping[tuple[str, str], SavedSince],
    user: Any,
) -> Rebased:
    """A three-way comparison, field by field, of what the person opened (worked back from the
    history since their version), what they sent, and what is saved now:

    - a field they did not change shows what is saved now (a colleague's change is not undone);
    - a field only they changed keeps their input;
    - a field they both changed keeps their input, with a message saying what is saved there
      now, who saved it and when.

    Nothing is saved: the person checks the form and saves again."""
    merged = {key: str(data.get(key, "")) for key in data}
    rebased = Rebased(merged)
    for indicator in indicators:
        now = saved_texts(saved.get(indicator.code))
        for name in entry_fields(indicator):
            key = f"{indicator.code}-{name}"
            current = now.get(name, "")
            if key not in data:  # not on the person's form: nothing of theirs to keep
                merged[key] = current
                continue
            yours, number = merged[key], name in NUMBER_FIELDS
            history = since.get((indicator.code, name))
            opened = history.before if history else current
            if validation.same_entry(yours, opened, number=number):
                merged[key] = current
            elif history is not None and not validation.same_entry(yours, current, number=number):
                rebased.conflicts.setdefault(indicator.code, {})[name] = conflict_message(
                    indicator, name, theirs=current, yours=yours, latest=history.latest, user=user
                )
    return rebased


def _when(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    if local.date() == timezone.localdate():
        return f"{local:%H:%M}"
    return f"{local.day} {local:%B %Y}, {local:%H:%M}"


def _quoted(text: str, most: int = 200) -> str:
    text = text.strip()
    return f"“{text if len(text) <= most else text[: most - 1].rstrip() + '…'}”"


def conflict_message(
    indicator: Indicator, name: str, *, theirs: str, yours: str, latest: ValueChange, user: Any
) -> str:
    """What someone saved in a field the person also changed, who and when, and what to do."""
    label = validation.field_label(indicator, name)
    when = _when(latest.changed_at)
    if latest.changed_by_id is not None and latest.changed_by_id == getattr(user, "pk", None):
        who, since = "You", f"in another tab or window since you opened this one ({when})"
    else:
        name_of = latest.changed_by_name or "someone whose account was removed"
        who, since = "Someone else", f"since you opened the return ({name_of}, {when})"
    if name in NUMBER_FIELDS:
        if theirs.strip():
            shown = validation.text_shown(theirs, name, indicator)
            did = f"{who} saved {shown} for {label} {since}"
        else:
            did = f"{who} cleared the figure for {label} {since}"
        mine = f"Your {yours.strip()} is in the field" if yours.strip() else "The field is blank"
        return f"{did}. {mine}: check it, then save again."
    what = f"the {validation.in_sentence(label)}"
    if theirs.strip():
        did = f"{who} changed {what} {since}: it now says {_quoted(theirs)}"
    else:
        did = f"{who} cleared {what} {since}"
    mine = "Yours is in the box" if yours.strip() else "The box is blank"
    return f"{did}. {mine}: check it, then save again."


# --- an upload made from an older version of the return --------------------------------------


def file_as_form_data(
    rows: Mapping[str, Mapping[str, str]], indicators: list[Indicator]
) -> dict[str, str]:
    """An uploaded file's entries as the return form would post them, so a stale upload is laid
    over what is saved now by ``rebase``, exactly as a stale form is. Indicators the file left
    blank are not in it, so they show what is saved."""
    return {
        f"{indicator.code}-{name}": str(rows[indicator.code].get(name, ""))
        for indicator in indicators
        if indicator.code in rows
        for name in entry_fields(indicator)
    }


def saved_since_words(
    since: Mapping[tuple[str, str], SavedSince],
    indicators: list[Indicator],
    user: Any,
    most: int = 6,
) -> str:
    """Which indicators were saved after a version, who saved each last and when, in page
    order, the first few: "referrals received (Sam Jones, 14:05); contacts received (you in
    another tab or window, 14:07); and 3 more"."""
    latest: dict[str, ValueChange] = {}
    for (code, _name), saved in since.items():
        held = latest.get(code)
        if held is None or (saved.latest.version, saved.latest.pk) > (held.version, held.pk):
            latest[code] = saved.latest
    words = []
    for indicator in indicators:
        change = latest.get(indicator.code)
        if change is None:
            continue
        if change.changed_by_id is not None and change.changed_by_id == getattr(user, "pk", None):
            who = "you in another tab or window"
        else:
            who = change.changed_by_name or "someone whose account was removed"
        words.append(
            f"{validation.in_sentence(indicator.name)} ({who}, {_when(change.changed_at)})"
        )
    if len(words) > most:
        words = [*words[: most - 1], f"and {len(words) - most + 1} more"]
    return "; ".join(words)


def stale_upload_refusal(
    file_name: str, *, rebased: Rebased, saved_since: str, from_template: bool
) -> str:
    """Why an upload was refused, what was saved since and by whom, and what to do now."""
    made = "the template was made" if from_template else "you opened the page you uploaded it from"
    words = (
        f"{file_name} was not uploaded, so nothing was saved: the return has been saved since "
        f"{made}, and the file could have undone those changes."
    )
    if saved_since:
        words += f" Saved since then: {saved_since}."
    return (
        f"{words} Below, what your file changes is laid over what is saved now: figures it did "
        f"not change show what is saved. {rebased.next_step} Or download a new template, fill it "
        "in and upload that."
    )


class ReopenForm(GovukFormMixin, forms.Form):
    reason = forms.CharField(
        label="Why are you reopening this return?",
        help_text="For example which figures need to be corrected. Everyone who can see the "
        "return will see this.",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": "Give a reason for reopening the return",
            "max_length": "The reason must be 1,000 characters or fewer",
        },
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class UploadForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="Upload a filled-in template",
        help_text="A CSV (.csv) or Excel (.xlsx) file made from this month's template.",
        error_messages={
            "required": "Choose a file to upload",
            "empty": "The file is empty",
            "invalid": "Choose a file to upload",
        },
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        largest = upload_limits().file_bytes
        if upload.size > largest:
            raise forms.ValidationError(f"The file must be smaller than {size_text(largest)}")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The file must be a CSV (.csv) or Excel (.xlsx) file")
        return upload


class ChooseReturnForm(GovukFormMixin, forms.Form):
    """Go to any return the user may see: an authority and a month."""

    authority = forms.ChoiceField(
        label="Authority", error_messages={"required": "Choose an authority"}
    )
    month = forms.CharField(
        label="Month",
        help_text="For example 2026-09 for September 2026.",
        max_length=20,
        error_messages={"required": "Enter the month of the return"},
        widget=forms.TextInput(attrs={"class": "govuk-input--width-10", "inputmode": "numeric"}),
    )

    def __init__(
        self, *args: Any, choices: list[tuple[str, str]], latest: datetime.date, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.latest = latest
        authority = self.fields["authority"]
        assert isinstance(authority, forms.ChoiceField)
        authority.choices = [("", "Choose an authority"), *choices]

    def clean_month(self) -> datetime.date:
        month = parse_month(self.cleaned_data["month"])
        if month is None:
            raise forms.ValidationError("Enter the month as a year and month, like 2026-09")
        allowed = dates.return_months(self.latest)
        if month > allowed.last:
            raise forms.ValidationError(
                f"There is no return for {dates.month_words(month)} yet: enter a month "
                f"{allowed.month_words}"
            )
        if month not in allowed:
            raise forms.ValidationError(f"Enter a month {allowed.month_words}")
        return month
