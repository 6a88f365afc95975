"""The patient's check-in pages, opened from the emailed link: no sign-in, phone first.

Every form answers with a redirect (post/redirect/get), even with errors: the
typed answers and the errors come back on the next GET from the session. The
link's own page is the form, or a kind page saying why it no longer opens.
None of these pages is cached or indexed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_safe

from audit.actor import Actor
from triage import scoring, selectors
from triage.models import Clinic

from . import services
from .forms import CheckInForm
from .links import LinkState, checkin_by_link
from .tokens import unsubscribe_link_read

# An invalid answer's data, kept for the one GET that follows (PRG with errors).
INVALID_SESSION_KEY = "followups_invalid"
# What the thank-you page needs after the link has stopped working: the advice given, the clinic.
DONE_SESSION_KEY = "followups_done"
KIND_PAGES = {
    LinkState.ANSWERED: ("followups/checkin_answered.html", 200),
    LinkState.CLOSED: ("followups/checkin_closed.html", 410),
    LinkState.BAD: ("followups/link_not_working.html", 404),
}


def private_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Never cached, never indexed: these pages are reached from a personal link."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def _red_flag_questions(ruleset: scoring.Ruleset) -> tuple[scoring.Question, ...]:
    return ruleset.questions_of_kind(scoring.EMERGENCY, scoring.DOCTOR_TODAY)


@private_page
@require_http_methods(["GET", "POST"])
def checkin(request: HttpRequest, signed: str) -> HttpResponse:
    """The check-in's questions (GET), and their answers (POST), for the link's holder."""
    link = checkin_by_link(signed)
    if link.state != LinkState.OPEN:
        template, status = KIND_PAGES[link.state]
        return render(request, template, status=status)
    checkin = link.checkin
    ruleset = selectors.ruleset_get()
    questions = _red_flag_questions(ruleset)
    if request.method == "POST":
        form = CheckInForm(request.POST, questions=questions)
        if not form.is_valid():
            data = {key: request.POST.getlist(key) for key in form.fields}
            request.session[INVALID_SESSION_KEY] = {"checkin": checkin.pk, "data": data}
            return redirect(request.path)
        try:
            answered = services.checkin_answer(
                checkin_id=checkin.pk,
                nonce=link.nonce,
                answers=form.answers_get(),
                ruleset=ruleset,
                actor=Actor.from_request(request),
            )
        except services.CheckInClosed:
            # Answered in another tab a moment ago, or closed meanwhile: the kind page says which.
            return redirect(request.path)
        request.session.pop(INVALID_SESSION_KEY, None)
        request.session[DONE_SESSION_KEY] = {
            "disposition": answered.disposition,
            "clinic": checkin.submission.clinic_id,
        }
        return redirect("followups:checkin_done")
    services.checkin_open(checkin=checkin, actor=Actor.from_request(request))
    kept = request.session.get(INVALID_SESSION_KEY)
    if kept and kept.get("checkin") == checkin.pk:
        del request.session[INVALID_SESSION_KEY]
        form = CheckInForm(_query_dict(kept["data"]), questions=questions)
        form.is_valid()
    else:
        form = CheckInForm(questions=questions)
    context = {"form": form, "checkin": checkin, "submitted_on": checkin.submission.created_at}
    return render(request, "followups/checkin.html", context)


def _query_dict(data: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values)
    return query


@private_page
@require_safe
def checkin_done(request: HttpRequest) -> HttpResponse:
    """Thank you; the urgent advice at once when a warning sign was ticked; where to turn if it is not improving."""
    done = request.session.get(DONE_SESSION_KEY) or {}
    clinic = Clinic.objects.filter(pk=done["clinic"]).first() if done.get("clinic") else None
    clinics = [clinic] if clinic is not None else selectors.clinic_list()
    # The clinics a person can phone or book online; the chosen one alone when they chose one.
    reachable = [c for c in clinics if c.phone or c.booking_url]
    context = {"disposition": done.get("disposition", ""), "reachable": reachable, "preferred": clinic}
    return render(request, "followups/checkin_done.html", context)


@private_page
@csrf_exempt  # A mail program's one-click unsubscribe (RFC 8058) POSTs with no token; the signed link is the key.
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, signed: str) -> HttpResponse:
    """A button to confirm (GET: mail scanners that open links unsubscribe no one), then stop the emails (POST)."""
    checkin_id = unsubscribe_link_read(signed)
    if checkin_id is None:
        return render(request, "followups/link_not_working.html", status=404)
    if request.method == "POST":
        services.followups_unsubscribe(checkin_id=checkin_id, actor=Actor.from_request(request))
        return redirect("followups:unsubscribed")
    return render(request, "followups/unsubscribe_confirm.html")


@private_page
@require_safe
def unsubscribed(request: HttpRequest) -> HttpResponse:
    return render(request, "followups/unsubscribed.html")
