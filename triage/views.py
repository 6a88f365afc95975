"""The patient's pages: landing and the questionnaire wizard (the result pages are in result_views.py)."""

from __future__ import annotations

import secrets
from functools import cached_property

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from formtools.wizard.forms import ManagementForm
from formtools.wizard.views import NamedUrlSessionWizardView, WizardView

from . import ratelimit, scoring, screens, selectors, services, steps
from .forms import AboutYouForm, ChecklistForm, ContactForm, QuestionsForm
from .wizard_storage import form_step_data

# Session key of the last result this browser reached: a repeated final
# submit (double click, back and resubmit) is sent there instead of starting over.
LAST_RESULT_SESSION_KEY = "triage_last_result"
# An invalid post's answers, kept for the one GET that follows it (post/redirect/get
# even with errors), so Back, Forward and Reload never resubmit a form.
INVALID_POST_SESSION_KEY = "triage_invalid_post"
# Set once per questionnaire run: two requests from the same run store one submission.
RUN_ID_KEY = "run_id"
# The collection notice version this run was shown (recorded on the submission).
NOTICE_VERSION_KEY = "privacy_notice_version"
# The result token a finished run stored. The answers stay (so Back from the
# result shows them); changing one starts a new run, resubmitting them unchanged does not.
FINISHED_KEY = "finished"
RESULT_TOKENS_SESSION_KEY = selectors.RESULT_TOKENS_SESSION_KEY
MAX_RESULTS_PER_SESSION = 20
UNDER_16_SESSION_KEY = "triage_under_16"
# Dispositions that end the questionnaire before the symptoms, and that a rate-limited page still gives.
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


@require_safe
def check_restart(request: HttpRequest) -> HttpResponse:
    """ "Start again?": the answers are cleared only by the POST this page sends to the wizard."""
    return render(request, "triage/check_restart.html")


def _own_data(data, prefix: str) -> dict[str, list[str]] | None:
    """A screen's own fields out of posted or stored data (not the CSRF token or the step name)."""
    if data is None:
        return None
    return {key: data.getlist(key) for key in data if key.startswith(f"{prefix}-")}


class SelfCheckWizard(NamedUrlSessionWizardView):
    """The self-check, one topic per screen, each screen at its own address.

    The screens are laid out from the published questions (triage/screens.py),
    so reload and the browser's Back button keep the person where they are,
    and every POST answers with a redirect, even when an answer is missing.
    """

    # Saves the session only when the wizard's data changes (triage/wizard_storage.py).
    storage_name = "triage.wizard_storage.SessionStorage"
    # formtools wants a form list up front; the real one is get_form_list(), laid out from the ruleset.
    form_list = [(screens.EMERGENCY, ChecklistForm)]

    @cached_property
    def ruleset(self) -> scoring.Ruleset:
        return selectors.ruleset_get()

    @cached_property
    def clinics(self) -> list:
        return selectors.clinic_list()

    def get_form_list(self):
        """The screens this person is shown, given their answers so far.

        Built once per request and again after a step's answers are stored
        (formtools then drops ``_resolved_form_list``): a follow-up screen comes
        and goes with the answers that enable its questions.
        """
        if not hasattr(self, "_resolved_form_list"):
            if not self._plan_still_holds():
                self._plan = screens.plan_build(
                    ruleset=self.ruleset,
                    stored=self.storage.get_step_data,
                    form_kwargs=self._form_kwargs,
                    # The built-in fields' words, published with the ruleset (cached with it: no query).
                    texts=selectors.field_texts_get(number=self.ruleset.version),
                )
            self._resolved_form_list = {name: shown.screen.form_class for name, shown in self._plan.shown.items()}
            self._cache_signature = None
        return dict(self._resolved_form_list)

    def _plan_still_holds(self) -> bool:
        """Whether the plan built earlier in this request still holds: the screens it read are stored unchanged.

        The plan depends only on the answers of the question screens it read
        (screens.Plan.read), so storing the contact, duration or a 0-10
        screen leaves it as it was, and the final submit builds it once.
        """
        plan = getattr(self, "_plan", None)
        return plan is not None and all(self.storage.get_step_data(name) == data for name, data in plan.read.items())

    @property
    def plan(self) -> screens.Plan:
        self.get_form_list()
        return self._plan

    def _form_kwargs(self, shown: screens.Shown) -> dict:
        """Hand each screen the questions (or clinics) it asks about; forms never query."""
        form_class = shown.screen.form_class
        if issubclass(form_class, ChecklistForm):
            return {"questions": shown.questions, "none_label": shown.screen.none_label}
        if issubclass(form_class, QuestionsForm):
            return {"questions": shown.questions}
        if issubclass(form_class, ContactForm):
            return {"clinics": self.clinics}
        return {}

    def get_form_kwargs(self, step: str | None = None) -> dict:
        return self._form_kwargs(self.plan.shown[step or self.steps.current])

    def get_template_names(self) -> list[str]:
        return ["triage/wizard_step.html"]

    def get_context_data(self, form, **kwargs) -> dict:
        context = super().get_context_data(form=form, **kwargs)
        shown = self.plan.shown[self.steps.current]
        context["screen"] = shown.screen
        context["prev_url"] = self.get_step_url(self.steps.prev) if self.steps.prev else None
        context["is_last"] = self.steps.current == self.steps.last
        # Progress by answer section, not by screen: the screen count grows once
        # the follow-ups for the areas chosen appear ("Page 4 of 10", then "5 of 11").
        section = steps.step_of_screen(self.steps.current)
        context["section_number"] = steps.STEPS.index(section) + 1
        context["section_count"] = len(steps.STEPS)
        if shown.screen.body_diagram:
            # The body diagram: each area ticks the questions placed on it (Question.body_region,
            # content data); an area with no question on this screen is left out.
            regions: dict[str, list[str]] = {}
            for question in shown.questions:
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
        session = self.request.session
        invalid = session.pop(INVALID_POST_SESSION_KEY, None)
        if step is None:
            # The start address: a new or finished run starts afresh; one in progress carries on.
            if self.storage.extra_data.get(FINISHED_KEY) or self.storage.get_step_data(self.steps.first) is None:
                self.storage.reset()
                self.storage.current_step = self.steps.first
            return redirect(self.get_step_url(self.storage.current_step or self.steps.first))
        if step == self.done_step_name:
            # Results are only ever made by the final POST, never by a GET.
            return redirect(self.get_step_url(self.storage.current_step or self.steps.first))
        if step in self.get_form_list():
            missing = self._first_missing_step(step)
            if missing is not None:
                # Someone opened a later step's address directly, or their
                # session expired: send them to the first unanswered step.
                return redirect(self.get_step_url(missing))
            if invalid and invalid.get("step") == step:
                # Right after an invalid post: the same answers again, so the errors show with what was chosen.
                self.storage.current_step = step
                return self.render(self.get_form(data=MultiValueDict(invalid["data"])))
        return super().get(*args, **kwargs)

    def post(self, *args, **kwargs) -> HttpResponse:
        """Check the posted step is real and reachable before formtools sees it.

        A tampered or stale step never reaches formtools (which would raise a
        400 or a KeyError): the person gets a message and the right step.
        """
        if kwargs.get("step") is None and "restart" in self.request.POST:
            # "Start again": confirmed on its own page (check_restart).
            self.storage.reset()
            self.storage.current_step = self.steps.first
            return redirect(self.get_step_url(self.steps.first))
        management_form = ManagementForm(self.request.POST, prefix=self.prefix)
        posted_step = management_form.cleaned_data["current_step"] if management_form.is_valid() else None
        if posted_step not in self.get_form_list():
            messages.warning(self.request, _("That page was out of date, so we have taken you to where you were."))
            return redirect(self.get_step_url(self.storage.current_step or self.steps.first))
        missing = self._first_missing_step(posted_step)
        if missing is not None:
            last_result = self.request.session.get(LAST_RESULT_SESSION_KEY)
            if last_result and posted_step == self.steps.last:
                return redirect("triage:result", token=last_result)
            messages.warning(
                self.request,
                _("Your earlier answers have expired or were not saved. Please answer this page again."),
            )
            self.storage.current_step = missing
            return redirect(self.get_step_url(missing))
        if ratelimit.step_post_rate_limited(self.request):
            return self._step_rate_limited(posted_step)
        return super().post(*args, **kwargs)

    def render(self, form=None, **kwargs) -> HttpResponse:
        if self.request.method == "POST" and form is not None and form.is_bound:
            # Invalid answers: post/redirect/get all the same. The answers wait in the
            # session for the GET that follows, which shows them with their errors.
            self.request.session[INVALID_POST_SESSION_KEY] = {
                "step": self.steps.current,
                "data": _own_data(form.data, form.prefix),
            }
            return redirect(self.get_step_url(self.steps.current))
        return super().render(form, **kwargs)

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
            _(
                "A lot of answers have been sent from your internet connection in the last hour, so we have paused "
                "for a while. Your answers are still on this page: please try the button again later."
            ),
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
        extra = self.storage.extra_data
        stored = self.storage.get_step_data(self.steps.current)
        if RUN_ID_KEY not in extra or (
            extra.get(FINISHED_KEY) and _own_data(form.data, form.prefix) != _own_data(stored, form.prefix)
        ):
            # A new run: the first answer, or a changed answer after a result was stored.
            self.storage.extra_data = {
                **extra,
                RUN_ID_KEY: secrets.token_hex(16),
                FINISHED_KEY: None,
                # The collection notice is on the start page, before the first question.
                NOTICE_VERSION_KEY: extra.get(NOTICE_VERSION_KEY, settings.TRIAGE_PRIVACY_NOTICE_VERSION),
            }
        return super().process_step(form)

    def render_next_step(self, form, **kwargs) -> HttpResponse:
        """After a safety screen: under 16, the page saying where to go instead (nothing stored);
        answers that already mean emergency or a doctor today (any red-flag tick does) end the
        questionnaire at once."""
        step = self.steps.current
        if self.plan.shown[step].screen.safety:
            answers = self.plan.answers_until(step)
            age = self.plan.age
            assessment = scoring.score(self.ruleset, scoring.Answers.from_mapping(answers, age=age))
            urgent = assessment.disposition in URGENT_DISPOSITIONS
            if isinstance(form, AboutYouForm) and form.is_under_16():
                self.storage.reset()
                # Nothing is stored for a child; the next page still says what to do now if it is urgent.
                self.request.session[UNDER_16_SESSION_KEY] = assessment.disposition if urgent else ""
                return redirect("triage:adults_only")
            if urgent:
                return self._store(answers=answers, age=age)
        return super().render_next_step(form, **kwargs)

    def render_done(self, form, **kwargs) -> HttpResponse:
        """Re-validate every screen shown, then score and store, in this one POST.

        A screen already validated in this request against the answers now
        stored is not built and checked again: the posted last screen
        (``form``), and the question screens the plan read
        (``screens.Plan.valid_forms``, rebuilt whenever what it read changes).

        Unlike formtools, the answers stay in the session afterwards: the
        browser's Back from the result shows them, and a changed answer
        starts a new run (``process_step``). A rate-limited submit keeps them too.
        """
        validated = {**self.plan.valid_forms, self.steps.current: form}
        final_forms = {}
        for step in self.get_form_list():
            form_obj = validated.get(step)
            if form_obj is None:
                form_obj = self.get_form(step=step, data=self.storage.get_step_data(step))
                if not form_obj.is_valid():
                    return self.render_revalidation_failure(step, form_obj, **kwargs)
            final_forms[step] = form_obj
        return self.done(list(final_forms.values()), form_dict=final_forms, **kwargs)

    def done(self, form_list, form_dict, **kwargs) -> HttpResponse:
        """All screens are valid: score, store and show the result."""
        answers: dict[str, bool] = {}
        for form in form_list:
            if isinstance(form, QuestionsForm):
                answers.update(form.answers())
        contact_form = form_dict[screens.CONTACT]
        clinic_id, contact = contact_form.contact()
        return self._store(
            answers=answers,
            age=self.plan.age,
            pain_duration=form_dict[screens.DURATION].cleaned_data["pain_duration"],
            pain_intensity=form_dict[screens.INTENSITY].cleaned_data["pain_intensity"],
            enjoyment_interference=form_dict[screens.ENJOYMENT].cleaned_data["enjoyment_interference"],
            activity_interference=form_dict[screens.ACTIVITY].cleaned_data["activity_interference"],
            clinic_id=clinic_id,
            contact=contact,
            followup_consent=contact_form.followup(),
        )

    def _store(self, **fields) -> HttpResponse:
        if ratelimit.submission_rate_limited(self.request):
            return self._rate_limited(fields)
        submission = services.submission_create(
            ruleset=self.ruleset,
            idempotency_key=self.storage.extra_data.get(RUN_ID_KEY),
            privacy_notice_version=self.storage.extra_data.get(NOTICE_VERSION_KEY, ""),
            on_stored=self._remember_and_save,
            **fields,
        )
        if self.storage.extra_data.get(FINISHED_KEY) != submission.token:
            # A repeat of a run already stored: the session learns of it now, saved by the middleware.
            self._remember(submission)
        return redirect("triage:result", token=submission.token)

    def _remember(self, submission) -> None:
        """The session opens this result from now on, and a resubmit of the same answers goes back to it."""
        self.storage.extra_data = {**self.storage.extra_data, FINISHED_KEY: submission.token}
        session = self.request.session
        session[LAST_RESULT_SESSION_KEY] = submission.token
        tokens = [t for t in session.get(RESULT_TOKENS_SESSION_KEY, []) if t != submission.token]
        session[RESULT_TOKENS_SESSION_KEY] = [*tokens, submission.token][-MAX_RESULTS_PER_SESSION:]

    def _remember_and_save(self, submission) -> None:
        """``_remember``, saved in the submission's own transaction (one commit, not two).

        Should the session row be gone (cleared meanwhile), the session stays
        marked modified and the middleware reports it as it would any other
        failed save; the submission is stored either way (``write()`` raises
        nothing, so the transaction is never marked for rollback).
        """
        self._remember(submission)
        session = self.request.session
        if session.session_key is not None and session.write():
            session.modified = False  # written: nothing left for the middleware to save

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
