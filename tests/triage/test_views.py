"""The patient's journey through the questionnaire, screen by screen."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from triage import scoring, screens, services
from triage.models import Clinic, Submission
from triage.views import INVALID_POST_SESSION_KEY

pytestmark = pytest.mark.django_db

MANAGEMENT = "self_check_wizard-current_step"
# The screens everyone sees, in order (the follow-up screens come and go with the answers).
STEPS = [
    screens.EMERGENCY,
    screens.DOCTOR,
    screens.ABOUT_YOU,
    screens.WHERE,
    screens.FEET,
    screens.DURATION,
    screens.INTENSITY,
    screens.ENJOYMENT,
    screens.ACTIVITY,
    screens.CONTACT,
]
RED_FLAGS = (scoring.EMERGENCY, scoring.DOCTOR_TODAY)


def step_url(step: str) -> str:
    return reverse("triage:check_step", kwargs={"step": step})


def step_of(location: str) -> str:
    return location.rstrip("/").rsplit("/", 1)[-1]


def post_step(client, step: str, data: dict, **extra):
    payload = {MANAGEMENT: step}
    payload.update({f"{step}-{key}": value for key, value in data.items()})
    return client.post(step_url(step), payload, **extra)


@pytest.fixture
def start(client):
    response = client.get(reverse("triage:check"))
    assert response.status_code == 302
    assert response["Location"] == step_url(screens.EMERGENCY)
    return client


def screen_data(
    ruleset, step: str, *, yes=(), duration="under_6_weeks", intensity="3", interference="2", age="", contact=None
) -> dict:
    """What a person answering ``yes`` (everything else no) posts on ``step``."""
    if step == screens.DURATION:
        return {"pain_duration": duration}
    if step == screens.INTENSITY:
        return {"pain_intensity": intensity}
    if step in (screens.ENJOYMENT, screens.ACTIVITY):
        return {f"{step}_interference": interference}
    if step == screens.CONTACT:
        return contact or {}
    screen = next(s for s in screens.screens_for(ruleset) if s.name == step)
    if step == screens.ABOUT_YOU:
        return {"age": age, **{q.code: "yes" if q.code in yes else "no" for q in screen.questions}}
    if screen.follow_up:
        return {q.code: "yes" if q.code in yes else "no" for q in screen.questions}
    ticked = [q.code for q in screen.questions if q.code in yes]
    return {"ticked": ticked or ["none"]}


def answer_steps(client, ruleset, *, yes=(), upto=screens.CONTACT, **answers):
    """Answer each screen the flow shows, in turn, until ``upto`` is answered; returns the last response."""
    return journey(client, ruleset, yes=yes, upto=upto, **answers)[0]


def journey(client, ruleset, *, yes=(), upto=screens.CONTACT, **answers):
    """Like ``answer_steps``; returns the last response and the screens seen."""
    seen = []
    step = screens.EMERGENCY
    while True:
        seen.append(step)
        response = post_step(client, step, screen_data(ruleset, step, yes=set(yes), **answers))
        if step == upto or response.status_code != 302 or "/check/" not in response["Location"]:
            return response, seen
        step = step_of(response["Location"])


def test_landing_explains_and_links_to_the_start(client):
    response = client.get(reverse("triage:landing"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "not a diagnosis" in content
    assert "Call 111 now" in content
    assert f'href="{reverse("triage:check")}"' in content
    assert '<html lang="en-NZ">' in content


def test_the_first_screen_lists_the_emergency_signs_and_none_of_these(start, db_ruleset):
    content = start.get(step_url(screens.EMERGENCY)).content.decode()
    for question in db_ruleset.questions_of_kind(scoring.EMERGENCY):
        assert f'name="emergency-ticked" value="{question.code}"' in content
    assert 'value="none"' in content and "None of these apply" in content
    assert "<h1>Do you have any of these?</h1>" in content
    # The hint comes before the answers.
    assert content.index('class="hint"') < content.index('type="checkbox"')


def test_the_second_screen_lists_the_see_a_doctor_today_signs(start, db_ruleset):
    post_step(start, screens.EMERGENCY, {"ticked": ["none"]})
    content = start.get(step_url(screens.DOCTOR)).content.decode()
    for question in db_ruleset.questions_of_kind(scoring.DOCTOR_TODAY):
        assert f'name="doctor-ticked" value="{question.code}"' in content
    assert f'href="{step_url(screens.EMERGENCY)}"' in content  # the Back link


@pytest.mark.parametrize(
    ("ticked", "code"),
    [([], "required"), (["none", "saddle_numbness"], "none_and_tick"), (["not_a_question"], "invalid_choice")],
)
def test_a_checklist_needs_ticks_or_none_and_never_both(start, db_ruleset, ticked, code):
    response = post_step(start, screens.EMERGENCY, {"ticked": ticked})
    # Post/redirect/get even when invalid: the errors show on the GET that follows.
    assert response.status_code == 302 and response["Location"] == step_url(screens.EMERGENCY)
    response = start.get(step_url(screens.EMERGENCY))
    assert response.context["form"].errors.as_data()["ticked"][0].code == code
    content = response.content.decode()
    assert 'class="error-summary"' in content
    assert "<title>Error:" in content
    assert Submission.objects.count() == 0


def test_an_invalid_post_shows_its_errors_and_answers_once_then_the_stored_answers(start, db_ruleset):
    post_step(start, screens.EMERGENCY, {"ticked": ["none", "major_trauma"]})
    content = start.get(step_url(screens.EMERGENCY)).content.decode()
    tag = content[content.index('value="major_trauma"') :].split(">", 1)[0]
    assert " checked" in tag
    assert INVALID_POST_SESSION_KEY not in start.session
    again = start.get(step_url(screens.EMERGENCY)).content.decode()  # a reload
    assert 'class="error-summary"' not in again and " checked" not in again


@pytest.mark.parametrize(
    "code",
    ["saddle_numbness", "bladder_bowel_change", "both_legs_symptoms", "progressive_leg_weakness", "major_trauma"],
)
def test_an_emergency_sign_ends_the_questionnaire_at_once(start, db_ruleset, code):
    response = post_step(start, screens.EMERGENCY, {"ticked": [code]})
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("triage:result", kwargs={"token": submission.token})
    assert submission.disposition == "emergency"
    assert submission.answers[code] is True
    assert set(submission.answers) == {q.code for q in db_ruleset.questions_of_kind(scoring.EMERGENCY)}
    page = start.get(response["Location"]).content.decode()
    assert page.index("Call 111") < page.index("Why we are saying this")
    assert "gait and biomechanical assessment" not in page


@pytest.mark.parametrize("code", ["fever_unwell", "unexplained_weight_loss", "night_pain_unrelenting"])
def test_a_doctor_today_sign_ends_with_its_own_page(start, db_ruleset, code):
    post_step(start, screens.EMERGENCY, {"ticked": ["none"]})
    response = post_step(start, screens.DOCTOR, {"ticked": [code]})
    submission = Submission.objects.get()
    assert submission.disposition == "see_doctor_today"
    assert set(submission.answers) == {
        q.code for q in db_ruleset.questions_of_kind(scoring.EMERGENCY, scoring.DOCTOR_TODAY)
    }
    page = start.get(response["Location"]).content.decode()
    assert "See a doctor today" in page
    assert "0800 611 116" in page
    assert "Book a gait" not in page


def test_only_the_follow_up_questions_of_the_areas_chosen_are_asked(start, db_ruleset):
    _response, seen = journey(start, db_ruleset, yes={"low_back_buttock_pain"})
    assert "more_groin" not in seen and "more_hip" not in seen
    assert "more_back" in seen
    submission = Submission.objects.get()
    for code in ("groin_pain", "outer_hip_pain"):
        assert submission.answers[code] is False  # asked on the where-it-hurts screen: no
    for code in (
        "clicking_catching",
        "pain_deep_flexion_twisting",
        "pain_lying_on_side",
        "outer_hip_tenderness",
        "tingling_numbness_burning",
    ):
        assert code not in submission.answers  # not asked: left out, never "no"
    assert submission.answers["difficulty_bending_twisting_standing"] is False


def test_a_follow_up_screen_asks_only_its_enabled_questions(start, db_ruleset):
    answer_steps(start, db_ruleset, yes={"groin_pain"}, upto=screens.WHERE)
    content = start.get(step_url("more_hip")).content.decode()
    # Only the question groin pain enables, as the page's heading.
    assert 'name="more_hip-pain_walking_running_stairs"' in content
    assert "pain_lying_on_side" not in content
    assert "<h1>Does walking, running or going up stairs bring on the pain?</h1>" in content


def test_not_asked_questions_never_count_as_telling_symptoms_missing(db_ruleset):
    # Groin pain answered no: its follow-ups were never asked, so nothing about it is "less likely because".
    answers = scoring.Answers.from_mapping({"groin_pain": False, "outer_hip_pain": True})
    scores = {s.slug: s for s in scoring.score(db_ruleset, answers).scores}
    assert scores["hip-impingement"].missing == ("groin_pain",)
    assert "outer_hip_tenderness" in scores["hip-bursitis"].missing  # asked (hip pain), not reported
    answers = scoring.Answers.from_mapping({"groin_pain": True})
    impingement = next(s for s in scoring.score(db_ruleset, answers).scores if s.slug == "hip-impingement")
    assert impingement.missing == ("clicking_catching", "pain_deep_flexion_twisting")


def test_full_journey_to_book_an_assessment(start, db_ruleset):
    clinic = Clinic.objects.get(slug="takapuna")
    clinic.phone = "09 123 4567"
    clinic.save()
    response, seen = journey(
        start,
        db_ruleset,
        yes={"groin_pain", "clicking_catching", "hip_tightness"},
        duration="over_12_weeks",
        intensity="6",
        contact={"clinic": str(clinic.pk)},
    )
    assert seen == [*STEPS[:4], "more_hip", "more_groin", *STEPS[4:]]
    submission = Submission.objects.get()
    assert response["Location"] == reverse("triage:result", kwargs={"token": submission.token})
    assert submission.disposition == "book_assessment"
    assert submission.answers["groin_pain"] is True and submission.answers["saddle_numbness"] is False
    assert submission.pain_duration == "over_12_weeks" and submission.pain_intensity == 6
    assert submission.clinic == clinic
    assert not submission.contact_consent and submission.contact_name == ""
    assert [s.condition.slug for s in submission.suggestions.all()] == ["hip-impingement"]
    assert submission.ruleset_version_id == db_ruleset.version

    page = start.get(response["Location"]).content.decode()
    assert "Hip impingement and labral problems" in page
    assert "Clicking, catching or locking in the hip" in page  # the why, in plain words
    assert "Hips that often feel tight" in page  # the driver spotted
    assert "not a diagnosis" in page
    assert submission.reference in page
    assert "Takapuna" in page and "09 123 4567" in page
    assert "Remuera" not in page  # only the chosen clinic


def test_without_a_chosen_clinic_the_result_lists_all_six_and_how_to_book(start, db_ruleset):
    response, _seen = journey(start, db_ruleset, yes={"outer_hip_pain", "pain_lying_on_side", "outer_hip_tenderness"})
    page = start.get(response["Location"]).content.decode()
    for name in ["Pinehill", "Takapuna", "Remuera", "Botany", "Hamilton", "Tauranga"]:
        assert name in page


def test_full_journey_to_self_care(start, db_ruleset):
    response, seen = journey(start, db_ruleset, yes=set(), duration="under_6_weeks")
    assert not [step for step in seen if step.startswith(screens.FOLLOW_UP_PREFIX)]
    submission = Submission.objects.get()
    assert submission.disposition == "self_care"
    page = start.get(response["Location"]).content.decode()
    assert "look after this at home" in page
    assert "not a diagnosis" in page


def test_contact_details_are_stored_only_with_consent(start, db_ruleset):
    response, _seen = journey(
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
    response, _seen = journey(start, db_ruleset, contact=contact)
    assert response.status_code == 302 and response["Location"] == step_url(screens.CONTACT)
    response = start.get(step_url(screens.CONTACT))
    assert response.context["form"].errors.as_data()[field][0].code == code
    for name, value in contact.items():
        if name.startswith("contact_") and value != "on":  # what was typed (a refused clinic is not an option)
            assert value in response.content.decode()
    assert Submission.objects.count() == 0


def test_back_link_keeps_earlier_answers(start, db_ruleset):
    answer_steps(start, db_ruleset, yes={"groin_pain"}, upto=screens.FEET)
    response = start.get(step_url(screens.WHERE))
    form = response.context["form"]
    assert form.is_bound and form.is_valid()
    assert form.cleaned_data["ticked"] == ["groin_pain"]
    content = response.content.decode()
    assert " checked" in content[content.index('value="groin_pain"') :].split(">", 1)[0]
    assert f'href="{step_url(screens.ABOUT_YOU)}"' in response.content.decode()


def test_start_again_asks_first_and_clears_only_on_post(start, db_ruleset):
    answer_steps(start, db_ruleset, upto=screens.WHERE)
    page = start.get(reverse("triage:check_restart")).content.decode()
    assert "Start again and clear your answers?" in page
    # "No" carries on where the person was.
    assert start.get(reverse("triage:check"))["Location"] == step_url("feet")
    response = start.post(reverse("triage:check"), {"restart": "1"})
    assert response["Location"] == step_url(screens.EMERGENCY)
    assert start.get(step_url(screens.WHERE))["Location"] == step_url(screens.EMERGENCY)


def test_the_footer_offers_start_again_on_every_screen(start, db_ruleset):
    content = start.get(step_url(screens.EMERGENCY)).content.decode()
    assert content.index(reverse("triage:check_restart")) > content.index('class="site-footer"')


def test_reload_mid_way_keeps_the_step(start, db_ruleset):
    answer_steps(start, db_ruleset, upto=screens.WHERE)
    assert start.get(reverse("triage:check"))["Location"] == step_url("feet")
    assert "Part 3 of 5" in start.get(step_url("feet")).content.decode()


def test_progress_counts_parts_that_do_not_grow_when_follow_ups_appear(start, db_ruleset):
    """The screen count changes once the areas are chosen; the parts shown to the patient never do."""
    first = start.get(step_url(screens.EMERGENCY)).content.decode()
    assert "Part 1 of 5" in first
    answer_steps(start, db_ruleset, upto=screens.WHERE)
    assert "Part 3 of 5" in start.get(step_url("feet")).content.decode()
    answer_steps(start, db_ruleset, upto=screens.ACTIVITY)
    assert "Part 5 of 5" in start.get(step_url(screens.CONTACT)).content.decode()


def test_opening_a_later_step_directly_goes_to_the_first_unanswered_one(start, db_ruleset):
    answer_steps(start, db_ruleset, upto=screens.EMERGENCY)
    assert start.get(step_url(screens.DURATION))["Location"] == step_url(screens.DOCTOR)


def test_a_tampered_step_name_gets_a_message_not_an_error(start, db_ruleset):
    response = start.post(step_url("emergency"), {MANAGEMENT: "nonsense"}, follow=True)
    assert response.status_code == 200
    assert "That page was out of date" in response.content.decode()
    response = start.post(step_url("emergency"), {}, follow=True)
    assert response.status_code == 200
    assert "That page was out of date" in response.content.decode()


def test_a_follow_up_screen_not_enabled_is_refused_with_a_message(start, db_ruleset):
    answer_steps(start, db_ruleset, yes={"low_back_buttock_pain"}, upto=screens.WHERE)
    response = post_step(start, "more_groin", {"groin_pain": "yes"}, follow=True)
    assert "That page was out of date" in response.content.decode()
    assert Submission.objects.count() == 0


def test_a_stale_step_after_the_session_expired_starts_again_with_a_message(client, db_ruleset):
    response = post_step(client, screens.DURATION, {"pain_duration": "over_12_weeks"})
    assert response["Location"] == step_url(screens.EMERGENCY)
    page = client.get(response["Location"]).content.decode()
    assert "Your earlier answers have expired" in page
    assert Submission.objects.count() == 0


@pytest.mark.parametrize(
    ("step", "data", "message"),
    [
        ("duration", {"pain_duration": "forever"}, "Choose how long you have had the pain."),
        ("duration", {}, "Choose how long you have had the pain."),
        ("intensity", {"pain_intensity": "11"}, "Choose a number from 0 to 10"),
        ("intensity", {"pain_intensity": "ten"}, "Choose a number from 0 to 10"),
        ("intensity", {}, "Choose a number from 0 to 10"),
    ],
)
def test_duration_and_intensity_refuse_bad_values(start, db_ruleset, step, data, message):
    answer_steps(start, db_ruleset, upto=STEPS[STEPS.index(step) - 1])
    assert post_step(start, step, data)["Location"] == step_url(step)
    assert message in start.get(step_url(step)).content.decode()


def test_a_yes_no_answer_other_than_yes_or_no_is_refused(start, db_ruleset):
    answer_steps(start, db_ruleset, yes={"groin_pain"}, upto=screens.WHERE)
    post_step(start, "more_hip", {"pain_walking_running_stairs": "maybe"})
    response = start.get(step_url("more_hip"))
    assert response.context["form"].errors.as_data()["pain_walking_running_stairs"][0].code == "invalid_choice"


def test_a_repeated_final_submit_stores_one_submission(start, db_ruleset):
    first, _seen = journey(start, db_ruleset, yes={"groin_pain", "clicking_catching"})
    again = post_step(start, screens.CONTACT, {})
    assert Submission.objects.count() == 1
    assert again["Location"] == first["Location"]


def test_back_from_the_result_shows_the_answers_and_a_changed_answer_makes_a_new_result(start, db_ruleset):
    first, _seen = journey(start, db_ruleset, duration="under_6_weeks")
    response = start.get(step_url(screens.DURATION))
    assert response.status_code == 200 and response.context["form"].is_valid()
    post_step(start, screens.DURATION, {"pain_duration": "over_12_weeks"})
    for step in (screens.INTENSITY, screens.ENJOYMENT, screens.ACTIVITY):
        post_step(start, step, screen_data(db_ruleset, step))
    second = post_step(start, screens.CONTACT, {})
    assert second["Location"] != first["Location"]
    assert sorted(Submission.objects.values_list("disposition", flat=True)) == ["book_assessment", "self_care"]


def test_the_start_address_begins_afresh_after_a_result(start, db_ruleset):
    answer_steps(start, db_ruleset)
    assert start.get(reverse("triage:check"))["Location"] == step_url(screens.EMERGENCY)
    assert start.get(step_url(screens.DOCTOR))["Location"] == step_url(screens.EMERGENCY)


def test_the_done_address_never_stores_anything_on_get(start, db_ruleset):
    answer_steps(start, db_ruleset, upto=screens.DURATION)
    response = start.get(step_url("done"))
    assert response.status_code == 302
    assert Submission.objects.count() == 0


def test_unknown_result_token_is_a_404(client):
    response = client.get(reverse("triage:result", kwargs={"token": "x" * 43}))
    assert response.status_code == 404


def test_result_link_is_an_unguessable_token_not_an_id(start, db_ruleset):
    response, _seen = journey(start, db_ruleset)
    submission = Submission.objects.get()
    assert len(submission.token) >= 43
    assert str(submission.pk) not in response["Location"].split("/")


def test_each_wizard_screen_costs_at_most_four_queries(start, db_ruleset, django_assert_max_num_queries):
    yes = {"groin_pain", "outer_hip_pain"}
    step = screens.EMERGENCY
    while step != screens.CONTACT:
        with django_assert_max_num_queries(4):
            assert start.get(step_url(step)).status_code == 200
        with django_assert_max_num_queries(4):
            response = post_step(start, step, screen_data(db_ruleset, step, yes=yes, duration="over_12_weeks"))
        step = step_of(response["Location"])
    with django_assert_max_num_queries(4):
        assert start.get(step_url(screens.CONTACT)).status_code == 200
    # An invalid post and the GET that shows its errors, too.
    with django_assert_max_num_queries(4):
        assert post_step(start, screens.CONTACT, {"contact_name": "Sam"}).status_code == 302
    with django_assert_max_num_queries(4):
        assert start.get(step_url(screens.CONTACT)).status_code == 200


@pytest.mark.parametrize("yes", [set(), {"groin_pain", "clicking_catching", "outer_hip_pain", "lying_on_side_pain"}])
def test_the_final_submit_costs_at_most_eight_queries(start, db_ruleset, django_assert_max_num_queries, yes):
    """The session, the ruleset number, the clinics, the submission and its suggestions in one transaction,
    the session saved: every screen re-validated without a query and without being built twice."""
    answer_steps(start, db_ruleset, yes=yes, upto=screens.ACTIVITY)
    with django_assert_max_num_queries(8):
        response = post_step(start, screens.CONTACT, {})
    assert "/result/" in response["Location"]
    submission = Submission.objects.get()
    assert submission.suggestions.count() == len(submission.result["suggestions"]) == (1 if yes else 0)


def test_the_final_submit_writes_the_session_once_in_the_submissions_own_transaction(start, db_ruleset):
    """One commit for the submission, its suggestions and the session that opens the result.

    The test runs inside a transaction, so the submission's own is a savepoint here (BEGIN ... COMMIT live).
    """
    answer_steps(start, db_ruleset, yes={"groin_pain", "clicking_catching"}, upto=screens.ACTIVITY)
    with CaptureQueriesContext(connection) as queries:
        response = post_step(start, screens.CONTACT, {})
    sql = [q["sql"].upper() for q in queries.captured_queries]
    inserts = [i for i, statement in enumerate(sql) if statement.startswith("INSERT")]
    session_writes = [i for i, statement in enumerate(sql) if statement.startswith('UPDATE "DJANGO_SESSION"')]
    opened = max(i for i, statement in enumerate(sql[: inserts[0]]) if statement.startswith(("BEGIN", "SAVEPOINT")))
    closed = next(i for i, statement in enumerate(sql) if i > opened and statement.startswith(("COMMIT", "RELEASE")))
    assert len(session_writes) == 1
    assert opened < inserts[0] and inserts[-1] < session_writes[0] < closed
    # The result opens in this browser: the session knows it.
    assert start.get(response["Location"]).status_code == 200


def test_a_session_cleared_during_the_final_submit_keeps_the_answers_and_shows_a_page(start, db_ruleset, monkeypatch):
    """The session row deleted while the submission is stored (clearsessions, say): the submission is
    kept, and the person gets the session-interrupted page, not a traceback."""
    answer_steps(start, db_ruleset, upto=screens.ACTIVITY)
    key, real = start.session.session_key, services.suggestions_insert

    def clear_the_session_meanwhile(suggestions):
        Session.objects.filter(session_key=key).delete()
        return real(suggestions)

    monkeypatch.setattr(services, "suggestions_insert", clear_the_session_meanwhile)
    response = post_step(start, screens.CONTACT, {})
    assert response.status_code == 400
    assert "Traceback" not in response.content.decode()
    assert Submission.objects.count() == 1


@pytest.mark.parametrize(
    ("step", "field", "value"),
    [(screens.FEET, "ticked", "not_a_question"), (screens.DURATION, "pain_duration", "forever")],
)
def test_stored_answers_that_no_longer_validate_send_the_final_submit_back_to_their_screen(
    start, db_ruleset, step, field, value
):
    """The final submit checks every screen's stored answers again (a question screen and a built-in field)."""
    answer_steps(start, db_ruleset, upto=screens.ACTIVITY)
    session = start.session
    wizard = next(key for key, _data in session.items() if key.startswith("wizard_"))
    session[wizard]["step_data"][step][f"{step}-{field}"] = [value]
    session.save()
    response = post_step(start, screens.CONTACT, {})
    assert response["Location"] == step_url(step)
    assert Submission.objects.count() == 0


def counting_plan_builds(monkeypatch) -> list:
    calls = []
    real = screens.plan_build

    def counted(**kwargs):
        calls.append(1)
        return real(**kwargs)

    monkeypatch.setattr(screens, "plan_build", counted)
    return calls


def test_the_final_submit_builds_the_screens_plan_once(start, db_ruleset, monkeypatch):
    """Storing the contact screen cannot change which screens are shown: the plan is kept, not rebuilt."""
    answer_steps(start, db_ruleset, yes={"groin_pain"}, upto=screens.ACTIVITY)
    calls = counting_plan_builds(monkeypatch)
    response = post_step(start, screens.CONTACT, {})
    assert response.status_code == 302 and "/result/" in response["Location"]
    assert len(calls) == 1


def test_storing_a_question_screen_rebuilds_the_plan_so_follow_ups_follow_the_answers(start, db_ruleset, monkeypatch):
    answer_steps(start, db_ruleset, upto=screens.ABOUT_YOU)
    calls = counting_plan_builds(monkeypatch)
    response = post_step(start, screens.WHERE, screen_data(db_ruleset, screens.WHERE, yes={"groin_pain"}))
    assert len(calls) == 2
    # The follow-up screen the new answer enables is where the person goes next.
    assert response["Location"] == step_url("more_hip")


def test_final_submit_costs_at_most_nine_queries(start, db_ruleset, django_assert_max_num_queries):
    answer_steps(start, db_ruleset, yes={"groin_pain", "clicking_catching"}, upto=screens.ACTIVITY)
    # Nine: one of them makes sure each suggested condition still has its row (issue 14, item 2).
    with django_assert_max_num_queries(9):
        response = post_step(
            start, screens.CONTACT, {"contact_consent": "on", "contact_name": "Sam", "contact_phone": "0211234567"}
        )
    assert response.status_code == 302
    with django_assert_max_num_queries(4):
        assert start.get(response["Location"]).status_code == 200
