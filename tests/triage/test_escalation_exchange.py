"""Contract version 2 through the API (with its OpenAPI document) and the FHIR resources."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from fhir.resources.R4B.questionnaire import Questionnaire
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

from triage import scoring, services
from triage.models import Submission
from triage.payload import answers_from_payload, assessment_to_payload

pytestmark = pytest.mark.django_db

ASSESS = "/api/v1/assess"
SUBMISSIONS = "/api/v1/submissions"
QUESTIONNAIRE = "/fhir/Questionnaire/hip-back-self-check"
V2_REQUEST = {
    "answers": {"radiating_leg_pain": True, "tingling_numbness_burning": True, "accident_onset": True},
    "pain_duration": "under_6_weeks",
    "pain_intensity": 8,
    "age": 44,
    "enjoyment_interference": 6,
    "activity_interference": 7,
}


def post(client, url, body):
    response = client.post(url, json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def items_by_link_id(items):
    found = {}
    for item in items:
        found[item["linkId"]] = item
        found.update(items_by_link_id(item.get("item", [])))
    return found


def test_the_api_answers_contract_v2_exactly_like_the_scoring(client, db_ruleset):
    status, body = post(client, ASSESS, V2_REQUEST)
    assert status == 200
    expected = assessment_to_payload(scoring.score(db_ruleset, answers_from_payload(V2_REQUEST, db_ruleset)))
    assert body == expected
    assert body["disposition"] == "see_gp_soon"
    assert (body["peg"], body["acc_possible"]) == (7.0, True)
    assert body["reasons"] == ["severe_recent_leg_pain", "radiating_leg_pain", "pain_intensity", "pain_duration"]
    assert body["conditions"][0]["against"] == ["worse_prolonged_standing_walking", "low_back_buttock_pain"]


def test_a_version_1_request_stays_valid(client, db_ruleset):
    status, body = post(client, ASSESS, {"answers": {"groin_pain": True}, "pain_intensity": 4})
    assert status == 200
    assert body["peg"] is None and body["acc_possible"] is False


@pytest.mark.parametrize(
    ("field", "value"),
    [("age", 15), ("age", 111), ("age", 40.5), ("age", "40"), ("age", True), ("enjoyment_interference", 11),
     ("activity_interference", -1), ("activity_interference", "5")],
)  # fmt: skip
def test_bad_age_or_interference_is_a_422_naming_the_field(client, db_ruleset, field, value):
    status, body = post(client, ASSESS, {"answers": {}, field: value})
    assert status == 422
    assert [error["field"] for error in body["errors"]] == [field]


def test_a_stored_submission_keeps_age_and_peg(client, db_ruleset):
    status, body = post(client, SUBMISSIONS, V2_REQUEST)
    assert status == 201
    submission = Submission.objects.get(reference=body["reference"])
    assert (submission.age, submission.peg, submission.disposition) == (44, 7.0, "see_gp_soon")
    assert body["assessment"]["reasons"][0] == "severe_recent_leg_pain"


def test_the_openapi_document_shows_contract_v2(client, db_ruleset):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assess_in = schemas["AssessIn"]["properties"]
    assert {"age", "enjoyment_interference", "activity_interference"} <= set(assess_in)
    assert {"both_legs_symptoms", "accident_onset"} <= set(assess_in["answers"]["propertyNames"]["enum"])
    assess_out = schemas["AssessOut"]["properties"]
    assert {"peg", "acc_possible", "reasons"} <= set(assess_out)
    assert "see_gp_soon" in json.dumps(assess_out["disposition"])
    assert "against" in schemas["SuggestedConditionOut"]["properties"]


def test_the_fhir_questionnaire_carries_why_we_ask_context_age_and_peg(client, db_ruleset):
    resource = client.get(QUESTIONNAIRE).json()
    Questionnaire.model_validate(resource)
    items = items_by_link_id(resource["item"])
    why = items["both_legs_symptoms.why"]
    assert why["type"] == "display" and why["text"].startswith("Why we ask: ")
    assert why["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == "flyover"
    assert all(f"{q.code}.why" in items for q in db_ruleset.questions)
    safety = {item["linkId"] for item in resource["item"][0]["item"]}
    assert {"age", "cancer_history", "accident_onset", "both_legs_symptoms"} <= safety
    for name in ("enjoyment_interference", "activity_interference"):
        assert items[name]["type"] == "integer"
    # Context answers never hide the rest of the questionnaire: only red flags do.
    gates = {gate["question"] for gate in resource["item"][1]["enableWhen"]}
    assert "both_legs_symptoms" in gates and "cancer_history" not in gates and "accident_onset" not in gates


def test_a_questionnaire_response_carries_age_and_peg_answers(client, db_ruleset, django_user_model):
    user = django_user_model.objects.create_user("nurse", password="x", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_submission", "view_answers"]))
    client.force_login(user)
    fields = {key: value for key, value in V2_REQUEST.items() if key != "answers"}
    submission = services.submission_create(ruleset=db_ruleset, answers=V2_REQUEST["answers"], **fields)
    resource = client.get(reverse("interop:questionnaire_response", kwargs={"reference": submission.reference}))
    resource = resource.json()
    QuestionnaireResponse.model_validate(resource)
    items = items_by_link_id(resource["item"])
    assert items["age"]["answer"] == [{"valueInteger": 44}]
    assert items["activity_interference"]["answer"] == [{"valueInteger": 7}]
    assert items["enjoyment_interference"]["answer"] == [{"valueInteger": 6}]
    assert items["accident_onset"]["answer"] == [{"valueBoolean": True}]
