"""Test settings: whatever DATABASE_URL / REDIS_URL say, fast hashing, mail kept in memory."""
from .base import *  # noqa: F401,F403

SECRET_KEY = "test-only-key"
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Django's test client logs in without a request; the tolerant subclass lets ``client.login()``
# work while every HTTP login still goes through the real lockout check (tests/security).
AUTHENTICATION_BACKENDS = ["tests.support.axes_backend.TestClientAxesBackend",
                           *AUTHENTICATION_BACKENDS[1:]]  # noqa: F405
