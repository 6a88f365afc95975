"""Need to know: which clinics' submissions a staff member may see.

A clinician or receptionist sees the submissions (and booking requests) of
their own clinic(s), and those where the patient chose no clinic, unless
granted all clinics; superusers see everything. Kept in triage, next to
Clinic and Submission, because every app that shows submissions to staff
(review's queue, booking's requests, interop's FHIR export) must apply the
same rule, and those apps may not import each other.

The filters below are subqueries: they add no query to a page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Exists, Q, QuerySet
from django.utils.translation import gettext_lazy as _


class StaffClinicAccess(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clinic_access", verbose_name=_("staff member")
    )
    clinics = models.ManyToManyField(
        "triage.Clinic",
        blank=True,
        related_name="+",
        verbose_name=_("clinics"),
        help_text=_("They see these clinics' submissions and booking requests, and those with no clinic chosen."),
    )
    all_clinics = models.BooleanField(
        _("all clinics"), default=False, help_text=_("Sees every clinic's submissions (e.g. a clinical lead).")
    )

    class Meta:
        app_label = "triage"
        verbose_name = _("staff clinic access")
        verbose_name_plural = _("staff clinic access")
        ordering = ["user__username"]

    def __str__(self) -> str:
        return str(self.user)


def _own_clinic_ids(user):
    return StaffClinicAccess.clinics.through.objects.filter(staffclinicaccess__user_id=user.pk).values("clinic_id")


def _all_clinics(user) -> Exists:
    return Exists(StaffClinicAccess.objects.filter(user_id=user.pk, all_clinics=True))


def clinic_visible_q(*, user, field: str = "clinic", include_none: bool = True) -> Q:
    """A filter on ``field`` (a Clinic foreign key) keeping what ``user`` may see."""
    if user.is_superuser:
        return Q()
    visible = Q(**{f"{field}__in": _own_clinic_ids(user)}) | Q(_all_clinics(user))
    if include_none:
        visible |= Q(**{f"{field}__isnull": True})
    return visible


def submissions_visible(*, user, queryset: QuerySet) -> QuerySet:
    """The submissions of ``queryset`` that ``user`` needs to know about."""
    return queryset.filter(clinic_visible_q(user=user))
