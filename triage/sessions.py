"""Database sessions that save with a single UPDATE.

Django's database session store wraps every save in ``transaction.atomic()``,
which on SQLite costs a BEGIN IMMEDIATE (and a savepoint pair inside another
transaction) around what is one UPDATE statement, atomic on its own. Every
questionnaire step saves the session, so this store drops the wrapper for
updates; creating a session still goes through Django's own code.
"""

from __future__ import annotations

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import UpdateError
from django.db import DatabaseError, router


class SessionStore(db.SessionStore):
    def save(self, must_create: bool = False) -> None:
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)
        obj = self.create_model_instance(self._get_session())
        try:
            obj.save(force_update=True, using=router.db_for_write(self.model, instance=obj))
        except DatabaseError as error:
            # The row is gone (expired and cleared, or logged out elsewhere).
            raise UpdateError from error
