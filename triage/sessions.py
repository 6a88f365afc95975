"""Database sessions that save with a single UPDATE.

Django's database session store wraps every save in ``transaction.atomic()``,
which on SQLite costs a BEGIN IMMEDIATE (and a savepoint pair inside another
transaction) around what is one UPDATE statement, atomic on its own. Every
questionnaire step saves the session, so this store drops the wrapper for
updates; creating a session still goes through Django's own code.

``write()`` is that UPDATE, reporting a missing row instead of raising: the
final submit saves the session inside the submission's transaction, where an
exception (even one caught) would mark the whole transaction for rollback.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import router


class SessionStore(db.SessionStore):
    def save(self, must_create: bool = False) -> None:
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)
        if not self.write():
            # The row is gone (expired and cleared, or logged out elsewhere).
            raise UpdateError

    def write(self) -> bool:
        """Write the session's data and expiry with one UPDATE; False, raising nothing, when the row is gone."""
        rows = self.model.objects.using(router.db_for_write(self.model)).filter(session_key=self.session_key)
        return bool(rows.update(session_data=self.encode(self._get_session()), expire_date=self.get_expiry_date()))
