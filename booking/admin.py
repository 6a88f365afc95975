from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from audit.actor import Actor
from audit.models import AuditAction
from audit.services import audit_record
from triage.access import clinic_visible_q

from . import services
from .models import OPEN_STATUSES, BookingRequest, BookingStatus


@admin.display(description=_("preferred days"))
def preferred_days_words(obj: BookingRequest) -> str:
    return ", ".join(obj.preferred_days_display()) or "—"


@admin.display(description=_("preferred times"))
def preferred_times_words(obj: BookingRequest) -> str:
    return ", ".join(obj.preferred_times_display()) or "—"


class OpenFilter(admin.SimpleListFilter):
    """Reception's default question: which requests still need a call?"""

    title = _("open or closed")
    parameter_name = "open"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("yes", _("Open (new or contacted)")), ("no", _("Closed (booked, closed or withdrawn)"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == "yes":
            return queryset.filter(status__in=OPEN_STATUSES)
        if self.value() == "no":
            return queryset.exclude(status__in=OPEN_STATUSES)
        return queryset


@admin.register(BookingRequest)
class BookingRequestAdmin(admin.ModelAdmin):
    list_display = ["created_at", "reference", "clinic", "name", "contact", "when", "status"]
    list_filter = [OpenFilter, "status", "clinic"]
    list_select_related = ["clinic"]
    search_fields = ["=reference", "name", "email", "phone"]
    date_hierarchy = "created_at"
    # What the patient sent is kept as sent: reception changes the status and its own notes.
    readonly_fields = [
        "reference",
        "submission_link",
        "clinic",
        "name",
        "phone",
        "email",
        preferred_days_words,
        preferred_times_words,
        "notes",
        "consent",
        "created_at",
        "updated_at",
    ]
    fields = [
        "status",
        "clinic_notes",
        "reference",
        "submission_link",
        "clinic",
        "name",
        "phone",
        "email",
        preferred_days_words,
        preferred_times_words,
        "notes",
        "consent",
        "created_at",
        "updated_at",
    ]
    actions = ["mark_contacted", "mark_booked", "mark_closed"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Need to know: the requests for the clinics this person works for (triage.access).
        return super().get_queryset(request).filter(clinic_visible_q(user=request.user, include_none=False))

    def has_change_permission(self, request: HttpRequest, obj: BookingRequest | None = None) -> bool:
        # A withdrawn request is a record that the patient withdrew: nothing to work on.
        if obj is not None and obj.is_withdrawn:
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status":
            # Only the patient withdraws (by deleting their answers).
            kwargs["choices"] = [c for c in BookingStatus.choices if c[0] != BookingStatus.WITHDRAWN]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    @admin.display(description=_("self-check"))
    def submission_link(self, obj: BookingRequest) -> str:
        if obj.submission_id is None:
            return _("deleted by the patient")
        url = reverse("admin:triage_submission_change", args=[obj.submission_id])
        return format_html('<a href="{}">{}</a>', url, _("open the self-check"))

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):
        # Contact details are personal information: every look is recorded,
        # against the self-check's reference (anonymised when it is deleted).
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if request.method == "GET":
            audit_record(
                action=AuditAction.VIEW,
                target=obj.reference,
                actor=Actor.from_request(request),
                detail={"booking_request": obj.pk},
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: BookingRequest, form, change: bool) -> None:
        services.booking_request_save(booking=obj, changed_fields=form.changed_data, actor=Actor.from_request(request))

    @admin.display(description=_("phone or email"))
    def contact(self, obj: BookingRequest) -> str:
        return " / ".join(part for part in (obj.phone, obj.email) if part)

    @admin.display(description=_("preferred days and times"))
    def when(self, obj: BookingRequest) -> str:
        return obj.preferred_in_words()

    def _set_status(self, request: HttpRequest, queryset: QuerySet, status: BookingStatus) -> None:
        changed, refused = services.booking_request_set_status(
            requests=queryset, status=status, actor=Actor.from_request(request)
        )
        self.message_user(request, _("%(n)d request(s) marked as %(s)s.") % {"n": changed, "s": status.label})
        if refused:
            self.message_user(
                request,
                _(
                    "%(n)d request(s) not changed: withdrawn by the patient, or the same self-check "
                    "already has an open request."
                )
                % {"n": refused},
                messages.WARNING,
            )

    @admin.action(description=_("Mark as contacted"))
    def mark_contacted(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, BookingStatus.CONTACTED)

    @admin.action(description=_("Mark as booked"))
    def mark_booked(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, BookingStatus.BOOKED)

    @admin.action(description=_("Mark as closed without booking"))
    def mark_closed(self, request: HttpRequest, queryset: QuerySet) -> None:
        self._set_status(request, queryset, BookingStatus.CLOSED)
