"""Create realistic demo submissions, scored by the real scoring, in bulk.

    python manage.py seed_demo --submissions 100000
    DJANGO_DEBUG=1 python manage.py seed_demo --submissions 0 --clinician

``--clinician`` also creates (or resets) a staff account "demo-clinician" in
the Clinician group with a random password printed once: for local use only,
so it is refused unless DEBUG is on.

Who fills in a hip and back self-check on a podiatry group's website? The
assumptions below are ours (no visitor data exists yet); they aim at a
plausible mix, never at a target disposition, and the rules are not touched
to move it. Each made-up person gets one "picture":

- a red flag (about 1 in 100 an emergency sign, about 2 in 100 a
  see-a-doctor-today sign): rare among people well enough to browse a clinic's
  site; the questionnaire stops there, so nothing else is answered;
- settling (a little over half): recent pain (mostly under 6 weeks), mild or
  moderate (about 1 to 6 out of 10), in one place (the lower back most often,
  as non-specific back pain is the most common kind), few of the follow-up
  symptoms, foot signs rare: the pain most people have, which usually
  settles with self-care;
- no pain now (about 1 in 16): curious about their feet or posture, at most a
  niggle (0 or 1 out of 10), foot signs now and then;
- persistent (about a third): the telling symptoms of one condition (now and
  then two), often for 6 weeks or more, foot and movement signs more common,
  moderate pain: the people the clinic's own "when to be assessed" list is for;
- recent sciatica (about 1 in 15): pain down the leg, often with tingling,
  mostly started within 6 weeks and often bad (about 5 to 9 out of 10): when
  severe and recent, a GP or physiotherapist comes first.

Across the pictures: a cancer history in about 1 in 40 (more often at 50 and
over: then, as in the questionnaire, it stops after the safety questions with
a doctor today), an accident at the start in about 1 in 8; four in five give their age
(adults, most 30 to 70); the two PEG interference answers follow the pain,
loosely. Only the questions a person would be asked are answered: a
follow-up whose earlier answer was no is left out ("not asked"), never "no".
Submissions are spread over recent weeks.
"""

from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone

from triage import scoring, selectors, services
from triage.models import Clinic, Submission, Suggestion

BATCH_SIZE = 2000
URGENT = {scoring.DISPOSITION_EMERGENCY, scoring.DISPOSITION_SEE_DOCTOR_TODAY}
FIRST_NAMES = ["Aroha", "Ben", "Mere", "Sam", "Priya", "Tom", "Hana", "Li", "Grace", "Wiremu", "Sione", "Emma"]
LAST_NAMES = ["Smith", "Ngata", "Patel", "Wilson", "Chen", "Brown", "Tane", "Taylor", "Fifita", "Walker"]


@dataclass(frozen=True)
class DemoAnswers:
    answers: dict[str, bool]
    pain_duration: str = ""
    pain_intensity: int | None = None
    age: int | None = None
    enjoyment_interference: int | None = None
    activity_interference: int | None = None


def _zero_to_ten(value: float, low: int = 0, high: int = 10) -> int:
    return min(high, max(low, round(value)))


# The shares of each picture among people with no red flag (see the module docstring).
PICTURES = {"settling": 0.55, "no_pain": 0.06, "persistent": 0.32, "recent_sciatica": 0.07}
# Where settling pain is, by the symptom question asked of everyone.
SETTLING_PLACES = {"low_back_buttock_pain": 0.6, "outer_hip_pain": 0.25, "groin_pain": 0.1, "radiating_leg_pain": 0.05}
SCIATICA = {"radiating_leg_pain": 1.0, "tingling_numbness_burning": 0.7, "worse_prolonged_standing_walking": 0.5}


def _with_enablers(ruleset: scoring.Ruleset, answers: dict[str, bool], code: str) -> None:
    """Say yes to ``code`` and, for a follow-up, to the earlier answer that asks it."""
    answers[code] = True
    question = ruleset.by_code[code]
    if question.enable_when and not ruleset.question_enabled(question, answers):
        _with_enablers(ruleset, answers, question.enable_when[0][0])


def _picture_answers(rng: random.Random, ruleset: scoring.Ruleset, picture: str, yes: dict[str, bool]) -> tuple:
    """Symptoms and foot signs (into ``yes``) for one picture; returns (duration, intensity)."""
    symptoms = [q.code for q in ruleset.questions_of_kind(scoring.SYMPTOM)]
    drivers = [q.code for q in ruleset.questions_of_kind(scoring.DRIVER)]
    if picture == "no_pain":
        driver_rate, follow_up_rate = 0.15, 0.0
        duration = rng.choices(scoring.DURATIONS, weights=[4, 3, 3])[0]
        intensity = rng.choice([0, 0, 1])
    elif picture == "settling":
        driver_rate, follow_up_rate = 0.03, 0.08
        places = list(SETTLING_PLACES)
        _with_enablers(ruleset, yes, rng.choices(places, weights=list(SETTLING_PLACES.values()))[0])
        duration = rng.choices(scoring.DURATIONS, weights=[85, 10, 5])[0]
        intensity = _zero_to_ten(rng.gauss(3.5, 1.3), 1, 7)
    elif picture == "recent_sciatica":
        driver_rate, follow_up_rate = 0.08, 0.0
        for code, rate in SCIATICA.items():
            if rng.random() < rate:
                _with_enablers(ruleset, yes, code)
        duration = rng.choices(scoring.DURATIONS, weights=[80, 15, 5])[0]
        intensity = _zero_to_ten(rng.gauss(6.5, 1.5), 3)
    else:  # persistent: the telling symptoms of one condition (now and then two)
        driver_rate, follow_up_rate = 0.15, 0.0
        for condition in rng.sample(ruleset.conditions, k=rng.choice([1, 1, 1, 1, 2])):
            for code, _weight in condition.weights:
                if ruleset.by_code[code].kind == scoring.SYMPTOM and rng.random() < 0.7:
                    _with_enablers(ruleset, yes, code)
        duration = rng.choices(scoring.DURATIONS, weights=[25, 35, 40])[0]
        intensity = _zero_to_ten(rng.gauss(5, 1.8), 1)
    for code in symptoms:
        # Settling pain: now and then one of the follow-ups of the place that hurts.
        question = ruleset.by_code[code]
        if question.enable_when and ruleset.question_enabled(question, yes) and rng.random() < follow_up_rate:
            yes[code] = True
    for code in drivers:
        if rng.random() < driver_rate:
            yes[code] = True
    return duration, intensity


def _demo_answers(rng: random.Random, ruleset: scoring.Ruleset) -> DemoAnswers:
    safety = ruleset.questions_of_kind(*scoring.SAFETY_KINDS)
    # Four in five give their age (optional): adults, most of them 30 to 70.
    age = min(90, max(16, round(rng.gauss(48, 15)))) if rng.random() < 0.8 else None
    yes: dict[str, bool] = {}

    roll = rng.random()
    if roll < 0.03:
        kind = scoring.EMERGENCY if roll < 0.01 else scoring.DOCTOR_TODAY
        yes[rng.choice([q.code for q in safety if q.kind == kind])] = True
        # The questionnaire stops after a red flag: nothing else was asked.
        return DemoAnswers({q.code: yes.get(q.code, False) for q in safety}, age=age)
    # Context: a cancer history (more common with age), an accident at the start.
    if rng.random() < (0.04 if age is not None and age >= 50 else 0.015):
        yes["cancer_history"] = True
    if rng.random() < 0.12:
        yes["accident_onset"] = True
    said = {q.code: yes.get(q.code, False) for q in safety}
    if scoring.score(ruleset, scoring.Answers.from_mapping(said, age=age)).disposition in URGENT:
        # As in the questionnaire: answers that already mean a doctor today (a cancer history at 50
        # or over) end it after the safety questions.
        return DemoAnswers(said, age=age)
    picture = rng.choices(list(PICTURES), weights=list(PICTURES.values()))[0]
    duration, intensity = _picture_answers(rng, ruleset, picture, yes)
    # Only what the person is asked: the questions asked of everyone, then the follow-ups their
    # answers enable (as the screens do); a follow-up not asked is left out, never stored as "no".
    answers = {q.code: yes.get(q.code, False) for q in ruleset.questions if not q.enable_when}
    for question in ruleset.questions:
        if question.enable_when and ruleset.question_enabled(question, answers):
            answers[question.code] = yes.get(question.code, False)
    # Interference follows the pain, loosely (PEG items 2 and 3); a few leave them out (optional).
    enjoyment = _zero_to_ten(intensity + rng.gauss(-0.5, 1.5)) if rng.random() < 0.9 else None
    activity = _zero_to_ten(intensity + rng.gauss(-0.5, 1.5)) if rng.random() < 0.9 else None
    return DemoAnswers(answers, duration, intensity, age, enjoyment, activity)


class Command(BaseCommand):
    help = "Create N realistic demo submissions through the real scoring (bulk, fast)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--submissions", type=int, default=200, help="How many to create (default 200).")
        parser.add_argument("--days", type=int, default=120, help="Spread them over this many past days.")
        parser.add_argument("--seed", type=int, default=None, help="Random seed, for repeatable data.")
        parser.add_argument(
            "--clinician",
            action="store_true",
            help="Also create a demo clinician login and print its password (only with DEBUG on).",
        )

    def handle(self, *args, submissions: int, days: int, seed: int | None, clinician: bool = False, **options) -> None:
        if clinician and not settings.DEBUG:
            raise CommandError(
                "--clinician makes a login with a printed password: local use only. "
                "Refused because DEBUG is off (set DJANGO_DEBUG=1 on your own machine)."
            )
        if submissions < 0:
            raise CommandError("--submissions must be 0 or more.")
        if days < 1:
            raise CommandError("--days must be 1 or more.")
        started = time.perf_counter()
        rng = random.Random(seed)
        ruleset = selectors.ruleset_get()
        clinic_ids = list(Clinic.objects.values_list("pk", flat=True))
        now = timezone.now()
        created = 0
        while created < submissions:
            size = min(BATCH_SIZE, submissions - created)
            batch = [self._build(rng, ruleset, clinic_ids, now, days) for _ in range(size)]
            try:
                with transaction.atomic():
                    Submission.objects.bulk_create([submission for submission, _ in batch])
                    Suggestion.objects.bulk_create(
                        suggestion
                        for submission, assessment in batch
                        for suggestion in services.suggestions_build(submission=submission, assessment=assessment)
                    )
            except IntegrityError:
                continue  # a reference collided with an existing one: build this batch again
            created += size
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Created {created} demo submissions in {elapsed:.1f} s.")
        if clinician:
            self._demo_clinician()

    def _demo_clinician(self) -> None:
        username = "demo-clinician"
        password = secrets.token_urlsafe(12)
        user, _created = get_user_model().objects.get_or_create(username=username)
        user.is_staff, user.is_active = True, True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name="Clinician"))
        self.stdout.write(f"Demo clinician: username {username}, password {password} (local use only).")

    def _build(self, rng, ruleset, clinic_ids, now, days):
        demo = _demo_answers(rng, ruleset)
        contact = None
        if rng.random() < 0.3:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            contact = services.ContactDetails(
                name=f"{first} {last}",
                email=f"{first}.{last}@example.com".lower() if rng.random() < 0.7 else "",
                phone=f"021 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
            )
        submission, assessment = services.submission_build(
            ruleset=ruleset,
            answers=demo.answers,
            pain_duration=demo.pain_duration,
            pain_intensity=demo.pain_intensity,
            age=demo.age,
            enjoyment_interference=demo.enjoyment_interference,
            activity_interference=demo.activity_interference,
            clinic_id=rng.choice([*clinic_ids, None]) if clinic_ids else None,
            contact=contact,
        )
        submission.created_at = now - timedelta(seconds=rng.randint(0, days * 86400))
        return submission, assessment
