"""Throwaway databases for the benchmark and the load test: a SQLite file, or a PostgreSQL database.

PostgreSQL is reached through ``BENCH_POSTGRES_URL`` (an account allowed to
create databases, and a database to connect to while doing it), by default
the local server's ``postgres`` database. Each run makes its own database and
drops it afterwards, even when the run fails.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BACKENDS = ("sqlite", "postgresql")


def postgres_reachable() -> bool:
    """Whether the PostgreSQL server of ``POSTGRES_URL`` accepts a connection at all."""
    parts = urlsplit(POSTGRES_URL)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), 1).close()
    except OSError:
        return False
    return True


def _postgres(statement: str) -> None:
    import psycopg

    with psycopg.connect(POSTGRES_URL, autocommit=True, connect_timeout=5) as connection:
        connection.execute(statement)


@contextmanager
def database_throwaway(*, backend: str, name: str, directory: Path) -> Iterator[str]:
    """A new, empty database named ``name`` (a file in ``directory`` for SQLite); yields its URL."""
    if backend == "sqlite":
        path = directory / f"{name}.sqlite3"
        try:
            yield f"sqlite:///{path}"
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
    elif backend == "postgresql":
        _postgres(f'DROP DATABASE IF EXISTS "{name}"')
        _postgres(f'CREATE DATABASE "{name}"')
        try:
            yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
        finally:
            _postgres(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        raise ValueError(f"unknown backend {backend!r}: choose from {', '.join(BACKENDS)}")
