"""Reads: the published ruleset and its cache, the draft content, result links and the result page, in fixed queries."""

from __future__ import annotations

import pytest

from audit.actor import SYSTEM
from triage import scoring, selectors, services
from triage.models import Clinic, RulesetVersion, Submission
from triage.selectors import RESULT_TOKENS_SESSION_KEY

pytestmark = pytest.mark.django_db


def publish_copy(*, number: int) -> RulesetVersion:
    """A new published version holding the current draft content (what publishing stores)."""
    return RulesetVersion.objects.create(number=number, content=selectors.draft_content_get())


def submission_with(ruleset: scoring.Ruleset, *, yes: set[str] = frozenset(), **kwargs) -> Submission:
    answers = {q.code: q.code in yes for q in ruleset.questions}
    return services.submission_create(ruleset=ruleset, answers=answers, **kwargs)


# --- The published ruleset and its cache -----------------------------------------


class Clock:
    """Stands in for ``time`` in triage.selectors: the seconds move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch, settings) -> Clock:
    settings.TRIAGE_CONTENT_REREAD_SECONDS = 1
    clock = Clock()
    monkeypatch.setattr(selectors, "time", clock)
    return clock


def test_the_first_read_of_a_ruleset_costs_two_queries_then_none_for_a_second_then_one(
    clock, django_assert_num_queries
):
    with django_assert_num_queries(2):
        first = selectors.ruleset_get()
    clock.now += 0.9
    with django_assert_num_queries(0):
        assert selectors.ruleset_get() is first
    clock.now += 0.1
    with django_assert_num_queries(1):
        assert selectors.ruleset_get() is first


def test_with_no_reread_interval_every_read_asks_for_the_latest_number(settings, django_assert_num_queries):
    settings.TRIAGE_CONTENT_REREAD_SECONDS = 0
    first = selectors.ruleset_get()
    for _ in range(2):
        with django_assert_num_queries(1):
            assert selectors.ruleset_get() is first


def test_a_version_published_here_is_read_at_once_one_published_elsewhere_within_a_second(clock):
    old = selectors.ruleset_get()
    services.ruleset_publish(note="here", actor=SYSTEM)
    assert selectors.ruleset_get().version == old.version + 1
    publish_copy(number=old.version + 2)  # as another process would: this one's read is kept a second
    assert selectors.ruleset_get().version == old.version + 1
    clock.now += 1
    assert selectors.ruleset_get().version == old.version + 2


def test_the_clinic_list_is_kept_a_second_and_forgotten_when_a_clinic_is_saved_or_deleted(
    clock, django_assert_num_queries
):
    with django_assert_num_queries(1):
        clinics = selectors.clinic_list()
    with django_assert_num_queries(0):
        assert selectors.clinic_list() is clinics
    Clinic.objects.filter(pk=clinics[0].pk).update(phone="09 000 0000")  # no signal: as another process would
    assert selectors.clinic_list()[0].phone == clinics[0].phone
    clock.now += 1
    assert selectors.clinic_list()[0].phone == "09 000 0000"
    renamed = selectors.clinic_list()[1]
    renamed.name = "Renamed"
    renamed.save()
    assert selectors.clinic_list()[1].name == "Renamed"
    Clinic.objects.create(slug="new", name="New clinic", order=99).delete()
    assert [c.slug for c in selectors.clinic_list()] == list(Clinic.objects.values_list("slug", flat=True))


def test_a_version_read_by_number_comes_from_the_cache_without_a_query(django_assert_num_queries):
    latest = selectors.ruleset_get()
    with django_assert_num_queries(0):
        assert selectors.ruleset_get_version(number=latest.version) is latest


def test_publishing_a_new_version_is_seen_by_the_next_read_and_the_old_one_stays_readable():
    old = selectors.ruleset_get()
    publish_copy(number=old.version + 1)
    selectors.latest_ruleset_forget()
    new = selectors.ruleset_get()
    assert new.version == old.version + 1
    assert selectors.ruleset_get_version(number=old.version) is old


def test_clearing_the_cache_makes_the_next_read_parse_the_version_again(django_assert_num_queries):
    first = selectors.ruleset_get()
    selectors.ruleset_cache_clear()
    with django_assert_num_queries(2):
        again = selectors.ruleset_get()
    assert again == first
    assert again is not first


def test_without_a_published_ruleset_reading_one_says_to_run_the_migrations():
    RulesetVersion.objects.all().delete()
    with pytest.raises(selectors.NoPublishedRuleset, match="run the migrations"):
        selectors.ruleset_get()


def test_an_unknown_version_number_is_not_found():
    with pytest.raises(RulesetVersion.DoesNotExist):
        selectors.ruleset_get_version(number=999)


# --- Draft content ------------------------------------------------------------------


def test_the_draft_content_is_read_in_five_queries(django_assert_num_queries):
    # Weights, questions, conditions, (issue 11) the escalation rules and the built-in fields' words.
    with django_assert_num_queries(5):
        content = selectors.draft_content_get()
    assert content["questions"] and content["conditions"] and content["escalation_rules"] and content["fields"]


def test_the_unchanged_draft_builds_the_same_ruleset_as_the_published_one(db_ruleset):
    built = selectors.ruleset_from_content(number=db_ruleset.version, content=selectors.draft_content_get())
    assert built == db_ruleset


def test_a_ruleset_built_from_content_keeps_each_conditions_weights_in_order(db_ruleset):
    content = selectors.draft_content_get()
    built = selectors.ruleset_from_content(number=7, content=content)
    assert built.version == 7
    for condition, raw in zip(built.conditions, content["conditions"], strict=True):
        assert condition.slug == raw["slug"]
        assert condition.threshold == float(raw["threshold"])
        assert condition.weights == tuple((code, int(weight)) for code, weight in raw["weights"])


# --- Result links -----------------------------------------------------------------------


def test_a_result_token_opens_only_for_the_session_that_holds_it(db_ruleset, django_assert_num_queries):
    submission = submission_with(db_ruleset)
    with django_assert_num_queries(0):
        assert selectors.submission_get_for_session(session={}, token=submission.token) is None
    session = {RESULT_TOKENS_SESSION_KEY: [submission.token]}
    with django_assert_num_queries(1):
        found = selectors.submission_get_for_session(session=session, token=submission.token)
        assert found == submission
        found.clinic  # noqa: B018 - none chosen: no second query


def test_a_result_link_comes_with_its_clinic_from_the_recent_clinic_list(clock, db_ruleset, django_assert_num_queries):
    clinic = Clinic.objects.order_by("order").last()
    token = submission_with(db_ruleset, clinic_id=clinic.pk).token
    selectors.clinic_list()
    with django_assert_num_queries(1):
        found = selectors.submission_get_by_token(token=token)
        assert found.clinic == clinic
    Clinic.objects.filter(pk=clinic.pk).update(name="Renamed elsewhere")  # another process, within the second
    clock.now += 1
    with django_assert_num_queries(2):
        assert selectors.submission_get_by_token(token=token).clinic.name == "Renamed elsewhere"


def test_an_unknown_token_finds_nothing():
    assert selectors.submission_get_by_token(token="not-a-token") is None


# --- The result page ------------------------------------------------------------------------


def test_a_self_care_result_without_a_clinic_lists_every_clinic_in_one_query(db_ruleset, django_assert_num_queries):
    submission = selectors.submission_get_by_token(
        token=submission_with(db_ruleset, pain_duration="under_6_weeks").token
    )
    assert submission.disposition == scoring.DISPOSITION_SELF_CARE
    with django_assert_num_queries(1):
        page = selectors.result_page_get(submission=submission)
    assert list(page.clinics) == list(Clinic.objects.all())


def test_a_result_with_a_chosen_clinic_shows_only_that_clinic_without_a_query(db_ruleset, django_assert_num_queries):
    clinic = Clinic.objects.first()
    created = submission_with(db_ruleset, pain_duration="under_6_weeks", clinic_id=clinic.pk)
    submission = selectors.submission_get_by_token(token=created.token)
    with django_assert_num_queries(0):
        page = selectors.result_page_get(submission=submission)
    assert page.clinics == (clinic,)


def test_a_red_flag_result_lists_the_red_flag_in_the_patients_words_and_no_clinic(db_ruleset):
    red_flag = db_ruleset.questions_of_kind(scoring.EMERGENCY)[0]
    submission = submission_with(db_ruleset, yes={red_flag.code})
    page = selectors.result_page_get(submission=submission)
    assert page.disposition == scoring.DISPOSITION_EMERGENCY
    assert [(line.code, line.summary) for line in page.red_flags] == [(red_flag.code, red_flag.summary)]
    assert page.clinics == ()


def test_a_long_pain_reason_is_worded_even_though_no_question_has_its_code(db_ruleset):
    submission = submission_with(db_ruleset, pain_duration="over_12_weeks", pain_intensity=4)
    page = selectors.result_page_get(submission=submission)
    assert page.disposition == scoring.DISPOSITION_BOOK_ASSESSMENT
    assert [line.code for line in page.reasons] == [scoring.DURATION_REASON]
    assert page.reasons[0].summary == selectors.DURATION_REASON_TEXT
