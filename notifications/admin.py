"""The notification log: read-only, for superusers and clinicians (view_notification)."""

from __future__ import annotations

from django.contrib import admin

from audit.admin import ReadOnlyAdminMixin

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every email the site queued and what became of it; nothing here is edited by hand."""

    list_display = ["created_at", "kind", "reference", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["key", "submission__reference"]
    list_select_related = ["submission"]
    date_hierarchy = "created_at"
    fields = [
        "key",
        "kind",
        "submission",
        "recipient",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
    readonly_fields = fields

    @admin.display(description="reference", ordering="submission__reference")
    def reference(self, obj: Notification) -> str:
        return obj.submission.reference if obj.submission_id else "-"
