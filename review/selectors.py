"""Reads for the review screens: a submission in plain words, the dashboard
figures (aggregated in the database: a fixed number of queries whatever the
number of submissions), the CSV export rows and the ruleset change preview."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from triage import scoring
from triage.models import (
    RED_FLAG_DISPOSITIONS,
    Clinic,
    Condition,
    Disposition,
    PainDuration,
    QuestionGroup,
    ReviewStatus,
    Submission,
    Suggestion,
)
from triage.selectors import ruleset_from_content, ruleset_get_version
from triage.steps import QUESTION_STEPS, SYMPTOMS

from .models import Outcome

# --- A submission's page ---------------------------------------------------------


@dataclass(frozen=True)
class AnswerRow:
    code: str
    text: str
    answer: bool | None  # None: not asked (the questionnaire stopped at a red flag)
    kind: str


@dataclass(frozen=True)
class AnswerGroup:
    title: str
    rows: tuple[AnswerRow, ...]


@dataclass(frozen=True)
class Contribution:
    code: str
    summary: str
    weight: int


@dataclass(frozen=True)
class ScoreRow:
    slug: str
    name: str
    score: float
    threshold: float
    suggested: bool
    symptom_total: int
    contributions: tuple[Contribution, ...]
    points: int


@dataclass(frozen=True)
class SubmissionReview:
    submission: Submission
    groups: tuple[AnswerGroup, ...]
    pain_duration: str
    pain_intensity: int | None
    red_flags: tuple[str, ...]
    scores: tuple[ScoreRow, ...]
    drivers: tuple[str, ...]
    reasons: tuple[str, ...]


def submission_review_get(*, submission: Submission) -> SubmissionReview:
    """The patient's answers grouped as they saw them, and the score breakdown, in words."""
    ruleset = ruleset_get_version(number=submission.ruleset_version_id)
    answers = submission.answers or {}
    groups = []
    for step in QUESTION_STEPS:  # as the patient went through them
        title, questions = step.title, ruleset.questions_of_kind(*step.kinds)
        if step is SYMPTOMS:
            # Symptoms were asked body area by body area.
            by_group: dict[str, list[AnswerRow]] = defaultdict(list)
            for q in questions:
                by_group[q.group].append(AnswerRow(q.code, q.text, answers.get(q.code), q.kind))
            for group_key, rows in by_group.items():
                label = QuestionGroup(group_key).label if group_key in QuestionGroup.values else group_key
                groups.append(AnswerGroup(f"{title}: {label}", tuple(rows)))
        else:
            groups.append(
                AnswerGroup(title, tuple(AnswerRow(q.code, q.text, answers.get(q.code), q.kind) for q in questions))
            )
    result = submission.result or {}

    def summary(code: str) -> str:
        question = ruleset.by_code.get(code)
        if question is None:
            return "Pain that has lasted 6 weeks or more" if code == scoring.DURATION_REASON else code
        return question.summary

    scores = []
    for row in result.get("scores", []):
        try:
            name = ruleset.condition(row["slug"]).name
        except KeyError:
            name = row["slug"]
        contributions = tuple(Contribution(code, summary(code), int(weight)) for code, weight in row["matched"])
        scores.append(
            ScoreRow(
                slug=row["slug"],
                name=name,
                score=row["score"],
                threshold=row["threshold"],
                suggested=row["suggested"],
                symptom_total=row["symptom_total"],
                contributions=contributions,
                points=sum(c.weight for c in contributions),
            )
        )
    scores.sort(key=lambda s: (not s.suggested, -s.score))
    return SubmissionReview(
        submission=submission,
        groups=tuple(groups),
        pain_duration=PainDuration(submission.pain_duration).label if submission.pain_duration else "",
        pain_intensity=submission.pain_intensity,
        red_flags=tuple(summary(code) for code in result.get("red_flags", [])),
        scores=tuple(scores),
        drivers=tuple(summary(code) for code in result.get("drivers", [])),
        reasons=tuple(summary(code) for code in result.get("assessment_reasons", [])),
    )


# --- Shared annotations --------------------------------------------------------------


def top_suggestion_subquery(field_name: str = "condition_id") -> Subquery:
    return Subquery(Suggestion.objects.filter(submission=OuterRef("pk"), rank=1).values(field_name)[:1])


def _outcome_condition_ids(depth: int = 1):
    through = Outcome.conditions.through
    ref = OuterRef("pk")
    for _ in range(depth - 1):
        ref = OuterRef(ref)
    return through.objects.filter(outcome__submission_id=ref).values("condition_id")


# --- Accuracy -----------------------------------------------------------------------

OTHER = "__other__"
NONE_FOUND = "__none__"
NO_SUGGESTION = "__no_suggestion__"


@dataclass
class VersionAccuracy:
    version: int
    assessed: int = 0
    top1: int = 0
    top3: int = 0
    # (top suggestion slug or NO_SUGGESTION, found slug or OTHER / NONE_FOUND) -> count
    confusion: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def top1_rate(self) -> float | None:
        return self.top1 / self.assessed if self.assessed else None

    @property
    def top3_rate(self) -> float | None:
        return self.top3 / self.assessed if self.assessed else None


def accuracy_get(*, queryset: QuerySet[Submission] | None = None) -> dict[int, VersionAccuracy]:
    """Top-1, top-3 and the suggestion x outcome table, per ruleset version (3 queries).

    Over submissions with a recorded outcome. The top suggestion is right
    when it is among the conditions found; top-3 when any of the (up to
    three) suggestions is. An outcome of "another condition" or "none of
    these" counts as a miss for any suggestion, and as a hit for nobody.
    """
    assessed = (queryset if queryset is not None else Submission.objects.all()).filter(outcome__isnull=False)
    found = _outcome_condition_ids(depth=2)
    hits = (
        assessed.annotate(
            top1_hit=Exists(Suggestion.objects.filter(submission_id=OuterRef("pk"), rank=1, condition_id__in=found)),
            top3_hit=Exists(Suggestion.objects.filter(submission_id=OuterRef("pk"), condition_id__in=found)),
        )
        .values("ruleset_version")
        .annotate(
            assessed=Count("pk"),
            top1=Count("pk", filter=Q(top1_hit=True)),
            top3=Count("pk", filter=Q(top3_hit=True)),
        )
        .order_by("ruleset_version")
    )
    report: dict[int, VersionAccuracy] = {}
    for row in hits:
        report[row["ruleset_version"]] = VersionAccuracy(
            version=row["ruleset_version"], assessed=row["assessed"], top1=row["top1"], top3=row["top3"]
        )
    with_top = assessed.annotate(top=top_suggestion_subquery())
    # Listed conditions found: one row per (version, top suggestion, condition found).
    for row in (
        with_top.filter(outcome__conditions__isnull=False)
        .values("ruleset_version", "top", "outcome__conditions")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        key = (row["top"] or NO_SUGGESTION, row["outcome__conditions"])
        report[row["ruleset_version"]].confusion[key] = row["n"]
    # "Another condition" and "none of these".
    for row in (
        with_top.values("ruleset_version", "top")
        .annotate(
            other=Count("pk", filter=Q(outcome__other=True)), none=Count("pk", filter=Q(outcome__none_found=True))
        )
        .order_by()
    ):
        confusion = report[row["ruleset_version"]].confusion
        top = row["top"] or NO_SUGGESTION
        if row["other"]:
            confusion[(top, OTHER)] = row["other"]
        if row["none"]:
            confusion[(top, NONE_FOUND)] = row["none"]
    return report


@dataclass(frozen=True)
class ConfusionTable:
    version: int
    accuracy: VersionAccuracy
    columns: tuple[tuple[str, str], ...]  # (key, label)
    rows: tuple[tuple[str, tuple[int, ...], int], ...]  # (label, counts per column, row total)


def confusion_tables(*, report: dict[int, VersionAccuracy], conditions: list[Condition]) -> list[ConfusionTable]:
    names = {c.slug: c.name for c in conditions}
    tables = []
    for version, accuracy in sorted(report.items(), reverse=True):
        used_found = {found for _top, found in accuracy.confusion}
        used_top = {top for top, _found in accuracy.confusion}
        columns = [(c.slug, c.name) for c in conditions if c.slug in used_found]
        columns += [(k, names.get(k, k)) for k in sorted(used_found) if k not in names and k not in (OTHER, NONE_FOUND)]
        columns += [(OTHER, "Another condition"), (NONE_FOUND, "None of these")]
        row_keys = [c.slug for c in conditions if c.slug in used_top]
        row_keys += [k for k in sorted(used_top) if k not in names and k != NO_SUGGESTION]
        row_keys.append(NO_SUGGESTION)
        rows = []
        for top in row_keys:
            counts = tuple(accuracy.confusion.get((top, key), 0) for key, _label in columns)
            label = "No suggestion" if top == NO_SUGGESTION else names.get(top, top)
            rows.append((label, counts, sum(counts)))
        tables.append(ConfusionTable(version, accuracy, tuple(columns), tuple(rows)))
    return tables


# --- Dashboard ----------------------------------------------------------------------

WEEKS = 12
RED_FLAGS_LISTED = 25


@dataclass(frozen=True)
class Dashboard:
    since: datetime
    weekly: list[dict]  # {"week": date, disposition: count, ...}
    per_clinic: list[tuple[str, int]]
    per_condition: list[tuple[str, int]]
    accuracy: list[ConfusionTable]
    red_flags_recent: list[Submission]
    red_flags_recent_count: int
    red_flags_by_status: list[tuple[str, str, int]]  # (status, label, count)
    total: int


def dashboard_get(*, now: datetime | None = None) -> Dashboard:
    """Everything the dashboard shows, in a fixed number of queries."""
    now = now or timezone.now()
    local_today = timezone.localtime(now).date()
    first_week = local_today - timedelta(days=local_today.weekday()) - timedelta(weeks=WEEKS - 1)
    since = timezone.make_aware(datetime.combine(first_week, datetime.min.time()))
    recent = Submission.objects.filter(created_at__gte=since)

    # One pass, plain range comparisons on the indexed created_at: no per-row
    # date truncation (a Python function call per row on SQLite).
    week_starts = [first_week + timedelta(weeks=i) for i in range(WEEKS)]
    bounds = [timezone.make_aware(datetime.combine(day, datetime.min.time())) for day in week_starts]
    bounds.append(now + timedelta(seconds=1))
    per_week = {
        f"w{i}": Count("pk", filter=Q(created_at__gte=bounds[i], created_at__lt=bounds[i + 1])) for i in range(WEEKS)
    }
    weeks: dict = {day: Counter() for day in week_starts}
    clinics: Counter = Counter()
    # Weeks x dispositions and clinics, from one pass over the covering index.
    for row in recent.values("disposition", "clinic").annotate(**per_week).order_by():
        for i, day in enumerate(week_starts):
            weeks[day][row["disposition"]] += row[f"w{i}"]
            clinics[row["clinic"]] += row[f"w{i}"]
    weekly = [{"week": week, "counts": counts} for week, counts in weeks.items()]
    clinic_names = dict(Clinic.objects.values_list("pk", "name"))
    per_clinic = [(clinic_names.get(pk, "No clinic chosen"), n) for pk, n in clinics.most_common() if n]
    total = sum(clinics.values())
    conditions = list(Condition.objects.all())
    names = {c.slug: c.name for c in conditions}
    per_condition = [
        (names.get(row["condition"], row["condition"]), row["n"])
        # "IN (recent ids)" lets the database walk the created_at index and
        # look each suggestion up by (submission, rank), instead of scanning
        # every suggestion and joining back to its submission.
        for row in Suggestion.objects.filter(rank=1, submission_id__in=recent.values("pk"))
        .values("condition")
        .annotate(n=Count("pk"))
        .order_by("-n")
    ]
    suggested = sum(n for _name, n in per_condition)
    if total > suggested:
        per_condition.append(("No suggestion", total - suggested))
    week_ago = now - timedelta(days=7)
    # By disposition (what red_flag is computed from): counted through an index.
    red = Submission.objects.filter(disposition__in=RED_FLAG_DISPOSITIONS, created_at__gte=week_ago)
    by_status = Counter(dict(red.values_list("status").annotate(n=Count("pk")).order_by()))
    return Dashboard(
        since=since,
        weekly=weekly,
        per_clinic=per_clinic,
        per_condition=per_condition,
        accuracy=confusion_tables(report=accuracy_get(), conditions=conditions),
        red_flags_recent=list(red.select_related("assigned_to", "clinic").order_by("-created_at")[:RED_FLAGS_LISTED]),
        red_flags_recent_count=sum(by_status.values()),
        red_flags_by_status=[
            (value, label, by_status[value]) for value, label in ReviewStatus.choices if by_status[value]
        ],
        total=total,
    )


# --- CSV export -------------------------------------------------------------------

EXPORT_COLUMNS = (
    "reference",
    "received_at",
    "ruleset_version",
    "disposition",
    "red_flag",
    "red_flag_answers",
    "suggestion_1",
    "suggestion_1_score",
    "suggestion_2",
    "suggestion_2_score",
    "suggestion_3",
    "suggestion_3_score",
    "drivers",
    "pain_duration",
    "pain_intensity",
    "clinic",
    "contact_consent",
    "status",
    "assigned_to",
    "outcome_conditions",
    "outcome_other",
    "outcome_none_of_these",
    "outcome_recorded_at",
)
EXPORT_CHUNK_SIZE = 2000


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def export_rows(*, queryset: QuerySet[Submission], chunk_size: int = EXPORT_CHUNK_SIZE) -> Iterator[list[str]]:
    """The export's rows (header first), read from the database a chunk at a time."""
    yield list(EXPORT_COLUMNS)
    rows = (
        queryset.select_related("clinic", "assigned_to", "outcome")
        .prefetch_related("suggestions", "outcome__conditions")
        .defer("answers", "token", "idempotency_key", "contact_name", "contact_email", "contact_phone")
        .order_by("-created_at", "-pk")
    )
    for s in rows.iterator(chunk_size=chunk_size):
        suggestions = sorted(s.suggestions.all(), key=lambda x: x.rank)[:3]
        cells: list[str] = []
        for i in range(3):
            if i < len(suggestions):
                cells += [suggestions[i].condition_id, f"{suggestions[i].score:.3f}"]
            else:
                cells += ["", ""]
        try:
            outcome = s.outcome
        except Outcome.DoesNotExist:
            outcome = None
        result = s.result or {}
        yield [
            s.reference,
            timezone.localtime(s.created_at).isoformat(timespec="seconds"),
            str(s.ruleset_version_id),
            s.disposition,
            _yes_no(s.red_flag),
            " ".join(result.get("red_flags", [])),
            *cells,
            " ".join(result.get("drivers", [])),
            s.pain_duration,
            "" if s.pain_intensity is None else str(s.pain_intensity),
            s.clinic.slug if s.clinic else "",
            _yes_no(s.contact_consent),
            s.status,
            s.assigned_to.get_username() if s.assigned_to else "",
            " ".join(sorted(c.slug for c in outcome.conditions.all())) if outcome else "",
            _yes_no(outcome.other) if outcome else "",
            _yes_no(outcome.none_found) if outcome else "",
            timezone.localtime(outcome.recorded_at).isoformat(timespec="seconds") if outcome else "",
        ]


# --- What would change if the draft were published ---------------------------------

PREVIEW_DEFAULT = 500
PREVIEW_MAX = 5000


@dataclass(frozen=True)
class ChangedCase:
    reference: str
    pk: int
    before: str
    after: str


@dataclass(frozen=True)
class RulesetPreview:
    compared: int
    disposition_changed: int
    top_changed: int
    disposition_moves: list[tuple[str, str, int]]
    red_flag_changes: list[ChangedCase]
    problem: str | None = None


def ruleset_change_preview(*, draft_content: dict, last: int = PREVIEW_DEFAULT) -> RulesetPreview:
    """Re-score the last ``last`` submissions with the draft and count what changes (2 queries)."""
    try:
        draft = ruleset_from_content(number=0, content=draft_content)
    except ValueError as error:
        return RulesetPreview(0, 0, 0, [], [], problem=str(error))
    rows = Submission.objects.order_by("-created_at", "-pk").values_list(
        "pk", "reference", "answers", "pain_duration", "pain_intensity", "disposition"
    )[:last]
    tops = dict(
        Suggestion.objects.filter(rank=1, submission_id__in=[r[0] for r in rows]).values_list(
            "submission_id", "condition_id"
        )
    )
    moves: Counter = Counter()
    top_changed = 0
    red_flag_changes = []
    compared = 0
    for pk, reference, answers, duration, intensity, disposition in rows:
        compared += 1
        assessment = scoring.score(draft, scoring.Answers.from_mapping(answers or {}, duration or None, intensity))
        if assessment.disposition != disposition:
            moves[(disposition, assessment.disposition)] += 1
            if disposition in (Disposition.EMERGENCY, Disposition.SEE_DOCTOR_TODAY):
                red_flag_changes.append(ChangedCase(reference, pk, disposition, assessment.disposition))
        new_top = assessment.suggestions[0].slug if assessment.suggestions else None
        if new_top != tops.get(pk):
            top_changed += 1
    labels = dict(Disposition.choices)
    return RulesetPreview(
        compared=compared,
        disposition_changed=sum(moves.values()),
        top_changed=top_changed,
        disposition_moves=[(labels.get(a, a), labels.get(b, b), n) for (a, b), n in moves.most_common()],
        red_flag_changes=red_flag_changes,
    )
