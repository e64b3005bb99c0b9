"""Writes to monthly returns, with rules: keyword-only, typed, atomic. ``saving`` keeps a return's
figures and the rules every write shares; ``workflow`` submits, approves and reopens; ``upload``
saves a file through the same rules. Callers use this package: ``services.submit_return``."""

from .saving import (
    OWN_FIGURES_MESSAGE,
    OWN_SUBMISSION_MESSAGE,
    STALE_MESSAGE,
    ReturnRefused,
    SaveResult,
    StaleReturn,
    StaleUpload,
    check_entries,
    entered_count,
    own_work_refusal,
    release_name,
    require_editable,
    save_return_values,
)
from .upload import import_return_upload
from .workflow import approve_return, reopen_return, submission_problems, submit_return

__all__ = [
    "OWN_FIGURES_MESSAGE",
    "OWN_SUBMISSION_MESSAGE",
    "STALE_MESSAGE",
    "ReturnRefused",
    "SaveResult",
    "StaleReturn",
    "StaleUpload",
    "approve_return",
    "check_entries",
    "entered_count",
    "import_return_upload",
    "own_work_refusal",
    "release_name",
    "reopen_return",
    "require_editable",
    "save_return_values",
    "submission_problems",
    "submit_return",
]
