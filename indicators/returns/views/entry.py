"""Monthly returns: enter, validate as you go, upload, submit, approve, reopen; history and
tracker. Views stay thin: who may do what is checked here and in the querysets
(``Authority.objects.for_user``, ``MonthlyReturn.objects.for_user``), the rules live in
``validation``, the writes in ``services`` and the reads in ``returns_selectors``. Every
fragment is scoped exactly like its page."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from authorities import dates
from authorities.models import Action, Authority, actions_for, national_actions
from authorities.toolkit.importing import ImportFailed
from config.security import accepts_uploads
from indicators.models import Indicator
from indicators.returns.models import MonthlyReturn, ReturnStatus

from . import selectors, services, uploads
from .forms import (
    ChooseReturnForm,
    IndicatorEntryForm,
    ReopenForm,
    ReturnForm,
    UploadForm,
    file_as_form_data,
    note_hints,
    rebase,
    saved_since_words,
    stale_upload_refusal,
)

CHANGED_MESSAGE = (
    "The return has changed since you opened it. Nothing was done: check it as it is now, "
    "then try again."
)
OWN_SUBMISSION_NOTE = (
    "You submitted this return: another approver must approve it. You can still reopen it to "
    "correct a mistake."
)
OWN_FIGURES_NOTE = (
    "You entered or changed figures in this return {since}: another approver must approve it. "
    "You can still reopen it to correct a mistake."
)
NOTHING_CHANGED = "Nothing was saved: no figure changed since the last save."
View = Callable[..., HttpResponse]


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request  # type: ignore[union-attr]


def members_only(view: View) -> View:
    """Anonymous people are sent to sign in (htmx is told to go there too); a signed-in person
    without access gets a 403 page, or a short 403 fragment for htmx."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            if _is_htmx(request):
                login = redirect_to_login(request.headers.get("HX-Current-URL", "/returns/"))
                return HttpResponseClientRedirect(login["Location"])
            return redirect_to_login(request.get_full_path())
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as refusal:
            if _is_htmx(request):
                return HttpResponse(
                    "You do not have access to this.", status=403, content_type="text/plain"
                )
            return render(request, "returns/forbidden.html", {"reason": str(refusal)}, status=403)

    return wrapped


def _month(month: datetime.date) -> datetime.date:
    if month not in dates.return_months(selectors.latest_month(datetime.date.today())):
        raise Http404("There is no return for that month")
    return month


def _return_url(authority: Authority, month: datetime.date) -> str:
    return reverse("returns:return", args=[authority.gss_code, month])


def _version(request: HttpRequest) -> int:
    """The version of the return the page showed (0 for none, or for anything else sent)."""
    text = request.POST.get("version", "").strip()
    return int(text) if uploads.is_version(text) else 0


# --- the returns a person can reach -------------------------------------------------------------


@require_GET
@members_only
def index(request: HttpRequest) -> HttpResponse:
    latest = selectors.latest_month(datetime.date.today())
    visible = Authority.objects.for_user(request.user).order_by("name")
    choices = list(visible.values_list("gss_code", "name"))
    national = national_actions(request.user)
    chooser = ChooseReturnForm(
        request.GET if "authority" in request.GET else None, choices=choices, latest=latest
    )
    if chooser.is_bound and chooser.is_valid():
        gss_code = chooser.cleaned_data["authority"]
        return redirect("returns:return", gss_code, chooser.cleaned_data["month"])
    context = {
        "chooser": chooser,
        "latest": latest,
        "own": None
        if Action.VIEW in national
        else selectors.tracker(
            request.user, datetime.date.today(), action=Action.VIEW, only_senders=False
        ),
        "can_track": Authority.objects.for_user(request.user, Action.TRACK).exists(),
        "has_access": bool(choices),
    }
    return render(request, "returns/index.html", context)


@require_GET
@members_only
def tracker(request: HttpRequest) -> HttpResponse:
    if not Authority.objects.for_user(request.user, Action.TRACK).exists():
        raise PermissionDenied("The tracker is for approvers, DfE analysts and administrators")
    today = datetime.date.today()
    tracked = selectors.tracker(request.user, today)
    context = {
        "tracker": tracked,
        "today": today,
        "shows_demo_data": any(row.authority.is_demo for row in tracked.rows),
    }
    return render(request, "returns/tracker.html", context)


# --- one return ----------------------------------------------------------------------------------


def _page_context(
    request: HttpRequest,
    authority: Authority,
    month: datetime.date,
    *,
    form: ReturnForm | None = None,
    refusal: str = "",
    upload_form: UploadForm | None = None,
) -> dict[str, Any]:
    """Everything the return page shows. ``form`` is given when re-showing what was posted."""
    user = request.user
    actions = actions_for(user, authority)
    monthly_return = selectors.get_return(user, authority, month)
    status = monthly_return.status if monthly_return else ReturnStatus.DRAFT
    editable = Action.EDIT in actions and status in selectors.EDITABLE
    indicators = selectors.month_indicators()
    saved = selectors.saved_values(monthly_return)
    if form is None:
        form = ReturnForm(
            indicators=indicators,
            beside=selectors.figures_beside(authority, month, indicators),
            saved=saved,
            version=monthly_return.version if monthly_return else 0,
            thresholds=selectors.thresholds(),
        )
    latest = selectors.latest_month(datetime.date.today())
    following = selectors.add_months(month, 1)
    # The service refuses an approval by anyone who submitted the return or changed its
    # figures (four eyes); the page offers them the reason instead of a button that would only
    # be refused.
    may_approve = Action.APPROVE in actions and status == ReturnStatus.SUBMITTED
    own_work = selectors.own_work(user, monthly_return) if may_approve else selectors.OwnWork.NONE
    # Outcomes that are not a success (nothing to save) are shown as a notice, not a success.
    said = list(get_messages(request))
    return {
        "messages": [message for message in said if message.level != messages.INFO],
        "notices": [message for message in said if message.level == messages.INFO],
        # Why it was last reopened, until it is approved again.
        "shows_reopen_reason": bool(monthly_return and monthly_return.reopened_at)
        and status != ReturnStatus.APPROVED,
        "authority": authority,
        "month": month,
        "month_name": selectors.month_name(month),
        "monthly_return": monthly_return,
        "status": status,
        "status_words": monthly_return.get_status_display() if monthly_return else "Not started",
        "status_tag": selectors.STATUS_TAGS[
            monthly_return.status if monthly_return else selectors.NOT_STARTED
        ],
        "due": selectors.due_date(month),
        "form": form,
        "errors": form.error_list,
        "refusal": refusal,
        "editable": editable,
        "can_edit": Action.EDIT in actions,
        "can_approve": may_approve and not own_work,
        "approval_note": _approval_note(own_work, monthly_return),
        "can_reopen": Action.APPROVE in actions
        and status in (ReturnStatus.SUBMITTED, ReturnStatus.APPROVED),
        "events": selectors.timeline(monthly_return),
        "upload_form": upload_form or UploadForm(),
        "previous_month": selectors.add_months(month, -1),
        "next_month": following if following <= latest else None,
        "shows_demo_data": authority.is_demo,
        "note_hints": note_hints(authority.name),
    }


def _approval_note(own_work: selectors.OwnWork, monthly_return: MonthlyReturn | None) -> str:
    if monthly_return is None or not own_work:
        return ""
    if own_work == selectors.OwnWork.SUBMITTED:
        return OWN_SUBMISSION_NOTE
    return OWN_FIGURES_NOTE.format(since=selectors.since_opened(monthly_return))


def _render_page(
    request: HttpRequest, authority: Authority, month: datetime.date, status: int = 200, **kw: Any
) -> HttpResponse:
    context = _page_context(request, authority, month, **kw)
    return render(request, "returns/return.html", context, status=status)


@require_http_methods(["GET", "POST"])
@members_only
def return_page(request: HttpRequest, gss_code: str, month: datetime.date) -> HttpResponse:
    month = _month(month)
    authority = selectors.get_authority_for(request.user, gss_code, Action.VIEW)
    if request.method == "GET":
        return _render_page(request, authority, month)
    authority = selectors.get_authority_for(request.user, gss_code, Action.EDIT)
    return _save(request, authority, month)


def _save(request: HttpRequest, authority: Authority, month: datetime.date) -> HttpResponse:
    user = request.user
    monthly_return = selectors.get_return(user, authority, month)
    if monthly_return and monthly_return.status not in selectors.EDITABLE:
        try:
            services.require_editable(monthly_return)
        except services.ReturnRefused as refusal:
            return _render_page(request, authority, month, status=409, refusal=refusal.message)
    indicators = selectors.month_indicators()
    current = monthly_return.version if monthly_return else 0
    posted_version = _version(request)

    def bound(version: int) -> ReturnForm:
        return ReturnForm(
            request.POST,
            indicators=indicators,
            beside=selectors.figures_beside(authority, month, indicators),
            saved=selectors.saved_values(monthly_return),
            version=version,
            thresholds=selectors.thresholds(),
        )

    if posted_version != current:
        return _conflict(request, authority, month, posted_version)
    form = bound(posted_version)
    if not form.is_valid():
        return _render_page(request, authority, month, form=form)
    try:
        result = services.save_return_values(
            authority=authority,
            month=month,
            user=user,
            entries=form.texts(),
            version=posted_version,
        )
    except services.StaleReturn:
        return _conflict(request, authority, month, posted_version)
    except services.ReturnRefused as refusal:
        form.add_problems(refusal.problems)
        return _render_page(request, authority, month, form=form, refusal=refusal.message)

    count = result.count
    saved_words = f"{count} change{'s' if count != 1 else ''} saved"
    if request.POST.get("action") == "submit":
        try:
            services.submit_return(
                monthly_return=result.monthly_return,
                user=user,
                version=result.monthly_return.version,
            )
        except services.ReturnRefused as refusal:
            again = bound(result.monthly_return.version)
            again.is_valid()
            again.add_problems(refusal.problems)
            saved = (
                f"Your draft was saved ({saved_words}), but the return"
                if count
                else "Nothing was saved, as no figure changed since the last save, and the return"
            )
            return _render_page(
                request,
                authority,
                month,
                form=again,
                refusal=f"{saved} cannot be submitted yet. Put right the problems below, then "
                "submit again.",
            )
        messages.success(
            request, f"The {selectors.month_name(month)} return was submitted for approval"
        )
    elif count:
        messages.success(request, f"Draft saved: {saved_words}")
    else:
        messages.info(request, NOTHING_CHANGED)
    return redirect(_return_url(authority, month))


def _conflict(
    request: HttpRequest,
    authority: Authority,
    month: datetime.date,
    seen_version: int,
    stale_upload: services.StaleUpload | None = None,
) -> HttpResponse:
    """The return was saved since this person opened it (at ``seen_version``): nothing is saved.
    Their form (or the file they uploaded, laid out as the form) is shown again at the version
    saved now: fields they did not change show what is saved now, fields they changed keep their
    input, and where someone else changed the same field a message says what is saved there, who
    saved it and when."""
    monthly_return = selectors.get_return(request.user, authority, month)
    indicators = selectors.month_indicators()
    saved = selectors.saved_values(monthly_return)
    since = selectors.saved_since(monthly_return, seen_version)
    rebased = rebase(
        request.POST
        if stale_upload is None
        else file_as_form_data(stale_upload.entries.rows, indicators),
        indicators=indicators,
        saved=saved,
        since=since,
        user=request.user,
    )
    refusal = rebased.refusal
    if stale_upload is not None:
        refusal = stale_upload_refusal(
            stale_upload.file_name,
            rebased=rebased,
            saved_since=saved_since_words(since, indicators, request.user),
            from_template=stale_upload.from_template,
        )
    form = ReturnForm(
        rebased.data,
        indicators=indicators,
        beside=selectors.figures_beside(authority, month, indicators),
        saved=saved,
        version=monthly_return.version if monthly_return else 0,
        thresholds=selectors.thresholds(),
    )
    form.is_valid()
    form.add_conflicts(rebased.conflicts)
    return _render_page(request, authority, month, status=409, form=form, refusal=refusal)


@require_POST
@vary_on_headers("HX-Request")
@members_only
def validate_field(
    request: HttpRequest, gss_code: str, month: datetime.date, code: str
) -> HttpResponse:
    """One indicator's field group, checked: what htmx swaps in when a person leaves a field."""
    month = _month(month)
    authority = selectors.get_authority_for(request.user, gss_code, Action.EDIT)
    indicator = next((i for i in selectors.month_indicators() if i.code == code), None)
    if indicator is None:
        raise Http404("No such indicator in the monthly return")
    if not _is_htmx(request):
        return redirect(_return_url(authority, month))
    entry = IndicatorEntryForm(
        request.POST,
        indicator=indicator,
        beside=selectors.figures_beside(authority, month, [indicator])[code],
        thresholds=selectors.thresholds(),
    )
    entry.is_valid()
    context = {
        "authority": authority,
        "month": month,
        "entry": entry,
        "editable": True,
        "note_hints": note_hints(authority.name),
    }
    return render(request, "returns/return.html#checked_field", context)


@require_POST
@members_only
def approve(request: HttpRequest, gss_code: str, month: datetime.date) -> HttpResponse:
    month = _month(month)
    authority = selectors.get_authority_for(request.user, gss_code, Action.APPROVE)
    monthly_return = _existing(request, authority, month)
    try:
        services.approve_return(
            monthly_return=monthly_return, user=request.user, version=_version(request)
        )
    except services.StaleReturn:
        return _render_page(request, authority, month, status=409, refusal=CHANGED_MESSAGE)
    except services.ReturnRefused as refusal:
        return _render_page(request, authority, month, status=409, refusal=refusal.message)
    messages.success(
        request,
        f"The {selectors.month_name(month)} return was approved: its figures are now published",
    )
    return redirect(_return_url(authority, month))


def _existing(request: HttpRequest, authority: Authority, month: datetime.date) -> MonthlyReturn:
    monthly_return = selectors.get_return(request.user, authority, month)
    if monthly_return is None:
        raise Http404("This return has not been started")
    return monthly_return


@require_http_methods(["GET", "POST"])
@members_only
def reopen(request: HttpRequest, gss_code: str, month: datetime.date) -> HttpResponse:
    month = _month(month)
    authority = selectors.get_authority_for(request.user, gss_code, Action.APPROVE)
    monthly_return = _existing(request, authority, month)
    form = ReopenForm(request.POST or None, initial={"version": monthly_return.version})
    refusal = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.reopen_return(
                monthly_return=monthly_return,
                user=request.user,
                reason=form.cleaned_data["reason"],
                version=form.cleaned_data["version"],
            )
        except services.StaleReturn:
            refusal = CHANGED_MESSAGE
        except services.ReturnRefused as problem:
            refusal = problem.message
        else:
            messages.success(
                request,
                f"The {selectors.month_name(month)} return was reopened: it can be changed and "
                "submitted again",
            )
            return redirect(_return_url(authority, month))
    context = {
        "authority": authority,
        "month": month,
        "month_name": selectors.month_name(month),
        "monthly_return": monthly_return,
        "form": form,
        "refusal": refusal,
    }
    return render(request, "returns/reopen.html", context, status=409 if refusal else 200)


# --- upload and templates -------------------------------------------------------------------------


@accepts_uploads
@require_http_methods(["GET", "POST"])
@members_only
def upload(request: HttpRequest, gss_code: str, month: datetime.date) -> HttpResponse:
    month = _month(month)
    authority = selectors.get_authority_for(request.user, gss_code, Action.EDIT)
    form = UploadForm(request.POST or None, request.FILES or None)
    failed: ImportFailed | None = None
    refusal = ""
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            report = services.import_return_upload(
                authority=authority,
                month=month,
                user=request.user,
                file_name=upload_file.name,
                content=upload_file.read(),
                version=_version(request),
            )
        except services.StaleUpload as stale:
            # As for a stale form: nothing saved, and the file laid over what is saved now.
            return _conflict(request, authority, month, stale.seen_version, stale)
        except ImportFailed as problem:
            failed = problem
        except services.ReturnRefused as problem:
            refusal = problem.message
        else:
            changed = report.updated
            words = f"{changed} indicator{'s' if changed != 1 else ''} changed"
            notes = "".join(f". {note}" for note in report.notes)
            messages.success(request, f"{upload_file.name} was uploaded: {words}{notes}")
            return redirect(_return_url(authority, month))
    monthly_return = selectors.get_return(request.user, authority, month)
    context = {
        "authority": authority,
        "month": month,
        "month_name": selectors.month_name(month),
        "monthly_return": monthly_return,
        "form": form,
        "failed": failed,
        "refusal": refusal,
    }
    status = 409 if refusal else 200
    return render(request, "returns/upload.html", context, status=status)


def _template_rows(request: HttpRequest, gss_code: str, month: datetime.date) -> Any:
    month = _month(month)
    authority = selectors.get_authority_for(request.user, gss_code, Action.VIEW)
    # The version is read before the values: a save in between makes the template look older
    # than its figures (so its upload is refused), never newer.
    monthly_return = selectors.get_return(request.user, authority, month)
    rows = uploads.template_rows(
        authority,
        month,
        selectors.month_indicators(),
        selectors.saved_values(monthly_return),
        version=monthly_return.version if monthly_return else 0,
    )
    return authority, month, rows


@require_GET
@members_only
def template_csv(request: HttpRequest, gss_code: str, month: datetime.date) -> HttpResponse:
    authority, month, rows = _template_rows(request, gss_code, month)
    response = HttpResponse(uploads.csv_template(rows), content_type="text/csv; charset=utf-8")
    filename = f"monthly-return-{authority.gss_code}-{month:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
@members_only
def template_xlsx(request: HttpRequest, gss_code: str, month: datetime.date) -> HttpResponse:
    authority, month, rows = _template_rows(request, gss_code, month)
    title = f"Monthly return: {authority.name} ({authority.gss_code}), {month:%B %Y}"
    response = HttpResponse(
        uploads.xlsx_template(rows, title=title),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"monthly-return-{authority.gss_code}-{month:%Y-%m}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- history ------------------------------------------------------------------------------------


@require_GET
@vary_on_headers("HX-Request")
@members_only
def history(
    request: HttpRequest, gss_code: str, month: datetime.date, code: str | None = None
) -> HttpResponse:
    """Every change to every value of a return (or of one value), newest first."""
    month = _month(month)
    authority = selectors.get_authority_for(request.user, gss_code, Action.VIEW)
    indicator: Indicator | None = None
    if code is not None:
        indicator = next((i for i in selectors.month_indicators() if i.code == code), None)
        if indicator is None:
            raise Http404("No such indicator in the monthly return")
    monthly_return = selectors.get_return(request.user, authority, month)
    context = {
        "authority": authority,
        "month": month,
        "month_name": selectors.month_name(month),
        "monthly_return": monthly_return,
        "indicator": indicator,
        "changes": selectors.history_rows(monthly_return, indicator),
        "events": selectors.timeline(monthly_return),
    }
    template = "returns/history.html#changes" if _is_htmx(request) else "returns/history.html"
    return render(request, template, context)
