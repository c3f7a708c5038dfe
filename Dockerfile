# One image for web (gunicorn), worker, beat and the one-shot migrate service.
#   docker compose build    (see docker-compose.yml and README.md)

# Bootstrap (and axe-core, for the browser tests) come from pinned npm packages, never a CDN.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    ESAFETY_VAR_DIR=/app/var \
    ESAFETY_PRIVATE_ROOT=/data/private

# Fonts and Pango for WeasyPrint (governors' PDF reports).
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin esafety

WORKDIR /app
# Dependencies first, from pyproject.toml and constraints.txt only, so a code change does not
# reinstall them. The empty package is replaced by the real one below (an editable install, so
# templates/ and static/ are found beside esafety/).
COPY pyproject.toml constraints.txt ./
RUN mkdir esafety && touch esafety/__init__.py \
    && pip install -c constraints.txt -e .

COPY --from=assets /app/node_modules ./node_modules
COPY . .

# Static files are collected into the image with throwaway production values: collectstatic
# reads the settings but contacts nothing, and these values never reach a running container.
RUN ESAFETY_ENV=production \
    SECRET_KEY=collectstatic-only-0123456789-abcdefghijklmnopqrstuvwxyz \
    ALLOWED_HOSTS=build SITE_URL=https://build DEFAULT_FROM_EMAIL=build@build \
    DATABASE_URL=postgres://build@127.0.0.1:9/build \
    CELERY_BROKER_URL=redis://127.0.0.1:9/0 CACHE_URL=redis://127.0.0.1:9/1 \
    python manage.py collectstatic --noinput \
    && mkdir -p /data/private \
    && chown -R esafety:esafety /app/var /data/private

USER esafety
EXPOSE 8000
CMD ["gunicorn", "esafety.wsgi:application", "--bind", "0.0.0.0:8000", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*"]
