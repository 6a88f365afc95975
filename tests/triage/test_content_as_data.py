"""Content stays data: a content editor adds a fifth condition in the admin, publishes, and the
questionnaire, result, PDF, API and FHIR pick it up with no code change."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from triage import selectors
from triage.models import Condition, Question, RulesetVersion, Submission

from ..conftest import all_answers, own_result
from ..review_helpers import content_editor

pytestmark = pytest.mark.django_db

OA_SUMMARY = "Hip osteoarthritis is wear of the cartilage lining the hip joint, which makes it stiff and sore."
OA_CARE = "Strength work with a physiotherapist, cushioned shoes and orthotics to soften each step."
TELLING = ["morning_stiffness", "groin_pain", "pain_walking_running_stairs"]


def weights_form(prefix: str, rows: list[tuple[int, int]]) -> dict[str, str]:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, (question_id, weight) in enumerate(rows):
        data[f"{prefix}-{index}-question"] = str(question_id)
        data[f"{prefix}-{index}-weight"] = str(weight)
    return data


@pytest.fixture
def editor(client, db):
    client.force_login(content_editor())
    return client


def add_hip_osteoarthritis(editor) -> None:
    """Everything through the admin, as a content editor would do it."""
    response = editor.post(
        reverse("admin:triage_question_add"),
        {
            "code": "morning_stiffness",
            "kind": "symptom",
            "group": "hip",
            "text": "Is your hip stiff first thing in the morning or after sitting?",
            "help_text": "",
            "summary": "A stiff hip in the morning or after sitting",
            "advice": "",
            "order": "24",
            "why_we_ask": "Stiffness after rest that eases as you move is common when a joint is wearing.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    ids = dict(Question.objects.values_list("code", "pk"))
    response = editor.post(
        reverse("admin:triage_condition_add"),
        {
            "slug": "hip-osteoarthritis",
            "name": "Hip osteoarthritis",
            "summary": OA_SUMMARY,
            "clinic_care": OA_CARE,
            "threshold": "0.40",
            "order": "5",
            **weights_form("weights", [(ids[code], 3) for code in TELLING] + [(ids["hip_tightness"], 1)]),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    response = editor.post(reverse("admin:triage_rulesetversion_publish"), {"note": "Hip osteoarthritis"})
    assert response.status_code == 302


def test_a_fifth_condition_added_in_the_admin_reaches_every_channel(editor, client, db_ruleset):
    add_hip_osteoarthritis(editor)
    version = RulesetVersion.objects.order_by("-number").first()
    assert version.note == "Hip osteoarthritis" and Condition.objects.count() == 5
    client.logout()

    # The questionnaire asks the new question, with its "why we ask".
    client.get(reverse("triage:check") + "?reset=1")
    ruleset = selectors.ruleset_get()
    assert ruleset.version == version.number
    step = reverse("triage:check_step", kwargs={"step": "safety"})
    safety = {f"safety-{k}": v for k, v in all_answers(ruleset, ("emergency", "doctor_today", "context")).items()}
    client.post(step, {"self_check_wizard-current_step": "safety", **safety, "safety-age": "67"})
    symptoms_page = client.get(reverse("triage:check_step", kwargs={"step": "symptoms"})).content.decode()
    assert 'name="symptoms-morning_stiffness"' in symptoms_page
    assert "Stiffness after rest that eases as you move" in symptoms_page

    # The API suggests it, with what counts against it.
    request = {"answers": {"morning_stiffness": True, "groin_pain": True}, "pain_intensity": 4}
    body = client.post("/api/v1/assess", json.dumps(request), content_type="application/json").json()
    assert body["conditions"][0]["slug"] == "hip-osteoarthritis"
    assert body["conditions"][0]["against"] == ["pain_walking_running_stairs"]
    assert "morning_stiffness" in client.get("/api/v1/openapi.json").content.decode()

    # The result page and the PDF show it with what to do.
    submission = Submission.objects.get(
        reference=client.post("/api/v1/submissions", json.dumps(request), content_type="application/json").json()[
            "reference"
        ]
    )
    own_result(client, submission)
    page = client.get(reverse("triage:result", kwargs={"token": submission.token})).content.decode()
    assert "Hip osteoarthritis" in page and OA_SUMMARY in page and OA_CARE in page
    assert "Pain with walking, running or stairs" in page.split("Less likely because")[1]
    pdf = client.get(reverse("triage:result_pdf", kwargs={"token": submission.token})).content
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Hip osteoarthritis" in text and "a stiff hip in the morning or after sitting" in text

    # The FHIR Questionnaire asks it, with its "why we ask".
    items = json.dumps(client.get("/fhir/Questionnaire/hip-back-self-check").json())
    assert '"linkId": "morning_stiffness"' in items and '"linkId": "morning_stiffness.why"' in items
