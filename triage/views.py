"""The patient's pages: landing, the questionnaire wizard, the result."""

from __future__ import annotations

import secrets
from functools import cached_property

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlSessionWizardView, WizardView

from . import scoring, selectors, services
from .forms import ContactForm, DurationForm, FeetForm, SafetyForm, SymptomsForm

SAFETY, SYMPTOMS, FEET, DURATION, CONTACT = "safety", "symptoms", "feet", "duration", "contact"

STEP_PAGES = {
    SAFETY: {
        "title": "First, some safety questions",
        "intro": "These check for signs that need a doctor rather than a podiatrist. "
        "Answer each one, even if it seems unlikely.",
        "template": "triage/wizard_step.html",
    },
    SYMPTOMS: {
        "title": "Where it hurts and how",
        "intro": "Answer for the pain you have now. If you are not sure, choose the answer that fits best.",
        "template": "triage/wizard_step.html",
    },
    FEET: {
        "title": "Your feet and how you move",
        "intro": "Your feet are the base of your body. The way they meet the ground can add strain "
        "to your hips and lower back.",
        "template": "triage/wizard_step.html",
    },
    DURATION: {
        "title": "How long and how bad",
        "intro": "",
        "template": "triage/wizard_step.html",
    },
    CONTACT: {
        "title": "Your clinic and contact details",
        "intro": "This step is optional. You can stay anonymous and still see your result.",
        "template": "triage/wizard_step.html",
    },
}

# Session key of the last result this browser reached: a repeated final
# submit (double click, back and resubmit) is sent there instead of starting over.
LAST_RESULT_SESSION_KEY = "triage_last_result"
# Set once per questionnaire run: two requests from the same run store one submission.
RUN_ID_KEY = "run_id"


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "triage/landing.html")


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
        return [STEP_PAGES[self.steps.current]["template"]]

    def get_form_kwargs(self, step: str | None = None) -> dict:
        """Hand each step the questions (or clinics) it asks about; forms never query."""
        if step == SAFETY:
            return {"questions": self.ruleset.questions_of_kind(scoring.EMERGENCY, scoring.DOCTOR_TODAY)}
        if step == SYMPTOMS:
            return {"questions": self.ruleset.questions_of_kind(scoring.SYMPTOM)}
        if step == FEET:
            return {"questions": self.ruleset.questions_of_kind(scoring.DRIVER)}
        if step == CONTACT:
            return {"clinics": self.clinics}
        return {}

    def get_context_data(self, form, **kwargs) -> dict:
        context = super().get_context_data(form=form, **kwargs)
        context["page"] = STEP_PAGES[self.steps.current]
        context["prev_url"] = self.get_step_url(self.steps.prev) if self.steps.prev else None
        context["is_last"] = self.steps.current == self.steps.last
        return context

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
        return super().post(*args, **kwargs)

    def process_step(self, form) -> dict:
        if RUN_ID_KEY not in self.storage.extra_data:
            self.storage.extra_data = {**self.storage.extra_data, RUN_ID_KEY: secrets.token_hex(16)}
        return super().process_step(form)

    def render_next_step(self, form, **kwargs) -> HttpResponse:
        """After the safety step, any red flag ends the questionnaire at once."""
        if self.steps.current == SAFETY and form.yes_codes():
            response = self._store(answers=form.answers())
            self.storage.reset()
            return response
        return super().render_next_step(form, **kwargs)

    def render_done(self, form, **kwargs) -> HttpResponse:
        # Finish on the final POST itself rather than bouncing through a
        # separate "done" URL: one request scores, stores and redirects.
        return WizardView.render_done(self, form, **kwargs)

    def done(self, form_list, form_dict, **kwargs) -> HttpResponse:
        """All steps are valid: score, store and show the result."""
        answers: dict[str, bool] = {}
        for step in (SAFETY, SYMPTOMS, FEET):
            answers.update(form_dict[step].answers())
        duration = form_dict[DURATION].cleaned_data
        clinic_id, details = form_dict[CONTACT].contact()
        return self._store(
            answers=answers,
            pain_duration=duration["pain_duration"],
            pain_intensity=duration["pain_intensity"],
            clinic_id=clinic_id,
            contact=services.ContactDetails(
                name=details.get("contact_name", ""),
                email=details.get("contact_email", ""),
                phone=details.get("contact_phone", ""),
            ),
        )

    def _store(self, **fields) -> HttpResponse:
        submission = services.submission_create(
            ruleset=self.ruleset,
            idempotency_key=self.storage.extra_data.get(RUN_ID_KEY),
            **fields,
        )
        self.request.session[LAST_RESULT_SESSION_KEY] = submission.token
        return redirect("triage:result", token=submission.token)


@require_GET
def result(request: HttpRequest, token: str) -> HttpResponse:
    submission = selectors.submission_get_by_token(token=token)
    if submission is None:
        raise Http404("No result at this address.")
    page = selectors.result_page_get(submission=submission)
    return render(request, "triage/result.html", {"result": page, "submission": submission})
