"""Clinical content named by history is retired, never deleted, and every content change is audited
(issue 14, item 2: deleting a draft condition crashed patient submissions)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.actor import Actor
from audit.models import AuditEvent
from review import services as review_services
from tests.review_helpers import clinician, content_editor, make_submission, symptoms_of
from triage import selectors
from triage.models import Clinic, Condition, Question, Submission, Suggestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, db_ruleset):
    client.force_login(content_editor())
    return client


def delete_url(slug: str) -> str:
    return reverse("admin:triage_condition_delete", args=[slug])


def sciatica_answers(ruleset) -> dict[str, bool]:
    yes = symptoms_of(ruleset, "sciatica")
    return {q.code: q.code in yes for q in ruleset.questions}


def test_deleting_a_published_condition_is_refused_with_reasons_as_counts(editor, db_ruleset):
    make_submission(db_ruleset, yes=symptoms_of(db_ruleset, "sciatica"))
    reference = Submission.objects.get().reference
    page = editor.get(delete_url("sciatica")).content.decode()
    assert "published in ruleset v1" in page and "1 suggestions" in page and "Retire it instead" in page
    # The editor is shown counts, never which patient's submission.
    assert reference not in page
    editor.post(delete_url("sciatica"), {"post": "yes"})
    assert Condition.objects.filter(slug="sciatica").exists()


def test_after_an_attempted_delete_a_patient_with_sciatica_answers_still_gets_a_result(editor, db_ruleset):
    editor.post(delete_url("sciatica"), {"post": "yes"})
    editor.logout()
    response = editor.post(
        "/api/v1/submissions", {"answers": sciatica_answers(db_ruleset)}, content_type="application/json"
    )
    assert response.status_code == 201
    assert [c["slug"] for c in response.json()["assessment"]["conditions"]][:1] == ["sciatica"]


def test_a_condition_row_removed_behind_the_admins_back_is_restored_from_the_published_ruleset(db_ruleset, client):
    Condition.objects.filter(slug="sciatica").delete()  # e.g. from the shell: no suggestion named it yet
    response = client.post(
        "/api/v1/submissions", {"answers": sciatica_answers(db_ruleset)}, content_type="application/json"
    )
    assert response.status_code == 201
    assert Suggestion.objects.filter(condition_id="sciatica").exists()
    assert Condition.objects.get(slug="sciatica").retired_at is not None  # back for history, not in the draft


def test_retiring_takes_a_condition_out_of_the_draft_but_not_out_of_the_published_ruleset(editor, db_ruleset):
    editor.post(reverse("admin:triage_condition_changelist"), {"action": "retire", "_selected_action": ["sciatica"]})
    assert Condition.objects.get(slug="sciatica").retired_at is not None
    assert "sciatica" not in {c["slug"] for c in selectors.draft_content_get()["conditions"]}
    submission = make_submission(db_ruleset, yes=symptoms_of(db_ruleset, "sciatica"))
    assert submission.suggestions.first().condition_id == "sciatica"
    assert AuditEvent.objects.filter(action="retire", target="condition sciatica").exists()


def test_a_condition_an_outcome_names_cannot_be_deleted_so_the_outcome_stays_valid(editor, db_ruleset):
    draft_only = Condition.objects.create(slug="bursitis-2", name="Draft only", summary="s", clinic_care="c")
    submission = make_submission(db_ruleset)
    review_services.outcome_record(submission=submission, conditions=[draft_only], actor=Actor(user=clinician()))
    assert "1 outcomes" in editor.get(delete_url("bursitis-2")).content.decode()
    editor.post(delete_url("bursitis-2"), {"post": "yes"})
    assert list(submission.outcome.conditions.all()) == [draft_only]


def test_a_draft_only_condition_can_be_deleted_and_the_delete_is_audited(editor):
    Condition.objects.create(slug="draft-only", name="Draft only", summary="s", clinic_care="c")
    editor.post(delete_url("draft-only"), {"post": "yes"})
    assert not Condition.objects.filter(slug="draft-only").exists()
    assert AuditEvent.objects.filter(action="delete", target="condition draft-only").exists()


def test_a_condition_edit_is_audited_with_the_fields_and_weights_changed(editor):
    page = editor.get(reverse("admin:triage_condition_change", args=["sciatica"]))
    form = page.context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data["threshold"] = "0.55"
    formset = page.context["inline_admin_formsets"][0].formset
    data.update({f"weights-{key}": value for key, value in formset.management_form.initial.items()})
    for i, weight_form in enumerate(formset.initial_forms):
        data[f"weights-{i}-id"] = weight_form.instance.pk
        data[f"weights-{i}-condition"] = "sciatica"
        data[f"weights-{i}-question"] = weight_form.instance.question_id
        data[f"weights-{i}-weight"] = weight_form.instance.weight + (1 if i == 0 else 0)
    first_code = formset.initial_forms[0].instance.question.code
    response = editor.post(reverse("admin:triage_condition_change", args=["sciatica"]), data)
    assert response.status_code == 302
    events = AuditEvent.objects.filter(action="change", target="condition sciatica")
    assert {"fields": ["threshold"]} in [e.detail for e in events]
    assert {"weights": {"changed": [first_code]}} in [e.detail for e in events]
    assert all(e.actor_label == "editor" for e in events)


@pytest.mark.parametrize(
    ("model", "pk", "field", "value"),
    [("question", None, "order", 99), ("clinic", None, "order", 99)],
)
def test_question_and_clinic_edits_are_audited(editor, model, pk, field, value):
    obj = (Question if model == "question" else Clinic).objects.first()
    url = reverse(f"admin:triage_{model}_change", args=[obj.pk])
    form = editor.get(url).context["adminform"].form
    data = {key: value for key, value in form.initial.items() if value is not None}
    data[field] = value
    assert editor.post(url, data).status_code == 302
    event = AuditEvent.objects.get(action="change", target=f"{model} {obj.pk}")
    assert event.detail == {"fields": [field]}
