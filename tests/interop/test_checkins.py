"""Check-ins as FHIR R4: their Questionnaire, one QuestionnaireResponse per answered check-in, partOf the first."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from audit.models import AuditEvent
from followups.models import CheckInStatus
from tests.followups.clinic_helpers import checkin, submission_with_peg
from tests.review_helpers import first_code
from triage import scoring
from triage.models import StaffClinicAccess

pytestmark = pytest.mark.django_db

CHECKIN_QUESTIONNAIRE = "/fhir/Questionnaire/hip-back-check-in"


def checkin_url(reference: str, week: int) -> str:
    return reverse("interop:checkin_questionnaire_response", kwargs={"reference": reference, "week": week})


@pytest.fixture
def staff_client(client, django_user_model):
    user = django_user_model.objects.create_user("nurse", password=None, is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_submission", "view_answers"]))
    StaffClinicAccess.objects.create(user=user, all_clinics=True)
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def followed(db_ruleset):
    submission = submission_with_peg(db_ruleset, peg=(6, 6, 6))
    flag = first_code(db_ruleset, scoring.EMERGENCY)
    checkin(submission, week=6, peg=(3, 4, 2), global_change=2, seen="physio", red_flags=[flag])
    checkin(submission, week=12, status=CheckInStatus.EXPIRED)
    return submission


def items(resource: dict) -> dict[str, list]:
    return {item["linkId"]: item["answer"] for item in resource["item"]}


def test_the_check_in_questionnaire_is_valid_r4_and_public(client, db_ruleset):
    response = client.get(CHECKIN_QUESTIONNAIRE)
    assert response.status_code == 200
    resource = response.json()
    Questionnaire.model_validate(resource)
    assert [item["linkId"] for item in resource["item"]] == [
        "pain_intensity",
        "enjoyment_interference",
        "activity_interference",
        "global_change",
        "seen_professional",
        "red_flags",
    ]
    codes = [option["valueCoding"]["code"] for option in resource["item"][3]["answerOption"]]
    assert codes == ["1", "2", "3", "4", "5", "6", "7"]
    flags = {option["valueCoding"]["code"] for option in resource["item"][5]["answerOption"]}
    assert first_code(db_ruleset, scoring.EMERGENCY) in flags


def test_an_answered_check_in_is_a_valid_response_part_of_the_self_checks(staff_client, followed, db_ruleset):
    response = staff_client.get(checkin_url(followed.reference, 6))
    assert response.status_code == 200
    resource = response.json()
    QuestionnaireResponse.model_validate(resource)
    assert resource["id"] == f"{followed.reference}-week6"
    assert resource["partOf"][0]["reference"] == f"QuestionnaireResponse/{followed.reference}"
    assert resource["questionnaire"] == "http://testserver/fhir/Questionnaire/hip-back-check-in|1"
    answers = items(resource)
    assert (answers["pain_intensity"], answers["activity_interference"]) == (
        [{"valueInteger": 3}],
        [{"valueInteger": 2}],
    )
    assert answers["global_change"][0]["valueCoding"]["code"] == "2"
    assert answers["global_change"][0]["valueCoding"]["display"] == "Better"
    assert answers["seen_professional"][0]["valueCoding"]["code"] == "physio"
    assert [a["valueCoding"]["code"] for a in answers["red_flags"]] == [first_code(db_ruleset, scoring.EMERGENCY)]
    event = AuditEvent.objects.get(action="export", target=followed.reference)
    assert event.detail == {"format": "fhir", "checkin_week": 6}


def test_a_check_in_not_answered_is_not_found(staff_client, followed):
    response = staff_client.get(checkin_url(followed.reference, 12))
    assert response.status_code == 404
    assert response.json()["resourceType"] == "OperationOutcome"


def test_the_self_checks_own_response_is_still_served_at_its_reference(staff_client, followed):
    response = staff_client.get(reverse("interop:questionnaire_response", kwargs={"reference": followed.reference}))
    assert response.status_code == 200 and response.json()["id"] == followed.reference


def test_a_check_in_needs_staff_who_may_read_answers(client, followed, django_user_model):
    url = checkin_url(followed.reference, 6)
    assert client.get(url).status_code == 401
    desk = django_user_model.objects.create_user("desk", password=None, is_staff=True)
    desk.user_permissions.add(Permission.objects.get(codename="view_submission"))
    client.force_login(desk)
    assert client.get(url).status_code == 403


def test_the_admin_download_bundles_a_submission_with_its_answered_check_ins(staff_client, followed):
    response = staff_client.post(
        reverse("admin:triage_submission_changelist"),
        {"action": "download_questionnaire_response", "_selected_action": [followed.pk]},
    )
    bundle = Bundle.model_validate_json(response.content)
    assert [entry.resource.id for entry in bundle.entry] == [followed.reference, f"{followed.reference}-week6"]
    assert bundle.entry[1].fullUrl.endswith(f"/QuestionnaireResponse/{followed.reference}-week6")
