"""Check-ins in the admin: read-only, for clinicians who may see answers, their clinics only, each look audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from followups.models import CheckIn
from tests.followups.clinic_helpers import checkin, submission_with_peg
from tests.review_helpers import clinician, staff_user
from triage.models import Clinic

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:followups_checkin_changelist")


@pytest.fixture
def two(db_ruleset):
    takapuna, botany = (Clinic.objects.get(slug=slug).pk for slug in ("takapuna", "botany"))
    mine = checkin(submission_with_peg(db_ruleset, clinic_id=takapuna), peg=(2, 2, 2), global_change=2)
    theirs = checkin(submission_with_peg(db_ruleset, clinic_id=botany), peg=(9, 9, 9), global_change=7)
    return mine, theirs


def change_url(obj: CheckIn) -> str:
    return reverse("admin:followups_checkin_change", args=[obj.pk])


def test_a_clinician_reads_check_ins_of_their_clinics_only(client, two):
    mine, theirs = two
    client.force_login(clinician("takapuna-physio", clinics=["takapuna"]))
    response = client.get(CHANGELIST)
    assert response.status_code == 200
    assert [c.pk for c in response.context["cl"].result_list] == [mine.pk]
    page = client.get(change_url(mine))
    assert page.status_code == 200
    assert "Improved" in page.content.decode()  # the trajectory, in words
    assert client.get(change_url(theirs)).status_code in (302, 404)  # not theirs: not found


def test_nobody_adds_edits_or_deletes_a_check_in(client, two):
    mine, _theirs = two
    client.force_login(clinician())
    assert client.get(reverse("admin:followups_checkin_add")).status_code == 403
    client.post(change_url(mine), {"status": "answered", "pain_intensity": "0"})
    client.post(reverse("admin:followups_checkin_delete", args=[mine.pk]), {"post": "yes"})
    mine.refresh_from_db()
    assert (mine.pain_intensity, mine.status) == (2, "answered")


def test_reception_never_sees_check_ins(client, two):
    mine, _theirs = two
    client.force_login(staff_user("desk", group="Reception", all_clinics=True))
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(change_url(mine)).status_code == 403


def test_opening_a_check_in_is_recorded_in_the_audit_trail(client, two):
    mine, _theirs = two
    user = clinician()
    client.force_login(user)
    client.get(change_url(mine))
    event = AuditEvent.objects.get(action="view", target=mine.submission.reference)
    assert (event.actor, event.detail) == (user, {"checkin_week": 6})
