"""Settings for the test suite's Celery worker subprocess: the test settings, but real SMTP.

The worker is another process, so the in-memory mail outbox of the test process
cannot see what it sends; it talks SMTP to the test's local fake server instead
(EMAIL_HOST / EMAIL_PORT and WHATSAPP_GATEWAY_URL come from the environment).
"""
from config.settings.test import *  # noqa: F401,F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_TIMEOUT = 10
