# One image for every app service in docker-compose.yml (migrate, web, worker, beat); they differ only in command.
# Build: docker compose build   (or: docker build -t tindaklanjut .)

# --- build stage: dependencies, translations, static files ---------------------------------------
FROM python:3.11-slim AS build
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# gettext only here, for compilemessages; the runtime image does not carry it.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY requirements.txt /tmp/requirements.txt
RUN pip install -r /tmp/requirements.txt
WORKDIR /app
COPY . .
# A dummy key for the build only: production settings refuse to import without one, and neither
# compilemessages nor collectstatic uses it. The real key comes from .env at run time.
RUN if find . -path ./.venv -prune -o -path '*/locale/*' -name '*.po' -print | grep -q .; then \
      SECRET_KEY=build-only-not-secret DJANGO_SETTINGS_MODULE=config.settings.production TL_VAR_DIR=/tmp/var \
      python manage.py compilemessages --ignore=.venv; \
    fi \
 && SECRET_KEY=build-only-not-secret DJANGO_SETTINGS_MODULE=config.settings.production TL_VAR_DIR=/tmp/var \
    python manage.py collectstatic --noinput \
 && rm -rf /tmp/var

# --- runtime stage -------------------------------------------------------------------------------
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    TL_VAR_DIR=/app/var \
    MEDIA_ROOT=/app/var/uploads \
    PORT=8000
RUN groupadd --system --gid 1000 app \
 && useradd --system --uid 1000 --gid app --home-dir /app --shell /usr/sbin/nologin app
COPY --from=build /opt/venv /opt/venv
COPY --from=build --chown=app:app /app /app
WORKDIR /app
# The uploads volume is mounted here; a new named volume takes this directory's owner (app).
RUN mkdir -p /app/var/uploads && chown -R app:app /app/var
USER app
EXPOSE 8000
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
