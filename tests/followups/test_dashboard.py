"""The dashboard's follow-up figures on a known small set: every figure worked out by hand."""

from __future__ import annotations

import pytest
from django.urls import reverse

from followups.models import CheckInStatus
from followups.selectors import followup_dashboard_get
from tests.followups.clinic_helpers import checkin, submission_with_peg
from tests.review_helpers import clinician, first_code, staff_user
from triage import scoring
from triage.models import Clinic, Condition, Submission

pytestmark = pytest.mark.django_db


@pytest.fixture
def known_set(db_ruleset):
    """Seven self-checks with check-ins; the seventh is outside the set the dashboard is asked about.

    S1 self-care, clinic A, PEG 6 -> 3 ("about the same"): improved.
    S2 self-care, clinic A, PEG 4 -> 6 ("better"): worse (worse wins); its 12-week check-in unanswered.
    S3 assessment, clinic B, PEG 5 -> 5 (same) at 6 weeks, -> 2 ("much better") at 12: improved (latest).
    S4 assessment, no clinic, pain only (no baseline PEG), "worse", a new warning sign: worse.
    S5 GP soon, clinic B: 6-week email bounced.
    S6 self-care, clinic A, no suggestion: 6 weeks expired, 12 weeks unsubscribed.
    S7 (left out): answered, improved.
    """
    a, b = Clinic.objects.order_by("pk")[:2]
    flag = first_code(db_ruleset, scoring.EMERGENCY)
    s1 = submission_with_peg(db_ruleset, peg=(6, 6, 6), disposition="self_care", condition="sciatica", clinic_id=a.pk)
    checkin(s1, week=6, peg=(3, 3, 3), global_change=4)
    s2 = submission_with_peg(db_ruleset, peg=(4, 4, 4), disposition="self_care", condition="sciatica", clinic_id=a.pk)
    checkin(s2, week=6, peg=(6, 6, 6), global_change=2)
    checkin(s2, week=12, status=CheckInStatus.SENT)
    s3 = submission_with_peg(
        db_ruleset, peg=(5, 5, 5), disposition="book_assessment", condition="hip-impingement", clinic_id=b.pk
    )
    checkin(s3, week=6, peg=(5, 5, 5), global_change=4)
    checkin(s3, week=12, peg=(2, 2, 2), global_change=1)
    s4 = submission_with_peg(db_ruleset, peg=None, pain_only=7, disposition="book_assessment", condition="hip-bursitis")
    checkin(s4, week=6, peg=(7, 7, 7), global_change=6, red_flags=[flag])
    s5 = submission_with_peg(db_ruleset, peg=(8, 8, 8), disposition="see_gp_soon", clinic_id=b.pk)
    checkin(s5, week=6, status=CheckInStatus.BOUNCED)
    s6 = submission_with_peg(db_ruleset, peg=(3, 3, 3), disposition="self_care", condition=None, clinic_id=a.pk)
    checkin(s6, week=6, status=CheckInStatus.EXPIRED)
    checkin(s6, week=12, status=CheckInStatus.UNSUBSCRIBED)
    s7 = submission_with_peg(db_ruleset, peg=(6, 6, 6), disposition="self_care", clinic_id=a.pk)
    checkin(s7, week=6, peg=(1, 1, 1), global_change=1)
    return {"a": a, "b": b, "s2": s2, "s7": s7}


def shares(rows):
    return [(row.label, row.answered, row.improved, row.same, row.worse) for row in rows]


def test_the_follow_up_figures_of_a_known_set(known_set, django_assert_max_num_queries):
    name = dict(Condition.objects.values_list("slug", "name"))
    with django_assert_max_num_queries(2):
        data = followup_dashboard_get(submissions=Submission.objects.exclude(pk=known_set["s7"].pk))
    # Emailed: 9 check-ins less the bounced one; answered: S1, S2, S3 twice, S4.
    assert (data.emailed, data.answered) == (8, 5)
    assert data.answered_rate == 5 / 8
    assert data.by_week == {6: {"emailed": 5, "answered": 4}, 12: {"emailed": 3, "answered": 1}}
    assert data.by_status == {"answered": 5, "sent": 1, "bounced": 1, "expired": 1, "unsubscribed": 1}
    # Each submission once, by its latest answered check-in: S1 and S3 improved, S2 and S4 worse.
    assert shares([data.overall]) == [("all", 4, 2, 0, 2)]
    assert data.overall.improved_share == 0.5
    assert shares(data.by_disposition) == [("Book an assessment", 2, 1, 0, 1), ("Self-care for now", 2, 1, 0, 1)]
    assert shares(data.by_suggestion) == [
        (name["sciatica"], 2, 1, 0, 1),
        (name["hip-bursitis"], 1, 0, 0, 1),
        (name["hip-impingement"], 1, 1, 0, 0),
    ]
    assert shares(data.by_clinic) == [
        (known_set["a"].name, 2, 1, 0, 1),
        (known_set["b"].name, 1, 1, 0, 0),
        (None, 1, 0, 0, 1),
    ]
    version = known_set["s2"].ruleset_version_id
    assert shares(data.by_ruleset) == [(f"v{version}", 4, 2, 0, 2)]
    # Self-care then worse: S2 alone (S4 is worse but was advised an assessment).
    assert data.self_care_worse_count == 1
    (worse,) = data.self_care_worse
    assert (worse.reference, worse.week, worse.peg_then, worse.peg_now) == (known_set["s2"].reference, 6, 4.0, 6.0)
    assert (worse.global_change_label, worse.red_flags, worse.because) == ("Better", False, ("peg",))
    assert data.new_red_flags == 1


def test_with_no_check_ins_every_figure_is_empty(db_ruleset):
    data = followup_dashboard_get()
    assert (data.emailed, data.answered, data.answered_rate, data.overall.answered) == (0, 0, None, 0)
    assert data.by_disposition == data.self_care_worse == []


def test_the_dashboard_page_shows_the_section_and_the_self_care_worse_list(client, known_set):
    client.force_login(clinician())
    response = client.get(reverse("admin:triage_submission_dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Follow-up check-ins (6 and 12 weeks)" in body
    # The clinician sees every clinic: S7 counts here (6 answered of 9 emailed; 3 of 5 better).
    assert "<strong>6</strong> of 9 emailed" in body
    assert "<strong>3</strong> of 5" in body
    s2 = known_set["s2"]
    assert f'href="{reverse("admin:triage_submission_change", args=[s2.pk])}">{s2.reference}</a>' in body


def test_the_dashboard_counts_only_the_clinics_a_person_works_for(client, known_set):
    user = staff_user("b-only", group="Clinician", clinics=[known_set["b"].slug])
    client.force_login(user)
    body = client.get(reverse("admin:triage_submission_dashboard")).content.decode()
    # Clinic B's S3 (two check-ins) and S5 (bounced), and the no-clinic S4: 3 emailed, 3 answered.
    assert "<strong>3</strong> of 3 emailed" in body
    assert known_set["s2"].reference not in body
