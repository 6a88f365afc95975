"""The built-in fields' words (age, how long, the PEG scales, the clinic) as content: edited, published, kept."""

from __future__ import annotations

import hashlib
import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from audit.actor import SYSTEM
from audit.models import AuditEvent
from tests.conftest import own_result
from tests.review_helpers import clinician, content_editor
from tests.triage.test_views import answer_steps, step_url
from triage import field_texts, screens, selectors, services
from triage.forms import QuestionsForm
from triage.models import QuestionnaireField, RulesetVersion

pytestmark = pytest.mark.django_db


@pytest.fixture
def start(client):
    assert client.get(reverse("triage:check")).status_code == 302
    return client


NEW_WHY = "Edited: the pain score sets how soon you should be seen."


def asked_fields(ruleset) -> set[str]:
    """Every field a screen's form declares itself (the yes/no questions are rows, with their own why)."""
    names = set()
    for screen in screens.screens_for(ruleset):
        names |= set(screen.form_class.base_fields) - (
            {"ticked"} if issubclass(screen.form_class, QuestionsForm) else set()
        )
    return names


def pdf_text(client, submission) -> str:
    own_result(client, submission)
    response = client.get(reverse("triage:result_pdf", kwargs={"token": submission.token}))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def fhir_item(client, url: str, link_id: str) -> dict:
    def walk(items):
        for item in items:
            if item["linkId"] == link_id:
                return item
            found = walk(item.get("item", ()))
            if found:
                return found
        return None

    return walk(json.loads(client.get(url).content)["item"])


def edit_and_publish(code: str, **words) -> None:
    QuestionnaireField.objects.filter(code=code).update(**words)
    services.ruleset_publish(note="Plainer words", actor=SYSTEM)


def test_every_field_the_questionnaire_asks_has_words_and_a_why_we_ask(db_ruleset):
    # A new field on any screen fails here until it has words (triage.field_texts) or is named as a contact detail.
    assert asked_fields(db_ruleset) - field_texts.NOT_TEXTS == set(field_texts.CODES)
    drafts = {row.code: row for row in QuestionnaireField.objects.all()}
    assert set(drafts) == set(field_texts.CODES)
    for code in field_texts.CODES:
        assert drafts[code].label and drafts[code].why_we_ask.strip()
        assert selectors.field_texts_get(number=db_ruleset.version)[code].why_we_ask.strip()


def test_versions_before_the_words_were_content_read_the_built_in_words_which_never_change(db_ruleset):
    for number in (1, 2):
        assert "fields" not in RulesetVersion.objects.get(number=number).content
        assert selectors.field_texts_get(number=number) == field_texts.built_in()
    words = json.dumps([vars(text) for text in field_texts.built_in().values()], sort_keys=True)
    # Past results (versions 1 and 2) show these words: change them and those results change too.
    # Edit the draft in the admin and publish instead.
    assert hashlib.sha256(words.encode()).hexdigest()[:16] == "86d34e3f8c2b726c"


def test_a_field_screen_shows_its_why_we_ask_on_demand_from_the_published_ruleset(start, db_ruleset):
    answer_steps(start, db_ruleset, upto=screens.INTENSITY)
    content = start.get(step_url(screens.INTENSITY)).content.decode()
    intensity = field_texts.built_in()[field_texts.PAIN_INTENSITY]
    assert f"<h1>{intensity.label}</h1>" in content
    assert '<details class="why-we-ask"><summary>Why we ask</summary>' in content
    assert intensity.why_we_ask in content


def test_editing_the_words_in_the_draft_changes_nothing_until_published_then_the_screen_pdf_and_fhir(
    client, start, db_ruleset
):
    old = field_texts.built_in()[field_texts.PAIN_INTENSITY]
    past = services.submission_create(
        ruleset=db_ruleset, answers={q.code: False for q in db_ruleset.questions}, pain_duration="over_12_weeks",
        pain_intensity=9,
    )  # fmt: skip
    QuestionnaireField.objects.filter(code=field_texts.PAIN_INTENSITY).update(why_we_ask=NEW_WHY)
    answer_steps(start, db_ruleset, upto=screens.INTENSITY)
    assert NEW_WHY not in start.get(step_url(screens.INTENSITY)).content.decode()  # a draft, not yet published

    edit_and_publish(field_texts.PAIN_INTENSITY, label="How bad has the pain been this week, on average?")
    assert selectors.ruleset_get().version == 3
    content = start.get(step_url(screens.INTENSITY)).content.decode()
    assert NEW_WHY in content and "<h1>How bad has the pain been this week, on average?</h1>" in content

    # A new result decided by how bad the pain is shows the new words; the past one keeps its own.
    new = services.submission_create(
        ruleset=selectors.ruleset_get(), answers={q.code: False for q in db_ruleset.questions},
        pain_duration="over_12_weeks", pain_intensity=9,
    )  # fmt: skip
    assert "pain_intensity" in new.result["reasons"] and "pain_intensity" in past.result["reasons"]
    assert "Edited: the pain score sets how soon you should be seen." in pdf_text(client, new)
    past_text = pdf_text(client, past)
    assert " ".join(old.why_we_ask.split()) in past_text and "Edited:" not in past_text

    latest = fhir_item(client, reverse("interop:questionnaire"), "pain_intensity.why")
    assert latest["text"] == f"Why we ask: {NEW_WHY}"
    assert latest["extension"][0]["valueCodeableConcept"]["coding"][0]["code"] == "flyover"
    v2 = reverse("interop:questionnaire_version", kwargs={"version": 2})
    assert fhir_item(client, v2, "pain_intensity.why")["text"] == f"Why we ask: {old.why_we_ask}"
    assert fhir_item(client, v2, "pain_intensity")["text"] == old.label


def test_every_field_in_the_fhir_questionnaire_carries_its_help_and_why(client, db_ruleset):
    url = reverse("interop:questionnaire")
    for code, text in selectors.field_texts_get(number=db_ruleset.version).items():
        item = fhir_item(client, url, code)
        assert item["text"] == text.label
        assert fhir_item(client, url, f"{code}.why")["text"] == f"Why we ask: {text.why_we_ask}"
        if text.help_text:
            assert fhir_item(client, url, f"{code}.help")["text"] == text.help_text


def test_content_editors_change_the_words_in_the_admin_audited_but_never_add_or_delete_a_field(client):
    client.force_login(content_editor())
    url = reverse("admin:triage_questionnairefield_change", args=[field_texts.AGE])
    response = client.post(
        url, {"label": "How old are you?", "help_text": "Optional. In whole years.", "why_we_ask": "Plainer."}
    )
    assert response.status_code == 302
    assert QuestionnaireField.objects.get(code=field_texts.AGE).why_we_ask == "Plainer."
    event = AuditEvent.objects.filter(target="questionnairefield age").get()
    assert event.detail == {"fields": ["why_we_ask"]}
    assert client.get(reverse("admin:triage_questionnairefield_add")).status_code == 403
    assert client.post(reverse("admin:triage_questionnairefield_delete", args=[field_texts.AGE])).status_code == 403
    assert client.get(reverse("admin:triage_questionnairefield_changelist")).status_code == 200


def test_clinicians_read_the_words_but_do_not_change_them(client):
    client.force_login(clinician())
    url = reverse("admin:triage_questionnairefield_change", args=[field_texts.AGE])
    assert client.get(url).status_code == 200
    client.post(url, {"label": "Changed", "help_text": "", "why_we_ask": "Changed."})
    assert QuestionnaireField.objects.get(code=field_texts.AGE).label == "How old are you?"


def test_the_why_we_ask_is_required_in_the_admin(admin_client):
    url = reverse("admin:triage_questionnairefield_change", args=[field_texts.CLINIC])
    response = admin_client.post(url, {"label": "Which clinic?", "help_text": "", "why_we_ask": ""})
    assert response.status_code == 200
    assert QuestionnaireField.objects.get(code=field_texts.CLINIC).why_we_ask
