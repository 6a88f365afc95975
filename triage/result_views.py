"""The patient's result pages: the result, its PDF, and deleting the answers."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from audit.actor import Actor

from . import selectors, services, summary
from .views import LAST_RESULT_SESSION_KEY, RESULT_TOKENS_SESSION_KEY


def _own_submission(request: HttpRequest, token: str):
    return selectors.submission_get_for_session(session=request.session, token=token)


def result_expired(request: HttpRequest) -> HttpResponse:
    # Unknown, deleted and other sessions' tokens look the same: a link reveals nothing.
    return render(request, "triage/result_expired.html", status=404)


@require_safe
def result(request: HttpRequest, token: str) -> HttpResponse:
    submission = _own_submission(request, token)
    if submission is None:
        return result_expired(request)
    page = selectors.result_page_get(submission=submission)
    return render(request, "triage/result.html", {"result": page, "submission": submission})


@require_http_methods(["GET", "POST"])
def result_delete(request: HttpRequest, token: str) -> HttpResponse:
    """Delete my answers: a confirmation page, then a POST that deletes and audits."""
    submission = _own_submission(request, token)
    if submission is None:
        return result_expired(request)
    if request.method == "GET":
        return render(request, "triage/result_confirm_delete.html", {"submission": submission})
    services.submission_delete(
        submission=submission, actor=Actor.from_request(request), reason="deleted by the patient from the result page"
    )
    session = request.session
    session[RESULT_TOKENS_SESSION_KEY] = [t for t in session.get(RESULT_TOKENS_SESSION_KEY, []) if t != token]
    if session.get(LAST_RESULT_SESSION_KEY) == token:
        del session[LAST_RESULT_SESSION_KEY]
    return redirect("triage:result_deleted")


@require_safe
def result_deleted(request: HttpRequest) -> HttpResponse:
    return render(request, "triage/result_deleted.html")


@require_safe
def result_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The result as a one-page PDF to bring to an appointment or show a GP."""
    submission = _own_submission(request, token)
    if submission is None:
        return result_expired(request)
    response = HttpResponse(summary.summary_pdf(submission=submission), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="self-check-{submission.reference}.pdf"'
    # Health information: never kept by a shared cache or the browser's disk cache.
    response["Cache-Control"] = "no-store, private"
    return response
