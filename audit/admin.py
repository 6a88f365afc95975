from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import AuditEvent


class ReadOnlyAdminMixin:
    """Records that are history: they can be read, never added, edited or deleted through the admin.

    For model admins and inlines alike (an inline's add check also gets the parent object).
    """

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class AuditTrailInsteadOfLogEntryMixin:
    """For admins whose changes go through services that write the audit trail (with the IP):
    the admin's own LogEntry would be a weaker, second copy, so it is not written."""

    def log_addition(self, request: HttpRequest, obj, message) -> None:
        return None

    def log_change(self, request: HttpRequest, obj, message) -> None:
        return None

    def log_deletions(self, request: HttpRequest, queryset) -> None:
        return None


class SuperuserReadOnlyMixin(ReadOnlyAdminMixin):
    """For records kept as evidence: only superusers may read them."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser


@admin.register(AuditEvent)
class AuditEventAdmin(SuperuserReadOnlyMixin, admin.ModelAdmin):
    """Superusers read the trail; nobody edits or deletes it."""

    list_display = ["at", "actor_label", "action", "target", "ip_address"]
    list_filter = ["action"]
    search_fields = ["target", "actor_label"]
    date_hierarchy = "at"
    readonly_fields = ["at", "actor", "actor_label", "action", "target", "detail", "ip_address"]
