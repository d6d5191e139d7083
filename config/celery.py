"""The Celery app. Settings come from Django's settings under the CELERY_ namespace."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = Celery("tindaklanjut")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

if os.environ.get("LOG_FORMAT", "").strip().lower() == "json":
    # Celery otherwise installs its own plain-text handlers; use Django's LOGGING (JSON lines) instead.
    from celery.signals import setup_logging

    from ops.logging import configure_celery_logging

    setup_logging.connect(configure_celery_logging, weak=False)
