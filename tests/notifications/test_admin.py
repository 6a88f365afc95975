"""The notification log in the admin: read-only, for superusers and clinicians."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import Notification, NotificationKind, NotificationStatus

from ..review_helpers import clinician, content_editor, superuser
from .conftest import submission_make

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:notifications_notification_changelist")


@pytest.fixture
def logged(db_ruleset) -> Notification:
    submission = submission_make(db_ruleset, "book_assessment")
    return Notification.objects.create(
        key=f"booking-request:{submission.pk}:clinic",
        kind=NotificationKind.BOOKING_REQUEST_CLINIC,
        submission=submission,
        recipient="ponsonby@clinic.example",
        subject=f"New booking request {submission.reference}",
        body="...",
        status=NotificationStatus.FAILED,
        attempts=5,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
    )


@pytest.mark.parametrize("make_user", [clinician, superuser])
def test_clinicians_and_superusers_read_the_log_with_status_and_kind_filters(client, logged, make_user):
    client.force_login(make_user())
    page = client.get(CHANGELIST).content.decode()
    assert logged.submission.reference in page and "ponsonby@clinic.example" in page
    assert "?status__exact=failed" in page and "?kind__exact=booking_request_clinic" in page
    filtered = client.get(CHANGELIST, {"status__exact": "sent"}).content.decode()
    assert logged.submission.reference not in filtered
    detail = client.get(reverse("admin:notifications_notification_change", args=[logged.pk])).content.decode()
    assert "ConnectionRefusedError" in detail


def test_nobody_adds_changes_or_deletes_log_entries(client, logged):
    client.force_login(superuser())
    assert client.get(reverse("admin:notifications_notification_add")).status_code == 403
    assert client.get(reverse("admin:notifications_notification_delete", args=[logged.pk])).status_code == 403
    page = client.get(reverse("admin:notifications_notification_change", args=[logged.pk])).content.decode()
    assert 'name="_save"' not in page


def test_staff_without_the_clinician_role_cannot_see_the_log(client, logged):
    client.force_login(content_editor())
    assert client.get(CHANGELIST).status_code == 403


def test_the_log_changelist_stays_within_ten_queries_with_many_rows(
    client, logged, db_ruleset, django_assert_max_num_queries
):
    client.force_login(superuser())
    for n in range(30):
        Notification.objects.create(
            key=f"extra:{n}", kind=NotificationKind.RED_FLAG_CLINIC, submission=logged.submission, subject="s", body=""
        )
    with django_assert_max_num_queries(10):
        assert client.get(CHANGELIST).status_code == 200


def test_a_clinic_notification_address_is_editable_in_the_clinic_admin(client, db):
    from triage.models import Clinic

    client.force_login(superuser())
    clinic = Clinic.objects.order_by("pk").first()
    page = client.get(reverse("admin:triage_clinic_change", args=[clinic.pk])).content.decode()
    assert 'name="notify_email"' in page
