"""The watchlist's filters: a GET form, so the address holds the whole view (a permalink)."""

from __future__ import annotations

from typing import Any

from django import forms

from authorities.models import Grade, Region
from authorities.toolkit.govuk import GovukFormMixin

from .selectors import ANY_FLAG, FLAG_KINDS, NO_JUDGEMENT, SORT_FLAGS, SORTS


class WatchlistForm(GovukFormMixin, forms.Form):
    region = forms.ChoiceField(
        label="Region",
        required=False,
        error_messages={"invalid_choice": "Choose a region from the list"},
    )
    judgement = forms.ChoiceField(
        label="Latest Ofsted judgement",
        required=False,
        choices=[("", "Any judgement"), *Grade.choices, (NO_JUDGEMENT, "No graded judgement")],
        error_messages={"invalid_choice": "Choose a judgement from the list"},
    )
    flag = forms.ChoiceField(
        label="Flag",
        required=False,
        choices=[("", "Every authority"), (ANY_FLAG, "Any flag"), *FLAG_KINDS.items()],
        error_messages={"invalid_choice": "Choose a flag from the list"},
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=list(SORTS.items()),
        error_messages={"invalid_choice": "Choose an order from the list"},
    )

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region = self.fields["region"]
        assert isinstance(region, forms.ChoiceField)
        region.choices = [("", "All regions"), *((r.code, r.name) for r in regions)]

    def filters(self) -> dict[str, str]:
        """The filters to apply: the valid ones (a field in error is left out, and says so)."""
        if not self.is_bound:
            return {"region": "", "judgement": "", "flag": "", "sort": SORT_FLAGS}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "region": cleaned.get("region") or "",
            "judgement": cleaned.get("judgement") or "",
            "flag": cleaned.get("flag") or "",
            "sort": cleaned.get("sort") or SORT_FLAGS,
        }
