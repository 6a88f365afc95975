"""The CSV export: stable columns, streamed, audited, permission-checked."""

from __future__ import annotations

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from audit.actor import Actor
from audit.models import AuditAction, AuditEvent
from review.selectors import export
from review.services import outcome_record, submission_assign
from tests.review_helpers import clinician, first_code, make_submission, staff_user, symptoms_of
from triage import scoring
from triage.models import Condition, Submission
from triage.services import ContactDetails

EXPORT = reverse("admin:triage_submission_export")
CHANGELIST = reverse("admin:triage_submission_changelist")


def read_csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


@pytest.fixture
def user_client(client, db):
    user = clinician()
    client.force_login(user)
    client.user = user
    return client


def test_the_export_has_the_documented_columns_in_order(user_client, db_ruleset):
    make_submission(db_ruleset)
    response = user_client.get(EXPORT)
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[0].split(",") == list(export.EXPORT_COLUMNS)


def test_the_columns_are_documented():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "review.md").read_text()
    for column in export.EXPORT_COLUMNS:
        assert f"`{column}`" in doc


def test_a_row_carries_the_result_status_assignee_and_outcome(user_client, db_ruleset):
    submission = make_submission(
        db_ruleset,
        yes=symptoms_of(db_ruleset, "sciatica"),
        contact=ContactDetails(name="Sam Chen", phone="021 111 2222"),
    )
    submission_assign(submission=submission, assignee=user_client.user, actor=Actor(user=user_client.user))
    outcome_record(
        submission=submission, conditions=Condition.objects.filter(pk="sciatica"), actor=Actor(user=user_client.user)
    )
    (row,) = read_csv(user_client.get(EXPORT))
    assert row["reference"] == submission.reference
    assert row["disposition"] == "book_assessment"
    assert row["red_flag"] == "no"
    assert row["suggestion_1"] == "sciatica"
    assert float(row["suggestion_1_score"]) > 0
    assert row["status"] == "in_review"
    assert row["assigned_to"] == user_client.user.username
    assert row["outcome_conditions"] == "sciatica"
    assert row["outcome_none_of_these"] == "no"
    assert row["contact_consent"] == "yes"
    # Contact details stay in the admin; they are not in the file.
    assert "Sam Chen" not in str(row) and "021 111 2222" not in str(row)


def test_the_export_follows_the_queue_filters(user_client, db_ruleset):
    flag = make_submission(db_ruleset, yes={first_code(db_ruleset, scoring.EMERGENCY)})
    make_submission(db_ruleset)
    rows = read_csv(user_client.get(EXPORT, {"red_flag": "yes"}))
    assert [r["reference"] for r in rows] == [flag.reference]
    assert rows[0]["red_flag"] == "yes"
    assert rows[0]["red_flag_answers"] == first_code(db_ruleset, scoring.EMERGENCY)


def test_the_export_action_exports_the_selected_ones(user_client, db_ruleset):
    chosen, _other = make_submission(db_ruleset), make_submission(db_ruleset)
    response = user_client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [chosen.pk]})
    assert isinstance(response, StreamingHttpResponse)
    assert [r["reference"] for r in read_csv(response)] == [chosen.reference]
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert event.detail["scope"] == "selected" and event.detail["count"] == 1


def test_the_export_is_streamed_and_read_in_chunks(user_client, db_ruleset, monkeypatch, django_assert_max_num_queries):
    for _ in range(5):
        make_submission(db_ruleset)
    monkeypatch.setattr(export, "EXPORT_CHUNK_SIZE", 2)
    response = user_client.get(EXPORT)
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    chunks = iter(response.streaming_content)
    header = next(chunks).decode()
    assert header.startswith("reference,")  # sent before any row is read


def test_rows_are_read_from_the_database_a_chunk_at_a_time(db_ruleset, django_assert_num_queries):
    for _ in range(5):
        make_submission(db_ruleset)
    rows = export.export_rows(queryset=Submission.objects.all(), chunk_size=2)
    next(rows)  # header: no query yet
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first_row:
        next(rows)
    with CaptureQueriesContext(connection) as rest:
        remaining = list(rows)
    assert len(remaining) == 4
    # The first chunk: the rows, their suggestions, their outcomes' conditions, their booking requests...
    assert 1 <= len(first_row) <= 4
    # ...and later chunks are fetched as the stream goes (not all at once up front).
    assert len(rest) >= 2


def test_a_formula_like_cell_is_neutralised():
    from review.views import _csv_stream

    (line,) = list(_csv_stream(iter([["=HYPERLINK(1)", "ok"]])))
    assert line.startswith("'=HYPERLINK")


def test_each_export_is_audited_with_who_ip_and_filters(user_client, db_ruleset):
    make_submission(db_ruleset)
    b"".join(user_client.get(EXPORT, {"status": "new"}, REMOTE_ADDR="10.9.8.7").streaming_content)
    event = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (event.actor, event.ip_address, event.detail["filters"]) == (user_client.user, "10.9.8.7", "status=new")


def test_bad_filters_export_nothing_and_say_so(user_client, db_ruleset):
    response = user_client.get(EXPORT, {"nonsense__field": "1"}, follow=True)
    assert "not valid; nothing was exported" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_staff_without_the_export_permission_get_403(client, db_ruleset):
    from django.contrib.auth.models import Permission

    user = staff_user("viewer")
    user.user_permissions.add(Permission.objects.get(codename="view_submission"))
    client.force_login(user)
    assert client.get(EXPORT).status_code == 403
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()


def test_a_row_gives_the_booking_requests_days_and_times_in_words(user_client, db_ruleset):
    from booking.models import BookingRequest
    from triage.models import Clinic

    submission = make_submission(db_ruleset)
    BookingRequest.objects.create(
        submission=submission,
        reference=submission.reference,
        clinic=Clinic.objects.first(),
        preferred_days=["tue"],
        preferred_times=["morning", "late"],
        name="Sam",
        phone="021 111 2222",
        consent=True,
    )
    (row,) = read_csv(user_client.get(EXPORT))
    assert row["booking_status"] == "new"
    assert row["booking_preferred"] == "Tuesday; Morning (before 12 pm), Late afternoon (after 4 pm)"
