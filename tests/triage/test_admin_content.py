"""Clinical content is editable in the admin; publishing freezes it into a version."""

from __future__ import annotations

import pytest
from django.urls import reverse

from triage.models import Condition, RulesetVersion

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["condition", "question", "clinic", "submission", "rulesetversion"])
def test_superuser_can_open_each_content_list(admin_client, model):
    assert admin_client.get(reverse(f"admin:triage_{model}_changelist")).status_code == 200


def test_a_condition_page_shows_its_weights_inline(admin_client):
    response = admin_client.get(reverse("admin:triage_condition_change", args=["sciatica"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "weights-TOTAL_FORMS" in content
    assert 'value="3"' in content


def test_editing_a_threshold_then_publishing_makes_version_3(admin_client):
    Condition.objects.filter(slug="sciatica").update(threshold="0.50")
    response = admin_client.post(reverse("admin:triage_rulesetversion_publish"), {"note": "Stricter sciatica"})
    assert response.status_code == 302
    # Versions 1 and 2 are seeded by migrations (2: issue 11's second ruleset).
    version = RulesetVersion.objects.get(number=3)
    assert version.note == "Stricter sciatica"
    assert next(c for c in version.content["conditions"] if c["slug"] == "sciatica")["threshold"] == "0.50"


def test_submissions_and_published_versions_are_read_only(admin_client):
    assert admin_client.get(reverse("admin:triage_submission_add")).status_code == 403
    assert admin_client.get(reverse("admin:triage_rulesetversion_add")).status_code == 403
