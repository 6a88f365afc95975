from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _

from audit.actor import Actor
from audit.models import AuditAction
from audit.services import audit_record
from triage.access import clinic_visible_q

from . import services
from .models import OPEN_STATUSES, BookingRequest, BookingStatus


class OpenFilter(admin.SimpleListFilter):
    """Reception's default question: which requests still need a call?"""

    title = _("open or closed")
    parameter_name = "open"

    def lookups(self, request: HttpRequest, model_admin) -> list[tuple[str, str]]:
        return [("yes", _("Open (new or contacted)")), ("no", _("Closed (booked or closed)"))]

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
    list_select_related = ["submission", "clinic"]
    search_fields = ["submission__reference", "name", "email", "phone"]
    date_hierarchy = "created_at"
    readonly_fields = ["submission", "created_at", "updated_at", "consent"]
    fields = [
        "status",
        "submission",
        "clinic",
        "name",
        "phone",
        "email",
        "preferred_days",
        "preferred_times",
        "notes",
        "consent",
        "created_at",
        "updated_at",
    ]
    actions = ["mark_contacted", "mark_booked", "mark_closed"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # Need to know: the requests for the clinics this person works for (triage.access).
        return super().get_queryset(request).filter(clinic_visible_q(user=request.user, include_none=False))

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):
        # Contact details are personal information: every look is recorded,
        # against the self-check's reference (anonymised when it is deleted).
        obj = self.get_object(request, object_id)
        if obj is None:
            raise Http404
        if request.method == "GET":
            audit_record(
                action=AuditAction.VIEW,
                target=obj.submission.reference,
                actor=Actor.from_request(request),
                detail={"booking_request": obj.pk},
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: BookingRequest, form, change: bool) -> None:
        services.booking_request_save(booking=obj, changed_fields=form.changed_data, actor=Actor.from_request(request))

    @admin.display(description=_("reference"), ordering="submission__reference")
    def reference(self, obj: BookingRequest) -> str:
        return obj.submission.reference

    @admin.display(description=_("phone or email"))
    def contact(self, obj: BookingRequest) -> str:
        return " / ".join(part for part in (obj.phone, obj.email) if part)

    @admin.display(description=_("preferred days and times"))
    def when(self, obj: BookingRequest) -> str:
        return "; ".join([", ".join(obj.preferred_days_display()), ", ".join(obj.preferred_times_display())])

    def _set_status(self, request: HttpRequest, queryset: QuerySet, status: BookingStatus) -> None:
        changed, refused = services.booking_request_set_status(
            requests=queryset, status=status, actor=Actor.from_request(request)
        )
        self.message_user(request, _("%(n)d request(s) marked as %(s)s.") % {"n": changed, "s": status.label})
        if refused:
            self.message_user(
                request,
                _("%(n)d request(s) not reopened: the same self-check already has an open request.") % {"n": refused},
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
