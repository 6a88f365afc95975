"""Bad filter values get a 400, never a 500 (issue 14, item 8), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.review_helpers import make_submission, superuser

pytestmark = pytest.mark.django_db

QUEUE = reverse("admin:triage_submission_changelist")
EXPORT = reverse("admin:triage_submission_export")


@pytest.fixture
def staff(client, db_ruleset):
    make_submission(db_ruleset)
    client.force_login(superuser())
    return client


@pytest.mark.parametrize("url", [QUEUE, EXPORT])
def test_a_year_beyond_any_date_on_the_queue_and_the_export_is_a_400(staff, url):
    response = staff.get(url, {"created_at__year": "99999999999999999999"})
    assert response.status_code == 400
    assert "must be between 1 and 9999" in response.content.decode()


@pytest.mark.parametrize(
    "params", [{"created_at__year": "0"}, {"created_at__month": "13"}, {"clinic__id__exact": "9" * 30}]
)
def test_other_out_of_range_numbers_are_a_400(staff, params):
    assert staff.get(QUEUE, params).status_code == 400


@pytest.mark.parametrize("params", [{"contact_name": "\x00"}, {"q": "Sam\x00"}, {"status\x00": "new"}])
def test_a_nul_byte_in_a_filter_or_search_is_a_400(staff, params):
    response = staff.get(QUEUE, params)
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_a_nul_byte_in_a_fhir_reference_is_a_fhir_400(staff):
    response = staff.get("/fhir/QuestionnaireResponse/AB%00")
    assert response.status_code == 400
    assert response.json()["resourceType"] == "OperationOutcome"
    assert response.json()["issue"][0]["code"] == "invalid"


def test_sensible_filters_still_work(staff):
    assert staff.get(QUEUE, {"created_at__year": "2026", "q": "Sam"}).status_code == 200
