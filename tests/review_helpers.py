"""Shared builders for the review tests (staff users in each role, submissions)."""

from __future__ import annotations

from django.contrib.auth.models import Group, User

from triage import scoring, services
from triage.models import Clinic, StaffClinicAccess, Submission


def staff_user(
    username: str,
    *,
    group: str | None = None,
    superuser: bool = False,
    clinics: list[str] | None = None,
    all_clinics: bool = False,
) -> User:
    """A staff account; ``clinics`` (slugs) and ``all_clinics`` set whose submissions it sees (triage.access)."""
    # No password (tests sign in with force_login): hashing one costs ~0.3 s.
    user = User.objects.create_user(username=username, password=None, is_staff=True, is_superuser=superuser)
    if group:
        user.groups.add(Group.objects.get(name=group))
    if clinics or all_clinics:
        access = StaffClinicAccess.objects.create(user=user, all_clinics=all_clinics)
        access.clinics.set(Clinic.objects.filter(slug__in=clinics or []))
    return user


def clinician(username: str = "clinician", *, clinics: list[str] | None = None) -> User:
    """A clinician; one who sees every clinic unless ``clinics`` names theirs."""
    return staff_user(username, group="Clinician", clinics=clinics, all_clinics=clinics is None)


def content_editor(username: str = "editor") -> User:
    return staff_user(username, group="Clinical content editor")


def superuser(username: str = "boss") -> User:
    return staff_user(username, superuser=True)


def make_submission(ruleset: scoring.Ruleset, *, yes: set[str] = frozenset(), **kwargs) -> Submission:
    answers = {q.code: q.code in yes for q in ruleset.questions}
    kwargs.setdefault("pain_duration", "under_6_weeks")
    return services.submission_create(ruleset=ruleset, answers=answers, **kwargs)


def first_code(ruleset: scoring.Ruleset, kind: str) -> str:
    return ruleset.questions_of_kind(kind)[0].code


def symptoms_of(ruleset: scoring.Ruleset, slug: str) -> set[str]:
    """Every symptom weighed for a condition: enough for it to be the top suggestion."""
    condition = ruleset.condition(slug)
    return {code for code, _w in condition.weights if ruleset.by_code[code].kind == scoring.SYMPTOM}
