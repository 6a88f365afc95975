"""Issue 14, attacks 6 and 9: cross-site posts to the API, and a huge body of bad codes."""

from __future__ import annotations

import json

import pytest

from triage.models import Submission

pytestmark = pytest.mark.django_db

SUBMISSIONS = "/api/v1/submissions"
ASSESS = "/api/v1/assess"
# What another site's page can make a browser send without a CORS preflight.
PLANTED = json.dumps({"answers": {}, "contact": {"name": "Someone Else", "email": "victim@example.com"}})


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
@pytest.mark.parametrize("url", [SUBMISSIONS, ASSESS])
def test_a_body_not_declared_json_is_refused_with_415(client, url, content_type):
    response = client.generic("POST", url, PLANTED, content_type=content_type)
    assert response.status_code == 415
    assert response["Content-Type"].startswith("application/json")
    assert "application/json" in response.json()["detail"]
    assert not Submission.objects.exists()


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "http://testserver.evil.example"])
@pytest.mark.parametrize("url", [SUBMISSIONS, ASSESS])
def test_a_post_from_another_sites_page_is_refused_with_403(client, url, origin):
    response = client.post(url, PLANTED, content_type="application/json", headers={"Origin": origin})
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not Submission.objects.exists()


@pytest.mark.parametrize("headers", [{}, {"Origin": "http://testserver"}], ids=["no-origin", "own-origin"])
def test_json_from_a_server_or_from_our_own_pages_is_accepted(client, headers):
    response = client.post(SUBMISSIONS, PLANTED, content_type="application/json", headers=headers)
    assert response.status_code == 201
    assert Submission.objects.get().contact_email == "victim@example.com"


def test_a_huge_body_of_unknown_codes_gets_a_short_list_of_errors_and_their_count(client):
    answers = {f"unknown_{n:07d}": True for n in range(80_000)}
    body = json.dumps({"answers": answers})
    assert len(body) > 1_900_000
    response = client.post(ASSESS, body, content_type="application/json")
    assert response.status_code == 422
    assert len(response.content) < 5_000
    errors = response.json()
    assert len(errors["errors"]) == 20
    assert errors["error_count"] == 80_000
    assert errors["errors"][0] == {
        "field": "answers.unknown_0000000",
        "message": "unknown question code 'unknown_0000000'",
        "code": "unknown_question",
    }
