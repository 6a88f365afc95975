"""The change history of outcomes, for superusers: read-only, like the audit trail.

(A submission's own review history is behind its "History" button; notes and
status changes are shown on the submission's page.)
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import Outcome

HistoricalOutcome = Outcome.history.model


@admin.register(HistoricalOutcome)
class HistoricalOutcomeAdmin(admin.ModelAdmin):
    list_display = ["history_date", "submission", "history_user", "history_type", "other", "none_found", "detail"]
    list_select_related = ["submission", "history_user"]
    list_filter = ["history_type"]
    search_fields = ["submission__reference"]
    date_hierarchy = "history_date"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False
