"""The dashboard: accuracy on a known set, charts, recent red flags, constant queries."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.actor import SYSTEM, Actor
from review.selectors import reports
from review.services import outcome_record, submission_status_change
from tests.review_helpers import clinician, first_code, make_submission, symptoms_of
from triage import scoring
from triage import selectors as triage_selectors
from triage.models import Condition, ReviewStatus, Submission
from triage.services import ruleset_publish

DASHBOARD = reverse("admin:triage_submission_dashboard")


@pytest.fixture
def user(db):
    return clinician()


def found(*slugs):
    return list(Condition.objects.filter(pk__in=slugs))


@pytest.fixture
def known_set(db_ruleset, user):
    """Four assessed submissions on v1 (one right first time, one right at rank 2, two misses) and one on v2."""
    hit = make_submission(db_ruleset, yes=symptoms_of(db_ruleset, "sciatica"))
    both = make_submission(
        db_ruleset, yes=symptoms_of(db_ruleset, "sciatica") | symptoms_of(db_ruleset, "hip-bursitis")
    )
    ranked = [s.condition_id for s in both.suggestions.order_by("rank")]
    assert len(ranked) >= 2
    nothing = make_submission(db_ruleset)
    other = make_submission(db_ruleset, yes=symptoms_of(db_ruleset, "sciatica"))
    make_submission(db_ruleset, yes=symptoms_of(db_ruleset, "sciatica"))  # no outcome: not counted
    outcome_record(submission=hit, conditions=found("sciatica"), actor=Actor(user=user))
    outcome_record(submission=both, conditions=found(ranked[1]), actor=Actor(user=user))
    outcome_record(submission=nothing, conditions=[], none_found=True, actor=Actor(user=user))
    outcome_record(submission=other, conditions=[], other=True, detail="Hamstring", actor=Actor(user=user))
    ruleset_publish(note="same content, new number", actor=SYSTEM)
    v2 = triage_selectors.ruleset_get()
    later = make_submission(v2, yes=symptoms_of(v2, "si-joint"))
    outcome_record(submission=later, conditions=found("si-joint", "sciatica"), actor=Actor(user=user))
    return {"ranked": ranked}


def test_accuracy_on_a_known_set(known_set):
    report = reports.accuracy_get()
    # The seeded ruleset is version 2 (issue 11), and the publish above makes version 3.
    v1, v2 = report[2], report[3]
    assert (v1.assessed, v1.top1, v1.top3) == (4, 1, 2)
    assert (v1.top1_rate, v1.top3_rate) == (0.25, 0.5)
    ranked = known_set["ranked"]
    assert v1.confusion == {
        ("sciatica", "sciatica"): 1,
        (ranked[0], ranked[1]): 1,
        (reports.NO_SUGGESTION, reports.NONE_FOUND): 1,
        ("sciatica", reports.OTHER): 1,
    }
    assert (v2.assessed, v2.top1, v2.top3) == (1, 1, 1)
    assert v2.confusion == {("si-joint", "si-joint"): 1, ("si-joint", "sciatica"): 1}


def test_the_confusion_table_lists_suggestions_by_what_was_found(known_set):
    tables = reports.confusion_tables(report=reports.accuracy_get(), conditions=list(Condition.objects.all()))
    v1 = next(t for t in tables if t.version == 2)  # the seeded ruleset (issue 11's version 2)
    columns = [key for key, _name in v1.columns]
    assert v1.columns[-2:] == ((reports.OTHER, None), (reports.NONE_FOUND, None))
    rows = {key: dict(zip(columns, counts, strict=True)) for key, _name, counts, _total in v1.rows}
    assert rows["sciatica"]["sciatica"] == 1
    assert rows["sciatica"][reports.OTHER] == 1
    assert rows[reports.NO_SUGGESTION][reports.NONE_FOUND] == 1
    assert next(name for key, name, _counts, _total in v1.rows if key == "sciatica") == (
        Condition.objects.get(pk="sciatica").name
    )


def test_accuracy_with_no_outcomes_is_empty(db_ruleset):
    make_submission(db_ruleset)
    assert reports.accuracy_get() == {}


def test_the_dashboard_page_shows_accuracy_charts_and_recent_red_flags(client, known_set, user, db_ruleset):
    flag = make_submission(db_ruleset, yes={first_code(db_ruleset, scoring.DOCTOR_TODAY)})
    submission_status_change(submission=flag, to_status=ReviewStatus.IN_REVIEW, actor=Actor(user=user))
    client.force_login(user)
    response = client.get(DASHBOARD)
    content = response.content.decode()
    assert response.status_code == 200
    assert "Top-1: <strong>1</strong> of 4" in content
    assert "Top-3: <strong>2</strong> of 4" in content
    assert "Ruleset v3: 1 assessed" in content
    assert "<svg" in content and 'class="ff-seg-' in content
    assert 'style="' not in content.split('id="content-main"')[1]  # no inline styles (strict CSP)
    assert "Red-flag submissions in the last 7 days (1)" in content
    assert flag.reference in content and "In review" in content
    assert "In review: <strong>1</strong>" in content
    # The template words what the selectors leave as keys.
    assert '<th scope="col">Another condition</th><th scope="col">None of these</th>' in content
    assert '<th scope="row">No suggestion</th>' in content
    assert ">No clinic chosen</text>" in content


def test_red_flags_older_than_7_days_are_not_listed(db_ruleset):
    from datetime import timedelta

    from django.utils import timezone

    old = make_submission(db_ruleset, yes={first_code(db_ruleset, scoring.EMERGENCY)})
    Submission.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    recent = make_submission(db_ruleset, yes={first_code(db_ruleset, scoring.EMERGENCY)})
    data = reports.dashboard_get()
    assert [s.pk for s in data.red_flags_recent] == [recent.pk]


def test_weekly_counts_by_disposition(db_ruleset):
    make_submission(db_ruleset, yes={first_code(db_ruleset, scoring.EMERGENCY)})
    make_submission(db_ruleset)
    make_submission(db_ruleset)
    data = reports.dashboard_get()
    assert len(data.weekly) == reports.WEEKS
    this_week = data.weekly[-1]["counts"]
    assert this_week["emergency"] == 1
    assert sum(this_week.values()) == 3
    assert sum(n for _name, n in data.per_clinic) == 3


def test_the_dashboard_costs_the_same_queries_at_any_size(client, user, db_ruleset):
    client.force_login(user)
    call_command("seed_demo", submissions=5, seed=3, days=30, stdout=open("/dev/null", "w"))  # noqa: SIM115
    client.get(DASHBOARD)
    with CaptureQueriesContext(connection) as small:
        client.get(DASHBOARD)
    call_command("seed_demo", submissions=200, seed=4, days=120, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_checkins", seed=4, stdout=open("/dev/null", "w"))  # noqa: SIM115
    for submission in Submission.objects.all()[:20]:
        outcome_record(submission=submission, conditions=found("sciatica"), actor=Actor(user=user))
    with CaptureQueriesContext(connection) as large:
        assert client.get(DASHBOARD).status_code == 200
    assert len(large) == len(small)
    # 13 to read, 2 for the follow-up check-ins, 3 to record the look in the audit trail
    # (chain head locked, event, head moved on).
    assert len(large) <= 18


def test_the_admin_index_links_to_the_dashboard_for_those_who_may_see_it(client, user, db_ruleset):
    from tests.review_helpers import content_editor

    client.force_login(user)
    assert DASHBOARD in client.get(reverse("admin:index")).content.decode()
    client.force_login(content_editor())
    assert DASHBOARD not in client.get(reverse("admin:index")).content.decode()
