"""Structured log lines that never carry health information or contact details.

Every record becomes one JSON object on one line. A filter masks anything in a
message that looks like an email address, a phone number or a result token
before it is formatted, so even an exception message that quotes a database
row (PostgreSQL's "Key (contact_email)=(...)") cannot leak one.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from datetime import UTC, datetime

# Result links: /result/<token>/ (and anything below it, e.g. /delete/).
TOKEN_IN_PATH_RE = re.compile(r"(/result/)[A-Za-z0-9_-]{8,}")
# Check-in and unsubscribe links: /check-in/<signed>/, /check-in/unsubscribe/<signed>/ (followups.tokens).
CHECKIN_LINK_IN_PATH_RE = re.compile(r"(/check-in/(?:unsubscribe/)?)[A-Za-z0-9_:-]{20,}")
EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Seven or more digits, possibly split by spaces, dashes, dots or brackets: a phone number.
PHONE_RE = re.compile(r"\+?\(?\d[\d\s().-]{5,}\d")
# Long random strings (session keys, tokens) anywhere else in a message.
SECRET_RE = re.compile(r"\b[A-Za-z0-9_-]{32,}\b")

# Fields a caller may attach with ``extra=``; nothing else from the record is written.
EXTRA_FIELDS = ("event", "method", "path", "status", "duration_ms", "request_id", "view", "count", "dry_run")


def redact(text: str) -> str:
    text = TOKEN_IN_PATH_RE.sub(r"\1<token>", text)
    text = CHECKIN_LINK_IN_PATH_RE.sub(r"\1<token>", text)
    text = EMAIL_RE.sub("<email>", text)
    text = SECRET_RE.sub("<secret>", text)
    return PHONE_RE.sub("<number>", text)


def path_for_log(path: str) -> str:
    """A request path as it may be logged: result tokens (and anything else redact() masks) hidden.

    Callers pass ``request.path``, which never includes the query string.
    """
    return redact(path)


class RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = ()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        for field in EXTRA_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                line[field] = value
        # django.request's error records carry the request: tie them to its request line.
        request_id = getattr(getattr(record, "request", None), "request_id", None)
        if request_id and "request_id" not in line:
            line["request_id"] = request_id
        if record.exc_info and record.exc_info[0] is not None:
            exc_type, exc, tb = record.exc_info
            line["exc_type"] = exc_type.__name__
            line["exc"] = redact(str(exc))[:500]
            # Frames only (file, line, function): the source lines and the
            # message are enough to debug and carry no request data.
            line["stack"] = [f"{f.filename}:{f.lineno} {f.name}" for f in traceback.extract_tb(tb)][-15:]
        return json.dumps(line, ensure_ascii=False, default=str)
