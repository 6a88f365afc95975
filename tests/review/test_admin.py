"""The triage queue and a submission's review page in the admin, per role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse

from audit.actor import Actor
from audit.chain import anonymised_target
from audit.models import AuditAction, AuditEvent
from review.models import Note, Outcome, StatusChange
from tests.review_helpers import (
    clinician,
    content_editor,
    first_code,
    make_submission,
    staff_user,
    superuser,
    symptoms_of,
)
from triage import scoring
from triage.models import ReviewStatus, Submission

CHANGELIST = reverse("admin:triage_submission_changelist")


def change_url(submission: Submission) -> str:
    return reverse("admin:triage_submission_change", args=[submission.pk])


@pytest.fixture
def clinician_client(client, db):
    user = clinician()
    client.force_login(user)
    client.user = user
    return client


# --- Roles ---


@pytest.mark.parametrize(
    "url_name",
    ["admin:triage_submission_changelist", "admin:triage_submission_dashboard", "admin:triage_submission_export"],
)
def test_anonymous_visitors_are_sent_to_the_login_page(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_a_non_staff_user_is_sent_to_the_login_page(client, db):
    client.force_login(User.objects.create_user("patient"))
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


@pytest.mark.parametrize(
    "url_name",
    ["admin:triage_submission_changelist", "admin:triage_submission_dashboard", "admin:triage_submission_export"],
)
def test_staff_without_the_permission_get_403(client, db_ruleset, url_name):
    client.force_login(staff_user("reception"))
    assert client.get(reverse(url_name)).status_code == 403


def test_staff_without_the_permission_cannot_open_a_submission(client, db_ruleset):
    submission = make_submission(db_ruleset)
    client.force_login(staff_user("reception"))
    assert client.get(change_url(submission)).status_code == 403


def test_a_clinician_sees_the_queue_and_can_open_a_submission(clinician_client, db_ruleset):
    submission = make_submission(db_ruleset)
    assert clinician_client.get(CHANGELIST).status_code == 200
    assert clinician_client.get(change_url(submission)).status_code == 200


def test_a_clinician_cannot_delete_a_submission(clinician_client, db_ruleset):
    submission = make_submission(db_ruleset)
    url = reverse("admin:triage_submission_delete", args=[submission.pk])
    assert clinician_client.post(url, {"post": "yes"}).status_code == 403
    response = clinician_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": [submission.pk], "post": "yes"}
    )
    assert Submission.objects.filter(pk=submission.pk).exists()
    assert response.status_code in (200, 302)


def test_a_clinician_cannot_edit_clinical_content(clinician_client, db_ruleset):
    url = reverse("admin:triage_condition_change", args=["hip-bursitis"])
    assert clinician_client.get(url).status_code == 200  # may read it
    response = clinician_client.post(url, {"name": "Changed", "slug": "hip-bursitis"})
    assert response.status_code == 403
    assert clinician_client.get(reverse("admin:triage_question_add")).status_code == 403
    assert clinician_client.get(reverse("admin:triage_rulesetversion_publish")).status_code == 403


def test_a_content_editor_can_edit_clinical_content_but_not_see_submissions(client, db_ruleset):
    client.force_login(content_editor())
    assert client.get(reverse("admin:triage_question_add")).status_code == 200
    assert client.get(reverse("admin:triage_condition_change", args=["hip-bursitis"])).status_code == 200
    assert client.get(reverse("admin:triage_rulesetversion_publish")).status_code == 200
    assert client.get(CHANGELIST).status_code == 403


def test_only_superusers_see_the_audit_trail_and_nobody_edits_it(client, clinician_client, db_ruleset):
    url = reverse("admin:audit_auditevent_changelist")
    assert clinician_client.get(url).status_code == 403
    client.force_login(superuser())
    assert client.get(url).status_code == 200
    event = AuditEvent.objects.create(actor_label="x", action=AuditAction.VIEW, target="ABC")
    assert client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# --- The queue ---


def test_red_flags_come_first_then_the_newest(clinician_client, db_ruleset):
    older_flag = make_submission(db_ruleset, yes={first_code(db_ruleset, scoring.DOCTOR_TODAY)})
    newer_plain = make_submission(db_ruleset)
    response = clinician_client.get(CHANGELIST)
    shown = [s.pk for s in response.context["cl"].result_list]
    assert shown.index(older_flag.pk) < shown.index(newer_plain.pk)


def test_the_queue_shows_badges_top_suggestion_status_and_assignee(clinician_client, db_ruleset):
    make_submission(db_ruleset, yes={first_code(db_ruleset, scoring.EMERGENCY)})
    make_submission(db_ruleset, yes=symptoms_of(db_ruleset, "sciatica"))
    content = clinician_client.get(CHANGELIST).content.decode()
    assert 'class="ff-badge ff-badge-emergency"' in content
    assert "Sciatica" in content
    assert "New" in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("red_flag=yes", {"flag"}),
        ("red_flag=no", {"plain", "sciatica"}),
        ("suggested=sciatica", {"sciatica"}),
        ("disposition=emergency", {"flag"}),
        ("assigned=me", {"plain"}),
        ("assigned=none", {"flag", "sciatica"}),
        ("status=in_review", {"plain"}),
    ],
)
def test_queue_filters(clinician_client, db_ruleset, query, expected):
    made = {
        "flag": make_submission(db_ruleset, yes={first_code(db_ruleset, scoring.EMERGENCY)}),
        "plain": make_submission(db_ruleset),
        "sciatica": make_submission(db_ruleset, yes=symptoms_of(db_ruleset, "sciatica")),
    }
    from review.services import submission_assign

    submission_assign(submission=made["plain"], assignee=clinician_client.user, actor=Actor(user=clinician_client.user))
    response = clinician_client.get(f"{CHANGELIST}?{query}")
    shown = {s.pk for s in response.context["cl"].result_list}
    assert shown == {made[name].pk for name in expected}


def test_search_finds_a_reference_a_name_or_a_phone(clinician_client, db_ruleset):
    from triage.services import ContactDetails

    wanted = make_submission(db_ruleset, contact=ContactDetails(name="Aroha Ngata", phone="021 555 1234"))
    make_submission(db_ruleset)
    for term in (wanted.reference, "aroha", "555 1234"):
        shown = [s.pk for s in clinician_client.get(CHANGELIST, {"q": term}).context["cl"].result_list]
        assert shown == [wanted.pk]


@pytest.mark.parametrize("size", [3, 120])
def test_the_queue_costs_at_most_eight_queries_whatever_the_size(
    clinician_client, db_ruleset, django_assert_max_num_queries, size
):
    call_command("seed_demo", submissions=size, seed=7, stdout=open("/dev/null", "w"))  # noqa: SIM115
    for submission in Submission.objects.all()[:5]:
        submission.assigned_to = clinician_client.user
        submission.save(update_fields=["assigned_to"])
    with django_assert_max_num_queries(8):
        response = clinician_client.get(CHANGELIST)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == min(size, 50)
    # A search is recorded in the audit trail: 3 more (chain head locked, event, head moved on).
    with django_assert_max_num_queries(11):
        assert clinician_client.get(CHANGELIST, {"red_flag": "no", "assigned": "me", "q": "x"}).status_code == 200


# --- Actions ---


def test_assign_to_me_action(clinician_client, db_ruleset):
    submissions = [make_submission(db_ruleset) for _ in range(2)]
    response = clinician_client.post(
        CHANGELIST, {"action": "assign_to_me", "_selected_action": [s.pk for s in submissions]}, follow=True
    )
    assert "2 submission(s) assigned to you" in response.content.decode()
    assert set(Submission.objects.values_list("assigned_to", "status")) == {
        (clinician_client.user.pk, ReviewStatus.IN_REVIEW)
    }


def test_mark_contacted_moves_those_in_review_and_explains_the_others(clinician_client, db_ruleset):
    from review.services import submission_status_change

    ready, fresh = make_submission(db_ruleset), make_submission(db_ruleset)
    submission_status_change(
        submission=ready, to_status=ReviewStatus.IN_REVIEW, actor=Actor(user=clinician_client.user)
    )
    response = clinician_client.post(
        CHANGELIST, {"action": "mark_contacted", "_selected_action": [ready.pk, fresh.pk]}, follow=True
    )
    content = response.content.decode()
    assert "1 submission(s) marked contacted" in content
    assert f"Not changed ({fresh.reference}): A submission cannot go from" in content
    assert Submission.objects.get(pk=ready.pk).status == ReviewStatus.CONTACTED
    assert Submission.objects.get(pk=fresh.pk).status == ReviewStatus.NEW


# --- A submission's page ---


def test_the_page_shows_answers_in_words_score_breakdown_and_version(clinician_client, db_ruleset):
    yes = symptoms_of(db_ruleset, "hip-bursitis")
    submission = make_submission(db_ruleset, yes=yes)
    content = clinician_client.get(change_url(submission)).content.decode()
    question = db_ruleset.by_code[sorted(yes)[0]]
    assert question.text in content  # the question as the patient read it
    assert "Where you have pain: " in content and "Warning signs and about you" in content
    assert "Score breakdown (ruleset v2)" in content
    assert f"{question.summary} (" in content  # each matched answer with its weight
    assert "Threshold" in content


def test_contact_details_are_shown_only_with_consent(clinician_client, db_ruleset):
    from triage.services import ContactDetails

    with_consent = make_submission(
        db_ruleset,
        contact=ContactDetails(name="Mere Tane", email="mere@example.com"),
        privacy_notice_version="2026-11",
    )
    without = make_submission(db_ruleset)
    page = clinician_client.get(change_url(with_consent)).content.decode()
    assert "mere@example.com" in page
    assert "Agreed to be contacted on the questionnaire" in page and "version 2026-11" in page
    assert "did not agree to be contacted" in clinician_client.get(change_url(without)).content.decode()


def test_opening_a_submission_is_audited_with_who_and_ip(clinician_client, db_ruleset):
    submission = make_submission(db_ruleset)
    clinician_client.get(change_url(submission), REMOTE_ADDR="10.1.2.3")
    event = AuditEvent.objects.get(action=AuditAction.VIEW, target=submission.reference)
    assert (event.actor, event.ip_address) == (clinician_client.user, "10.1.2.3")


def form_data(submission: Submission, **overrides) -> dict:
    data = {
        "status": submission.status,
        "status_reason": "",
        "assigned_to": submission.assigned_to_id or "",
        "outcome-TOTAL_FORMS": "1",
        "outcome-INITIAL_FORMS": "0",
        "outcome-MIN_NUM_FORMS": "0",
        "outcome-MAX_NUM_FORMS": "1",
        "notes-TOTAL_FORMS": "1",
        "notes-INITIAL_FORMS": "0",
        "notes-MIN_NUM_FORMS": "0",
        "notes-MAX_NUM_FORMS": "1000",
        "notes-0-text": "",
        "status_changes-TOTAL_FORMS": "0",
        "status_changes-INITIAL_FORMS": "0",
        "status_changes-MIN_NUM_FORMS": "0",
        "status_changes-MAX_NUM_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_a_clinician_moves_the_status_adds_a_note_and_records_an_outcome(clinician_client, db_ruleset):
    submission = make_submission(db_ruleset)
    response = clinician_client.post(
        change_url(submission),
        form_data(
            submission,
            status="in_review",
            **{"notes-0-text": "Called, no answer.", "outcome-0-conditions": ["sciatica"], "outcome-0-detail": "L5"},
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    submission.refresh_from_db()
    assert submission.status == ReviewStatus.IN_REVIEW
    assert StatusChange.objects.get(submission=submission).changed_by == clinician_client.user
    note = Note.objects.get(submission=submission)
    assert (note.text, note.author) == ("Called, no answer.", clinician_client.user)
    outcome = Outcome.objects.get(submission=submission)
    assert [c.pk for c in outcome.conditions.all()] == ["sciatica"]
    assert outcome.recorded_by == clinician_client.user


def test_an_invalid_transition_in_the_form_is_refused_with_a_clear_message(clinician_client, db_ruleset):
    submission = make_submission(db_ruleset)
    response = clinician_client.post(change_url(submission), form_data(submission, status="booked"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "A submission cannot go from &#x27;New&#x27; to &#x27;Booked&#x27;" in content
    assert "it can go to: In review, Not appropriate" in content
    assert Submission.objects.get(pk=submission.pk).status == ReviewStatus.NEW


def test_not_appropriate_without_a_reason_is_refused_with_a_clear_message(clinician_client, db_ruleset):
    submission = make_submission(db_ruleset)
    response = clinician_client.post(change_url(submission), form_data(submission, status="not_appropriate"))
    assert response.status_code == 200
    assert "Say why the submission is not appropriate" in response.content.decode()
    assert Submission.objects.get(pk=submission.pk).status == ReviewStatus.NEW


def test_what_the_patient_said_cannot_be_changed_through_the_form(clinician_client, db_ruleset):
    submission = make_submission(db_ruleset)
    clinician_client.post(
        change_url(submission),
        form_data(submission, disposition="emergency", answers="{}", contact_name="X", reference="AAAAAAAA"),
    )
    stored = Submission.objects.get(pk=submission.pk)
    assert (stored.disposition, stored.answers, stored.reference) == (
        submission.disposition,
        submission.answers,
        submission.reference,
    )


def test_notes_can_never_be_edited_or_deleted(clinician_client, db_ruleset):
    from review.services import note_add

    submission = make_submission(db_ruleset)
    note = note_add(submission=submission, text="Original", actor=Actor(user=clinician_client.user))
    data = form_data(
        submission,
        **{
            "notes-TOTAL_FORMS": "2",
            "notes-INITIAL_FORMS": "1",
            "notes-0-id": str(note.pk),
            "notes-0-text": "Rewritten",
            "notes-0-DELETE": "on",
            "notes-1-text": "",
        },
    )
    clinician_client.post(change_url(submission), data)
    assert Note.objects.get(pk=note.pk).text == "Original"
    # Not even a superuser: there is no edit or delete in the admin at all.
    from django.contrib import admin

    inline = next(i for i in admin.site._registry[Submission].get_inline_instances(None) if i.model is Note)
    assert not inline.has_change_permission(None) and not inline.has_delete_permission(None)


def test_only_clinicians_and_superusers_can_be_assigned(clinician_client, db_ruleset):
    editor, boss = content_editor(), superuser()
    submission = make_submission(db_ruleset)
    form = clinician_client.get(change_url(submission)).context["adminform"].form
    choices = set(form.fields["assigned_to"].queryset)
    assert choices == {clinician_client.user, boss}
    assert editor not in choices


def test_assigning_in_the_form_is_recorded_and_takes_a_new_one_into_review(clinician_client, db_ruleset):
    submission = make_submission(db_ruleset)
    response = clinician_client.post(
        change_url(submission), form_data(submission, assigned_to=clinician_client.user.pk)
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert (submission.assigned_to, submission.status) == (clinician_client.user, ReviewStatus.IN_REVIEW)
    assert AuditEvent.objects.filter(target=submission.reference, detail__has_key="assigned_to").exists()


def test_a_status_change_in_the_form_is_kept_as_a_status_change_and_an_audit_event_only(clinician_client, db_ruleset):
    from django.contrib.admin.models import LogEntry

    submission = make_submission(db_ruleset)
    response = clinician_client.post(change_url(submission), form_data(submission, status="in_review"))
    assert response.status_code == 302
    assert StatusChange.objects.filter(submission=submission).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.CHANGE, target=submission.reference).count() == 1
    assert not LogEntry.objects.exists()


def test_the_history_button_is_gone_and_its_url_leads_to_the_page_with_the_status_history(clinician_client, db_ruleset):
    submission = make_submission(db_ruleset)
    assert reverse("admin:triage_submission_history", args=[submission.pk]) not in (
        clinician_client.get(change_url(submission)).content.decode()
    )
    response = clinician_client.get(reverse("admin:triage_submission_history", args=[submission.pk]))
    assert response.status_code == 302
    assert response["Location"] == change_url(submission)


def test_a_submission_page_costs_the_same_queries_with_many_notes(clinician_client, db_ruleset):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from review.services import note_add

    submission = make_submission(db_ruleset)
    note_add(submission=submission, text="one", actor=Actor(user=clinician_client.user))
    clinician_client.get(change_url(submission))
    with CaptureQueriesContext(connection) as few:
        clinician_client.get(change_url(submission))
    for i in range(10):
        note_add(submission=submission, text=f"note {i}", actor=Actor(user=clinician_client.user))
    with CaptureQueriesContext(connection) as many:
        clinician_client.get(change_url(submission))
    assert len(many) == len(few)


def test_the_date_drill_down_filters_by_year_and_month_without_extra_queries(clinician_client, db_ruleset):
    from django.utils import timezone

    submission = make_submission(db_ruleset)
    today = timezone.localdate()
    response = clinician_client.get(CHANGELIST, {"created_at__year": today.year, "created_at__month": today.month})
    assert [s.pk for s in response.context["cl"].result_list] == [submission.pk]
    response = clinician_client.get(CHANGELIST, {"created_at__year": today.year - 1})
    assert list(response.context["cl"].result_list) == []
    assert clinician_client.get(CHANGELIST, {"created_at__year": "abc"}).status_code in (200, 302)


def test_a_contradictory_outcome_is_refused_in_the_form_and_nothing_is_saved(clinician_client, db_ruleset):
    submission = make_submission(db_ruleset)
    response = clinician_client.post(
        change_url(submission),
        form_data(submission, **{"outcome-0-conditions": ["sciatica"], "outcome-0-none_found": "on"}),
    )
    assert response.status_code == 200
    assert "cannot go with a listed condition" in response.content.decode()
    assert not Outcome.objects.exists()


def test_staff_with_view_permission_only_see_the_page_read_only(client, db_ruleset):
    from django.contrib.auth.models import Permission

    user = staff_user("auditor")
    user.user_permissions.add(Permission.objects.get(codename="view_submission"))
    client.force_login(user)
    submission = make_submission(db_ruleset)
    response = client.get(change_url(submission))
    assert response.status_code == 200
    assert 'name="status"' not in response.content.decode()
    assert client.post(change_url(submission), form_data(submission, status="in_review")).status_code == 403
    assert Submission.objects.get(pk=submission.pk).status == ReviewStatus.NEW


def test_a_superuser_deleting_a_submission_is_audited(client, db_ruleset):
    client.force_login(superuser())
    submission = make_submission(db_ruleset)
    client.post(reverse("admin:triage_submission_delete", args=[submission.pk]), {"post": "yes"})
    assert not Submission.objects.filter(pk=submission.pk).exists()
    assert AuditEvent.objects.filter(action=AuditAction.DELETE, target=anonymised_target(submission.reference)).exists()


def test_deleting_several_from_the_queue_audits_each_once_and_writes_no_admin_log(client, db_ruleset):
    from django.contrib.admin.models import LogEntry

    client.force_login(superuser())
    submissions = [make_submission(db_ruleset) for _ in range(2)]
    client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [s.pk for s in submissions], "post": "yes"},
    )
    assert not Submission.objects.exists()
    events = AuditEvent.objects.filter(action=AuditAction.DELETE)
    expected = sorted(anonymised_target(s.reference) for s in submissions)
    assert sorted(events.values_list("target", flat=True)) == expected
    assert {event.detail["reason"] for event in events} == {"deleted by staff in the admin"}
    assert not LogEntry.objects.exists()


def test_facet_counts_are_off_so_the_query_budget_holds(clinician_client, db_ruleset, django_assert_max_num_queries):
    make_submission(db_ruleset)
    with django_assert_max_num_queries(8):
        response = clinician_client.get(CHANGELIST, {"_facets": "1"})
    assert "Show counts" not in response.content.decode()


def test_outcome_history_is_for_superusers_and_read_only(client, clinician_client, db_ruleset):
    from review.models import Outcome
    from review.services import outcome_record
    from triage.models import Condition

    submission = make_submission(db_ruleset)
    outcome_record(
        submission=submission,
        conditions=Condition.objects.filter(pk="sciatica"),
        actor=Actor(user=clinician_client.user),
    )
    url = reverse("admin:review_historicaloutcome_changelist")
    assert clinician_client.get(url).status_code == 403
    client.force_login(superuser())
    response = client.get(url)
    assert response.status_code == 200
    assert submission.reference in response.content.decode()
    record = Outcome.history.first()
    change = reverse("admin:review_historicaloutcome_change", args=[record.pk])
    assert client.post(change, {"detail": "rewritten"}).status_code == 403


def test_the_review_pages_need_no_inline_style_or_script(client, db_ruleset):
    """The strict CSP (style-src and script-src 'self') would block them."""
    import re

    from review.services import note_add, submission_status_change

    user = superuser()
    client.force_login(user)
    submission = make_submission(db_ruleset, yes=symptoms_of(db_ruleset, "sciatica"))
    submission_status_change(submission=submission, to_status=ReviewStatus.IN_REVIEW, actor=Actor(user=user))
    note_add(submission=submission, text="Called", actor=Actor(user=user))
    urls = [
        CHANGELIST,
        change_url(submission),
        reverse("admin:triage_submission_dashboard"),
        reverse("admin:triage_rulesetversion_publish"),
        reverse("admin:index"),
    ]
    for url in urls:
        content = client.get(url).content.decode()
        assert ' style="' not in content, url
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>\s*\S", content), url
