"""Create realistic demo submissions, scored by the real scoring, in bulk.

    python manage.py seed_demo --submissions 100000
    DJANGO_DEBUG=1 python manage.py seed_demo --submissions 0 --clinician

``--clinician`` also creates (or resets) a staff account "demo-clinician" in
the Clinician group with a random password printed once: for local use only,
so it is refused unless DEBUG is on.

Each made-up person has a "picture" (one of the conditions, a mix, nothing in
particular, or a red flag), answers drawn from it with some noise, feet and
movement signs, context (a cancer history, an accident), an age, a duration
and the three PEG answers, spread over recent weeks.
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


def _zero_to_ten(value: float) -> int:
    return min(10, max(0, round(value)))


def _demo_answers(rng: random.Random, ruleset: scoring.Ruleset) -> DemoAnswers:
    safety = ruleset.questions_of_kind(*scoring.SAFETY_KINDS)
    symptoms = [q.code for q in ruleset.questions_of_kind(scoring.SYMPTOM)]
    drivers = [q.code for q in ruleset.questions_of_kind(scoring.DRIVER)]
    answers = {q.code: False for q in ruleset.questions}
    # Three in four give their age (optional): adults, most of them 30 to 70.
    age = min(95, max(16, round(rng.gauss(50, 15)))) if rng.random() < 0.75 else None

    roll = rng.random()
    if roll < 0.02:
        answers[rng.choice([q.code for q in safety if q.kind == scoring.EMERGENCY])] = True
        # The questionnaire stops after a red flag: nothing else was asked.
        return DemoAnswers({q.code: answers[q.code] for q in safety}, age=age)
    if roll < 0.05:
        answers[rng.choice([q.code for q in safety if q.kind == scoring.DOCTOR_TODAY])] = True
        return DemoAnswers({q.code: answers[q.code] for q in safety}, age=age)
    for question in safety:  # context: a cancer history, an accident at the start
        if question.kind == scoring.CONTEXT and rng.random() < (0.15 if question.code == "accident_onset" else 0.03):
            answers[question.code] = True

    pictures = rng.sample(ruleset.conditions, k=rng.choice([0, 1, 1, 1, 2]))
    for condition in pictures:
        for code, _weight in condition.weights:
            if ruleset.by_code[code].kind == scoring.SYMPTOM and rng.random() < 0.7:
                answers[code] = True
    for code in symptoms:  # noise: the odd unrelated symptom
        if rng.random() < 0.05:
            answers[code] = True
    for code in drivers:
        if rng.random() < 0.08:
            answers[code] = True
    duration = rng.choices(scoring.DURATIONS, weights=[5, 3, 2])[0]
    # Some have no pain today; the rest centre on moderate pain.
    intensity = 0 if rng.random() < 0.05 else _zero_to_ten(rng.gauss(5, 2))
    # Interference follows the pain, loosely (PEG items 2 and 3).
    enjoyment = _zero_to_ten(intensity + rng.gauss(-0.5, 1.5))
    activity = _zero_to_ten(intensity + rng.gauss(-0.5, 1.5))
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
