"""Clinicians see the age and the PEG score (issue 11) on the queue, the submission page and the export."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from tests.review_helpers import clinician
from triage import services

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:triage_submission_changelist")


@pytest.fixture
def clinician_client(client, db):
    client.force_login(clinician())
    return client


def scored(ruleset, **fields):
    return services.submission_create(
        ruleset=ruleset,
        answers={"cancer_history": True, "groin_pain": True, "clicking_catching": True},
        pain_duration="over_12_weeks",
        **fields,
    )


def test_the_call_lists_pain_column_shows_peg_when_given_without_extra_queries(
    clinician_client, db_ruleset, django_assert_max_num_queries
):
    scored(db_ruleset, pain_intensity=6, enjoyment_interference=5, activity_interference=8, age=47)
    for _ in range(5):
        scored(db_ruleset, pain_intensity=3)
    clinician_client.get(CHANGELIST)
    with django_assert_max_num_queries(8):
        content = clinician_client.get(CHANGELIST).content.decode()
    assert "column-pain" in content
    assert ">6.3</span></td>" in content and "PEG: mean of pain" in content  # PEG, one decimal
    assert content.count(">3</span></td>") == 5  # pain now, when PEG was not given
    assert "See a GP or physio within days" in content  # the badge's tooltip (it reads "GP soon")


def test_the_submission_page_shows_age_peg_its_parts_the_reason_and_the_context(clinician_client, db_ruleset):
    submission = scored(db_ruleset, pain_intensity=6, enjoyment_interference=5, activity_interference=8, age=47)
    content = clinician_client.get(reverse("admin:triage_submission_change", args=[submission.pk])).content.decode()
    assert "Age: <strong>47</strong>" in content
    assert "PEG: <strong>6.3</strong>" in content
    assert "mean of pain 6, enjoyment 5 and activity 8" in content
    assert "Because you have had cancer, a GP should check this pain within a few days" in content
    assert "(rule cancer_alone)" in content
    assert "Cancer in the past" in content
    assert "Have you ever had cancer?" in content  # asked on the safety step, shown with it


def test_the_export_carries_age_peg_and_the_deciding_rule(clinician_client, db_ruleset):
    scored(db_ruleset, pain_intensity=6, enjoyment_interference=5, activity_interference=8, age=47)
    scored(db_ruleset, pain_intensity=2)
    response = clinician_client.get(reverse("admin:triage_submission_export"))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_peg = {row["peg"]: row for row in rows}
    full = by_peg["6.3"]
    assert (full["age"], full["enjoyment_interference"], full["activity_interference"]) == ("47", "5", "8")
    assert (full["disposition"], full["decided_by"]) == ("see_gp_soon", "cancer_alone")
    assert (by_peg[""]["age"], by_peg[""]["pain_intensity"]) == ("", "2")
