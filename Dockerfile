# The application image: one image, every process of the Procfile (web, worker,
# documents, scheduler) runs from it with a different command (see compose.yaml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

# postgresql-client: `manage.py backup` makes a real pg_dump with it.
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 lms

WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY --chown=lms:lms . .

# Static files are part of the image (WhiteNoise serves them). Production settings
# refuse to start without a secret, SITE_URL and a signing key: throwaway ones here,
# used for nothing but collecting the files.
RUN DJANGO_SECRET_KEY=collectstatic-only SITE_URL=https://build.invalid \
    CERTIFICATE_SIGNING_KEY="$(python -c 'from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey as K; from cryptography.hazmat.primitives import serialization as s; print(K.generate().private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption()).decode())')" \
    python manage.py collectstatic --noinput \
    && mkdir -p /data/media /data/private && chown -R lms:lms /data

USER lms
ENV MEDIA_ROOT=/data/media PRIVATE_MEDIA_ROOT=/data/private PORT=8000
EXPOSE 8000
CMD ["sh", "-c", "exec gunicorn --config python:config.gunicorn_config config.wsgi:application --workers ${WEB_CONCURRENCY:-3} --bind ${BIND_ADDRESS:-0.0.0.0}:${PORT:-8000}"]
