"""Reads of check-ins for the clinic: a submission's check-ins, the queue's indicator, the dashboard's figures.

Trajectories are computed by followups.outcomes (pure) from the values read
here; every function reads in a fixed number of queries.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, F, JSONField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import JSONObject

from triage import selectors as triage_selectors
from triage.models import URGENCY_ORDER, Disposition, Submission, Suggestion
from triage.scoring import peg_score

from . import outcomes
from .models import CheckIn, CheckInStatus, GlobalChange, SeenProfessional

# The queue's annotation: the latest answered check-in's answers, as one JSON value per row.
LATEST_ANSWERED = "latest_checkin"
SELF_CARE_WORSE_LISTED = 25


@dataclass(frozen=True)
class CheckInValues:
    """A check-in's answers as plain values (satisfies outcomes.CheckInAnswers)."""

    status: str
    pain_intensity: int | None = None
    enjoyment_interference: int | None = None
    activity_interference: int | None = None
    global_change: int | None = None


def _baseline_peg(submission: Submission) -> float | None:
    return submission.peg


# --- A submission's page ---


@dataclass(frozen=True)
class CheckInRow:
    week: int
    status: str
    status_label: str
    sent_at: datetime | None
    opened_at: datetime | None
    answered_at: datetime | None
    expires_at: datetime | None
    pain_intensity: int | None
    enjoyment_interference: int | None
    activity_interference: int | None
    peg_then: float | None
    peg_now: float | None
    global_change: int | None
    global_change_label: str
    seen_label: str
    red_flags: tuple[str, ...]
    trajectory: str | None

    @property
    def answered(self) -> bool:
        return self.status == CheckInStatus.ANSWERED


def _red_flag_words(codes: Iterable[str], *, ruleset_version: int) -> tuple[str, ...]:
    """The warning signs ticked, in words: the submission's ruleset first, then the latest, else the code.

    Rulesets come from triage's cache by number; read only when there are codes to word.
    """
    codes = list(codes)
    if not codes:
        return ()
    rulesets = [triage_selectors.ruleset_get_version(number=ruleset_version)]
    if any(code not in rulesets[0].by_code for code in codes):
        rulesets.append(triage_selectors.ruleset_get())
    words = []
    for code in codes:
        question = next((r.by_code[code] for r in rulesets if code in r.by_code), None)
        words.append((question.summary or question.text) if question else code)
    return tuple(words)


def submission_checkins_get(*, submission: Submission) -> tuple[CheckInRow, ...]:
    """The submission's check-ins, 6 weeks first, each with its trajectory (one query)."""
    baseline = _baseline_peg(submission)
    rows = []
    for checkin in CheckIn.objects.filter(submission=submission).order_by("week"):
        rows.append(
            CheckInRow(
                week=checkin.week,
                status=checkin.status,
                status_label=checkin.get_status_display(),
                sent_at=checkin.sent_at,
                opened_at=checkin.opened_at,
                answered_at=checkin.answered_at,
                expires_at=checkin.expires_at,
                pain_intensity=checkin.pain_intensity,
                enjoyment_interference=checkin.enjoyment_interference,
                activity_interference=checkin.activity_interference,
                peg_then=baseline,
                peg_now=outcomes.checkin_peg(checkin),
                global_change=checkin.global_change,
                global_change_label=str(GlobalChange(checkin.global_change).label) if checkin.global_change else "",
                seen_label=str(SeenProfessional(checkin.seen_professional).label)
                if checkin.seen_professional in SeenProfessional.values
                else checkin.seen_professional,
                red_flags=_red_flag_words(checkin.red_flags or [], ruleset_version=submission.ruleset_version_id),
                trajectory=outcomes.trajectory(baseline, checkin),
            )
        )
    return tuple(rows)


# --- The queue: the latest answered check-in beside each row ---


def checkins_latest_annotate(*, queryset: QuerySet[Submission]) -> QuerySet[Submission]:
    """Add ``latest_checkin``: the latest answered check-in's week and answers (a subquery: no extra query)."""
    latest = (
        CheckIn.objects.filter(submission=OuterRef("pk"), status=CheckInStatus.ANSWERED)
        .order_by("-week")
        .values(
            json=JSONObject(
                week="week",
                pain_intensity="pain_intensity",
                enjoyment_interference="enjoyment_interference",
                activity_interference="activity_interference",
                global_change="global_change",
            )
        )[:1]
    )
    return queryset.annotate(**{LATEST_ANSWERED: Subquery(latest, output_field=JSONField())})


def latest_trajectory(*, submission: Submission) -> tuple[int, str | None] | None:
    """(week, trajectory) of the latest answered check-in, from checkins_latest_annotate; None without one."""
    data = getattr(submission, LATEST_ANSWERED, None)
    if not data:
        return None
    values = CheckInValues(status=CheckInStatus.ANSWERED, **{k: v for k, v in data.items() if k != "week"})
    return data["week"], outcomes.trajectory(_baseline_peg(submission), values)


def latest_trajectories(*, submissions: Sequence[Submission]) -> dict[int, tuple[int, str | None]]:
    """Submission pk -> (week, trajectory) of its latest answered check-in, for a page of rows (one query)."""
    by_pk = {s.pk: s for s in submissions}
    latest: dict[int, tuple[int, str | None]] = {}
    answered = CheckIn.objects.filter(submission_id__in=by_pk, status=CheckInStatus.ANSWERED).order_by("week")
    for checkin in answered:  # later weeks overwrite earlier ones
        latest[checkin.submission_id] = (
            checkin.week,
            outcomes.trajectory(_baseline_peg(by_pk[checkin.submission_id]), checkin),
        )
    return latest


# --- The dashboard ---


@dataclass
class ShareRow:
    """Submissions with an answered check-in in one group, by their latest check-in's trajectory."""

    key: object
    label: str | None  # None: "no clinic chosen" / "no suggestion" (the template words it)
    improved: int = 0
    same: int = 0
    worse: int = 0
    unjudged: int = 0

    @property
    def answered(self) -> int:
        return self.improved + self.same + self.worse + self.unjudged

    @property
    def improved_share(self) -> float | None:
        return self.improved / self.answered if self.answered else None

    def add(self, trajectory: str | None) -> None:
        name = trajectory if trajectory in outcomes.TRAJECTORIES else "unjudged"
        setattr(self, name, getattr(self, name) + 1)


@dataclass(frozen=True)
class WorseRow:
    submission_id: int
    reference: str
    created_at: datetime
    week: int
    peg_then: float | None
    peg_now: float | None
    global_change_label: str
    red_flags: bool
    because: tuple[str, ...] = ()  # "rating", "peg" (outcomes.worse_because)


@dataclass
class FollowUpDashboard:
    emailed: int = 0  # check-ins emailed and not bounced
    answered: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_week: dict[int, dict[str, int]] = field(default_factory=dict)  # week -> {"emailed": n, "answered": n}
    overall: ShareRow = field(default_factory=lambda: ShareRow("all", "all"))
    by_disposition: list[ShareRow] = field(default_factory=list)
    by_suggestion: list[ShareRow] = field(default_factory=list)
    by_clinic: list[ShareRow] = field(default_factory=list)
    by_ruleset: list[ShareRow] = field(default_factory=list)
    self_care_worse: list[WorseRow] = field(default_factory=list)
    self_care_worse_count: int = 0
    new_red_flags: int = 0  # answered check-ins with a warning sign ticked

    @property
    def answered_rate(self) -> float | None:
        return self.answered / self.emailed if self.emailed else None


def _emailed_q() -> Q:
    # A bounced email never arrived: it is not counted as emailed.
    return Q(sent_at__isnull=False) & ~Q(status=CheckInStatus.BOUNCED)


def followup_dashboard_get(*, submissions: QuerySet[Submission] | None = None) -> FollowUpDashboard:
    """The follow-up figures over the check-ins of ``submissions`` (default: all), in 2 queries.

    Answered rate: check-ins answered / check-ins emailed (bounced ones left
    out). Shares: each submission with an answered check-in counts once, by
    its latest answered check-in's trajectory, in its disposition, top
    suggestion, clinic and ruleset version.
    """
    base = submissions if submissions is not None else Submission.objects.all()
    checkins = CheckIn.objects.filter(submission__in=base.values("pk"))
    data = FollowUpDashboard()
    by_week: dict[int, Counter] = defaultdict(Counter)
    for row in checkins.values("week", "status").annotate(n=Count("pk"), emailed=Count("pk", filter=_emailed_q())):
        data.by_status[row["status"]] = data.by_status.get(row["status"], 0) + row["n"]
        by_week[row["week"]]["emailed"] += row["emailed"]
        if row["status"] == CheckInStatus.ANSWERED:
            by_week[row["week"]]["answered"] += row["n"]
    data.by_week = {week: dict(by_week[week]) for week in sorted(by_week)}
    data.emailed = sum(c["emailed"] for c in by_week.values())
    data.answered = data.by_status.get(CheckInStatus.ANSWERED, 0)

    top = Suggestion.objects.filter(submission_id=OuterRef("submission_id"), rank=1).values("condition__name")[:1]
    answered = (
        checkins.filter(status=CheckInStatus.ANSWERED)
        .values(
            "submission_id",
            "week",
            "pain_intensity",
            "enjoyment_interference",
            "activity_interference",
            "global_change",
            "red_flags",
            reference=F("submission__reference"),
            submitted_at=F("submission__created_at"),
            advice=F("submission__disposition"),
            clinic_name=F("submission__clinic__name"),
            ruleset=F("submission__ruleset_version_id"),
            base_pain=F("submission__pain_intensity"),
            base_enjoyment=F("submission__enjoyment_interference"),
            base_activity=F("submission__activity_interference"),
            top_suggestion=Subquery(top),
        )
        .order_by("submission_id", "week")
    )
    latest: dict[int, dict] = {}
    for row in answered:
        data.new_red_flags += bool(row["red_flags"])
        latest[row["submission_id"]] = row  # the later week wins
    groups: dict[str, dict[object, ShareRow]] = {
        name: {} for name in ("disposition", "suggestion", "clinic", "ruleset")
    }
    worse_self_care = []
    for row in latest.values():
        baseline = peg_score(
            pain_intensity=row["base_pain"], enjoyment=row["base_enjoyment"], activity=row["base_activity"]
        )
        values = CheckInValues(
            status=CheckInStatus.ANSWERED,
            pain_intensity=row["pain_intensity"],
            enjoyment_interference=row["enjoyment_interference"],
            activity_interference=row["activity_interference"],
            global_change=row["global_change"],
        )
        result = outcomes.trajectory(baseline, values)
        data.overall.add(result)
        for name, key, label in (
            ("disposition", row["advice"], _disposition_label(row["advice"])),
            ("suggestion", row["top_suggestion"], row["top_suggestion"]),
            ("clinic", row["clinic_name"], row["clinic_name"]),
            ("ruleset", row["ruleset"], f"v{row['ruleset']}"),
        ):
            groups[name].setdefault(key, ShareRow(key, label)).add(result)
        if result == outcomes.WORSE and row["advice"] == Disposition.SELF_CARE:
            worse_self_care.append(
                WorseRow(
                    submission_id=row["submission_id"],
                    reference=row["reference"],
                    created_at=row["submitted_at"],
                    week=row["week"],
                    peg_then=baseline,
                    peg_now=outcomes.checkin_peg(values),
                    global_change_label=str(GlobalChange(row["global_change"]).label) if row["global_change"] else "",
                    red_flags=bool(row["red_flags"]),
                    because=outcomes.worse_because(baseline, values),
                )
            )
    order = {value: i for i, value in enumerate(URGENCY_ORDER)}  # most urgent first
    data.by_disposition = sorted(groups["disposition"].values(), key=lambda r: order.get(r.key, len(order)))
    data.by_suggestion = _by_size(groups["suggestion"].values())
    data.by_clinic = _by_size(groups["clinic"].values())
    data.by_ruleset = sorted(groups["ruleset"].values(), key=lambda r: -r.key)
    worse_self_care.sort(key=lambda r: r.created_at, reverse=True)
    data.self_care_worse_count = len(worse_self_care)
    data.self_care_worse = worse_self_care[:SELF_CARE_WORSE_LISTED]
    return data


def _disposition_label(value: str) -> str:
    return str(Disposition(value).label) if value in Disposition.values else value


def _by_size(rows: Iterable[ShareRow]) -> list[ShareRow]:
    # Largest groups first; "none" (no clinic, no suggestion) last.
    return sorted(rows, key=lambda r: (r.key is None, -r.answered, str(r.label)))
