"""Monthly returns: enter, validate as you go, upload, submit, approve, reopen; history and
tracker. Views stay thin: who may do what is checked here and in the querysets
(``Authority.objects.for_user``, ``MonthlyReturn.objects.for_user``), the rules live in
``validation``, the writes in ``services`` and the reads in ``selectors``. Every fragment is
scoped exactly like its page. ``entry`` reaches and saves a return, ``workflow`` approves and
reopens it, ``files`` uploads it and serves its templates, ``changes`` shows its history."""

from .changes import history
from .entry import index, return_page, tracker, validate_field
from .files import template_csv, template_xlsx, upload
from .workflow import approve, reopen

__all__ = [
    "approve",
    "history",
    "index",
    "reopen",
    "return_page",
    "template_csv",
    "template_xlsx",
    "tracker",
    "upload",
    "validate_field",
]
