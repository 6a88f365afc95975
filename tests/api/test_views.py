"""The JSON API: the ``assess`` contract over HTTP, storing submissions, and its OpenAPI document."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.generation.modes import GenerationMode

from tests.conftest import EXAMPLES
from triage.models import Submission

pytestmark = pytest.mark.django_db

ASSESS = "/api/v1/assess"
SUBMISSIONS = "/api/v1/submissions"


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    # The local-memory cache lives as long as the test process.
    cache.clear()
    yield
    cache.clear()


def post(client, url: str, body) -> tuple[int, dict]:
    raw = body if isinstance(body, str) else json.dumps(body)
    response = client.post(url, raw, content_type="application/json")
    assert response["Content-Type"].startswith("application/json")
    return response.status_code, response.json()


def fields(body: dict) -> dict[str, str]:
    return {error["field"]: error["code"] for error in body["errors"]}


def assess_command(payload: dict, capsys) -> dict:
    import io
    import sys

    stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(json.dumps(payload).encode()))
    try:
        call_command("assess")
    finally:
        sys.stdin = stdin
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("case", EXAMPLES, ids=lambda case: case["id"])
def test_assess_answers_exactly_like_the_assess_command(client, case, capsys):
    payload = {key: case[key] for key in ("answers", "pain_duration", "pain_intensity") if key in case}
    status, body = post(client, ASSESS, payload)
    assert status == 200
    assert body == assess_command(payload, capsys)


def test_assess_stores_nothing(client):
    post(client, ASSESS, {"answers": {"groin_pain": True}})
    assert Submission.objects.count() == 0


def test_assess_names_every_bad_field(client):
    status, body = post(
        client,
        ASSESS,
        {
            "answers": {"groin_pain": "yes", "no_such_question": True},
            "pain_intensity": 11,
            "pain_duration": "ages",
            "x": 1,
        },
    )
    assert status == 422
    assert fields(body) == {
        "answers.groin_pain": "bool_type",
        "pain_intensity": "less_than_equal",
        "pain_duration": "literal_error",
        "x": "extra_forbidden",
    }


def test_assess_refuses_an_unknown_question_code(client):
    status, body = post(client, ASSESS, {"answers": {"no_such_question": True}})
    assert status == 422
    assert fields(body) == {"answers.no_such_question": "unknown_question"}


@pytest.mark.parametrize("raw", ["{not json", "[]", "", "null", '"answers"'])
def test_a_body_that_is_not_an_object_is_a_clear_client_error(client, raw):
    status, body = post(client, ASSESS, raw)
    # An empty body comes with no Content-Type at all: 415, send JSON.
    assert status in ((415,) if raw == "" else (400, 422))
    assert body["detail"]


def test_assess_requires_real_booleans_and_whole_numbers(client):
    status, body = post(client, ASSESS, {"answers": {"groin_pain": 1}, "pain_intensity": 4.5})
    assert status == 422
    assert set(fields(body)) == {"answers.groin_pain", "pain_intensity"}


def test_submission_is_scored_stored_and_linked_to_its_result(client):
    status, body = post(
        client,
        SUBMISSIONS,
        {
            "answers": {"groin_pain": True, "clicking_catching": True},
            "pain_duration": "over_12_weeks",
            "pain_intensity": 6,
            "clinic": "takapuna",
            "contact": {"name": "Aroha", "phone": "021 123 4567"},
        },
    )
    assert status == 201
    submission = Submission.objects.get(reference=body["reference"])
    assert submission.answers == {"groin_pain": True, "clicking_catching": True}
    assert submission.clinic.slug == "takapuna"
    assert submission.contact_consent and submission.contact_name == "Aroha"
    assert body["assessment"]["disposition"] == submission.disposition
    assert "result_url" not in body  # result pages belong to the browser session that made them


def test_submission_without_contact_stays_anonymous(client):
    status, body = post(client, SUBMISSIONS, {"answers": {"groin_pain": True}})
    assert status == 201
    submission = Submission.objects.get(reference=body["reference"])
    assert not submission.contact_consent
    assert (submission.contact_name, submission.contact_email, submission.contact_phone) == ("", "", "")


def test_submission_names_bad_contact_details_and_an_unknown_clinic(client):
    status, body = post(
        client,
        SUBMISSIONS,
        {
            "answers": {},
            "clinic": "atlantis",
            "contact": {"name": "Bo", "email": "nope", "phone": "021 123 4567"},
        },
    )
    assert status == 422
    assert fields(body) == {"clinic": "unknown_clinic", "contact.email": "invalid"}
    assert Submission.objects.count() == 0


def test_a_phone_number_needs_7_to_15_digits(client):
    status, body = post(client, SUBMISSIONS, {"answers": {}, "contact": {"name": "Bo", "phone": "(+64) 21-12"}})
    assert status == 422
    assert fields(body) == {"contact.phone": "invalid_phone"}  # the questionnaire form's own code


def test_contact_needs_a_name_and_a_way_to_reach_the_person(client):
    status, body = post(client, SUBMISSIONS, {"answers": {}, "contact": {"name": "Bo"}})
    assert status == 422
    assert fields(body) == {"contact.phone": "contact_required"}
    status, body = post(client, SUBMISSIONS, {"answers": {}, "contact": {"email": "bo@example.com"}})
    assert status == 422
    assert fields(body) == {"contact.name": "missing"}


def test_the_check_in_opt_in_is_stored_with_an_email(client):
    status, body = post(
        client,
        SUBMISSIONS,
        {"answers": {}, "contact": {"name": "Bo", "email": "bo@example.com", "followup_consent": True}},
    )
    assert status == 201
    submission = Submission.objects.get(reference=body["reference"])
    assert submission.followup_consent and submission.followup_consent_at is not None


def test_the_check_in_opt_in_is_off_unless_sent(client):
    status, body = post(client, SUBMISSIONS, {"answers": {}, "contact": {"name": "Bo", "email": "bo@example.com"}})
    assert status == 201
    assert not Submission.objects.get(reference=body["reference"]).followup_consent


def test_the_check_in_opt_in_without_an_email_is_refused_by_name(client):
    status, body = post(
        client,
        SUBMISSIONS,
        {"answers": {}, "contact": {"name": "Bo", "phone": "021 123 4567", "followup_consent": True}},
    )
    assert status == 422
    assert fields(body) == {"contact.followup_consent": "followup_needs_email"}
    assert Submission.objects.count() == 0


def test_submissions_are_rate_limited_per_address(client, settings):
    settings.TRIAGE_SUBMISSION_RATE_LIMIT = (2, 3600)
    assert post(client, SUBMISSIONS, {"answers": {}})[0] == 201
    assert post(client, SUBMISSIONS, {"answers": {}})[0] == 201
    response = client.post(SUBMISSIONS, json.dumps({"answers": {}}), content_type="application/json")
    assert response.status_code == 429
    assert response.json()["detail"]
    assert response["Retry-After"]
    assert Submission.objects.count() == 2


def test_the_api_needs_no_csrf_token(db):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    assert client.post(ASSESS, json.dumps({"answers": {}}), content_type="application/json").status_code == 200


def test_openapi_document_names_the_published_question_codes_and_clinics(client):
    document = client.get("/api/v1/openapi.json").json()
    assert set(document["paths"]) == {ASSESS, SUBMISSIONS}
    schemas = document["components"]["schemas"]
    assert "groin_pain" in schemas["AssessIn"]["properties"]["answers"]["propertyNames"]["enum"]
    assert {"enum": ["pinehill", "takapuna", "remuera", "botany", "hamilton", "tauranga"]} in schemas["SubmissionIn"][
        "properties"
    ]["clinic"]["anyOf"]


def test_browsable_docs_load_swagger_from_our_own_static_files(client):
    content = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in content
    assert "cdn" not in content.lower()


# --- Property-based: schemathesis drives the API from its own OpenAPI document ---
#
# Schemathesis' lazy pytest loader (from_fixture) does not work with this
# pytest (it reads a private attribute pytest 9 removed), so each operation's
# hypothesis strategy is run inside an ordinary test that has the database.


@pytest.fixture
def api_schema(db, settings):
    # Let generated submissions through: this run checks the API's answers, not the limit.
    settings.TRIAGE_SUBMISSION_RATE_LIMIT = (10_000, 3600)
    # Requests go through the real WSGI handler, whose request signals would
    # close the test's database connection (as Django's test client avoids).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("path", [ASSESS, SUBMISSIONS])
def test_api_conforms_to_its_openapi_document(api_schema, path, mode):
    operation = api_schema[path]["POST"]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case):
        # All of schemathesis' checks: no 5xx, documented status codes and
        # content types, responses that match their schemas, bad input refused.
        case.call_and_validate()

    check()
