"""Writes: every change to submissions and rulesets goes through here."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from functools import partial

from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from audit.actor import SYSTEM, Actor
from audit.models import AuditAction
from audit.services import audit_anonymise, audit_record

from . import escalation, scoring
from .contact import ContactDetails
from .models import Clinic, Condition, ReviewStatus, RulesetVersion, Submission, Suggestion
from .selectors import draft_content_get, escalation_rules_from_content, latest_ruleset_forget, ruleset_from_content
from .signals import submission_created

# No look-alikes (0/O, 1/I/L, 5/S, 8/B): easy to read out over the phone.
REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY234679"
REFERENCE_LENGTH = 8


def reference_generate() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def token_generate() -> str:
    # 256 bits: a result link cannot be guessed or enumerated.
    return secrets.token_urlsafe(32)


def assessment_record(assessment: scoring.Assessment) -> dict:
    """The assessment as stored on a submission: plain JSON, never repr text.

    Kept compact (it is stored on every submission): names, texts and the
    symptoms not reported can be looked up in the stored ruleset version.
    """
    return {
        "disposition": assessment.disposition,
        "red_flags": list(assessment.red_flags),
        "drivers": list(assessment.drivers),
        "assessment_reasons": list(assessment.assessment_reasons),
        "suggestions": [s.slug for s in assessment.suggestions],
        # Ruleset 2 on: the rule that decided, its sentence, what met it, and the PEG score.
        "rule": assessment.rule,
        "reason": assessment.reason,
        "reasons": list(assessment.reasons),
        "context": list(assessment.context),
        "peg": assessment.peg,
        "acc_possible": assessment.acc_possible,
        "scores": [
            {
                "slug": s.slug,
                "score": s.score,
                "threshold": s.threshold,
                "suggested": s.suggested,
                "matched": [[code, weight] for code, weight in s.contributions],
                "symptom_total": s.symptom_total,
            }
            for s in assessment.scores
        ],
    }


def submission_build(
    *,
    ruleset: scoring.Ruleset,
    answers: Mapping[str, bool],
    pain_duration: str = "",
    pain_intensity: int | None = None,
    age: int | None = None,
    enjoyment_interference: int | None = None,
    activity_interference: int | None = None,
    clinic_id: int | None = None,
    contact: ContactDetails | None = None,
    followup_consent: bool = False,
    idempotency_key: str | None = None,
    privacy_notice_version: str = "",
) -> tuple[Submission, scoring.Assessment]:
    """Score the answers and build (but do not save) the submission."""
    assessment = scoring.score(
        ruleset,
        scoring.Answers.from_mapping(
            answers,
            pain_duration or None,
            pain_intensity,
            age=age,
            enjoyment_interference=enjoyment_interference,
            activity_interference=activity_interference,
        ),
    )
    contact = contact or ContactDetails()
    consent = bool(contact.name or contact.email or contact.phone)
    # Check-ins are emailed: only with consent to be contacted and an email (the database says so too).
    followup = followup_consent and consent and bool(contact.email)
    submission = Submission(
        reference=reference_generate(),
        token=token_generate(),
        ruleset_version_id=ruleset.version,
        answers=dict(answers),
        pain_duration=pain_duration or "",
        pain_intensity=pain_intensity,
        age=age,
        enjoyment_interference=enjoyment_interference,
        activity_interference=activity_interference,
        clinic_id=clinic_id,
        contact_consent=consent,
        # The consent box is ticked on the last step, submitted with this request.
        contact_consent_at=timezone.now() if consent else None,
        followup_consent=followup,
        followup_consent_at=timezone.now() if followup else None,
        privacy_notice_version=privacy_notice_version,
        contact_name=contact.name,
        contact_email=contact.email,
        contact_phone=contact.phone,
        disposition=assessment.disposition,
        result=assessment_record(assessment),
        idempotency_key=idempotency_key,
    )
    return submission, assessment


def suggestions_build(*, submission: Submission, assessment: scoring.Assessment) -> list[Suggestion]:
    return [
        Suggestion(
            submission=submission,
            condition_id=s.slug,
            rank=rank,
            score=Decimal(str(s.score)),
        )
        for rank, s in enumerate(assessment.suggestions, start=1)
    ]


def submission_create(
    *,
    ruleset: scoring.Ruleset,
    answers: Mapping[str, bool],
    pain_duration: str = "",
    pain_intensity: int | None = None,
    age: int | None = None,
    enjoyment_interference: int | None = None,
    activity_interference: int | None = None,
    clinic_id: int | None = None,
    contact: ContactDetails | None = None,
    followup_consent: bool = False,
    idempotency_key: str | None = None,
    privacy_notice_version: str = "",
    on_stored: Callable[[Submission], None] | None = None,
) -> Submission:
    """Score and store one submission with its suggestions, in one transaction.

    With an ``idempotency_key``, a repeat of the same questionnaire run (a
    double-clicked submit, a replayed request) returns the submission already
    stored instead of storing a second one. ``on_stored(submission)`` runs
    inside the transaction, for a new submission only: the questionnaire
    saves the person's session there, so the result and the session that
    opens it are written in one commit (on PostgreSQL, one flush to disk).
    """
    submission, assessment = submission_build(
        ruleset=ruleset,
        answers=answers,
        pain_duration=pain_duration,
        pain_intensity=pain_intensity,
        age=age,
        enjoyment_interference=enjoyment_interference,
        activity_interference=activity_interference,
        clinic_id=clinic_id,
        contact=contact,
        followup_consent=followup_consent,
        idempotency_key=idempotency_key,
        privacy_notice_version=privacy_notice_version,
    )
    for _attempt in range(3):
        try:
            with transaction.atomic():
                submission.save(force_insert=True)
                suggestions = suggestions_build(submission=submission, assessment=assessment)
                missing = suggestions_insert(suggestions)
                if missing:
                    conditions_restore(ruleset=ruleset, slugs=missing)
                    suggestions_insert([s for s in suggestions if s.condition_id in missing])
                if on_stored is not None:
                    on_stored(submission)
                # After the commit, and only for a new submission: a receiver's failure never loses it.
                transaction.on_commit(partial(submission_created.send_robust, sender=Submission, submission=submission))
            return submission
        except IntegrityError:
            if idempotency_key:
                existing = Submission.objects.filter(idempotency_key=idempotency_key).first()
                if existing is not None:
                    return existing
            if submission.clinic_id is not None and not Clinic.objects.filter(pk=submission.clinic_id).exists():
                # The chosen clinic was deleted meanwhile: stored without one, as its deletion does to others.
                submission.clinic_id = None
            # Otherwise a reference or token collided (vanishingly rare): draw new ones and try again.
            submission.pk = None
            submission.reference, submission.token = reference_generate(), token_generate()
    raise RuntimeError("could not store the submission after 3 attempts")


def suggestions_insert(suggestions: list[Suggestion]) -> set[str]:
    """Insert the suggestions whose condition has a row, in one statement; the slugs of those left out.

    A suggestion names its condition's row, but the published ruleset, not
    the rows, decides what is suggested: the admin refuses to delete a
    published condition, yet a row can still go (a script, the shell).
    ``INSERT ... SELECT`` from the condition table checks that and inserts
    in one round trip (the final submit's budget is 8 queries): the rare
    slug left out is put back (``conditions_restore``) and inserted again.
    """
    if not suggestions:
        return set()
    meta, condition_meta, quote = Suggestion._meta, Condition._meta, connection.ops.quote_name
    rank_field, score_field = meta.get_field("rank"), meta.get_field("score")
    slug = quote(condition_meta.get_field("slug").column)
    cases = " ".join(["WHEN %s THEN %s"] * len(suggestions))
    # Only quoted table and column names and placeholders are spliced in; every value is a parameter.
    sql = (
        f"INSERT INTO {quote(meta.db_table)} "  # noqa: S608
        f"({quote(meta.get_field('submission').column)}, {quote(meta.get_field('condition').column)}, "
        f"{quote(rank_field.column)}, {quote(score_field.column)}) "
        f"SELECT %s, {slug}, CASE {slug} {cases} END, CASE {slug} {cases} END "
        f"FROM {quote(condition_meta.db_table)} WHERE {slug} IN ({', '.join(['%s'] * len(suggestions))})"
    )
    slugs = [s.condition_id for s in suggestions]
    params = [suggestions[0].submission_id]
    for field in (rank_field, score_field):
        for suggestion in suggestions:
            params += [suggestion.condition_id, field.get_db_prep_save(getattr(suggestion, field.attname), connection)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *slugs])
        if cursor.rowcount == len(suggestions):
            return set()
    return set(slugs) - set(Condition.objects.filter(slug__in=slugs).values_list("slug", flat=True))


def conditions_restore(*, ruleset: scoring.Ruleset, slugs: set[str]) -> None:
    """Put back, retired, the suggested conditions whose rows are gone, from the published snapshot."""
    Condition.objects.bulk_create(
        [
            Condition(
                slug=c.slug,
                name=c.name,
                summary=c.summary,
                clinic_care=c.clinic_care,
                threshold=Decimal(str(c.threshold)),
                order=c.order,
                retired_at=timezone.now(),
            )
            for c in ruleset.conditions
            if c.slug in slugs
        ],
        ignore_conflicts=True,
    )


# A red flag may become more urgent in a new version, never less.
RED_FLAG_KEEPS = {
    scoring.EMERGENCY: {scoring.EMERGENCY},
    scoring.DOCTOR_TODAY: {scoring.EMERGENCY, scoring.DOCTOR_TODAY},
}


def red_flag_problems(*, published: dict, draft: dict) -> list[str]:
    """Why publishing ``draft`` would stop a red flag sending people to emergency / a doctor today.

    Two checks. Questions: every published red-flag question must stay, at
    the same or a more urgent kind (the rules send a "yes" to any emergency or
    doctor-today question there by kind). Escalation rules: every published
    rule at emergency, see a doctor today or see a GP soon must stay, at the
    same or a more urgent disposition, holding for at least the same answers
    (triage.escalation.rule_weakenings). A version published before rules
    existed is compared with the rules it was scored by (scoring.LEGACY_RULES).
    """
    draft_kinds = {q["code"]: q["kind"] for q in draft["questions"]}
    problems = []
    for question in published["questions"]:
        keeps = RED_FLAG_KEEPS.get(question["kind"])
        if keeps is None:
            continue
        kind = draft_kinds.get(question["code"])
        if kind is None:
            problems.append(f"red-flag question {question['code']!r} has been removed")
        elif kind not in keeps:
            problems.append(f"red-flag question {question['code']!r} would change from {question['kind']} to {kind}")
    published_rules = (
        escalation_rules_from_content(published) if "escalation_rules" in published else scoring.LEGACY_RULES
    )
    problems += escalation.rule_weakenings(published=published_rules, draft=escalation_rules_from_content(draft))
    return problems


def database_checkpoint() -> None:
    """On SQLite, fold the write-ahead log into the database file and empty it.

    Deleted rows otherwise linger in the -wal file until the next automatic
    checkpoint; with ``secure_delete`` on (settings) the checkpoint also
    overwrites them in the main file. Nothing to do on PostgreSQL, nor inside
    a transaction (SQLite refuses; callers run it on commit).
    """
    if connection.vendor == "sqlite" and not connection.in_atomic_block:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def submission_delete(*, submission: Submission, actor: Actor, reason: str) -> None:
    """Delete one submission for good, with an audit line (no health data in it).

    What the trail held about it (its reference, the IPs of those who looked)
    is anonymised, so nothing outlives the answers.
    """
    submissions_delete(queryset=Submission.objects.filter(pk=submission.pk), actor=actor, reason=reason)


def submissions_delete(*, queryset: QuerySet[Submission], actor: Actor, reason: str) -> None:
    """Delete several submissions for good: one audit line each, then the trail about them anonymised."""
    with transaction.atomic():
        references = list(queryset.values_list("reference", flat=True))
        queryset.delete()
        audit_anonymise(targets=references)
        for reference in references:
            # The fact of the deletion, not the reference.
            audit_record(
                action=AuditAction.DELETE, target=reference, actor=actor, detail={"reason": reason}, anonymise=True
            )
        transaction.on_commit(database_checkpoint)


@dataclass(frozen=True)
class PurgeCounts:
    anonymous: int
    follow_up: int

    @property
    def total(self) -> int:
        return self.anonymous + self.follow_up


# Statuses that mean the clinic took the person on (they were contacted,
# booked or seen): the answers are then part of their health record. "In
# review" and "not appropriate" are not: without contact details such a
# submission is still anonymous answers, deleted as the privacy notice says.
FOLLOWED_UP_STATUSES = (ReviewStatus.CONTACTED, ReviewStatus.BOOKED, ReviewStatus.CLOSED)


def submissions_due_for_purge(*, retention_days: Mapping[str, int], now=None) -> tuple:
    """Two querysets: anonymous submissions and those with follow-up, each past its retention period.

    A submission has clinical follow-up when the person agreed to be
    contacted or the clinic followed it up (contacted, booked, closed after
    seeing them): either way it may be part of their health record.
    """
    now = now or timezone.now()
    with_follow_up = Q(contact_consent=True) | Q(status__in=FOLLOWED_UP_STATUSES)
    anonymous = Submission.objects.filter(
        ~with_follow_up, created_at__lt=now - timedelta(days=retention_days["anonymous"])
    )
    follow_up = Submission.objects.filter(
        with_follow_up, created_at__lt=now - timedelta(days=retention_days["follow_up"])
    )
    return anonymous, follow_up


def submissions_purge(*, retention_days: Mapping[str, int], dry_run: bool = False, now=None) -> PurgeCounts:
    """Delete submissions past their retention period; audited unless ``dry_run``."""
    anonymous, follow_up = submissions_due_for_purge(retention_days=retention_days, now=now)
    if dry_run:
        return PurgeCounts(anonymous=anonymous.count(), follow_up=follow_up.count())
    with transaction.atomic():
        references = [*anonymous.values_list("reference", flat=True), *follow_up.values_list("reference", flat=True)]
        # Count the submissions themselves, not the suggestions deleted with them.
        counts = PurgeCounts(
            anonymous=anonymous.delete()[1].get("triage.Submission", 0),
            follow_up=follow_up.delete()[1].get("triage.Submission", 0),
        )
        audit_record(
            action=AuditAction.PURGE,
            target="submissions",
            actor=SYSTEM,
            detail={
                "anonymous": counts.anonymous,
                "follow_up": counts.follow_up,
                "retention_days": dict(retention_days),
            },
        )
        audit_anonymise(targets=references)
        transaction.on_commit(database_checkpoint)
    return counts


def ruleset_publish(*, note: str = "", actor: Actor) -> RulesetVersion:
    """Freeze the current draft content into a new published ruleset version.

    The draft is validated by building a scoring Ruleset from it first, so a
    broken draft (a weight on a red flag, say) is refused before it goes live,
    and so is one that would stop a red flag sending people to emergency or a
    doctor today. Audited here, so a version published from a script or a
    test is in the trail as much as one published from the admin.
    """
    content = draft_content_get()
    ruleset_from_content(number=0, content=content)  # raises ValueError when inconsistent
    published = RulesetVersion.objects.order_by("-number").values_list("content", flat=True).first()
    if published is not None:
        problems = red_flag_problems(published=published, draft=content)
        if problems:
            raise ValueError("; ".join(problems))
    latest = RulesetVersion.objects.aggregate(latest=Max("number"))["latest"] or 0
    # Two editors publishing at the same instant collide on the unique number:
    # the second gets an IntegrityError rather than a silently shared version.
    with transaction.atomic():
        version = RulesetVersion.objects.create(number=latest + 1, content=content, note=note, published_by=actor.user)
        audit_record(action=AuditAction.PUBLISH, target=str(version), actor=actor, detail={"note": version.note})
        # This process's next page takes the new version at once (and again after the commit);
        # other processes within a second (selectors.RecentRead).
        latest_ruleset_forget()
        transaction.on_commit(latest_ruleset_forget)
    return version
