"""Need to know (ASVS V4): staff see their own clinics' submissions and those with no clinic, unless granted all."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from booking.models import BookingRequest
from tests.review_helpers import clinician, make_submission, staff_user, superuser
from triage.models import Clinic, StaffClinicAccess

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:triage_submission_changelist")
EXPORT = reverse("admin:triage_submission_export")
DASHBOARD = reverse("admin:triage_submission_dashboard")


def clinic_id(slug: str) -> int:
    return Clinic.objects.get(slug=slug).pk


@pytest.fixture
def three(db_ruleset):
    return {
        "takapuna": make_submission(db_ruleset, clinic_id=clinic_id("takapuna")),
        "botany": make_submission(db_ruleset, clinic_id=clinic_id("botany")),
        "none": make_submission(db_ruleset),
    }


@pytest.fixture
def takapuna(client, db):
    client.force_login(clinician("takapuna-physio", clinics=["takapuna"]))
    return client


def shown(client, url=CHANGELIST) -> set[str]:
    return {s.reference for s in client.get(url).context["cl"].result_list}


def test_a_takapuna_clinician_cannot_open_a_botany_submission(takapuna, three):
    url = reverse("admin:triage_submission_change", args=[three["botany"].pk])
    assert takapuna.get(url).status_code == 404
    assert takapuna.post(url, {"status": "closed"}).status_code == 404
    assert takapuna.get(reverse("admin:triage_submission_change", args=[three["takapuna"].pk])).status_code == 200


def test_the_queue_shows_their_clinic_and_no_clinic_only(takapuna, three):
    assert shown(takapuna) == {three["takapuna"].reference, three["none"].reference}


def test_the_export_holds_their_clinic_and_no_clinic_only(takapuna, three):
    body = b"".join(takapuna.get(EXPORT).streaming_content).decode()
    assert {row["reference"] for row in csv.DictReader(io.StringIO(body))} == {
        three["takapuna"].reference,
        three["none"].reference,
    }


def test_the_dashboard_counts_only_what_they_may_see(takapuna, three):
    data = takapuna.get(DASHBOARD).context["data"]
    assert data.total == 2
    takapuna_name, botany_name = Clinic.objects.get(slug="takapuna").name, Clinic.objects.get(slug="botany").name
    assert dict(data.per_clinic) == {takapuna_name: 1, None: 1}
    assert botany_name not in dict(data.per_clinic)


def test_the_fhir_export_refuses_another_clinics_submission(takapuna, three):
    assert takapuna.get(f"/fhir/QuestionnaireResponse/{three['botany'].reference}").status_code == 404
    assert takapuna.get(f"/fhir/QuestionnaireResponse/{three['takapuna'].reference}").status_code == 200


def test_a_clinician_granted_all_clinics_sees_every_submission(client, three):
    client.force_login(clinician("lead"))
    assert shown(client) == {s.reference for s in three.values()}


def test_a_new_staff_account_sees_only_submissions_with_no_clinic(client, three):
    client.force_login(staff_user("new-clinician", group="Clinician"))
    assert shown(client) == {three["none"].reference}


def test_reception_sees_only_their_clinics_booking_requests(client, three):
    receptionist = staff_user("front-desk", clinics=["takapuna"])
    receptionist.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_bookingrequest", "change_bookingrequest"])
    )
    requests = {
        slug: BookingRequest.objects.create(
            submission=three[slug], clinic_id=clinic_id(slug), name="Sam", phone="021 1234567", consent=True
        )
        for slug in ("takapuna", "botany")
    }
    client.force_login(receptionist)
    listed = client.get(reverse("admin:booking_bookingrequest_changelist")).context["cl"].result_list
    assert [r.pk for r in listed] == [requests["takapuna"].pk]
    botany = reverse("admin:booking_bookingrequest_change", args=[requests["botany"].pk])
    assert client.get(botany).status_code == 404


def test_the_restricted_queue_keeps_its_query_budget(takapuna, three, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        assert takapuna.get(CHANGELIST).status_code == 200


def test_only_superusers_may_set_who_sees_which_clinic(client, db):
    url = reverse("admin:triage_staffclinicaccess_changelist")
    client.force_login(clinician("physio"))
    assert client.get(url).status_code == 403
    client.force_login(superuser())
    assert client.get(url).status_code == 200
    assert StaffClinicAccess.objects.filter(user__username="physio", all_clinics=True).exists()


def test_the_notification_log_shows_only_their_clinics_emails(takapuna, three):
    from notifications.models import Notification

    for slug in ("takapuna", "botany"):
        Notification.objects.create(
            key=f"red-flag:{three[slug].pk}:clinic", kind="red_flag_clinic", submission=three[slug], recipient="c@x.nz"
        )
    page = takapuna.get(reverse("admin:notifications_notification_changelist"))
    assert {n.submission_id for n in page.context["cl"].result_list} == {three["takapuna"].pk}
