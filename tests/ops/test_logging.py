"""LOG_FORMAT=json: one JSON object per line, from the formatter and from a real Django process."""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

from ops.logging import JsonFormatter
from tests.ops.conftest import ROOT


def record(msg, *args, exc_info=None, **extra):
    logger = logging.getLogger("casework.services")
    return logger.makeRecord(logger.name, logging.WARNING, __file__, 10, msg, args, exc_info, extra=extra)


def test_it_writes_one_json_object_with_level_logger_message_and_extras():
    line = JsonFormatter().format(record("kasus %s terlambat", 42, case_id=42, kabupaten="SBT"))
    assert "\n" not in line
    payload = json.loads(line)
    assert payload["level"] == "WARNING"
    assert payload["logger"] == "casework.services"
    assert payload["message"] == "kasus 42 terlambat"
    assert payload["case_id"] == 42 and payload["kabupaten"] == "SBT"
    assert payload["time"].endswith("+00:00")
    assert "args" not in payload and "msg" not in payload  # the standard attributes stay out


def test_an_exception_is_kept_inside_the_one_line():
    try:
        raise ValueError("rusak")
    except ValueError:
        line = JsonFormatter().format(record("gagal", exc_info=sys.exc_info()))
    assert "\n" not in line
    assert "ValueError: rusak" in json.loads(line)["exception"]


def test_an_extra_that_json_cannot_encode_does_not_lose_the_line():
    import datetime as dt

    payload = json.loads(JsonFormatter().format(record("x", when=dt.date(2025, 3, 28), obj=object())))
    assert payload["when"] == "2025-03-28" and payload["obj"].startswith("<object")


def _log_in_django(tmp_path, log_format):
    code = ("import django, logging; django.setup();"
            "logging.getLogger('ops.test').warning('halo %s', 'dunia', extra={'case_id': 7})")
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test", "TL_VAR_DIR": str(tmp_path),
           "LOG_FORMAT": log_format}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60, check=True)
    return proc.stderr.strip().splitlines()[-1]


def test_log_format_json_switches_the_settings_logging_to_json_lines(tmp_path):
    payload = json.loads(_log_in_django(tmp_path, "json"))
    assert payload["message"] == "halo dunia" and payload["case_id"] == 7 and payload["logger"] == "ops.test"


def test_without_log_format_the_lines_stay_plain_text(tmp_path):
    line = _log_in_django(tmp_path, "plain")
    assert line.endswith("WARNING ops.test halo dunia") and not line.startswith("{")
