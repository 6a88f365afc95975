"""Model-level facts other parts rely on."""

from __future__ import annotations

from triage.models import URGENCY_ORDER, Disposition


def test_the_urgency_order_lists_every_disposition_in_the_order_declared():
    assert [code for code in URGENCY_ORDER if code in Disposition.values] == list(Disposition.values)
