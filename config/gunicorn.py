"""Gunicorn settings for the ``web`` service: ``gunicorn -c config/gunicorn.py config.wsgi``.

Every value can be overridden from the environment or the command line (``--bind`` etc.).
"""
import os

bind = [f"0.0.0.0:{os.environ.get('PORT', '8000')}"]
# Sync workers: requests are short, database-bound; 2-4 per core is the usual start.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))  # a large Excel export may take a while
graceful_timeout = 30
# Recycle workers now and then so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# Heartbeat files in memory, not on the container's overlay filesystem (which can stall workers).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# Only the reverse proxy reaches this port (it is not published in docker-compose.yml), so trust its
# X-Forwarded-Proto; Django reads the same header through SECURE_PROXY_SSL_HEADER.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
# gunicornc's control socket is not used; without it no two gunicorns on one host share $HOME/.gunicorn.
control_socket_disable = True
accesslog = "-"
errorlog = "-"

if os.environ.get("LOG_FORMAT", "").strip().lower() == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "ops.logging.JsonFormatter"}},
        "handlers": {"json_console": {"class": "logging.StreamHandler", "formatter": "json",
                                      "stream": "ext://sys.stderr"}},
        "root": {"level": "INFO", "handlers": ["json_console"]},
        "loggers": {
            "gunicorn.error": {"level": "INFO", "handlers": ["json_console"], "propagate": False},
            "gunicorn.access": {"level": "INFO", "handlers": ["json_console"], "propagate": False},
        },
    }
