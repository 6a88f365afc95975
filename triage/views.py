"""The patient's pages: landing, the questionnaire wizard, the result."""

from __future__ import annotations

import secrets
from functools import cached_property

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlSessionWizardView, WizardView

from audit.actor import Actor

from . import ratelimit, scoring, selectors, services, steps, summary
from .forms import ContactForm, DurationForm, FeetForm, SafetyForm, SymptomsForm
from .wizard_storage import form_step_data

SAFETY, SYMPTOMS, FEET, DURATION, CONTACT = (step.name for step in steps.STEPS)
STEP_TEMPLATE = "triage/wizard_step.html"

# Session key of the last result this browser reached: a repeated final
# submit (double click, back and resubmit) is sent there instead of starting over.
LAST_RESULT_SESSION_KEY = "triage_last_result"
# Set once per questionnaire run: two requests from the same run store one submission.
RUN_ID_KEY = "run_id"
# The collection notice version this run was shown (recorded on the submission).
NOTICE_VERSION_KEY = "privacy_notice_version"
RESULT_TOKENS_SESSION_KEY = selectors.RESULT_TOKENS_SESSION_KEY
MAX_RESULTS_PER_SESSION = 20
UNDER_16_SESSION_KEY = "triage_under_16"
# Dispositions that end the questionnaire after the safety step, and that a rate-limited page still gives.
URGENT_DISPOSITIONS = frozenset({scoring.DISPOSITION_EMERGENCY, scoring.DISPOSITION_SEE_DOCTOR_TODAY})


@require_safe
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "triage/landing.html")


@require_safe
def adults_only(request: HttpRequest) -> HttpResponse:
    """Under 16: where to go instead (and, if their answers were urgent, what to do now). Nothing was stored."""
    disposition = request.session.get(UNDER_16_SESSION_KEY) or None
    return render(request, "triage/under_16.html", {"disposition": disposition})


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    """The full collection notice (the landing page shows its summary before the first question)."""
    return render(request, "triage/privacy.html")


class SelfCheckWizard(NamedUrlSessionWizardView):
    """The five-step self-check. Each step has its own URL, so reload and the
    browser's Back button keep the person where they are."""

    # Saves the session only when the wizard's data changes (triage/wizard_storage.py).
    storage_name = "triage.wizard_storage.SessionStorage"
    form_list = [
        (SAFETY, SafetyForm),
        (SYMPTOMS, SymptomsForm),
        (FEET, FeetForm),
        (DURATION, DurationForm),
        (CONTACT, ContactForm),
    ]

    @cached_property
    def ruleset(self) -> scoring.Ruleset:
        return selectors.ruleset_get()

    @cached_property
    def clinics(self) -> list:
        return selectors.clinic_list()

    def get_template_names(self) -> list[str]:
        return [STEP_TEMPLATE]

    def get_form_kwargs(self, step: str | None = None) -> dict:
        """Hand each step the questions (or clinics) it asks about; forms never query."""
        kinds = steps.BY_NAME[step].kinds if step in steps.BY_NAME else ()
        if kinds:
            return {"questions": self.ruleset.questions_of_kind(*kinds)}
        if step == CONTACT:
            return {"clinics": self.clinics}
        return {}

    def get_context_data(self, form, **kwargs) -> dict:
        context = super().get_context_data(form=form, **kwargs)
        context["page"] = steps.BY_NAME[self.steps.current]
        context["prev_url"] = self.get_step_url(self.steps.prev) if self.steps.prev else None
        context["is_last"] = self.steps.current == self.steps.last
        if self.steps.current == SYMPTOMS:
            # The body diagram: each area answers yes to the questions placed
            # on it (Question.body_region); an area with none is left out.
            regions: dict[str, list[str]] = {}
            for question in self.ruleset.questions_of_kind(scoring.SYMPTOM):
                if question.body_region:
                    regions.setdefault(question.body_region, []).append(question.code)
            context["body_regions"] = {region: " ".join(codes) for region, codes in regions.items()}
        return context

    def dispatch(self, request, *args, **kwargs) -> HttpResponse:
        """A browser with no session yet starts one here: count it against the new-session limit."""
        # Loading the session forgets a cookie whose row is gone (expired, cleared, made up).
        request.session.get(LAST_RESULT_SESSION_KEY)
        if request.session.session_key is None and ratelimit.new_session_rate_limited(request):
            response = render(request, "429.html", {"kind": "new_session"}, status=429)
            response["Retry-After"] = str(settings.TRIAGE_NEW_SESSION_RATE_LIMIT[1])
            return response
        return super().dispatch(request, *args, **kwargs)

    def _first_missing_step(self, before: str) -> str | None:
        """The first step before ``before`` with no stored answers, if any."""
        for step in self.get_form_list():
            if step == before:
                return None
            if self.storage.get_step_data(step) is None:
                return step
        return None

    def get(self, *args, **kwargs) -> HttpResponse:
        step = kwargs.get("step")
        if step is None and "reset" in self.request.GET:
            self.storage.reset()
            return redirect(self.get_step_url(self.steps.first))
        if step == self.done_step_name:
            # Results are only ever made by the final POST, never by a GET.
            return redirect(self.get_step_url(self.storage.current_step or self.steps.first))
        if step in self.get_form_list():
            missing = self._first_missing_step(step)
            if missing is not None:
                # Someone opened a later step's address directly, or their
                # session expired: send them to the first unanswered step.
                return redirect(self.get_step_url(missing))
        return super().get(*args, **kwargs)

    def post(self, *args, **kwargs) -> HttpResponse:
        """Check the posted step is real and reachable before formtools sees it.

        A tampered or stale step never reaches formtools (which would raise a
        400 or a KeyError): the person gets a message and the right step.
        """
        management_form = ManagementForm(self.request.POST, prefix=self.prefix)
        posted_step = management_form.cleaned_data["current_step"] if management_form.is_valid() else None
        if posted_step not in self.get_form_list():
            messages.warning(self.request, "That page was out of date, so we have taken you to where you were.")
            return redirect(self.get_step_url(self.storage.current_step or self.steps.first))
        missing = self._first_missing_step(posted_step)
        if missing is not None:
            last_result = self.request.session.get(LAST_RESULT_SESSION_KEY)
            if last_result and posted_step == self.steps.last:
                return redirect("triage:result", token=last_result)
            messages.warning(
                self.request,
                "Your earlier answers have expired or were not saved. Please answer this step again.",
            )
            self.storage.current_step = missing
            return redirect(self.get_step_url(missing))
        if ratelimit.step_post_rate_limited(self.request):
            return self._step_rate_limited(posted_step)
        return super().post(*args, **kwargs)

    def _step_rate_limited(self, step: str) -> HttpResponse:
        """Too many step POSTs from this address: nothing stored, the step shown again with what was sent.

        Answers that already mean an emergency or a doctor today still get
        that advice at once, as a rate-limited final submit does.
        """
        form = self.get_form(step=step, data=self.request.POST, files=self.request.FILES)
        answers = form.answers() if form.is_valid() and hasattr(form, "answers") else {}
        if answers and self._urgent_disposition(answers) is not None:
            return self._rate_limited({"answers": answers})
        self.storage.current_step = step
        messages.warning(
            self.request,
            "A lot of answers have been sent from your internet connection in the last hour, so we have paused "
            "for a while. Your answers are still on this page: please try the button again later.",
        )
        # The page itself, never a redirect: the answers are shown again without being stored.
        response = WizardView.render(self, form)
        response.status_code = 429
        response["Retry-After"] = str(settings.TRIAGE_STEP_RATE_LIMIT[1])
        return response

    def get_form_step_data(self, form):
        """Only the step's own fields (and the wizard's current-step field) go into the session."""
        return form_step_data(form, keep=(f"{self.prefix}-current_step",))

    def process_step(self, form) -> dict:
        if RUN_ID_KEY not in self.storage.extra_data:
            self.storage.extra_data = {
                **self.storage.extra_data,
                RUN_ID_KEY: secrets.token_hex(16),
                # The collection notice is on the start page, before the first question.
                NOTICE_VERSION_KEY: settings.TRIAGE_PRIVACY_NOTICE_VERSION,
            }
        return super().process_step(form)

    def render_next_step(self, form, **kwargs) -> HttpResponse:
        """After the safety step: under 16, the page saying where to go instead (nothing stored);
        answers that already mean emergency or a doctor today end the questionnaire at once."""
        if self.steps.current == SAFETY:
            age = form.cleaned_data.get("age")
            assessment = scoring.score(self.ruleset, scoring.Answers.from_mapping(form.answers(), age=age))
            urgent = assessment.disposition in URGENT_DISPOSITIONS
            if form.is_under_16():
                self.storage.reset()
                # Nothing is stored for a child; the next page still says what to do now if it is urgent.
                self.request.session[UNDER_16_SESSION_KEY] = assessment.disposition if urgent else ""
                return redirect("triage:adults_only")
            if urgent:
                response = self._store(answers=form.answers(), age=age)
                if response.status_code == 302:
                    self.storage.reset()
                return response
        return super().render_next_step(form, **kwargs)

    def render_done(self, form, **kwargs) -> HttpResponse:
        # Finish on the final POST itself rather than bouncing through a
        # separate "done" URL: one request scores, stores and redirects.
        # formtools' reset() after done() puts a new dict in the session and
        # leaves this one untouched, so holding the reference is enough.
        # What this leans on in formtools is pinned by tests/triage/test_private_internals.py.
        answers_so_far = self.storage.data
        response = WizardView.render_done(self, form, **kwargs)
        if response.status_code == 429:
            # A rate-limited submit stored nothing: keep the answers for a later try.
            self.storage.data = answers_so_far
        return response

    def done(self, form_list, form_dict, **kwargs) -> HttpResponse:
        """All steps are valid: score, store and show the result."""
        answers: dict[str, bool] = {}
        for step in (SAFETY, SYMPTOMS, FEET):
            answers.update(form_dict[step].answers())
        duration = form_dict[DURATION].cleaned_data
        clinic_id, contact = form_dict[CONTACT].contact()
        return self._store(
            answers=answers,
            age=form_dict[SAFETY].cleaned_data.get("age"),
            pain_duration=duration["pain_duration"],
            pain_intensity=duration["pain_intensity"],
            enjoyment_interference=duration["enjoyment_interference"],
            activity_interference=duration["activity_interference"],
            clinic_id=clinic_id,
            contact=contact,
        )

    def _store(self, **fields) -> HttpResponse:
        if ratelimit.submission_rate_limited(self.request):
            return self._rate_limited(fields)
        submission = services.submission_create(
            ruleset=self.ruleset,
            idempotency_key=self.storage.extra_data.get(RUN_ID_KEY),
            privacy_notice_version=self.storage.extra_data.get(NOTICE_VERSION_KEY, ""),
            **fields,
        )
        session = self.request.session
        session[LAST_RESULT_SESSION_KEY] = submission.token
        tokens = [t for t in session.get(RESULT_TOKENS_SESSION_KEY, []) if t != submission.token]
        session[RESULT_TOKENS_SESSION_KEY] = [*tokens, submission.token][-MAX_RESULTS_PER_SESSION:]
        return redirect("triage:result", token=submission.token)

    def _rate_limited(self, fields: dict) -> HttpResponse:
        """Too many submissions from this address: nothing stored, the answers kept for a later try.

        Safety comes first: when the answers raise a red flag the page still
        says what to do now, scored here without storing anything.
        """
        assessment = scoring.score(
            self.ruleset,
            scoring.Answers.from_mapping(
                fields["answers"], fields.get("pain_duration"), fields.get("pain_intensity"), age=fields.get("age")
            ),
        )
        urgent = assessment.disposition in URGENT_DISPOSITIONS
        response = render(
            self.request,
            "429.html",
            {"disposition": assessment.disposition if urgent else None, "retry_url": self.request.path},
            status=429,
        )
        response["Retry-After"] = str(settings.TRIAGE_SUBMISSION_RATE_LIMIT[1])
        return response

    def _urgent_disposition(self, answers: dict[str, bool]) -> str | None:
        """Emergency or see-a-doctor-today when these answers already mean it (scored, nothing stored)."""
        assessment = scoring.score(self.ruleset, scoring.Answers.from_mapping(answers, None, None))
        urgent = {scoring.DISPOSITION_EMERGENCY, scoring.DISPOSITION_SEE_DOCTOR_TODAY}
        return assessment.disposition if assessment.disposition in urgent else None


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
    context = {"result": page, "submission": submission, "feet_title": steps.FEET.title}
    return render(request, "triage/result.html", context)


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
