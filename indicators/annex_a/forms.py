"""The Annex A upload form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings

from authorities.toolkit.govuk import GovukFormMixin
from indicators.annex_a import DEFAULT_LIMITS
from indicators.returns.uploads import size_text


def file_limit() -> int:
    """The engine's limit, or less: the whole request (file and form) must stay under the
    upload request limit, which is answered 413 before it is read."""
    return min(DEFAULT_LIMITS.max_file_bytes, settings.UPLOAD_REQUEST_BODY_LIMIT - 1024 * 1024)


class AnnexAUploadForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="Upload an Annex A workbook",
        help_text="The Excel workbook (.xlsx) of case-level lists your case management system "
        "produces for Ofsted. It is read and then discarded: only the counts are kept.",
        error_messages={
            "required": "Choose an Annex A workbook to upload",
            "empty": "The file is empty",
            "invalid": "Choose an Annex A workbook to upload",
        },
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        largest = file_limit()
        if upload.size > largest:
            raise forms.ValidationError(f"The file must be smaller than {size_text(largest)}")
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("The file must be an Excel workbook (.xlsx)")
        return upload
