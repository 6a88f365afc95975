"""Clean-up simple-history leaves undone.

With ``cascade_delete_history`` simple-history deletes an outcome's history
rows when the outcome goes (with its submission: the patient's own delete or
the retention purge), but not the history of its conditions found, which
points at them without a foreign-key constraint. Delete those too, so no
finding outlives the submission it was about.
"""

from __future__ import annotations

from django.apps import apps


def outcome_history_conditions_delete(sender, instance, **kwargs) -> None:
    apps.get_model("review", "HistoricalOutcome_conditions").objects.filter(outcome_id=instance.pk).delete()
