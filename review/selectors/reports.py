"""The dashboard's figures and the accuracy report, aggregated in the database:
a fixed number of queries whatever the number of submissions."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from triage.models import RED_FLAG_DISPOSITIONS, Clinic, Condition, ReviewStatus, Submission, Suggestion

from ..models import Outcome


def top_suggestion_subquery(field_name: str = "condition_id") -> Subquery:
    return Subquery(Suggestion.objects.filter(submission=OuterRef("pk"), rank=1).values(field_name)[:1])


def _outcome_condition_ids(depth: int = 1):
    through = Outcome.conditions.through
    ref = OuterRef("pk")
    for _ in range(depth - 1):
        ref = OuterRef(ref)
    return through.objects.filter(outcome__submission_id=ref).values("condition_id")


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
    # (key, condition name); the name is None for OTHER, NONE_FOUND and NO_SUGGESTION: the template words them.
    columns: tuple[tuple[str, str | None], ...]
    rows: tuple[tuple[str, str | None, tuple[int, ...], int], ...]  # (key, name, counts per column, row total)


def confusion_tables(*, report: dict[int, VersionAccuracy], conditions: list[Condition]) -> list[ConfusionTable]:
    names = {c.slug: c.name for c in conditions}
    tables = []
    for version, accuracy in sorted(report.items(), reverse=True):
        used_found = {found for _top, found in accuracy.confusion}
        used_top = {top for top, _found in accuracy.confusion}
        columns = [(c.slug, c.name) for c in conditions if c.slug in used_found]
        columns += [(k, names.get(k, k)) for k in sorted(used_found) if k not in names and k not in (OTHER, NONE_FOUND)]
        columns += [(OTHER, None), (NONE_FOUND, None)]
        row_keys = [c.slug for c in conditions if c.slug in used_top]
        row_keys += [k for k in sorted(used_top) if k not in names and k != NO_SUGGESTION]
        row_keys.append(NO_SUGGESTION)
        rows = []
        for top in row_keys:
            counts = tuple(accuracy.confusion.get((top, key), 0) for key, _label in columns)
            rows.append((top, None if top == NO_SUGGESTION else names.get(top, top), counts, sum(counts)))
        tables.append(ConfusionTable(version, accuracy, tuple(columns), tuple(rows)))
    return tables


WEEKS = 12
RED_FLAGS_LISTED = 25


@dataclass(frozen=True)
class Dashboard:
    since: datetime
    weekly: list[dict]  # {"week": date, disposition: count, ...}
    per_clinic: list[tuple[str | None, int]]  # None: no clinic chosen
    per_condition: list[tuple[str | None, int]]  # None: no suggestion
    accuracy: list[ConfusionTable]
    red_flags_recent: list[Submission]
    red_flags_recent_count: int
    red_flags_by_status: list[tuple[str, str, int]]  # (status, label, count)
    total: int


def dashboard_get(*, now: datetime | None = None, submissions: QuerySet[Submission] | None = None) -> Dashboard:
    """Everything the dashboard shows over ``submissions`` (default: all), in a fixed number of queries."""
    now = now or timezone.now()
    base = submissions if submissions is not None else Submission.objects.all()
    local_today = timezone.localtime(now).date()
    first_week = local_today - timedelta(days=local_today.weekday()) - timedelta(weeks=WEEKS - 1)
    since = timezone.make_aware(datetime.combine(first_week, datetime.min.time()))
    recent = base.filter(created_at__gte=since)

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
    # None: no clinic chosen (the template words it).
    per_clinic = [(clinic_names.get(pk), n) for pk, n in clinics.most_common() if n]
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
        per_condition.append((None, total - suggested))  # no suggestion
    week_ago = now - timedelta(days=7)
    # By disposition (what red_flag is computed from): counted through an index.
    red = base.filter(disposition__in=RED_FLAG_DISPOSITIONS, created_at__gte=week_ago)
    by_status = Counter(dict(red.values_list("status").annotate(n=Count("pk")).order_by()))
    return Dashboard(
        since=since,
        weekly=weekly,
        per_clinic=per_clinic,
        per_condition=per_condition,
        accuracy=confusion_tables(report=accuracy_get(queryset=base), conditions=conditions),
        red_flags_recent=list(red.select_related("assigned_to", "clinic").order_by("-created_at")[:RED_FLAGS_LISTED]),
        red_flags_recent_count=sum(by_status.values()),
        red_flags_by_status=[
            (value, label, by_status[value]) for value, label in ReviewStatus.choices if by_status[value]
        ],
        total=total,
    )
