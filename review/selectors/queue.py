"""The call list (the submission changelist): which rows, in which order, with what beside them.

One place for the queue's query, so the admin's get_queryset only calls it
and others can narrow it further (need-to-know by clinic, for example).
Everything shown beside a row comes in the same SQL statement as the rows
(subqueries per row of the page), so a page costs the same at 100 and at
100,000 submissions.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import connections
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from booking.models import BookingRequest
from triage.models import ReviewStatus, Submission, Suggestion

# The query-string parameter of the "needs action" / "all submissions" choice.
VIEW_PARAM = "queue"
VIEW_ALL = "all"
SEARCH_PARAM = "q"  # the admin's own search parameter

NEEDS_ACTION_STATUSES = (ReviewStatus.NEW, ReviewStatus.IN_REVIEW)

# Most urgent level first; within it people who agreed to be contacted, then
# the longest waiting. Served by the index "submission_call_list".
CALL_LIST_ORDER = ("urgency", "-contact_consent", "created_at", "id")
# Everything, newest first (the created_at index).
ALL_ORDER = ("-created_at", "-id")


def queue_shows_all(*, params: Mapping[str, str]) -> bool:
    """True for "all submissions": chosen, or implied by a search (a caller is found whatever their status)."""
    return params.get(VIEW_PARAM) == VIEW_ALL or bool(params.get(SEARCH_PARAM))


def queue_ordering(*, params: Mapping[str, str]) -> tuple[str, ...]:
    return ALL_ORDER if queue_shows_all(params=params) else CALL_LIST_ORDER


def queue_annotate(*, queryset: QuerySet[Submission]) -> QuerySet[Submission]:
    """Add what each row shows: the top suggestion, and the latest booking request's status and contact."""
    latest_booking = BookingRequest.objects.filter(submission=OuterRef("pk")).order_by("-created_at")
    return queryset.annotate(
        top_suggestion_name=Subquery(
            Suggestion.objects.filter(submission=OuterRef("pk"), rank=1).values("condition__name")[:1]
        ),
        booking_status=Subquery(latest_booking.values("status")[:1]),
        booking_phone=Subquery(latest_booking.values("phone")[:1]),
        booking_email=Subquery(latest_booking.values("email")[:1]),
    )


def queue_needs_action(*, queryset: QuerySet[Submission]) -> QuerySet[Submission]:
    """New or in review, or with a booking request still open (new or contacted).

    Either way the page is read in the call list's order from its index,
    stopping at the page's last row. SQLite tests an EXISTS per row: given
    "id IN (open requests)" instead, it gathers every matching row from two
    indexes and sorts them all. PostgreSQL gets that IN, which it turns into
    one hash of the open requests: its planner costs an EXISTS as one index
    probe per row, which on a large table tips the count (which carries this
    condition) into JIT compilation, 75 ms and more at 100,000 rows.
    """
    open_requests = BookingRequest.objects.open()
    if connections[queryset.db].vendor == "postgresql":
        booked = Q(pk__in=open_requests.values("submission_id"))
    else:
        booked = Q(Exists(open_requests.filter(submission=OuterRef("pk"))))
    return queryset.filter(Q(status__in=NEEDS_ACTION_STATUSES) | booked)


def queue_needs_action_count(*, queryset: QuerySet[Submission]) -> int:
    """How many rows ``queryset`` (already narrowed by queue_needs_action) holds, for the pages.

    Counted as two parts that cannot overlap, added up in one statement
    (UNION ALL): the rows new or in review, read from the index
    "submission_status_clinic" alone (status, clinic and id are all the count,
    the need-to-know filter and the booking test look at); and the rows with any other status that
    have an open booking request, found from the few open requests. Either
    side is read from an index, so the count costs in proportion to the rows
    that need action, never to the whole table. As one OR, PostgreSQL read
    every submission (a sequential scan: 160 ms at 100,000), and SQLite looked
    up each row in the table for its clinic.
    """
    open_requests = BookingRequest.objects.open().values("submission_id")
    waiting = queryset.filter(status__in=NEEDS_ACTION_STATUSES)
    booked = queryset.exclude(status__in=NEEDS_ACTION_STATUSES).filter(pk__in=open_requests)
    return waiting.values("pk").order_by().union(booked.values("pk").order_by(), all=True).count()
