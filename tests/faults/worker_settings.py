"""Settings for the fault tests' worker and beat subprocesses.

The notification tests' worker settings (real SMTP to the test's fake server), plus:
- unacked tasks of a dead worker are looked for every second (kombu's default sweep runs
  every ~100 s); the visibility timeout itself comes from CELERY_VISIBILITY_TIMEOUT;
- beat runs the production jobs of notifications.schedule every two seconds instead of
  every one or five minutes, so two beats tick many times within a test.
"""
from datetime import timedelta

from tests.notifications.worker_settings import *  # noqa: F401,F403
from tests.notifications.worker_settings import CELERY_BEAT_SCHEDULE, CELERY_BROKER_TRANSPORT_OPTIONS

CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "unacked_restore_interval": 1,
                                   "unacked_restore_throttle": 1}
EMAIL_TIMEOUT = 60  # a hanging mail server holds the worker until the test kills it
CELERY_BEAT_SCHEDULE = {name: {**job, "schedule": timedelta(seconds=2), "options": {"expires": 30}}
                        for name, job in CELERY_BEAT_SCHEDULE.items()}
