"""What the followups app announces, for the apps above it to act on.

``checkin_red_flag`` is sent when an answered check-in ticked a new warning
sign (emergency or see a doctor today), inside the transaction that stores
the answer (a receiver writes in a savepoint of its own; its failure is
logged and never loses the answer). The clinic's email goes from followups;
the review app reopens the self-check for the call list (followups sits
below review and never imports it).
"""

from django.dispatch import Signal

checkin_red_flag = Signal()  # kwargs: checkin (a followups.models.CheckIn)
