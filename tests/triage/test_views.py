"""The patient's journey through the questionnaire, step by step."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.conftest import all_answers
from triage import scoring
from triage.models import Clinic, Submission

pytestmark = pytest.mark.django_db

STEPS = ["safety", "symptoms", "feet", "duration", "contact"]
# The safety step: red flags, then context (a cancer history, an accident: issue 11).
SAFETY_STEP = scoring.SAFETY_KINDS


def step_url(step: str) -> str:
    return reverse("triage:check_step", kwargs={"step": step})


def post_step(client, step: str, data: dict[str, str], **extra):
    payload = {"self_check_wizard-current_step": step}
    payload.update({f"{step}-{key}": value for key, value in data.items()})
    return client.post(step_url(step), payload, **extra)


@pytest.fixture
def start(client):
    response = client.get(reverse("triage:check") + "?reset=1")
    assert response.status_code == 302
    return client


def answer_steps(client, ruleset, *, yes=(), duration="under_6_weeks", intensity="3", contact=None, upto="contact"):
    """Answer each step in turn; returns the last response."""
    yes = set(yes)
    data = {
        "safety": all_answers(ruleset, SAFETY_STEP, yes),
        "symptoms": all_answers(ruleset, (scoring.SYMPTOM,), yes),
        "feet": all_answers(ruleset, (scoring.DRIVER,), yes),
        "duration": {"pain_duration": duration, "pain_intensity": intensity},
        "contact": contact or {},
    }
    response = None
    for step in STEPS:
        response = post_step(client, step, data[step])
        if step == upto:
            break
    return response


def test_landing_explains_and_links_to_the_start(client):
    response = client.get(reverse("triage:landing"))
    assert response.status_code == 200
    assert b"not a diagnosis" in response.content
    assert reverse("triage:check").encode() in response.content


def test_start_resets_and_opens_the_safety_step(start):
    response = start.get(step_url("safety"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Step 1 of 5" in content
    for code in ["saddle_numbness", "bladder_bowel_change", "fever_unwell", "night_pain_unrelenting"]:
        assert f'name="safety-{code}"' in content


def test_each_step_shows_its_questions_and_progress(start, db_ruleset):
    answer_steps(start, db_ruleset, upto="safety")
    content = start.get(step_url("symptoms")).content.decode()
    assert "Step 2 of 5" in content
    assert "Hip" in content and "Groin" in content and "Lower back" in content
    assert all(f'name="symptoms-{q.code}"' in content for q in db_ruleset.questions_of_kind(scoring.SYMPTOM))
    answer_steps(start, db_ruleset, upto="symptoms")
    content = start.get(step_url("feet")).content.decode()
    assert "Step 3 of 5" in content
    assert all(f'name="feet-{q.code}"' in content for q in db_ruleset.questions_of_kind(scoring.DRIVER))


def test_an_unanswered_question_is_named_in_an_error_summary(start, db_ruleset):
    data = all_answers(db_ruleset, SAFETY_STEP)
    del data["fever_unwell"]
    response = post_step(start, "safety", data)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'class="error-summary"' in content
    assert "Choose yes or no for this question." in content
    assert response.context["form"].errors.as_data()["fever_unwell"][0].code == "required"
    assert Submission.objects.count() == 0


@pytest.mark.parametrize(
    "code",
    ["saddle_numbness", "bladder_bowel_change", "both_legs_symptoms", "progressive_leg_weakness", "major_trauma"],
)
def test_an_emergency_flag_ends_the_questionnaire_at_once(start, db_ruleset, code):
    response = post_step(start, "safety", all_answers(db_ruleset, SAFETY_STEP, {code}))
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("triage:result", kwargs={"token": submission.token})
    assert submission.disposition == "emergency"
    assert submission.answers[code] is True
    assert set(submission.answers) == {q.code for q in db_ruleset.questions_of_kind(*SAFETY_STEP)}
    page = start.get(response["Location"]).content.decode()
    assert page.index("Call 111") < page.index("Why we are saying this")
    assert "gait and biomechanical assessment" not in page
    # The rest of the questionnaire is not asked: the wizard starts over.
    assert start.get(step_url("symptoms"))["Location"] == step_url("safety")


# A cancer history alone is no longer one of them (issue 11): see tests/triage/test_escalation_views.py.
@pytest.mark.parametrize("code", ["fever_unwell", "unexplained_weight_loss", "night_pain_unrelenting"])
def test_a_doctor_today_flag_ends_with_its_own_page(start, db_ruleset, code):
    response = post_step(start, "safety", all_answers(db_ruleset, SAFETY_STEP, {code}))
    submission = Submission.objects.get()
    assert submission.disposition == "see_doctor_today"
    page = start.get(response["Location"]).content.decode()
    assert "See a doctor today" in page
    assert "0800 611 116" in page
    assert "Book a gait" not in page


def test_full_journey_to_book_an_assessment(start, db_ruleset):
    clinic = Clinic.objects.get(slug="takapuna")
    clinic.phone = "09 123 4567"
    clinic.save()
    response = answer_steps(
        start,
        db_ruleset,
        yes={"groin_pain", "clicking_catching", "hip_tightness"},
        duration="over_12_weeks",
        intensity="6",
        contact={"clinic": str(clinic.pk)},
    )
    submission = Submission.objects.get()
    assert response["Location"] == reverse("triage:result", kwargs={"token": submission.token})
    assert submission.disposition == "book_assessment"
    assert submission.answers["groin_pain"] is True and submission.answers["saddle_numbness"] is False
    assert len(submission.answers) == len(db_ruleset.questions)
    assert submission.pain_duration == "over_12_weeks" and submission.pain_intensity == 6
    assert submission.clinic == clinic
    assert not submission.contact_consent and submission.contact_name == ""
    assert [s.condition.slug for s in submission.suggestions.all()] == ["hip-impingement"]
    assert submission.ruleset_version_id == db_ruleset.version

    page = start.get(response["Location"]).content.decode()
    assert page.index("Book a gait and biomechanical assessment") < page.index("may be consistent with")
    assert "Hip impingement and labral problems" in page
    assert "Clicking, catching or locking in the hip" in page  # the why, in plain words
    assert "Hips that often feel tight" in page  # the driver spotted
    assert "not a diagnosis" in page
    assert submission.reference in page
    assert "Takapuna" in page and "09 123 4567" in page
    assert "Remuera" not in page  # only the chosen clinic


def test_without_a_chosen_clinic_the_result_lists_all_six_and_how_to_book(start, db_ruleset):
    response = answer_steps(start, db_ruleset, yes={"pain_lying_on_side", "outer_hip_tenderness"})
    page = start.get(response["Location"]).content.decode()
    for name in ["Pinehill", "Takapuna", "Remuera", "Botany", "Hamilton", "Tauranga"]:
        assert name in page
    assert "Contact the Hamilton clinic to make an appointment." in page


def test_full_journey_to_self_care(start, db_ruleset):
    response = answer_steps(start, db_ruleset, yes=set(), duration="under_6_weeks")
    submission = Submission.objects.get()
    assert submission.disposition == "self_care"
    page = start.get(response["Location"]).content.decode()
    assert "look after this at home" in page
    assert "not a diagnosis" in page


def test_contact_details_are_stored_only_with_consent(start, db_ruleset):
    response = answer_steps(
        start,
        db_ruleset,
        contact={"contact_consent": "on", "contact_name": " Aroha Ngata ", "contact_phone": "021 123 4567"},
    )
    assert response.status_code == 302
    submission = Submission.objects.get()
    assert submission.contact_consent
    assert (submission.contact_name, submission.contact_phone) == ("Aroha Ngata", "021 123 4567")


@pytest.mark.parametrize(
    ("contact", "field", "code"),
    [
        ({"contact_name": "Sam"}, "contact_consent", "consent_required"),
        ({"contact_email": "sam@example.com"}, "contact_consent", "consent_required"),
        ({"contact_consent": "on"}, "contact_name", "name_required"),
        ({"contact_consent": "on", "contact_name": "Sam"}, "contact_phone", "contact_required"),
        (
            {"contact_consent": "on", "contact_name": "Sam", "contact_phone": "call me"},
            "contact_phone",
            "invalid_phone",
        ),
        ({"contact_consent": "on", "contact_name": "Sam", "contact_email": "sam@"}, "contact_email", "invalid"),
        ({"clinic": "99999"}, "clinic", "invalid_choice"),
    ],
)
def test_contact_step_refuses_bad_details_and_keeps_what_was_typed(start, db_ruleset, contact, field, code):
    response = answer_steps(start, db_ruleset, contact=contact)
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()[field][0].code == code
    for value in contact.values():
        if value != "on":
            assert value in response.content.decode()
    assert Submission.objects.count() == 0


def test_back_link_keeps_earlier_answers(start, db_ruleset):
    answer_steps(start, db_ruleset, yes={"groin_pain"}, upto="feet")
    response = start.get(step_url("symptoms"))
    form = response.context["form"]
    assert form.is_bound and form.is_valid()
    assert form.cleaned_data["groin_pain"] == "yes"
    assert 'value="yes"' in response.content.decode()
    assert f'href="{step_url("safety")}"' in response.content.decode()


def test_reload_mid_way_keeps_the_step(start, db_ruleset):
    answer_steps(start, db_ruleset, upto="symptoms")
    assert start.get(reverse("triage:check"))["Location"] == step_url("feet")
    assert "Step 3 of 5" in start.get(step_url("feet")).content.decode()


def test_opening_a_later_step_directly_goes_to_the_first_unanswered_one(start, db_ruleset):
    answer_steps(start, db_ruleset, upto="safety")
    assert start.get(step_url("duration"))["Location"] == step_url("symptoms")


def test_a_tampered_step_name_gets_a_message_not_an_error(start, db_ruleset):
    response = start.post(step_url("safety"), {"self_check_wizard-current_step": "nonsense"}, follow=True)
    assert response.status_code == 200
    assert "That page was out of date" in response.content.decode()
    response = start.post(step_url("safety"), {}, follow=True)
    assert response.status_code == 200
    assert "That page was out of date" in response.content.decode()


def test_a_stale_step_after_the_session_expired_starts_again_with_a_message(client, db_ruleset):
    response = post_step(client, "duration", {"pain_duration": "over_12_weeks", "pain_intensity": "4"})
    assert response["Location"] == step_url("safety")
    page = client.get(response["Location"]).content.decode()
    assert "Your earlier answers have expired" in page
    assert Submission.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"pain_duration": "forever", "pain_intensity": "4"}, "Select a valid choice"),
        ({"pain_duration": "over_12_weeks", "pain_intensity": "11"}, "Choose a number from 0 to 10"),
        ({"pain_duration": "over_12_weeks", "pain_intensity": "ten"}, "Choose a number from 0 to 10"),
        ({"pain_duration": "over_12_weeks"}, "Choose a number from 0 to 10"),
    ],
)
def test_duration_step_refuses_bad_values(start, db_ruleset, data, message):
    answer_steps(start, db_ruleset, upto="feet")
    response = post_step(start, "duration", data)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_a_yes_no_answer_other_than_yes_or_no_is_refused(start, db_ruleset):
    data = all_answers(db_ruleset, SAFETY_STEP)
    data["saddle_numbness"] = "maybe"
    response = post_step(start, "safety", data)
    assert response.status_code == 200
    assert response.context["form"].errors.as_data()["saddle_numbness"][0].code == "invalid_choice"


def test_a_repeated_final_submit_stores_one_submission(start, db_ruleset):
    first = answer_steps(start, db_ruleset, yes={"groin_pain", "clicking_catching"})
    again = post_step(start, "contact", {})
    assert Submission.objects.count() == 1
    assert again["Location"] == first["Location"]


def test_the_done_address_never_stores_anything_on_get(start, db_ruleset):
    answer_steps(start, db_ruleset, upto="duration")
    response = start.get(step_url("done"))
    assert response.status_code == 302
    assert Submission.objects.count() == 0


def test_unknown_result_token_is_a_404(client):
    response = client.get(reverse("triage:result", kwargs={"token": "x" * 43}))
    assert response.status_code == 404


def test_result_link_is_an_unguessable_token_not_an_id(start, db_ruleset):
    response = answer_steps(start, db_ruleset)
    submission = Submission.objects.get()
    assert len(submission.token) >= 43
    assert str(submission.pk) not in response["Location"].split("/")


def test_each_wizard_step_costs_at_most_four_queries(start, db_ruleset, django_assert_max_num_queries):
    data = {
        "safety": all_answers(db_ruleset, SAFETY_STEP),
        "symptoms": all_answers(db_ruleset, (scoring.SYMPTOM,), {"groin_pain"}),
        "feet": all_answers(db_ruleset, (scoring.DRIVER,)),
        "duration": {"pain_duration": "over_12_weeks", "pain_intensity": "5"},
    }
    for step in STEPS[:-1]:
        with django_assert_max_num_queries(4):
            assert start.get(step_url(step)).status_code == 200
        with django_assert_max_num_queries(4):
            assert post_step(start, step, data[step]).status_code == 302
    with django_assert_max_num_queries(4):
        assert start.get(step_url("contact")).status_code == 200


def test_final_submit_costs_at_most_eight_queries(start, db_ruleset, django_assert_max_num_queries):
    answer_steps(start, db_ruleset, yes={"groin_pain", "clicking_catching"}, upto="duration")
    with django_assert_max_num_queries(8):
        response = post_step(
            start, "contact", {"contact_consent": "on", "contact_name": "Sam", "contact_phone": "0211234567"}
        )
    assert response.status_code == 302
    with django_assert_max_num_queries(4):
        assert start.get(response["Location"]).status_code == 200
