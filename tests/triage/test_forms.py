"""The questionnaire's step forms: what each field accepts and refuses, and the codes it refuses with."""

from __future__ import annotations

import pytest
from crispy_forms.utils import render_crispy_form

from triage import scoring
from triage.forms import ContactForm, DurationForm, SafetyForm, SymptomsForm
from triage.models import Clinic, PainDuration

NEWMARKET = Clinic(pk=1, slug="newmarket", name="Newmarket", region="Auckland")
TAURANGA = Clinic(pk=2, slug="tauranga", name="Tauranga")
CLINICS = [NEWMARKET, TAURANGA]


def safety_questions(ruleset: scoring.Ruleset) -> tuple[scoring.Question, ...]:
    return ruleset.questions_of_kind(scoring.EMERGENCY, scoring.DOCTOR_TODAY)


def error_codes(form) -> dict[str, list[str]]:
    return {field: [error.code for error in errors.as_data()] for field, errors in form.errors.items()}


# --- Yes/no steps --------------------------------------------------------------


def test_a_yes_no_step_has_one_field_per_question_it_is_given_and_no_other(ruleset):
    questions = ruleset.questions_of_kind(scoring.SYMPTOM)
    form = SymptomsForm(questions=questions)
    assert list(form.fields) == [q.code for q in questions]


def test_a_yes_no_step_needs_an_answer_to_every_question(ruleset):
    questions = safety_questions(ruleset)
    form = SafetyForm(data={}, questions=questions)
    assert not form.is_valid()
    assert error_codes(form) == {q.code: ["required"] for q in questions}


def test_a_yes_no_question_accepts_only_yes_or_no(ruleset):
    questions = safety_questions(ruleset)
    data = {q.code: "no" for q in questions} | {questions[0].code: "maybe"}
    form = SafetyForm(data=data, questions=questions)
    assert error_codes(form) == {questions[0].code: ["invalid_choice"]}


def test_a_yes_no_step_hands_back_true_for_yes_and_false_for_no(ruleset):
    questions = safety_questions(ruleset)
    first, *rest = questions
    form = SafetyForm(data={first.code: "yes"} | {q.code: "no" for q in rest}, questions=questions)
    assert form.is_valid()
    assert form.answers() == {first.code: True} | {q.code: False for q in rest}
    assert form.yes_codes() == [first.code]


# --- Duration and intensity ----------------------------------------------------


@pytest.mark.parametrize("duration", PainDuration.values)
def test_duration_accepts_each_pain_duration(duration):
    form = DurationForm(data={"pain_duration": duration, "pain_intensity": "5"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["pain_duration"] == duration


@pytest.mark.parametrize("duration", ["", "forever", "UNDER_6_WEEKS"])
def test_duration_refuses_anything_but_the_listed_durations(duration):
    form = DurationForm(data={"pain_duration": duration, "pain_intensity": "5"})
    assert error_codes(form) == {"pain_duration": ["invalid_choice" if duration else "required"]}


@pytest.mark.parametrize("intensity", [0, 10])
def test_intensity_accepts_0_to_10_and_hands_back_a_number(intensity):
    form = DurationForm(data={"pain_duration": "under_6_weeks", "pain_intensity": str(intensity)})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["pain_intensity"] == intensity


@pytest.mark.parametrize(
    ("intensity", "code"),
    [
        ("", "required"),
        ("11", "invalid_choice"),
        ("-1", "invalid_choice"),
        ("5.5", "invalid_choice"),
        ("five", "invalid_choice"),
    ],
)
def test_intensity_refuses_anything_but_a_whole_number_from_0_to_10(intensity, code):
    form = DurationForm(data={"pain_duration": "under_6_weeks", "pain_intensity": intensity})
    assert error_codes(form) == {"pain_intensity": [code]}


# --- Contact step ----------------------------------------------------------------


def contact_form(**data) -> ContactForm:
    return ContactForm(data=data, clinics=CLINICS)


def test_the_contact_step_may_be_left_empty_and_then_hands_back_no_details():
    form = contact_form()
    assert form.is_valid(), form.errors
    clinic, details = form.contact()
    assert clinic is None
    assert (details.name, details.email, details.phone) == ("", "", "")


def test_the_clinic_choice_lists_no_preference_then_each_clinic_with_its_region():
    choices = [(value, str(label)) for value, label in contact_form().fields["clinic"].choices]
    assert choices[1:] == [("1", "Newmarket (Auckland)"), ("2", "Tauranga")]
    assert choices[0][0] == ""


def test_the_clinic_choice_hands_back_the_clinics_id():
    form = contact_form(clinic="2")
    assert form.is_valid(), form.errors
    assert form.contact()[0] == 2


@pytest.mark.parametrize("clinic", ["3", "newmarket", "-1"])
def test_the_clinic_choice_refuses_a_clinic_not_in_the_list(clinic):
    assert error_codes(contact_form(clinic=clinic)) == {"clinic": ["invalid_choice"]}


def test_with_consent_the_contact_step_hands_back_the_details_stripped():
    form = contact_form(
        contact_consent="on",
        contact_name="  Aroha Ngata ",
        contact_email="aroha@example.co.nz",
        contact_phone=" 021 555 0199 ",
    )
    assert form.is_valid(), form.errors
    _clinic, details = form.contact()
    assert (details.name, details.email, details.phone) == ("Aroha Ngata", "aroha@example.co.nz", "021 555 0199")


@pytest.mark.parametrize("name", ["", "   "])
def test_with_consent_a_name_is_required(name):
    form = contact_form(contact_consent="on", contact_name=name, contact_email="aroha@example.co.nz")
    assert error_codes(form) == {"contact_name": ["name_required"]}


def test_with_consent_an_email_or_a_phone_is_required():
    form = contact_form(contact_consent="on", contact_name="Aroha")
    assert error_codes(form) == {"contact_phone": ["contact_required"]}


@pytest.mark.parametrize("field", ["contact_email", "contact_phone"])
def test_either_an_email_or_a_phone_alone_is_enough(field):
    value = {"contact_email": "aroha@example.co.nz", "contact_phone": "021 555 0199"}[field]
    form = contact_form(contact_consent="on", contact_name="Aroha", **{field: value})
    assert form.is_valid(), form.errors


@pytest.mark.parametrize("field", ["contact_name", "contact_email", "contact_phone"])
def test_details_without_consent_are_refused_rather_than_dropped(field):
    value = {"contact_name": "Aroha", "contact_email": "aroha@example.co.nz", "contact_phone": "021 555 0199"}[field]
    assert error_codes(contact_form(**{field: value})) == {"contact_consent": ["consent_required"]}


@pytest.mark.parametrize("email", ["aroha", "aroha@", "@example.com", "aroha@example", "aroha ngata@example.com"])
def test_an_email_that_is_not_one_is_refused_and_still_counts_as_given(email):
    form = contact_form(contact_consent="on", contact_name="Aroha", contact_email=email)
    assert error_codes(form) == {"contact_email": ["invalid"]}


VALID_PHONES = ["021 555 0199", "+64 21 555 0199", "(09) 123-4567", "0211234", "123456789012345"]
INVALID_PHONES = ["123456", "1234567890123456", "021-CALL-ME", "021 555 0199 ext 2", "++64 21 555 0199", "021.555.0199"]


@pytest.mark.parametrize("phone", VALID_PHONES)
def test_a_phone_of_7_to_15_digits_with_spaces_dashes_brackets_and_a_leading_plus_is_accepted(phone):
    form = contact_form(contact_consent="on", contact_name="Aroha", contact_phone=phone)
    assert form.is_valid(), form.errors
    assert form.contact()[1].phone == phone


@pytest.mark.parametrize("phone", INVALID_PHONES)
def test_any_other_phone_is_refused_with_invalid_phone_and_still_counts_as_given(phone):
    form = contact_form(contact_consent="on", contact_name="Aroha", contact_phone=phone)
    assert error_codes(form) == {"contact_phone": ["invalid_phone"]}


@pytest.mark.parametrize(("field", "limit"), [("contact_name", 100), ("contact_phone", 30)])
def test_a_detail_longer_than_its_limit_is_refused_with_max_length(field, limit):
    value = {"contact_name": "A" * (limit + 1), "contact_phone": "1" * (limit + 1)}[field]
    data = {"contact_name": "Aroha", "contact_email": "aroha@example.co.nz", field: value}
    form = contact_form(contact_consent="on", **data)
    assert error_codes(form) == {field: ["max_length"]}


def test_building_and_checking_every_step_form_makes_no_query(ruleset, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        SafetyForm(data={}, questions=safety_questions(ruleset)).is_valid()
        SymptomsForm(data={}, questions=ruleset.questions_of_kind(scoring.SYMPTOM)).is_valid()
        DurationForm(data={}).is_valid()
        contact_form(clinic="1").is_valid()


# --- Rendering (memoised: each render must still show this form's own answers and errors) ---


def rendered(form) -> str:
    return render_crispy_form(form)


def test_a_yes_no_step_renders_each_forms_own_answers_and_errors(ruleset):
    questions = safety_questions(ruleset)
    first, *rest = questions
    blank = rendered(SafetyForm(questions=questions))
    assert " checked" not in blank
    assert "is-invalid" not in blank

    answered = SafetyForm(data={first.code: "yes"}, questions=questions)
    answered.is_valid()
    html = rendered(answered)
    assert html.count(" checked") == 1
    assert f'id="id_{first.code}_0" required checked' in html
    assert html.count("Choose yes or no for this question.") == len(rest)

    assert rendered(SafetyForm(questions=questions)) == blank


def test_a_step_with_questions_from_several_groups_labels_each_group(ruleset):
    questions = ruleset.questions_of_kind(scoring.SYMPTOM)
    groups = {q.group for q in questions}
    assert len(groups) > 1
    assert rendered(SymptomsForm(questions=questions)).count("<legend>") == len(groups)
