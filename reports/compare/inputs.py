"""What a comparison's address may say, parsed: a group of authorities (``group=kind:value``)
and the time axis (``align=none``, ``grade:<grade>`` or ``event:<category>``). Pure: text in,
a known value or nothing out."""

from __future__ import annotations

from dataclasses import dataclass

from authorities.models import EventCategory, Grade
from authorities.toolkit.gss import is_gss_code

from .judgements import grade_words

NEIGHBOURS, REGION, INADEQUATE = "neighbours", "region", "inadequate"


def parse_group(text: str) -> tuple[str, str] | None:
    """``neighbours:E08000036``, ``region:E12000003`` or ``inadequate:2018``; None otherwise."""
    kind, _, value = text.strip().partition(":")
    kind = kind.lower()
    value = value.strip()
    if kind in (NEIGHBOURS, REGION) and is_gss_code(value.upper()):
        return kind, value.upper()
    if kind == INADEQUATE and value.isdigit() and len(value) == 4:
        return kind, value
    return None


@dataclass(frozen=True)
class Alignment:
    """How the time axis is drawn: calendar time, or years since each authority's anchor."""

    kind: str = "none"  # none, grade or event
    value: str = ""

    @classmethod
    def parse(cls, text: str | None) -> Alignment:
        kind, _, value = (text or "").strip().partition(":")
        if kind == "grade" and value in Grade.values:
            return cls("grade", value)
        if kind == "event" and value in EventCategory.values:
            return cls("event", value)
        return cls()

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.value}" if self.value else "none"

    @property
    def aligned(self) -> bool:
        return self.kind != "none"

    @property
    def anchor_words(self) -> str:
        if self.kind == "grade":
            return f"first {grade_words(self.value)} judgement"
        if self.kind == "event":
            return f"first {EventCategory(self.value).label.lower()} event"
        return ""

    @property
    def axis_title(self) -> str:
        return f"Years since {self.anchor_words}" if self.aligned else ""

    @property
    def missing_reason(self) -> str:
        if self.kind == "grade":
            return f"No {grade_words(self.value)} judgement recorded"
        if self.kind == "event":
            return f"No {EventCategory(self.value).label.lower()} event recorded"
        return ""


def alignment_choices() -> list[tuple[str, str]]:
    choices = [("none", "Calendar time")]
    choices += [
        (f"grade:{grade}", f"Years since the first {label} judgement")
        for grade, label in Grade.choices
    ]
    choices += [
        (f"event:{category}", f"Years since the first {str(label).lower()} event")
        for category, label in EventCategory.choices
    ]
    return choices
