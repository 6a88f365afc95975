"""A request outlives its self-check: it keeps the reference and is withdrawn, emptied, when the patient deletes."""

from django.db import migrations, models

import booking.models


def copy_references(apps, schema_editor):
    BookingRequest = apps.get_model("booking", "BookingRequest")
    for request in BookingRequest.objects.select_related("submission").only("pk", "submission__reference"):
        BookingRequest.objects.filter(pk=request.pk).update(reference=request.submission.reference)


class Migration(migrations.Migration):
    dependencies = [
        ("booking", "0001_booking_request"),
        ("triage", "0004_submission_review_fields"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="bookingrequest",
            name="booking_request_needs_email_or_phone",
        ),
        migrations.AddField(
            model_name="bookingrequest",
            name="clinic_notes",
            field=models.TextField(
                blank=True,
                help_text="For the clinic only: calls made, messages left, what was agreed.",
                max_length=2000,
                verbose_name="clinic's notes",
            ),
        ),
        migrations.AddField(
            model_name="bookingrequest",
            name="reference",
            field=models.CharField(
                db_index=True,
                default="",
                editable=False,
                help_text="The self-check's reference, kept when the patient deletes their answers.",
                max_length=8,
                verbose_name="reference",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(copy_references, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="bookingrequest",
            name="notes",
            field=models.TextField(blank=True, max_length=500, verbose_name="anything else (from the patient)"),
        ),
        migrations.AlterField(
            model_name="bookingrequest",
            name="status",
            field=models.CharField(
                choices=[
                    ("new", "New: not yet contacted"),
                    ("contacted", "Contacted: waiting to hear back"),
                    ("booked", "Booked"),
                    ("closed", "Closed without booking"),
                    ("withdrawn", "Withdrawn by the patient"),
                ],
                db_index=True,
                default="new",
                max_length=20,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="bookingrequest",
            name="submission",
            field=models.ForeignKey(
                blank=True,
                help_text="The self-check result the request was sent from (empty once the patient deleted it).",
                null=True,
                on_delete=booking.models.withdraw_on_submission_delete,
                related_name="booking_requests",
                to="triage.submission",
                verbose_name="self-check",
            ),
        ),
        migrations.AddConstraint(
            model_name="bookingrequest",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("submission__isnull", True),
                    models.Q(("email", ""), _negated=True),
                    models.Q(("phone", ""), _negated=True),
                    _connector="OR",
                ),
                name="booking_request_needs_email_or_phone",
            ),
        ),
    ]
