"""Writes: storing submissions and publishing rulesets."""

from __future__ import annotations

import pytest
from django.db import IntegrityError

from audit.actor import SYSTEM
from audit.models import AuditAction, AuditEvent
from tests.review_helpers import symptoms_of
from triage import selectors, services
from triage.models import Clinic, Condition, ConditionWeight, Question, RulesetVersion, Submission

pytestmark = pytest.mark.django_db


def create(ruleset, answers, **fields):
    return services.submission_create(ruleset=ruleset, answers=answers, **fields)


def test_reference_codes_are_eight_characters_without_look_alikes():
    codes = {services.reference_generate() for _ in range(500)}
    assert len(codes) == 500
    for code in codes:
        assert len(code) == 8
        assert not set(code) & set("0O1IL5S8B")


def test_a_submission_stores_structured_answers_and_the_result_as_computed(db_ruleset):
    submission = create(db_ruleset, {"groin_pain": True, "clicking_catching": True, "saddle_numbness": False},
                        pain_duration="over_12_weeks", pain_intensity=4)  # fmt: skip
    submission.refresh_from_db()
    assert submission.answers == {"groin_pain": True, "clicking_catching": True, "saddle_numbness": False}
    assert submission.disposition == "book_assessment"
    assert submission.ruleset_version_id == 2
    assert submission.result["suggestions"] == ["hip-impingement"]
    scores = {s["slug"]: s for s in submission.result["scores"]}
    assert scores["hip-impingement"]["matched"] == [["groin_pain", 3], ["clicking_catching", 3]]
    suggestion = submission.suggestions.get()
    assert (suggestion.condition_id, suggestion.rank, float(suggestion.score)) == ("hip-impingement", 1, 0.667)


def stored_suggestions(submission) -> list[tuple[str, int, float]]:
    return [(s.condition_id, s.rank, float(s.score)) for s in submission.suggestions.order_by("rank")]


def scored_suggestions(submission) -> list[tuple[str, int, float]]:
    scores = {s["slug"]: s["score"] for s in submission.result["scores"]}
    return [(slug, rank, round(scores[slug], 3)) for rank, slug in enumerate(submission.result["suggestions"], 1)]


@pytest.mark.parametrize("gone", [(), ("sciatica",), ("hip-bursitis", "sciatica")])
def test_each_suggestion_is_stored_with_its_rank_and_score_even_when_its_conditions_row_is_gone(db_ruleset, gone):
    yes = symptoms_of(db_ruleset, "hip-bursitis") | symptoms_of(db_ruleset, "sciatica")
    Condition.objects.filter(slug__in=gone).delete()  # a script or the shell, behind the admin's back
    submission = create(db_ruleset, dict.fromkeys(yes, True))
    assert len(submission.result["suggestions"]) >= 2
    assert stored_suggestions(submission) == scored_suggestions(submission)
    assert set(Condition.objects.filter(retired_at__isnull=False).values_list("slug", flat=True)) == set(gone)


def test_later_weight_edits_and_publishing_never_rewrite_past_results(db_ruleset):
    before = create(db_ruleset, {"groin_pain": True, "clicking_catching": True})
    stored = (before.result, list(before.suggestions.values_list("condition_id", "score")))
    ConditionWeight.objects.filter(condition_id="hip-impingement").update(weight=1)
    Question.objects.filter(code="groin_pain").update(summary="Changed wording")
    services.ruleset_publish(note="test", actor=SYSTEM)
    before.refresh_from_db()
    assert (before.result, list(before.suggestions.values_list("condition_id", "score"))) == stored
    assert before.ruleset_version_id == 2
    # The page for the old result still uses the words of version 2 (the one it was scored with).
    page = selectors.result_page_get(submission=Submission.objects.select_related("ruleset_version").get())
    assert page.suggestions[0].why[0].summary == "Pain in the groin or the front of the hip"


def test_publishing_makes_a_new_version_that_new_submissions_use(db_ruleset):
    # Versions 1 and 2 are seeded by migrations (2: issue 11's second ruleset).
    version = services.ruleset_publish(note="third", actor=SYSTEM)
    assert version.number == 3
    ruleset = selectors.ruleset_get()
    assert ruleset.version == 3
    assert create(ruleset, {}).ruleset_version_id == 3


def test_publishing_is_audited_whoever_calls_it(db_ruleset):
    version = services.ruleset_publish(note="from a script", actor=SYSTEM)
    event = AuditEvent.objects.get(action=AuditAction.PUBLISH)
    assert (event.target, event.actor_label, event.detail) == (str(version), "system", {"note": "from a script"})


def test_publishing_an_inconsistent_draft_is_refused(db_ruleset):
    ConditionWeight.objects.create(
        condition_id="sciatica", question=Question.objects.get(code="fever_unwell"), weight=2
    )
    with pytest.raises(ValueError, match="red flag"):
        services.ruleset_publish(actor=SYSTEM)
    assert RulesetVersion.objects.count() == 2
    assert not AuditEvent.objects.exists()


def test_the_same_questionnaire_run_stores_one_submission(db_ruleset):
    first = create(db_ruleset, {"groin_pain": True}, idempotency_key="run-1")
    again = create(db_ruleset, {"groin_pain": True}, idempotency_key="run-1")
    assert again.pk == first.pk
    assert Submission.objects.count() == 1


def test_contact_details_are_kept_only_as_given_with_consent(db_ruleset):
    anonymous = create(db_ruleset, {})
    assert (anonymous.contact_consent, anonymous.contact_name) == (False, "")
    named = create(db_ruleset, {}, contact=services.ContactDetails(name="Mere", email="mere@example.com"))
    assert named.contact_consent and named.contact_email == "mere@example.com"


def test_a_colliding_reference_is_replaced_rather_than_failing(db_ruleset, monkeypatch):
    codes = iter(["AAAAAAAA", "AAAAAAAA", "CCCCCCCC"])
    monkeypatch.setattr(services, "reference_generate", lambda: next(codes))
    first = create(db_ruleset, {})
    second = create(db_ruleset, {})
    assert (first.reference, second.reference) == ("AAAAAAAA", "CCCCCCCC")
    assert Submission.objects.count() == 2


def test_a_clinic_deleted_after_it_was_chosen_stores_the_submission_without_one(db_ruleset, monkeypatch):
    """Chosen from a list read moments before the clinic went: stored, as its deletion does to the others.

    The database refuses the row at commit (its foreign keys are checked then); inside the test's own
    transaction there is no commit, so the save raises what the commit would.
    """
    gone = Clinic.objects.create(slug="closing", name="Closing clinic", order=99)
    gone_id = gone.pk
    gone.delete()
    real_save = Submission.save

    def checked_save(self, *args, **kwargs):
        if self.clinic_id is not None and not Clinic.objects.filter(pk=self.clinic_id).exists():
            raise IntegrityError("FOREIGN KEY constraint failed")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(Submission, "save", checked_save)
    submission = create(db_ruleset, {"groin_pain": True}, clinic_id=gone_id)
    submission.refresh_from_db()
    assert submission.clinic_id is None
