"""Structured logs: one JSON object per line when ``LOG_FORMAT=json``.

A log shipper (journald, Loki, CloudWatch, ...) can then filter by level, logger,
process or any ``extra={...}`` field without parsing free text. Twenty lines of
standard library; no dependency.
"""
from __future__ import annotations

import datetime as dt
import json
import logging

# The attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """Format a record as a single-line JSON object: time (UTC, ISO 8601), level, logger, message, extras."""

    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                payload[key] = value
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            payload["stack"] = self.formatStack(record.stack_info)
        # default=str: an extra that is a datetime, Decimal or model instance must not lose the line.
        return json.dumps(payload, ensure_ascii=False, default=str)


def configure_celery_logging(**_kwargs) -> None:
    """Receiver for Celery's ``setup_logging``: use Django's LOGGING instead of Celery's own handlers.

    Connected only when ``LOG_FORMAT=json`` (config/celery.py), so worker and beat write the same
    JSON lines as the web process.
    """
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)
