"""What the patient sees of ruleset 2: age and PEG in the wizard, why we ask, the under-16 page,
see_gp_soon with its reason, the less-likely list and the ACC note, on the page and in the PDF."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.triage.test_views import answer_steps, post_step, screen_data, step_url
from triage import screens, services
from triage.models import Submission

from ..conftest import own_result

pytestmark = pytest.mark.django_db


@pytest.fixture
def start(client):
    assert client.get(reverse("triage:check")).status_code == 302
    return client


def about_you(client, ruleset, yes=(), age=""):
    """The red-flag checklists answered ("none" unless ticked in ``yes``), then the about-you screen."""
    for step in (screens.EMERGENCY, screens.DOCTOR):
        response = post_step(client, step, screen_data(ruleset, step, yes=set(yes)))
        if "/check/" not in response["Location"]:
            return response
    return post_step(client, screens.ABOUT_YOU, screen_data(ruleset, screens.ABOUT_YOU, yes=set(yes), age=str(age)))


def run(client, ruleset, *, yes=(), age="", duration="under_6_weeks", intensity="3", interference=""):
    return answer_steps(
        client, ruleset, yes=yes, age=str(age), duration=duration, intensity=intensity, interference=interference
    )


def test_the_first_screens_ask_both_legs_then_age_and_context_with_why_we_ask_on_demand(start, db_ruleset):
    content = start.get(step_url(screens.EMERGENCY)).content.decode()
    assert 'value="both_legs_symptoms"' in content
    assert content.count("<summary>Why we ask about these</summary>") == 1
    about_you(start, db_ruleset)
    content = start.get(step_url(screens.ABOUT_YOU)).content.decode()
    assert 'name="about_you-age"' in content
    for code in ("cancer_history", "accident_onset"):
        assert f'name="about_you-{code}"' in content
    # The age (a built-in field, its words from the published ruleset) and the two context questions.
    assert content.count("<summary>Why we ask</summary>") == 3
    assert "ACC may cover injuries" in content


def test_under_16_goes_to_the_adults_only_page_and_stores_nothing(start, db_ruleset):
    response = about_you(start, db_ruleset, age=15)
    assert response["Location"] == reverse("triage:adults_only")
    page = start.get(response["Location"]).content.decode()
    assert "This self-check is for adults" in page and "GP" in page
    assert "Call 111 now" not in page
    assert Submission.objects.count() == 0
    # The questionnaire starts over.
    assert start.get(step_url(screens.WHERE))["Location"] == step_url(screens.EMERGENCY)


@pytest.mark.parametrize("age", ["111", "0", "forty", "40.5", "-3"])
def test_an_age_outside_16_to_110_or_not_whole_years_is_a_clear_error(start, db_ruleset, age):
    response = about_you(start, db_ruleset, age=age)
    assert response["Location"] == step_url(screens.ABOUT_YOU)
    assert "Enter your age in whole years, from 16 to 110" in start.get(response["Location"]).content.decode()
    assert Submission.objects.count() == 0


def test_both_legs_ends_the_questionnaire_at_the_emergency_page(start, db_ruleset):
    response = about_you(start, db_ruleset, {"both_legs_symptoms"})
    submission = Submission.objects.get()
    assert submission.disposition == "emergency"
    page = start.get(response["Location"]).content.decode()
    assert "Call 111" in page and "both legs" in page
    # An urgent result never talks of booking: the reference is for later, not for the 111 call.
    assert "if you book" not in page and "You do not need it to get help now" in page


def test_a_cancer_history_at_50_or_over_ends_at_the_doctor_today_page(start, db_ruleset):
    response = about_you(start, db_ruleset, {"cancer_history"}, age=62)
    submission = Submission.objects.get()
    assert (submission.disposition, submission.age) == ("see_doctor_today", 62)
    page = start.get(response["Location"]).content.decode()
    assert "See a doctor today" in page and "50 or over" in page


def test_a_cancer_history_alone_carries_on_and_ends_at_see_a_gp_soon(start, db_ruleset):
    response = about_you(start, db_ruleset, {"cancer_history"}, age=45)
    assert response["Location"] == step_url(screens.WHERE)
    response = run(start, db_ruleset, yes={"cancer_history", "groin_pain", "clicking_catching"}, age=45)
    submission = Submission.objects.get()
    assert submission.disposition == "see_gp_soon"
    page = start.get(response["Location"]).content.decode()
    assert "See a GP or physiotherapist in the next few days" in page
    assert "Because you have had cancer, a GP should check this pain within a few days" in page
    assert "Ask for an appointment" not in page  # no booking button: the GP comes first
    assert "Hip impingement" in page  # what the answers may be consistent with, for the GP to see


def test_the_peg_questions_each_have_a_screen_and_the_submission_keeps_them(start, db_ruleset):
    response = run(
        start, db_ruleset, yes={"groin_pain", "clicking_catching"}, age=58, duration="over_12_weeks", intensity="6"
    )
    for step, name in ((screens.ENJOYMENT, "enjoyment_interference"), (screens.ACTIVITY, "activity_interference")):
        content = start.get(step_url(step)).content.decode()
        assert f'name="{step}-{name}"' in content
    assert (
        "how much has the pain got in the way of enjoying life"
        in start.get(step_url(screens.ENJOYMENT)).content.decode()
    )
    post_step(start, screens.ENJOYMENT, {"enjoyment_interference": "5"})
    post_step(start, screens.ACTIVITY, {"activity_interference": "8"})
    response = post_step(start, screens.CONTACT, {})
    assert response.status_code == 302
    submission = Submission.objects.latest("created_at")
    assert (submission.age, submission.pain_intensity) == (58, 6)
    assert (submission.enjoyment_interference, submission.activity_interference) == (5, 8)
    assert submission.peg == submission.result["peg"] == 6.3


def test_the_interference_questions_may_be_left_out_and_peg_is_then_empty(start, db_ruleset):
    run(start, db_ruleset, yes={"groin_pain", "clicking_catching"})
    submission = Submission.objects.get()
    assert (submission.enjoyment_interference, submission.peg, submission.result["peg"]) == (None, None, None)


def test_the_result_says_why_lists_what_makes_a_condition_less_likely_and_the_acc_note(start, db_ruleset):
    response = run(start, db_ruleset, yes={"groin_pain", "clicking_catching", "accident_onset"})
    page = start.get(response["Location"]).content.decode()
    assert "Because your answers may be consistent with a problem the clinic assesses and treats." in page
    assert "Less likely because you did not mention" in page
    assert "Pain when bending the hip a long way or twisting" in page
    assert "ACC may help pay for treatment" in page and "lodge the claim" in page


def test_the_pdf_summary_has_the_reason_the_acc_note_and_why_we_asked(client, db_ruleset):
    submission = services.submission_create(
        ruleset=db_ruleset,
        answers={"radiating_leg_pain": True, "accident_onset": True},
        pain_duration="under_6_weeks",
        pain_intensity=8,
        age=35,
        enjoyment_interference=7,
        activity_interference=9,
    )
    own_result(client, submission)
    response = client.get(reverse("triage:result_pdf", kwargs={"token": submission.token}))
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert len(reader.pages) == 1
    assert "See a GP or physiotherapist in the next few days" in text
    assert "8 out of 10 and started in the last 6 weeks" in text
    assert "ACC may help pay for treatment" in text
    assert "Why we asked" in text and "suggests a nerve is irritated" in text
    assert "Age: 35" in text and "everyday activities: 9 out of 10" in text


def test_the_body_diagram_ticks_only_where_it_hurts_never_the_pressing_test(start, db_ruleset):
    regions = {q.code: q.body_region for q in db_ruleset.questions if q.body_region}
    assert regions["outer_hip_pain"] == "hip"
    assert "outer_hip_tenderness" not in regions
    about_you(start, db_ruleset)
    content = start.get(step_url(screens.WHERE)).content.decode()
    assert 'data-region="hip" data-codes="outer_hip_pain"' in content
    post_step(start, screens.WHERE, {"ticked": ["outer_hip_pain"]})
    content = start.get(step_url("more_hip")).content.decode()
    assert 'name="more_hip-outer_hip_tenderness"' in content  # still a question the person answers
