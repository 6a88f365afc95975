"""The clinic's call list and a submission's page in Chromium at 1280 x 900: nothing scrolls sideways.

With SAVE_SCREENSHOTS=1 (``make screenshots``) the queue and a submission's
page are written to docs/screenshots/ as well.
"""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from booking.models import BookingRequest
from followups.models import CheckIn
from triage.models import Clinic, StaffClinicAccess, Submission

from .conftest import DESKTOP, SCREENSHOT_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

QUEUE = "/admin/triage/submission/"

# The page does not scroll sideways, and the results table fits the box it sits in.
FITS_JS = """
() => {
  const root = document.documentElement;
  const table = document.querySelector('#result_list');
  const box = table.parentElement;
  return {
    page: [root.scrollWidth, root.clientWidth],
    table: [Math.ceil(table.getBoundingClientRect().width), box.clientWidth],
    headers: [...table.querySelectorAll('thead th .text')].map(el => el.textContent.trim().toLowerCase()),
  };
}
"""


def staff_groups() -> None:
    """The groups the data migrations make, made again if a live-server flush took them (see conftest)."""
    if not Group.objects.filter(name="Reception").exists():
        for name, function in (
            ("0002_clinician_and_content_editor_groups", "create_groups"),
            ("0005_reception_group", "grant"),
        ):
            getattr(importlib.import_module(f"review.migrations.{name}"), function)(django_apps, None)


def realistic_rows() -> None:
    """A morning's call list: 60 seeded self-checks, some with contact details, assignees and booking requests."""
    staff_groups()
    call_command("seed_demo", submissions=60, days=20, seed=3, stdout=open("/dev/null", "w"))  # noqa: SIM115
    clinic = Clinic.objects.order_by("-name").first()
    Clinic.objects.filter(pk=clinic.pk).update(name="Foot Foundation Papatoetoe and Ōtara")
    assignee = User.objects.create_user("wiremu.kingi-robertson", is_staff=True)
    assignee.groups.add(Group.objects.get(name="Clinician"))
    rows = list(Submission.objects.order_by("pk"))
    for i, submission in enumerate(rows[:20]):
        contact = {"contact_name": f"Patient {i}", "contact_phone": "021 555 0101"}
        if i % 2:
            contact["contact_email"] = f"patient.{i}@example.co.nz"
        Submission.objects.filter(pk=submission.pk).update(
            contact_consent=True, clinic=clinic, assigned_to=assignee if i % 3 else None, **contact
        )
    for submission in [row for row in rows[20:] if row.disposition == "book_assessment"][:6]:
        BookingRequest.objects.create(
            submission=submission,
            reference=submission.reference,
            clinic=clinic,
            preferred_days=["mon", "wed", "fri"],
            preferred_times=["morning", "late"],
            name="Aroha Ngata",
            phone="09 555 0199",
            email="aroha.ngata@example.co.nz",
            consent=True,
        )
    Submission.objects.filter(pk=rows[0].pk).update(created_at=timezone.now() - datetime.timedelta(minutes=7))
    # Answered follow-up check-ins on a few: their trajectory sits under the pain figure and must fit too.
    for i, submission in enumerate(rows[30:45]):
        CheckIn.objects.create(
            submission=submission,
            week=6,
            status="answered",
            sent_at=timezone.now(),
            answered_at=timezone.now(),
            pain_intensity=i % 11,
            enjoyment_interference=(i * 3) % 11,
            activity_interference=(i * 7) % 11,
            global_change=1 + i % 7,
        )


@pytest.fixture
def clinician_page(browser, live_server):
    realistic_rows()
    user = User.objects.create_user("front.desk.clinician", is_staff=True)
    user.groups.add(Group.objects.get(name="Clinician"))
    # Need to know (issue 14): this clinician works for every clinic, so the whole list shows.
    StaffClinicAccess.objects.create(user=user, all_clinics=True)
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    yield page
    context.close()


def test_the_call_list_fits_1280_by_900_without_sideways_scrolling(clinician_page, screenshots_enabled):
    page = clinician_page
    page.goto(QUEUE)
    fits = page.evaluate(FITS_JS)
    assert fits["page"][0] <= fits["page"][1], fits
    assert fits["table"][0] <= fits["table"][1], fits
    for header in ("Reference", "Received", "Disposition", "Contact", "Booking", "Clinic", "Status", "Assigned"):
        assert header.lower() in fits["headers"], fits["headers"]
    # The exact time is there for whoever points at the relative one.
    assert page.locator("#result_list time[title]").count() >= 50
    assert page.locator("#result_list .ff-trend").count() >= 5  # check-in trajectories shown, and it still fits
    if screenshots_enabled:
        page.screenshot(path=str(SCREENSHOT_DIR / "admin-call-list-1280.png"))


def test_all_submissions_and_a_submission_page_fit_too(clinician_page, screenshots_enabled):
    page = clinician_page
    page.goto(QUEUE + "?queue=all")
    fits = page.evaluate(FITS_JS)
    assert fits["page"][0] <= fits["page"][1] and fits["table"][0] <= fits["table"][1], fits
    booked = BookingRequest.objects.first().submission
    page.goto(f"{QUEUE}{booked.pk}/change/")
    assert page.get_by_role("heading", name="Who to call").is_visible()
    assert page.get_by_text(
        "Monday, Wednesday, Friday; Morning (before 12 pm), Late afternoon (after 4 pm)"
    ).is_visible()
    width = page.evaluate("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], width
    if screenshots_enabled:
        page.screenshot(path=str(SCREENSHOT_DIR / "admin-submission-1280.png"), full_page=True)
