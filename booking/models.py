"""Appointment requests a patient sends from a "book an assessment" result.

Reception works through them in the admin; the patient never books a time
slot directly, they say when suits them and the clinic calls back.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from triage.contact import EMAIL_MAX_LENGTH, NAME_MAX_LENGTH, PHONE_MAX_LENGTH
from triage.models import Clinic, Submission


class Weekday(models.TextChoices):
    MONDAY = "mon", _("Monday")
    TUESDAY = "tue", _("Tuesday")
    WEDNESDAY = "wed", _("Wednesday")
    THURSDAY = "thu", _("Thursday")
    FRIDAY = "fri", _("Friday")
    SATURDAY = "sat", _("Saturday")


class TimeOfDay(models.TextChoices):
    MORNING = "morning", _("Morning (before 12 pm)")
    AFTERNOON = "afternoon", _("Afternoon (12 pm to 4 pm)")
    LATE = "late", _("Late afternoon (after 4 pm)")


class BookingStatus(models.TextChoices):
    NEW = "new", _("New: not yet contacted")
    CONTACTED = "contacted", _("Contacted: waiting to hear back")
    BOOKED = "booked", _("Booked")
    CLOSED = "closed", _("Closed without booking")
    WITHDRAWN = "withdrawn", _("Withdrawn by the patient")


# Requests reception still has to act on.
OPEN_STATUSES = (BookingStatus.NEW, BookingStatus.CONTACTED)

# What a request keeps once its self-check is deleted: the reference, the
# clinic, the status and the timestamps. Everything the patient typed goes.
WITHDRAWN_BLANKS = {
    "name": "",
    "email": "",
    "phone": "",
    "notes": "",
    "clinic_notes": "",
    # Tuples: the collector keys its updates by value, and a list cannot be a key. Stored as [].
    "preferred_days": (),
    "preferred_times": (),
}


def withdraw_on_submission_delete(collector, field, sub_objs, using) -> None:
    """``on_delete`` of a request's self-check: the request stays, withdrawn and emptied.

    Part of the delete itself (like SET_NULL, which it extends), so every way
    a self-check is deleted (the patient's "delete my answers", an admin
    delete, the retention purge) withdraws its requests in the same
    transaction, without triage knowing booking exists or a signal receiver.
    The clinic's list then shows "withdrawn by the patient" instead of a
    request silently gone, with none of the patient's details left.
    """
    model = field.model
    pks = list(sub_objs.values_list("pk", flat=True))
    if not pks:
        return
    requests = model._base_manager.using(using).filter(pk__in=pks)
    # Field updates run in the order they are added; each selects by primary key.
    collector.add_field_update(field, None, requests)
    collector.add_field_update(
        model._meta.get_field("status"), BookingStatus.WITHDRAWN, requests.filter(status__in=OPEN_STATUSES)
    )
    collector.add_field_update(model._meta.get_field("updated_at"), timezone.now(), requests)
    for name, blank in WITHDRAWN_BLANKS.items():
        collector.add_field_update(model._meta.get_field(name), blank, requests)


withdraw_on_submission_delete.lazy_sub_objs = True


class BookingRequestQuerySet(models.QuerySet):
    def open(self) -> BookingRequestQuerySet:
        """Requests reception still has to act on (new or contacted)."""
        return self.filter(status__in=OPEN_STATUSES)


class BookingRequest(models.Model):
    submission = models.ForeignKey(
        Submission,
        on_delete=withdraw_on_submission_delete,
        null=True,
        blank=True,
        related_name="booking_requests",
        verbose_name=_("self-check"),
        help_text=_("The self-check result the request was sent from (empty once the patient deleted it)."),
    )
    reference = models.CharField(
        _("reference"),
        max_length=8,
        db_index=True,
        editable=False,
        help_text=_("The self-check's reference, kept when the patient deletes their answers."),
    )
    clinic = models.ForeignKey(
        Clinic,
        on_delete=models.PROTECT,
        related_name="booking_requests",
        verbose_name=_("clinic"),
        help_text=_("Where the patient would like to be seen."),
    )
    preferred_days = models.JSONField(
        _("preferred days"), default=list, help_text=_('Weekday codes, for example ["mon", "thu"].')
    )
    preferred_times = models.JSONField(
        _("preferred times"), default=list, help_text=_('Times of day, for example ["morning"].')
    )
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    email = models.EmailField(_("email"), max_length=EMAIL_MAX_LENGTH, blank=True)
    phone = models.CharField(_("phone"), max_length=PHONE_MAX_LENGTH, blank=True)
    notes = models.TextField(_("anything else (from the patient)"), max_length=500, blank=True)
    clinic_notes = models.TextField(
        _("clinic's notes"),
        blank=True,
        max_length=2000,
        help_text=_("For the clinic only: calls made, messages left, what was agreed."),
    )
    consent = models.BooleanField(
        _("agreed to be contacted"),
        default=False,
        help_text=_("The patient agreed the clinic may use these details to arrange the appointment."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=BookingStatus.choices, default=BookingStatus.NEW, db_index=True
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now, editable=False, db_index=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = BookingRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("booking request")
        verbose_name_plural = _("booking requests")
        ordering = ["-created_at"]
        constraints = [
            # One open request per self-check: a double click or a second
            # visit must not put the patient in the queue twice.
            models.UniqueConstraint(
                fields=["submission"],
                condition=models.Q(status__in=["new", "contacted"]),
                name="one_open_booking_request_per_submission",
            ),
            models.CheckConstraint(condition=models.Q(consent=True), name="booking_request_needs_consent"),
            # Until the patient deletes their self-check, which empties the request.
            models.CheckConstraint(
                condition=models.Q(submission__isnull=True) | ~models.Q(email="") | ~models.Q(phone=""),
                name="booking_request_needs_email_or_phone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} at {self.clinic.name}"

    @property
    def is_withdrawn(self) -> bool:
        return self.status == BookingStatus.WITHDRAWN

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def preferred_days_display(self) -> list[str]:
        labels = dict(Weekday.choices)
        return [str(labels.get(day, day)) for day in self.preferred_days]

    def preferred_times_display(self) -> list[str]:
        labels = dict(TimeOfDay.choices)
        return [str(labels.get(time, time)) for time in self.preferred_times]

    def preferred_in_words(self) -> str:
        """The days and times that suit, as a sentence part: "Monday, Thursday; Morning (before 12 pm)"."""
        parts = [", ".join(self.preferred_days_display()), ", ".join(self.preferred_times_display())]
        return "; ".join(part for part in parts if part) or str(_("not given"))
