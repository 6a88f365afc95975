"""The check-in link's page: opens once, answers once, and says kindly why a link no longer works."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from followups import services, tokens
from followups.models import CheckIn, CheckInStatus, GlobalChange, SeenProfessional
from notifications.models import Notification

from .conftest import link_path, opted_in

pytestmark = pytest.mark.django_db

ANSWERS = {
    "pain_intensity": "3",
    "enjoyment_interference": "2",
    "activity_interference": "4",
    "global_change": str(GlobalChange.BETTER),
    "seen_professional": SeenProfessional.FOOT_FOUNDATION,
    "ticked": ["none"],
}
NOT_WORKING = "This link does not work"


@pytest.fixture
def checkin(ruleset) -> CheckIn:
    submission = opted_in(ruleset, days_ago=42)
    return services.checkin_send(submission=submission, week=6)


def test_the_page_asks_the_five_questions_and_the_warning_signs(client, ruleset, checkin):
    response = client.get(link_path(checkin))
    page = response.content.decode()
    assert response.status_code == 200
    for name in (
        "pain_intensity",
        "enjoyment_interference",
        "activity_interference",
        "global_change",
        "seen_professional",
    ):
        assert f'name="{name}"' in page
    from triage import scoring

    for question in ruleset.questions_of_kind(scoring.EMERGENCY, scoring.DOCTOR_TODAY):
        assert f'value="{question.code}"' in page
    assert "None of these" in page


def test_opening_is_recorded_once(client, checkin):
    client.get(link_path(checkin))
    checkin.refresh_from_db()
    first = checkin.opened_at
    assert checkin.status == CheckInStatus.OPENED and first is not None
    client.get(link_path(checkin))
    checkin.refresh_from_db()
    assert checkin.opened_at == first
    assert AuditEvent.objects.filter(detail__opened=True).count() == 1


def test_answering_stores_the_answers_and_the_link_then_works_no_more(client, checkin):
    path = link_path(checkin)
    response = client.post(path, ANSWERS)
    assert response.status_code == 302 and response["Location"] == reverse("followups:checkin_done")
    checkin.refresh_from_db()
    assert checkin.status == CheckInStatus.ANSWERED and checkin.nonce == ""
    assert (checkin.pain_intensity, checkin.enjoyment_interference, checkin.activity_interference) == (3, 2, 4)
    assert (checkin.global_change, checkin.seen_professional) == (GlobalChange.BETTER, SeenProfessional.FOOT_FOUNDATION)
    assert (checkin.red_flags, checkin.disposition) == ([], "")
    done = client.get(response["Location"]).content.decode()
    assert "Thank you" in done and "If the pain is not getting better" in done
    # Single use: the same link now says it was answered, and a second POST changes nothing.
    again = client.get(path)
    assert "already answered" in again.content.decode()
    client.post(path, {**ANSWERS, "pain_intensity": "9"})
    checkin.refresh_from_db()
    assert checkin.pain_intensity == 3
    assert not Notification.objects.filter(kind="followup_red_flag_clinic").exists()


def test_a_missing_answer_comes_back_with_a_specific_error_and_the_other_answers_kept(client, checkin):
    path = link_path(checkin)
    response = client.post(path, {**ANSWERS, "global_change": ""})
    assert response.status_code == 302 and response["Location"] == path
    page = client.get(path).content.decode()
    assert "There is a problem" in page
    assert "Choose how the pain is now, from much better to much worse." in page
    assert 'value="3" id="id_pain_intensity_3" checked' in page
    # The errors show once: reloading gives the plain form back.
    assert "There is a problem" not in client.get(path).content.decode()
    checkin.refresh_from_db()
    assert checkin.status == CheckInStatus.OPENED


def test_none_of_these_with_a_warning_sign_ticked_is_refused(client, ruleset, checkin):
    path = link_path(checkin)
    code = ruleset.questions_of_kind("emergency")[0].code
    client.post(path, {**ANSWERS, "ticked": ["none", code]})
    page = client.get(path).content.decode()
    assert "You ticked “None of these” and something else. Untick one of them." in page
    checkin.refresh_from_db()
    assert checkin.status == CheckInStatus.OPENED


def test_an_expired_link_gets_the_closed_page(client, checkin):
    CheckIn.objects.filter(pk=checkin.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.get(link_path(checkin))
    assert response.status_code == 410
    assert "This check-in has closed" in response.content.decode()
    assert client.post(link_path(checkin), ANSWERS).status_code == 410


def test_a_link_signed_more_than_14_days_ago_is_expired(checkin):
    signed = tokens.checkin_link_sign(checkin_id=checkin.pk, nonce=checkin.nonce)
    assert tokens.checkin_link_read(signed) == tokens.CheckInKey(checkin.pk, checkin.nonce)
    assert tokens.checkin_link_read(signed, max_age=timedelta(seconds=-1)) == tokens.EXPIRED


def test_tampered_made_up_and_another_persons_links_all_get_the_same_page(client, ruleset, checkin):
    other = services.checkin_send(submission=opted_in(ruleset, days_ago=43), week=6)
    good = link_path(checkin)[len("/check-in/") : -1]
    tampered = good[:-2] + ("AA" if not good.endswith("AA") else "BB")
    # Someone else's check-in id with this link's nonce, even correctly signed, opens nothing.
    swapped = tokens.checkin_link_sign(checkin_id=other.pk, nonce=checkin.nonce)
    made_up = signing.dumps([checkin.pk, checkin.nonce], salt="something.else")
    pages = set()
    for signed in (tampered, swapped, made_up, "nonsense", "a" * 200):
        response = client.get(f"/check-in/{signed}/")
        assert response.status_code == 404
        assert NOT_WORKING in response.content.decode()
        pages.add(response.content.decode().split("<main", 1)[1].split("</main>", 1)[0])
        assert client.post(f"/check-in/{signed}/", ANSWERS).status_code == 404
    assert len(pages) == 1
    for row in (checkin, other):
        row.refresh_from_db()
        assert row.status == CheckInStatus.SENT


def test_the_pages_are_neither_cached_nor_indexed(client, checkin):
    for path in (link_path(checkin), "/check-in/nonsense/", reverse("followups:checkin_done")):
        response = client.get(path)
        assert response["Cache-Control"] == "no-store"
        assert response["X-Robots-Tag"] == "noindex, nofollow"
        assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_a_huge_answer_is_refused_by_the_patient_body_limit(client, checkin, settings):
    response = client.post(link_path(checkin), {"pain_intensity": "x" * (settings.PATIENT_MAX_BODY_BYTES + 10)})
    assert response.status_code == 413


def test_the_page_costs_a_fixed_number_of_queries(client, checkin, django_assert_max_num_queries):
    client.get(link_path(checkin))  # opened (and audited) once, outside the count
    with django_assert_max_num_queries(6):
        assert client.get(link_path(checkin)).status_code == 200


def test_the_thank_you_page_gives_the_chosen_clinics_booking_route(client, ruleset):
    from triage.models import Clinic

    chosen, other = Clinic.objects.order_by("pk")[:2]
    Clinic.objects.filter(pk__in=[chosen.pk, other.pk]).update(phone="09 300 1234", booking_url="https://book.example/")
    checkin = services.checkin_send(submission=opted_in(ruleset, days_ago=42, clinic=chosen), week=6)
    response = client.post(link_path(checkin), ANSWERS)
    page = client.get(response["Location"]).content.decode()
    assert chosen.label in page and other.label not in page
    assert 'href="tel:093001234"' in page and 'href="https://book.example/"' in page
    assert f'href="{reverse("triage:check")}"' in page
