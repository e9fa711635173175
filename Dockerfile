# Production image: one image for web (gunicorn), worker and beat (celery); see docker-compose.yml.
#
#   docker build -t valuecreation .
#
# Nothing secret is baked in: SECRET_KEY, DATABASE_URL, CELERY_BROKER_URL and ALLOWED_HOSTS
# come from the environment at run time, and config.settings.production refuses to start
# without them.

# --- Front-end assets ---------------------------------------------------------------------
# Third-party CSS/JS from npm (pinned by package-lock.json) into static/vendor.
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY scripts/build-assets.mjs scripts/
RUN npm run --silent build

# --- Runtime ------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS runtime

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

# gettext: compilemessages. fonts-noto-cjk: Chinese glyphs in rendered PDFs.
# libpango/libpangoft2/libharfbuzz-subset: WeasyPrint's system libraries.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        gettext \
        fonts-noto-cjk \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz-subset0 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin app

WORKDIR /app

# Dependencies first, so that a code change does not reinstall them. pyproject.toml has
# `packages = []`: `pip install .` installs the pinned dependencies only; the code itself
# runs from /app (copied below), not from site-packages.
COPY pyproject.toml ./
RUN pip install . && rm -rf build ./*.egg-info

COPY . .
COPY --from=assets /src/static/vendor static/vendor

# Production settings refuse to load without these four; the values below exist only for
# these two build steps (they are not ENV, so they are not in the image) and touch nothing:
# neither command connects to the database or the broker.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build.invalid \
        DATABASE_URL=postgres://build@localhost/build CELERY_BROKER_URL=redis://localhost:6379/0 SITE_URL=https://build.invalid \
        python manage.py compilemessages -v0 \
    && SECRET_KEY=build-only ALLOWED_HOSTS=build.invalid \
        DATABASE_URL=postgres://build@localhost/build CELERY_BROKER_URL=redis://localhost:6379/0 SITE_URL=https://build.invalid \
        python manage.py collectstatic --noinput -v0

# Uploaded files live in /app/media (a volume in docker-compose.yml); the directory exists
# here, owned by the app user, so that a fresh named volume inherits that ownership.
RUN mkdir -p /app/media && chown app:app /app/media

USER app

EXPOSE 8000

CMD ["gunicorn", "config.wsgi:application", \
     "--bind", "0.0.0.0:8000", \
     "--workers", "3", \
     "--timeout", "60", \
     "--access-logfile", "-", \
     "--error-logfile", "-"]
