"""FHIR R4 exchange: the questionnaire, submissions as responses, and the round trip."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from audit.models import AuditEvent
from tests.conftest import EXAMPLES
from triage import scoring, services
from triage.models import Clinic, StaffClinicAccess, Submission

pytestmark = pytest.mark.django_db

QUESTIONNAIRE = "/fhir/Questionnaire/hip-back-self-check"


def response_url(reference: str) -> str:
    return reverse("interop:questionnaire_response", kwargs={"reference": reference})


def store(ruleset: scoring.Ruleset, **fields) -> Submission:
    return services.submission_create(ruleset=ruleset, **fields)


@pytest.fixture
def viewer(django_user_model):
    user = django_user_model.objects.create_user("nurse", password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_submission", "view_answers"]))
    StaffClinicAccess.objects.create(user=user, all_clinics=True)  # need to know: sees every clinic's
    return user


@pytest.fixture
def staff_client(client, viewer):
    client.force_login(viewer)
    return client


def items_by_link_id(items: list[dict]) -> dict[str, dict]:
    found = {}
    for item in items:
        found[item["linkId"]] = item
        found.update(items_by_link_id(item.get("item", [])))
    return found


def test_questionnaire_is_a_valid_r4_questionnaire(client, db_ruleset):
    response = client.get(QUESTIONNAIRE)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    resource = response.json()
    Questionnaire.model_validate(resource)  # raises when not valid R4
    assert resource["version"] == str(db_ruleset.version)
    assert resource["url"] == "http://testserver/fhir/Questionnaire/hip-back-self-check"


def test_questionnaire_items_are_the_question_codes(client, db_ruleset):
    items = items_by_link_id(client.get(QUESTIONNAIRE).json()["item"])
    assert {q.code for q in db_ruleset.questions} <= set(items)
    assert all(items[q.code]["type"] == "boolean" for q in db_ruleset.questions)


def test_steps_after_the_safety_questions_are_enabled_only_without_a_red_flag(client, db_ruleset):
    items = items_by_link_id(client.get(QUESTIONNAIRE).json()["item"])
    red_flags = {q.code for q in db_ruleset.questions_of_kind(scoring.EMERGENCY, scoring.DOCTOR_TODAY)}
    assert "enableWhen" not in items["safety"]
    for group in ("symptoms", "feet", "duration", "contact"):
        conditions = items[group]["enableWhen"]
        assert items[group]["enableBehavior"] == "all"
        assert {c["question"] for c in conditions} == red_flags
        assert all(c["operator"] == "=" and c["answerBoolean"] is False for c in conditions)


def test_duration_intensity_and_clinics_are_answer_options(client, db_ruleset):
    items = items_by_link_id(client.get(QUESTIONNAIRE).json()["item"])
    assert [o["valueCoding"]["code"] for o in items["pain_duration"]["answerOption"]] == list(scoring.DURATIONS)
    assert [o["valueInteger"] for o in items["pain_intensity"]["answerOption"]] == list(range(11))
    assert [o["valueCoding"]["code"] for o in items["clinic"]["answerOption"]] == list(
        Clinic.objects.values_list("slug", flat=True)
    )


def test_canonical_base_comes_from_settings_when_set(client, db_ruleset, settings):
    settings.FHIR_BASE_URL = "https://selfcheck.example.org/fhir/"
    resource = client.get(QUESTIONNAIRE).json()
    assert resource["url"] == "https://selfcheck.example.org/fhir/Questionnaire/hip-back-self-check"


def test_a_past_questionnaire_version_is_readable_and_an_unknown_one_is_404(client, db_ruleset):
    assert client.get(f"{QUESTIONNAIRE}/_history/{db_ruleset.version}").json()["version"] == str(db_ruleset.version)
    response = client.get(f"{QUESTIONNAIRE}/_history/999")
    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"


def test_questionnaire_response_requires_login(client, db_ruleset):
    submission = store(db_ruleset, answers={"groin_pain": True})
    response = client.get(response_url(submission.reference))
    assert response.status_code == 401
    assert response.json()["resourceType"] == "OperationOutcome"
    assert "groin_pain" not in response.content.decode()


def test_questionnaire_response_requires_the_view_submission_permission(client, db_ruleset, django_user_model):
    submission = store(db_ruleset, answers={"groin_pain": True})
    client.force_login(django_user_model.objects.create_user("clerk", password="x", is_staff=True))
    assert client.get(response_url(submission.reference)).status_code == 403


def test_questionnaire_response_needs_the_answers_permission_not_only_view(client, db_ruleset, django_user_model):
    # Reception may view submissions (who to call), never what they answered.
    submission = store(db_ruleset, answers={"groin_pain": True})
    user = django_user_model.objects.create_user("desk", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_submission"))
    client.force_login(user)
    response = client.get(response_url(submission.reference))
    assert response.status_code == 403 and "groin_pain" not in response.content.decode()


def test_questionnaire_response_requires_staff_even_with_the_permission(client, db_ruleset, viewer):
    submission = store(db_ruleset, answers={"groin_pain": True})
    viewer.is_staff = False
    viewer.save()
    client.force_login(viewer)
    assert client.get(response_url(submission.reference)).status_code == 403


def test_unknown_reference_is_a_404_outcome(staff_client, db_ruleset):
    response = staff_client.get(response_url("ZZZZZZZZ"))
    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"


def test_questionnaire_response_is_valid_r4_and_complete(staff_client, db_ruleset):
    clinic = Clinic.objects.get(slug="botany")
    submission = store(
        db_ruleset,
        answers={"groin_pain": True, "clicking_catching": True, "saddle_numbness": False},
        pain_duration="over_12_weeks",
        pain_intensity=7,
        clinic_id=clinic.pk,
        contact=services.ContactDetails(name="Mere", phone="021 123 4567"),
    )
    response = staff_client.get(response_url(submission.reference))
    assert response.status_code == 200
    resource = response.json()
    QuestionnaireResponse.model_validate(resource)
    assert resource["status"] == "completed"
    assert resource["questionnaire"] == f"http://testserver/fhir/Questionnaire/hip-back-self-check|{db_ruleset.version}"
    assert resource["authored"] == submission.created_at.isoformat()
    items = items_by_link_id(resource["item"])
    assert items["groin_pain"]["answer"] == [{"valueBoolean": True}]
    assert items["saddle_numbness"]["answer"] == [{"valueBoolean": False}]
    assert items["pain_intensity"]["answer"] == [{"valueInteger": 7}]
    assert items["clinic"]["answer"][0]["valueCoding"]["code"] == "botany"
    assert items["contact_name"]["answer"] == [{"valueString": "Mere"}]


def test_reading_a_response_is_recorded_in_the_audit_trail(staff_client, db_ruleset, viewer):
    submission = store(db_ruleset, answers={})
    staff_client.get(response_url(submission.reference))
    event = AuditEvent.objects.get(target=submission.reference)
    assert (event.actor, event.action) == (viewer, "export")


def test_a_red_flag_response_holds_only_the_safety_answers(staff_client, db_ruleset):
    red_flags = db_ruleset.questions_of_kind(scoring.EMERGENCY, scoring.DOCTOR_TODAY)
    submission = store(db_ruleset, answers={q.code: q.code == "saddle_numbness" for q in red_flags})
    resource = staff_client.get(response_url(submission.reference)).json()
    QuestionnaireResponse.model_validate(resource)
    assert [group["linkId"] for group in resource["item"]] == ["safety"]


def _walk(items: list[dict]):
    for item in items:
        yield item
        yield from _walk(item.get("item", []))


def read_back(resource: dict, ruleset: scoring.Ruleset) -> tuple[int, dict[str, bool], str, int | None]:
    """What a receiving system reads out of a QuestionnaireResponse: version, answers, duration, intensity."""
    values = {item["linkId"]: item["answer"][0] for item in _walk(resource["item"]) if item.get("answer")}
    answers = {code: value["valueBoolean"] for code, value in values.items() if code in ruleset.by_code}
    duration = values.get("pain_duration", {}).get("valueCoding", {}).get("code", "")
    intensity = values.get("pain_intensity", {}).get("valueInteger")
    return int(resource["questionnaire"].rpartition("|")[2]), answers, duration, intensity


@pytest.mark.parametrize("case", EXAMPLES, ids=lambda case: case["id"])
def test_a_response_read_back_gives_the_same_answers_and_the_same_result(staff_client, db_ruleset, case):
    submission = store(
        db_ruleset,
        answers=case["answers"],
        pain_duration=case.get("pain_duration") or "",
        pain_intensity=case.get("pain_intensity"),
    )
    raw = staff_client.get(response_url(submission.reference)).content
    # Through the FHIR model and back out as JSON, as a receiving system would.
    parsed = json.loads(QuestionnaireResponse.model_validate_json(raw).model_dump_json())
    version, answers, duration, intensity = read_back(parsed, db_ruleset)
    assert version == db_ruleset.version
    assert answers == submission.answers
    assert (duration, intensity) == (submission.pain_duration, submission.pain_intensity)
    rescored = scoring.score(db_ruleset, scoring.Answers.from_mapping(answers, duration or None, intensity))
    assert services.assessment_record(rescored) == submission.result
    assert rescored.disposition == submission.disposition


def changelist_action(client, submissions):
    return client.post(
        reverse("admin:triage_submission_changelist"),
        {"action": "download_questionnaire_response", "_selected_action": [s.pk for s in submissions]},
    )


def test_admin_offers_the_download_action_on_submissions(staff_client, db_ruleset):
    store(db_ruleset, answers={})
    content = staff_client.get(reverse("admin:triage_submission_changelist")).content.decode()
    assert 'value="download_questionnaire_response"' in content


def test_the_download_action_is_declared_by_the_submission_admin_not_patched_onto_it(settings):
    """Named in settings, where the site is composed: review never imports interop."""
    from interop.admin import download_questionnaire_response
    from review.admin import SubmissionAdmin

    assert settings.SUBMISSION_ADMIN_EXTRA_ACTIONS == ["interop.admin.download_questionnaire_response"]
    assert download_questionnaire_response in SubmissionAdmin.actions


def test_admin_action_downloads_one_questionnaire_response(staff_client, db_ruleset):
    submission = store(db_ruleset, answers={"groin_pain": True})
    response = changelist_action(staff_client, [submission])
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == f'attachment; filename="QuestionnaireResponse-{submission.reference}.json"'
    )
    QuestionnaireResponse.model_validate_json(response.content)


def test_admin_action_downloads_several_as_a_bundle(staff_client, db_ruleset):
    submissions = [store(db_ruleset, answers={"groin_pain": True}), store(db_ruleset, answers={})]
    response = changelist_action(staff_client, submissions)
    bundle = Bundle.model_validate_json(response.content)
    assert bundle.type == "collection"
    assert {entry.resource.id for entry in bundle.entry} == {s.reference for s in submissions}
    assert AuditEvent.objects.filter(action="export").count() == 2


def test_staff_without_the_view_permission_cannot_download(client, db_ruleset, django_user_model):
    submission = store(db_ruleset, answers={})
    user = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_clinic"))
    client.force_login(user)
    response = changelist_action(client, [submission])
    assert response.status_code == 403


def test_a_booking_requests_days_and_times_are_in_words(staff_client, db_ruleset):
    from booking.models import BookingRequest

    submission = store(db_ruleset, answers={})
    BookingRequest.objects.create(
        submission=submission,
        reference=submission.reference,
        clinic=Clinic.objects.first(),
        preferred_days=["mon", "thu"],
        preferred_times=["morning"],
        name="Mere",
        phone="021 123 4567",
        consent=True,
    )
    resource = staff_client.get(response_url(submission.reference)).json()
    QuestionnaireResponse.model_validate(resource)
    items = items_by_link_id(resource["item"])
    assert items["booking_preferred"]["answer"] == [{"valueString": "Monday, Thursday; Morning (before 12 pm)"}]
