"""Privacy (Health Information Privacy Code 2020): notice, consent, deleting, result links, retention."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.chain import anonymised_target
from audit.models import AuditEvent
from tests.triage.test_views import answer_steps
from triage import services
from triage.models import Submission, Suggestion

pytestmark = pytest.mark.django_db


@pytest.fixture
def start(client):
    client.get(reverse("triage:check") + "?reset=1")
    return client


def test_the_collection_notice_is_on_the_start_page_before_the_first_question(client, settings):
    settings.TRIAGE_PRIVACY_OFFICER = {
        "name": "Mere Tane",
        "email": "privacy@clinic.example.nz",
        "phone": "09 000 0000",
    }
    page = client.get(reverse("triage:landing")).content.decode()
    # Below the Start button (the first phone screen holds what it is, the 111 warning and Start), one tap away.
    assert page.index('href="#privacy-notice"') < page.index("Start the self-check") or "#privacy-notice" in page
    notice = page[page.index("Your privacy") :]
    for topic in ["What we collect", "Why", "Who sees it", "How long we keep it", "optional", "see or correct"]:
        assert topic in notice
    assert "Mere Tane" in notice and "privacy@clinic.example.nz" in notice and "09 000 0000" in notice
    assert reverse("triage:privacy") in notice


def test_without_a_configured_contact_the_notice_invents_none(client, settings):
    settings.TRIAGE_PRIVACY_OFFICER = {"name": "the Foot Foundation privacy officer", "email": "", "phone": ""}
    page = client.get(reverse("triage:landing")).content.decode()
    assert "Contact the Foot Foundation privacy officer through any of our clinics." in page
    assert "mailto:" not in page


def test_the_full_notice_names_the_privacy_officer_and_its_version(client, settings):
    settings.TRIAGE_PRIVACY_OFFICER = {"name": "Mere Tane", "email": "privacy@clinic.example.nz", "phone": ""}
    page = client.get(reverse("triage:privacy")).content.decode()
    assert "Mere Tane" in page and "privacy@clinic.example.nz" in page
    assert f"Notice version {settings.TRIAGE_PRIVACY_NOTICE_VERSION}" in page
    assert "Health Information Privacy Code 2020" in page


def test_every_submission_records_the_notice_version_it_was_shown(start, db_ruleset, settings):
    answer_steps(start, db_ruleset)
    assert Submission.objects.get().privacy_notice_version == settings.TRIAGE_PRIVACY_NOTICE_VERSION


def test_contact_consent_is_recorded_with_its_time(start, db_ruleset):
    before = timezone.now()
    answer_steps(
        start, db_ruleset, contact={"contact_consent": "on", "contact_name": "Sam", "contact_phone": "021 1234567"}
    )
    submission = Submission.objects.get()
    assert submission.contact_consent
    assert before <= submission.contact_consent_at <= timezone.now()


def test_without_consent_there_is_no_consent_time_and_no_details(start, db_ruleset):
    answer_steps(start, db_ruleset)
    submission = Submission.objects.get()
    assert not submission.contact_consent and submission.contact_consent_at is None
    assert (submission.contact_name, submission.contact_email, submission.contact_phone) == ("", "", "")


# --- Result links expire with the session ---------------------------------------------


def test_a_result_link_opens_only_in_the_session_that_made_it(start, db_ruleset):
    location = answer_steps(start, db_ruleset)["Location"]
    assert start.get(location).status_code == 200
    elsewhere = Client().get(location)
    assert elsewhere.status_code == 404
    assert "This result link has expired" in elsewhere.content.decode()
    assert Submission.objects.get().reference not in elsewhere.content.decode()


def test_a_result_link_expires_when_the_session_ends(start, db_ruleset):
    location = answer_steps(start, db_ruleset)["Location"]
    start.session.flush()  # what expiry or closing the browser does
    start.cookies.clear()
    assert start.get(location).status_code == 404


def test_sessions_expire_and_are_never_signed_cookies(settings):
    assert settings.SESSION_ENGINE == "triage.sessions"
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert 0 < settings.SESSION_COOKIE_AGE <= 60 * 60 * 24


# --- Delete my answers ------------------------------------------------------------------


def test_the_result_page_offers_to_delete_the_answers(start, db_ruleset):
    location = answer_steps(start, db_ruleset)["Location"]
    page = start.get(location).content.decode()
    assert "Delete my answers" in page
    assert f'href="{location}delete/"' in page


def test_delete_asks_first_and_deletes_nothing_on_get(start, db_ruleset):
    location = answer_steps(start, db_ruleset, yes={"groin_pain", "clicking_catching"})["Location"]
    response = start.get(location + "delete/")
    assert response.status_code == 200
    assert "Delete your answers?" in response.content.decode()
    assert Submission.objects.count() == 1


def test_deleting_removes_the_answers_for_good_and_is_audited(start, db_ruleset):
    location = answer_steps(
        start,
        db_ruleset,
        yes={"groin_pain", "clicking_catching"},
        contact={"contact_consent": "on", "contact_name": "Sam", "contact_phone": "021 1234567"},
    )["Location"]
    submission = Submission.objects.get()
    assert Suggestion.objects.filter(submission=submission).exists()
    response = start.post(location + "delete/")
    assert response["Location"] == reverse("triage:result_deleted")
    assert "Your answers have been deleted" in start.get(response["Location"]).content.decode()
    assert not Submission.objects.exists() and not Suggestion.objects.exists()
    event = AuditEvent.objects.get(action="delete")
    # The fact is kept, not the reference nor where the patient was.
    assert event.target == anonymised_target(submission.reference) and event.ip_address is None
    assert event.actor_label == "patient" and event.actor is None
    assert "Sam" not in str(event.detail) and "groin" not in str(event.detail)
    # The link is gone too, and a second delete is harmless.
    assert start.get(location).status_code == 404
    assert start.post(location + "delete/").status_code == 404


def test_another_session_cannot_delete_someone_elses_answers(start, db_ruleset):
    location = answer_steps(start, db_ruleset)["Location"]
    response = Client().post(location + "delete/")
    assert response.status_code == 404
    assert Submission.objects.count() == 1
    assert not AuditEvent.objects.filter(action="delete").exists()


def test_deleting_needs_a_csrf_token(start, db_ruleset):
    location = answer_steps(start, db_ruleset)["Location"]
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = start.cookies
    assert strict.post(location + "delete/").status_code == 403
    assert Submission.objects.count() == 1


# --- Retention ------------------------------------------------------------------------------


def make_submission(ruleset, *, days_old: int, consent: bool) -> Submission:
    contact = services.ContactDetails(name="Sam", phone="021 1234567") if consent else None
    submission = services.submission_create(ruleset=ruleset, answers={"groin_pain": True}, contact=contact)
    Submission.objects.filter(pk=submission.pk).update(created_at=timezone.now() - timedelta(days=days_old))
    return submission


@pytest.fixture
def aged_submissions(db_ruleset, settings):
    settings.TRIAGE_RETENTION_DAYS = {"anonymous": 90, "follow_up": 3653}
    return {
        "old_anonymous": make_submission(db_ruleset, days_old=91, consent=False),
        "new_anonymous": make_submission(db_ruleset, days_old=89, consent=False),
        "old_follow_up": make_submission(db_ruleset, days_old=3654, consent=True),
        "kept_follow_up": make_submission(db_ruleset, days_old=400, consent=True),
    }


def purge(*args: str) -> str:
    out = StringIO()
    call_command("purge_submissions", *args, stdout=out)
    return out.getvalue()


def test_purge_dry_run_counts_and_changes_nothing(aged_submissions):
    output = purge("--dry-run")
    assert (
        "Would delete 2 submission(s): 1 anonymous older than 90 days, 1 with follow-up older than 3653 days." in output
    )
    assert Submission.objects.count() == 4
    assert not AuditEvent.objects.filter(action="purge").exists()


def test_purge_deletes_past_each_retention_period_and_audits_it(aged_submissions):
    output = purge()
    assert "Deleted 2 submission(s)" in output
    kept = set(Submission.objects.values_list("reference", flat=True))
    assert kept == {aged_submissions["new_anonymous"].reference, aged_submissions["kept_follow_up"].reference}
    assert not Suggestion.objects.filter(submission__reference=aged_submissions["old_anonymous"].reference).exists()
    event = AuditEvent.objects.get(action="purge")
    assert event.actor_label == "system"
    assert event.detail["anonymous"] == 1 and event.detail["follow_up"] == 1
    assert event.detail["retention_days"] == {"anonymous": 90, "follow_up": 3653}
    assert "Deleted 0 submission(s)" in purge()  # a second run finds nothing more


def test_an_anonymous_submission_the_clinic_followed_up_is_kept_as_follow_up(aged_submissions):
    followed = aged_submissions["old_anonymous"]
    Submission.objects.filter(pk=followed.pk).update(status="contacted")
    purge()
    assert Submission.objects.filter(pk=followed.pk).exists()


def test_purge_refuses_a_nonsense_retention_setting(settings):
    from django.core.management.base import CommandError

    settings.TRIAGE_RETENTION_DAYS = {"anonymous": 0, "follow_up": 3653}
    with pytest.raises(CommandError, match="at least 1"):
        purge()
