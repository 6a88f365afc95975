"""Give demo submissions follow-up check-ins, then print the dashboard's follow-up figures.

    DJANGO_DEBUG=1 python manage.py seed_demo --submissions 500 --seed 15
    DJANGO_DEBUG=1 python manage.py seed_checkins --seed 15

Run after seed_demo (which, in triage, cannot know about check-ins). Of the
submissions old enough (6 weeks and more) whose person agreed to be contacted
and gave an email, about 60% are marked as having opted in to check-ins, and
get a 6-week check-in (and a 12-week one when 12 weeks have passed): about
60% answered, some opened or unanswered, a few bounced or unsubscribed.
Answers follow a plausible course by disposition (self-care mostly better,
a few worse; red-flag results slower), with the odd new warning sign.
Submissions that already have check-ins are left alone, and each
submission's draw depends only on the seed and its id, so running it again
adds nothing. Repeatable with --seed.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from followups.models import CHECKIN_WEEKS, CheckIn, CheckInStatus, GlobalChange, SeenProfessional
from followups.selectors import followup_dashboard_get
from triage import scoring, selectors
from triage.models import Disposition, Submission

SUBMISSION_FIELDS = (
    "pk",
    "created_at",
    "disposition",
    "pain_intensity",
    "enjoyment_interference",
    "activity_interference",
)
OPT_IN_SHARE = 0.6
LINK_DAYS = 14  # a check-in's link stays open this long
# Chance of each course by disposition: (improved, same, worse).
COURSE = {
    Disposition.SELF_CARE: (0.62, 0.30, 0.08),
    Disposition.BOOK_ASSESSMENT: (0.50, 0.35, 0.15),
    Disposition.SEE_GP_SOON: (0.45, 0.37, 0.18),
    Disposition.SEE_DOCTOR_TODAY: (0.40, 0.38, 0.22),
    Disposition.EMERGENCY: (0.35, 0.40, 0.25),
}
# What became of an emailed check-in: (answered, opened only, no reply, bounced, unsubscribed).
FATE = (0.60, 0.10, 0.22, 0.03, 0.05)
NEW_RED_FLAG = 0.03
SEEN = [
    (SeenProfessional.NO, 0.35),
    (SeenProfessional.GP, 0.25),
    (SeenProfessional.PHYSIO, 0.2),
    (SeenProfessional.FOOT_FOUNDATION, 0.12),
    (SeenProfessional.OTHER, 0.08),
]


def _pick(rng: random.Random, options, weights):
    return rng.choices(list(options), weights=list(weights), k=1)[0]


def _item(value: int | None, factor: float, rng: random.Random) -> int:
    start = value if value is not None else rng.randint(3, 8)
    return min(10, max(0, round(start * factor + rng.uniform(-0.6, 0.6))))


class Command(BaseCommand):
    help = "Give demo submissions 6 and 12-week check-ins, then print the follow-up figures."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=None, help="Random seed, for repeatable data.")
        parser.add_argument(
            "--share", type=float, default=OPT_IN_SHARE, help="Share of eligible submissions that opt in (0 to 1)."
        )

    def handle(self, *args, seed: int | None, share: float, **options) -> None:
        if not 0 <= share <= 1:
            raise CommandError("--share must be between 0 and 1.")
        # One generator per submission, seeded by (seed, pk): the same submission gets the same
        # decision on every run, so a second run adds nothing (the opted-in have check-ins by then).
        base = seed if seed is not None else random.randrange(2**32)
        now = timezone.now()
        ruleset = selectors.ruleset_get()
        red_flags = [(q.code, q.kind) for q in ruleset.questions_of_kind(scoring.EMERGENCY, scoring.DOCTOR_TODAY)]
        eligible = (
            Submission.objects.filter(
                contact_consent=True,
                # A day past the first check-in: it has been emailed by now.
                created_at__lte=now - timedelta(weeks=CHECKIN_WEEKS[0], days=1),
                checkins__isnull=True,
            )
            .exclude(contact_email="")
            .only(
                "pk", "created_at", "disposition", "pain_intensity", "enjoyment_interference", "activity_interference"
            )
            .order_by("pk")
        )
        opted, checkins, unsubscribed = [], [], []
        for submission in eligible:
            rng = random.Random(f"{base}-{submission.pk}")
            if rng.random() >= share:
                continue
            opted.append(submission.pk)
            made, stopped_at = self._checkins(rng, submission, now, red_flags)
            checkins.extend(made)
            if stopped_at:
                unsubscribed.append((submission.pk, stopped_at))
        with transaction.atomic():
            # They agreed on the contact step, when they sent the self-check.
            Submission.objects.filter(pk__in=opted).update(followup_consent=True, followup_consent_at=F("created_at"))
            for pk, when in unsubscribed:
                Submission.objects.filter(pk=pk).update(followup_consent=False, followup_unsubscribed_at=when)
            CheckIn.objects.bulk_create(checkins, batch_size=1000)
        self.stdout.write(f"{len(opted)} submissions opted in; {len(checkins)} check-ins created.")
        self._print_figures()

    def _checkins(self, rng, submission, now, red_flags) -> tuple[list[CheckIn], datetime | None]:
        """The submission's check-ins, and when they unsubscribed (None if they did not)."""
        improved, same, worse = COURSE.get(submission.disposition, COURSE[Disposition.BOOK_ASSESSMENT])
        course = _pick(rng, ("improved", "same", "worse"), (improved, same, worse))
        made = []
        for week in CHECKIN_WEEKS:
            sent_at = submission.created_at + timedelta(weeks=week, hours=rng.randint(0, 20))
            if sent_at > now:
                break
            checkin = CheckIn(
                submission_id=submission.pk,
                week=week,
                created_at=sent_at,
                sent_at=sent_at,
                expires_at=sent_at + timedelta(days=LINK_DAYS),
                nonce=f"{rng.getrandbits(128):032x}",
            )
            fate = _pick(rng, ("answered", "opened", "quiet", "bounced", "unsubscribed"), FATE)
            still_open = checkin.expires_at > now
            if fate == "answered":
                self._answer(rng, checkin, submission, course, week, red_flags, now)
            elif fate == "opened":
                checkin.status = CheckInStatus.OPENED if still_open else CheckInStatus.EXPIRED
                checkin.opened_at = min(sent_at + timedelta(hours=rng.randint(1, 72)), now)
            elif fate == "quiet":
                checkin.status = CheckInStatus.SENT if still_open else CheckInStatus.EXPIRED
            elif fate == "bounced":
                checkin.status = CheckInStatus.BOUNCED
            else:
                checkin.status = CheckInStatus.UNSUBSCRIBED
                checkin.opened_at = min(sent_at + timedelta(hours=rng.randint(1, 48)), now)
            if checkin.status in (CheckInStatus.ANSWERED, CheckInStatus.EXPIRED, CheckInStatus.UNSUBSCRIBED):
                checkin.nonce = ""  # the link is single use: spent or closed
            made.append(checkin)
            if fate == "unsubscribed":
                return made, checkin.opened_at
            if fate == "bounced":
                break  # the address does not work: no 12-week email
            # Courses drift a little between 6 and 12 weeks.
            if rng.random() < 0.15:
                course = _pick(rng, ("improved", "same", "worse"), (improved, same, worse))
        return made, None

    def _answer(self, rng, checkin: CheckIn, submission, course: str, week: int, red_flags, now) -> None:
        # Further along by 12 weeks: a larger change either way.
        depth = 1.0 if week == CHECKIN_WEEKS[0] else 1.3
        factor = {
            "improved": max(0.1, 1 - rng.uniform(0.35, 0.7) * depth),
            "same": rng.uniform(0.85, 1.12),
            "worse": 1 + rng.uniform(0.35, 0.7) * depth,
        }[course]
        checkin.status = CheckInStatus.ANSWERED
        # Never in the future: a check-in emailed this morning was answered by now at the latest.
        checkin.opened_at = min(checkin.sent_at + timedelta(hours=rng.randint(1, 72)), now - timedelta(minutes=20))
        checkin.answered_at = min(checkin.opened_at + timedelta(minutes=rng.randint(2, 15)), now)
        checkin.pain_intensity = _item(submission.pain_intensity, factor, rng)
        checkin.enjoyment_interference = _item(submission.enjoyment_interference, factor, rng)
        checkin.activity_interference = _item(submission.activity_interference, factor, rng)
        ratings = {
            "improved": (GlobalChange.MUCH_BETTER, GlobalChange.BETTER, GlobalChange.A_LITTLE_BETTER),
            "same": (GlobalChange.A_LITTLE_BETTER, GlobalChange.SAME, GlobalChange.A_LITTLE_WORSE),
            "worse": (GlobalChange.A_LITTLE_WORSE, GlobalChange.WORSE, GlobalChange.MUCH_WORSE),
        }[course]
        checkin.global_change = _pick(rng, ratings, (0.3, 0.45, 0.25))
        checkin.seen_professional = _pick(rng, [s for s, _w in SEEN], [w for _s, w in SEEN])
        if red_flags and rng.random() < NEW_RED_FLAG * (2 if course == "worse" else 1):
            code, kind = rng.choice(red_flags)
            checkin.red_flags = [code]
            checkin.disposition = (
                Disposition.EMERGENCY if kind == scoring.EMERGENCY else Disposition.SEE_DOCTOR_TODAY
            ).value

    def _print_figures(self) -> None:
        data = followup_dashboard_get()
        rate = f"{data.answered_rate:.0%}" if data.answered_rate is not None else "n/a"
        self.stdout.write(f"Answered rate: {data.answered} of {data.emailed} emailed ({rate}).")
        overall = data.overall
        if overall.answered:
            self.stdout.write(
                f"Better: {overall.improved} of {overall.answered} ({overall.improved_share:.0%}); "
                f"same {overall.same}; worse {overall.worse}; not judged {overall.unjudged}."
            )
        for row in data.by_disposition:
            self.stdout.write(f"  {row.label}: {row.improved} of {row.answered} better ({row.improved_share:.0%})")
        self.stdout.write(
            f"Self-care results then worse: {data.self_care_worse_count}; "
            f"check-ins with new warning signs: {data.new_red_flags}."
        )
