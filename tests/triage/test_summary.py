"""The "Download summary (PDF)" take-away: one page with everything the patient needs to show."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.booking.test_booking import make_submission
from tests.conftest import own_result
from triage import scoring, selectors, services

pytestmark = pytest.mark.django_db


def pdf_of(client, submission) -> tuple[PdfReader, str]:
    own_result(client, submission)
    response = client.get(reverse("triage:result_pdf", kwargs={"token": submission.token}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"self-check-{submission.reference}.pdf" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    reader = PdfReader(io.BytesIO(response.content))
    # Words wrap across lines in the PDF: compare with single spaces.
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    return reader, text


def test_the_summary_has_the_reference_date_answers_outcome_suggestions_and_disclaimer(client, db_ruleset):
    submission = make_submission(client, db_ruleset, "book_assessment")
    reader, text = pdf_of(client, submission)
    assert len(reader.pages) == 1
    assert submission.reference in text
    assert submission.created_at.strftime("%Y") in text and submission.created_at.strftime("%B") in text
    assert "Book a gait and biomechanical assessment" in text
    assert "Hip bursitis" in text
    assert "Why it came up: pain when lying on the sore side" in text
    assert "Yes: Pain when lying on the sore side" in text
    assert "No: " in text and "Groin" not in text.split("Yes:")[0]
    assert "more than 12 weeks" in text and "6 out of 10" in text
    assert "not a diagnosis" in text


def test_the_summary_stays_on_one_page_when_every_answer_is_yes(client, db_ruleset):
    answers = {q.code: q.kind in (scoring.SYMPTOM, scoring.DRIVER) for q in db_ruleset.questions}
    submission = services.submission_create(
        ruleset=db_ruleset, answers=answers, pain_duration="over_12_weeks", pain_intensity=10
    )
    reader, text = pdf_of(client, submission)
    assert len(reader.pages) == 1
    suggested = selectors.result_page_get(submission=submission).suggestions
    assert len(suggested) >= 2
    assert all(condition.name in text for condition in suggested)


def test_an_emergency_summary_says_call_111_and_why(client, db_ruleset):
    submission = make_submission(client, db_ruleset, "emergency")
    reader, text = pdf_of(client, submission)
    assert len(reader.pages) == 1
    assert "Call 111 now" in text
    assert "numbness between the legs or around the bottom" in text


def test_an_unknown_summary_address_is_not_found(client):
    assert client.get(reverse("triage:result_pdf", kwargs={"token": "y" * 30})).status_code == 404
