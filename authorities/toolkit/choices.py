"""Enumerations with a label for each member, like Django's ``TextChoices`` but free of Django,
for the few that modules which must not import Django use too (the chart builders read units and
periods). A model field takes ``choices=Unit.choices``, as it would from Django's."""

from __future__ import annotations

import enum
from typing import Self


class _ChoicesType(enum.EnumType):
    @property
    def choices(cls) -> list[tuple[str, str]]:
        return [(member.value, member.label) for member in cls]  # type: ignore[var-annotated]

    @property
    def values(cls) -> list[str]:
        return [member.value for member in cls]  # type: ignore[var-annotated]


class Choices(enum.StrEnum, metaclass=_ChoicesType):
    """Members are written ``NAME = "value", "Label"``."""

    _value_: str
    label: str

    def __new__(cls, value: str, label: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member
