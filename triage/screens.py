"""The questionnaire's screens, laid out from the published questions.

Which screen a question appears on is data, not template logic: its kind,
its group, its order and its ``enable_when``.

- emergency signs, then see-a-doctor-today signs: one checklist each, with
  "none of these apply"; any tick ends the check;
- about you: the age (optional) and the context questions (a cancer
  history, an accident); answers that already mean an urgent result end it;
- where it hurts: the symptom questions asked of everyone (those with no
  ``enable_when``), as one checklist with the body diagram;
- the follow-up questions of each symptom group (hip, groin, leg, back), one
  screen per group, shown only when one of its questions is enabled by the
  answers so far, and with only those questions;
- feet and movement: the foot drivers and signs as one checklist;
- how long, how bad, how much it gets in the way of enjoying life and of
  everyday activities (the PEG), then the optional contact details: one topic each.

The words of the built-in fields (age, how long, the PEG scales, the clinic)
come from the published ruleset too (triage.field_texts), passed in.

A new question slots into its screen by its kind and group; a new group of
follow-ups gets its own screen. Questions never shown are left out of the
answers ("not asked"), never stored as "no".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django import forms
from django.utils.translation import gettext_lazy as _

from . import field_texts, scoring
from .forms import (
    AboutYouForm,
    ActivityForm,
    ChecklistForm,
    ContactForm,
    DurationForm,
    EnjoymentForm,
    IntensityForm,
    QuestionsForm,
    YesNoForm,
)
from .models import QuestionGroup

EMERGENCY, DOCTOR, ABOUT_YOU, WHERE, FEET, DURATION, INTENSITY, ENJOYMENT, ACTIVITY, CONTACT = (
    "emergency",
    "doctor",
    "about_you",
    "where",
    "feet",
    "duration",
    "intensity",
    "enjoyment",
    "activity",
    "contact",
)
FOLLOW_UP_PREFIX = "more_"

# The heading of a follow-up screen that asks more than one question (a
# screen with one question uses the question itself as its heading).
FOLLOW_UP_TITLES = {
    QuestionGroup.HIP: _("Your hip pain"),
    QuestionGroup.GROIN: _("Your groin pain"),
    QuestionGroup.LEG: _("The pain down your leg"),
    QuestionGroup.BACK: _("Your lower back or buttock pain"),
}


@dataclass(frozen=True)
class Screen:
    """One page of the questionnaire (one wizard step, with its own address)."""

    name: str
    form_class: type[forms.Form]
    # The partial that shows the answers: checklist, yes/no, one choice or contact.
    template: str
    title: str
    hint: str = ""
    questions: tuple[scoring.Question, ...] = ()
    none_label: str = ""
    # Shown only when one of its questions is enabled by the answers so far.
    follow_up: bool = False
    # Asked before the symptoms: answers that already mean an urgent result end the questionnaire.
    safety: bool = False
    body_diagram: bool = False
    # The words (with "why we ask") of the built-in field the screen asks, if it asks one.
    field: field_texts.FieldText | None = None


CHECKLIST = "triage/_checklist.html"
YES_NO = "triage/_yes_no.html"
ONE_CHOICE = "triage/_one_choice.html"
CONTACT_FIELDS = "triage/_contact.html"
ABOUT_YOU_FIELDS = "triage/_about_you.html"


# Laid-out screens by (ruleset, texts): the objects are kept with them, so their ids are never reused meanwhile.
_LAID_OUT: dict[tuple[int, int], tuple[scoring.Ruleset, object, tuple[Screen, ...]]] = {}
_LAID_OUT_MAX = 32


def screens_for(ruleset: scoring.Ruleset, texts: field_texts.FieldTexts | None = None) -> tuple[Screen, ...]:
    """Every screen the ruleset can show, in order (follow-ups included, whether enabled or not).

    ``texts``: the ruleset's field texts (selectors.field_texts_get); the built-in words when not given.
    Laid out once per ruleset and texts: both are immutable and cached by the selectors, and laying
    them out took about 0.4 ms of every questionnaire page (docs/benchmarks.md). Titles and hints are
    lazy translations, so one layout serves every language.
    """
    key = (id(ruleset), id(texts))
    laid_out = _LAID_OUT.get(key)
    if laid_out is not None and laid_out[0] is ruleset and laid_out[1] is texts:
        return laid_out[2]
    screens = _screens_lay_out(ruleset, texts or field_texts.built_in())
    if len(_LAID_OUT) >= _LAID_OUT_MAX:
        _LAID_OUT.clear()  # draft previews lay out a new ruleset each time
    _LAID_OUT[key] = (ruleset, texts, screens)
    return screens


def _screens_lay_out(ruleset: scoring.Ruleset, texts: field_texts.FieldTexts) -> tuple[Screen, ...]:
    screens: list[Screen] = []

    def checklist(name: str, kinds: tuple[str, ...], keep: Callable[[scoring.Question], bool], **options) -> None:
        questions = tuple(q for q in ruleset.questions_of_kind(*kinds) if keep(q))
        if questions:
            screens.append(
                Screen(name=name, form_class=ChecklistForm, template=CHECKLIST, questions=questions, **options)
            )

    def always(question: scoring.Question) -> bool:
        return True

    checklist(
        EMERGENCY,
        (scoring.EMERGENCY,),
        always,
        title=_("Do you have any of these?"),
        hint=_("These can be signs of a serious problem that needs help straight away. Tick any you have now."),
        none_label=_("None of these apply"),
        safety=True,
    )
    checklist(
        DOCTOR,
        (scoring.DOCTOR_TODAY,),
        always,
        title=_("Do any of these apply to you?"),
        hint=_("A doctor should check these before you see a podiatrist. Tick any that apply."),
        none_label=_("None of these apply"),
        safety=True,
    )
    # The person's age (optional) and the context questions (a cancer history, how it started).
    screens.append(
        Screen(
            name=ABOUT_YOU,
            form_class=AboutYouForm,
            template=ABOUT_YOU_FIELDS,
            title=_("About you"),
            questions=ruleset.questions_of_kind(scoring.CONTEXT),
            safety=True,
            field=texts[field_texts.AGE],
        )
    )
    checklist(
        WHERE,
        (scoring.SYMPTOM,),
        lambda q: not q.enable_when,
        title=_("Where do you have pain?"),
        hint=_("Tick every place that hurts."),
        none_label=_("None of these places"),
        body_diagram=True,
    )
    follow_ups: dict[str, list[scoring.Question]] = {}
    for question in ruleset.questions_of_kind(scoring.SYMPTOM):
        if question.enable_when:
            follow_ups.setdefault(question.group, []).append(question)
    for group, questions in follow_ups.items():
        screens.append(
            Screen(
                name=f"{FOLLOW_UP_PREFIX}{group}",
                form_class=YesNoForm,
                template=YES_NO,
                title=FOLLOW_UP_TITLES.get(group, _("More about your pain")),
                questions=tuple(questions),
                follow_up=True,
            )
        )
    checklist(
        FEET,
        (scoring.DRIVER,),
        always,
        title=_("Do any of these apply to your feet or the way you move?"),
        hint=_(
            "Your feet are the base of your body. The way they meet the ground can add strain to your hips "
            "and lower back. Tick all that apply."
        ),
        none_label=_("None of these"),
    )
    for name, form_class in (
        (DURATION, DurationForm),
        (INTENSITY, IntensityForm),
        (ENJOYMENT, EnjoymentForm),
        (ACTIVITY, ActivityForm),
    ):
        text = texts[form_class.field_name]
        screens.append(
            Screen(
                name=name, form_class=form_class, template=ONE_CHOICE, title=text.label, hint=text.help_text, field=text
            )
        )
    screens.append(
        Screen(
            name=CONTACT,
            form_class=ContactForm,
            template=CONTACT_FIELDS,
            title=_("Clinic and contact details"),
            hint=_("You can skip this page and stay anonymous."),
            field=texts[field_texts.CLINIC],
        )
    )
    return tuple(screens)


@dataclass(frozen=True)
class Shown:
    """A screen as this person sees it: with only the questions their answers so far enable."""

    screen: Screen
    questions: tuple[scoring.Question, ...]


@dataclass(frozen=True)
class Plan:
    """The screens this person is shown, in order, and their valid answers so far."""

    shown: dict[str, Shown]
    # Each answered screen's answers (question code to yes/no), in screen order.
    answers_by_screen: dict[str, dict[str, bool]]
    # The person's age, when given on the about-you screen.
    age: int | None = None
    # The stored data of each screen the plan was built from (None: not answered yet):
    # the plan holds while the storage still gives the same.
    read: dict[str, Mapping | None] = field(default_factory=dict)
    # The forms of the answered screens that validated, bound to the data read: the final
    # submit re-validates every screen, and need not build and check these a second time.
    valid_forms: dict[str, QuestionsForm] = field(default_factory=dict)

    @property
    def answers(self) -> dict[str, bool]:
        return {code: value for answers in self.answers_by_screen.values() for code, value in answers.items()}

    def answers_until(self, name: str) -> dict[str, bool]:
        """The answers of the screens up to and including ``name`` (what a red flag stops with)."""
        answers: dict[str, bool] = {}
        for screen, screen_answers in self.answers_by_screen.items():
            answers.update(screen_answers)
            if screen == name:
                break
        return answers


def plan_build(
    *,
    ruleset: scoring.Ruleset,
    stored: Callable[[str], Mapping | None],
    form_kwargs: Callable[[Shown], dict],
    texts: field_texts.FieldTexts | None = None,
) -> Plan:
    """Walk the screens in order, keeping the answers of each stored screen that still validates.

    ``stored(name)`` is a screen's stored data (None when not answered yet);
    a follow-up screen is shown when one of its questions is enabled by the
    answers of the screens before it, and asks only those questions.
    """
    shown: dict[str, Shown] = {}
    answers: dict[str, bool] = {}
    by_screen: dict[str, dict[str, bool]] = {}
    read: dict[str, Mapping | None] = {}
    valid_forms: dict[str, QuestionsForm] = {}
    age = None
    for screen in screens_for(ruleset, texts):
        questions = screen.questions
        if screen.follow_up:
            questions = tuple(q for q in questions if ruleset.question_enabled(q, answers))
            if not questions:
                continue
        entry = Shown(screen, questions)
        shown[screen.name] = entry
        data = None
        if questions or screen.name == ABOUT_YOU:
            data = read[screen.name] = stored(screen.name)
        if data is not None:
            form = screen.form_class(data=data, prefix=screen.name, **form_kwargs(entry))
            if isinstance(form, QuestionsForm) and form.is_valid():
                valid_forms[screen.name] = form
                by_screen[screen.name] = form.answers()
                answers.update(by_screen[screen.name])
                age = form.cleaned_data.get("age", age)
    return Plan(shown=shown, answers_by_screen=by_screen, age=age, read=read, valid_forms=valid_forms)
