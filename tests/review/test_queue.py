"""The call list: needs action by default, most urgent, contactable and longest waiting first, columns that fit."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from booking.models import BookingRequest, BookingStatus
from review.display import relative_time
from tests.review_helpers import clinician, first_code, make_submission, staff_user
from triage import scoring
from triage.models import Clinic, ReviewStatus, Submission
from triage.services import ContactDetails

CHANGELIST = reverse("admin:triage_submission_changelist")


@pytest.fixture
def clinician_client(client, db):
    user = clinician()
    client.force_login(user)
    client.user = user
    return client


def aged(submission: Submission, *, hours: float) -> Submission:
    Submission.objects.filter(pk=submission.pk).update(created_at=timezone.now() - datetime.timedelta(hours=hours))
    return submission


def booking_for(submission: Submission, *, status: str = BookingStatus.NEW, **fields) -> BookingRequest:
    values = {"name": "Aroha", "phone": "021 555 1234", "email": ""} | fields
    return BookingRequest.objects.create(
        submission=submission,
        reference=submission.reference,
        clinic=Clinic.objects.first(),
        preferred_days=["mon"],
        preferred_times=["morning"],
        consent=True,
        status=status,
        **values,
    )


def shown(client, **params) -> list[int]:
    return [s.pk for s in client.get(CHANGELIST, params).context["cl"].result_list]


def test_by_default_the_queue_shows_only_what_needs_action(clinician_client, db_ruleset):
    new = make_submission(db_ruleset)
    closed = make_submission(db_ruleset)
    closed_with_open_booking = make_submission(db_ruleset)
    closed_with_booked_booking = make_submission(db_ruleset)
    Submission.objects.filter(pk__in=[closed.pk, closed_with_open_booking.pk, closed_with_booked_booking.pk]).update(
        status=ReviewStatus.CLOSED
    )
    booking_for(closed_with_open_booking, status=BookingStatus.CONTACTED)
    booking_for(closed_with_booked_booking, status=BookingStatus.BOOKED)
    assert set(shown(clinician_client)) == {new.pk, closed_with_open_booking.pk}


def test_all_submissions_is_one_click_away_newest_first(clinician_client, db_ruleset):
    older = aged(make_submission(db_ruleset), hours=5)
    closed = make_submission(db_ruleset)
    Submission.objects.filter(pk=closed.pk).update(status=ReviewStatus.CLOSED)
    page = clinician_client.get(CHANGELIST).content.decode()
    assert "Needs action" in page and 'href="?queue=all"' in page
    assert shown(clinician_client, queue="all") == [closed.pk, older.pk]


def test_a_search_looks_through_all_submissions(clinician_client, db_ruleset):
    closed = make_submission(db_ruleset, contact=ContactDetails(name="Hemi Walker", phone="021 777 8888"))
    Submission.objects.filter(pk=closed.pk).update(status=ReviewStatus.CLOSED)
    assert shown(clinician_client, q="Hemi") == [closed.pk]


def test_most_urgent_first_then_contactable_then_longest_waiting(clinician_client, db_ruleset):
    contact = ContactDetails(name="Mere", phone="021 123 4567")
    self_care_old = aged(make_submission(db_ruleset), hours=50)
    today_new = aged(make_submission(db_ruleset, yes={first_code(db_ruleset, scoring.DOCTOR_TODAY)}), hours=1)
    today_old = aged(make_submission(db_ruleset, yes={first_code(db_ruleset, scoring.DOCTOR_TODAY)}), hours=9)
    today_contactable = aged(
        make_submission(db_ruleset, yes={first_code(db_ruleset, scoring.DOCTOR_TODAY)}, contact=contact), hours=2
    )
    emergency = aged(make_submission(db_ruleset, yes={first_code(db_ruleset, scoring.EMERGENCY)}), hours=0.5)
    assert shown(clinician_client) == [emergency.pk, today_contactable.pk, today_old.pk, today_new.pk, self_care_old.pk]


def test_the_call_list_order_is_read_from_its_index(db_ruleset):
    from django.db import connection

    from review.selectors import queue

    sql = str(Submission.objects.order_by(*queue.CALL_LIST_ORDER)[:50].query)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "submission_call_list" in plan and "TEMP B-TREE" not in plan
        else:
            cursor.execute("SET enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}")
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "submission_call_list" in plan and "Sort" not in plan.split("Index")[0]


def test_the_pages_count_exactly_the_rows_that_need_action(client, db_ruleset):
    """The count (two parts added up, review.selectors.queue) is the call list's rows, each once, whatever
    the status, the booking and the clinic; and so with a filter narrowing it further."""
    takapuna, botany = Clinic.objects.get(slug="takapuna"), Clinic.objects.get(slug="botany")
    by_status = {}
    for status in ReviewStatus.values:
        for clinic in (takapuna, botany, None):
            submission = make_submission(db_ruleset, clinic_id=clinic and clinic.pk)
            Submission.objects.filter(pk=submission.pk).update(status=status)
            by_status[status, clinic] = submission
    # An open request brings back one that is closed, contacted or already in review (counted once).
    for status, booking_status in (
        (ReviewStatus.CLOSED, BookingStatus.NEW),
        (ReviewStatus.CONTACTED, BookingStatus.CONTACTED),
        (ReviewStatus.IN_REVIEW, BookingStatus.NEW),
        (ReviewStatus.BOOKED, BookingStatus.BOOKED),  # not open: stays off the list
    ):
        booking_for(by_status[status, takapuna], status=booking_status)
        booking_for(by_status[status, botany], status=booking_status)
    client.force_login(clinician("takapuna-physio", clinics=["takapuna"]))
    cl = client.get(CHANGELIST).context["cl"]
    expected = {
        by_status[status, clinic].pk
        for status in (ReviewStatus.NEW, ReviewStatus.IN_REVIEW)
        for clinic in (takapuna, None)
    } | {by_status[ReviewStatus.CLOSED, takapuna].pk, by_status[ReviewStatus.CONTACTED, takapuna].pk}
    assert {s.pk for s in cl.result_list} == expected
    assert cl.result_count == len(expected) == 6
    narrowed = client.get(CHANGELIST, {"status__exact": ReviewStatus.CLOSED}).context["cl"]
    assert [s.pk for s in narrowed.result_list] == [by_status[ReviewStatus.CLOSED, takapuna].pk]
    assert narrowed.result_count == 1


def test_the_needs_action_count_reads_an_index_not_the_rows(db_ruleset):
    """Each part of the count is read from an index: the status index alone for the rows new or in
    review (their clinic and id are in it), the open booking requests for the rest."""
    from django.db import connection

    from review.selectors import queue
    from triage.access import submissions_visible

    user = clinician("takapuna-physio", clinics=["takapuna"])
    needing = queue.queue_needs_action(queryset=submissions_visible(user=user, queryset=Submission.objects.all()))
    waiting = needing.filter(status__in=queue.NEEDS_ACTION_STATUSES).values("pk").order_by()
    sql, params = waiting.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            plan = " ".join(str(row) for row in cursor.fetchall())
            assert "COVERING INDEX submission_status_clinic" in plan
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "Index Only Scan using submission_status_clinic" in plan
            assert "Seq Scan on triage_submission" not in plan


def test_the_needs_action_page_is_read_in_order_from_the_call_list_index(db_ruleset):
    """The page stops at its last row: no sort of every row that needs action, and on PostgreSQL
    the open requests hashed once rather than probed per row (whose cost estimate tips into JIT)."""
    from django.db import connection

    from review.selectors import queue
    from triage.access import submissions_visible

    user = clinician("takapuna-physio", clinics=["takapuna"])
    visible = submissions_visible(user=user, queryset=Submission.objects.all())
    page = queue.queue_needs_action(queryset=visible).order_by(*queue.CALL_LIST_ORDER)[:50]
    sql, params = page.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            top = [row[3] for row in cursor.fetchall() if row[1] == 0]
            assert "SCAN triage_submission USING INDEX submission_call_list" in top
            assert not any("TEMP B-TREE" in step for step in top)
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "Index Scan using submission_call_list" in plan and "hashed SubPlan" in plan


def test_the_row_checkbox_is_the_markup_django_renders(db_ruleset):
    from django.contrib import admin

    submission = make_submission(db_ruleset)
    model_admin = admin.site._registry[Submission]
    assert model_admin.action_checkbox(submission) == admin.ModelAdmin.action_checkbox(model_admin, submission)
    assert f'value="{submission.pk}"' in model_admin.action_checkbox(submission)


def test_the_columns_say_when_who_can_be_reached_and_the_booking(clinician_client, db_ruleset):
    reachable = aged(
        make_submission(db_ruleset, contact=ContactDetails(name="Mere", email="mere@example.com")), hours=2
    )
    booked = make_submission(db_ruleset)
    booking_for(booked)
    make_submission(db_ruleset)  # not contactable
    page = clinician_client.get(CHANGELIST).content.decode()
    assert ">2 h ago</time>" in page and 'title="' in page.split(">2 h ago</time>")[0].rsplit("<time", 1)[1]
    assert '<span class="visually-hidden">email</span>' in page
    assert '<span class="visually-hidden">phone</span>' in page  # given on the booking form
    assert "no contact details" in page
    assert 'class="ff-booking ff-booking-new">requested<' in page
    assert reachable.reference in page


@pytest.mark.parametrize("size", [3, 120])
def test_the_call_list_costs_at_most_eight_queries_with_bookings_whatever_the_size(
    clinician_client, db_ruleset, django_assert_max_num_queries, size
):
    call_command("seed_demo", submissions=size, seed=7, stdout=open("/dev/null", "w"))  # noqa: SIM115
    for submission in Submission.objects.all()[:3]:
        booking_for(submission)
    for params in ({}, {"queue": "all"}, {"p": "2"} if size > 50 else {"o": "2"}):
        with django_assert_max_num_queries(8):
            response = clinician_client.get(CHANGELIST, params)
        assert response.status_code == 200
    # A search is also recorded in the audit trail (issue 14, item 7): one audit write, 3 queries.
    with django_assert_max_num_queries(8 + 3):
        assert clinician_client.get(CHANGELIST, {"queue": "all", "q": "x"}).status_code == 200
    with django_assert_max_num_queries(8):
        assert clinician_client.get(CHANGELIST).status_code == 200
    client = clinician_client
    client.force_login(staff_user("desk", group="Reception"))
    with django_assert_max_num_queries(8):
        assert client.get(CHANGELIST).status_code == 200


@pytest.mark.parametrize(
    ("minutes", "expected"),
    [(0.2, "just now"), (12, "12 min ago"), (150, "2 h ago"), (60 * 24 * 3, "3 d ago")],
)
def test_received_reads_as_how_long_ago(minutes, expected):
    now = timezone.now()
    assert relative_time(when=now - datetime.timedelta(minutes=minutes), now=now) == expected


def test_received_long_ago_reads_as_a_date():
    now = datetime.datetime(2026, 12, 3, 9, 0, tzinfo=datetime.UTC)
    assert relative_time(when=datetime.datetime(2026, 8, 4, 9, 0, tzinfo=datetime.UTC), now=now) == "4 Aug"
