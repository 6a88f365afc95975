"""Who looked at, changed, exported or deleted health information, and when.

Rows are written once and never edited or deleted through the application
(the admin shows them read-only to superusers). Each row carries a hash
chained to the row before it (see audit.chain), so a row changed, removed or
inserted behind the application's back shows up in ``manage.py audit_verify``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    CHANGE = "change", _("Changed")
    EXPORT = "export", _("Exported")
    DELETE = "delete", _("Deleted")
    PURGE = "purge", _("Purged (retention)")
    PUBLISH = "publish", _("Published ruleset")
    RETIRE = "retire", _("Retired content")
    ADD = "add", _("Added")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
        help_text=_("Empty when the patient themself (anonymous) or a scheduled job acted."),
    )
    actor_label = models.CharField(
        _("who (as text)"), max_length=150, help_text=_("Username at the time, or 'patient' / 'system'.")
    )
    action = models.CharField(_("what"), max_length=20, choices=AuditAction.choices, db_index=True)
    target = models.CharField(
        _("on what"), max_length=200, db_index=True, help_text=_("E.g. a submission's reference code.")
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(
        _("from IP"), null=True, blank=True, help_text=_("Cleared after AUDIT_IP_RETENTION_DAYS.")
    )
    # The chain covers a keyed digest of the target rather than the target
    # itself, so deleting a submission can replace its reference here with the
    # digest (anonymise) and the chain still verifies. See audit.chain.
    target_digest = models.CharField(_("target digest"), max_length=64, editable=False, default="")
    prev_hash = models.CharField(_("previous event's hash"), max_length=64, editable=False, default="")
    hash = models.CharField(_("hash"), max_length=64, editable=False, default="")

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target}"


class AuditChainHead(models.Model):
    """The one row holding the chain's last hash: locked by each writer, so two cannot fork the chain."""

    last_hash = models.CharField(_("last hash"), max_length=64, default="")
    count = models.PositiveBigIntegerField(_("events chained"), default=0)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain head")

    def __str__(self) -> str:
        return f"{self.count} events, last {self.last_hash[:12]}"
