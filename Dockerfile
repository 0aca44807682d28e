# Production-like image: gunicorn serving the Django app (DESIGN.md §7).
FROM python:3.11-slim

ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 \
    MEDIA_ROOT=/app/media STATIC_ROOT=/app/static
WORKDIR /app

RUN apt-get update \
 && apt-get install -y --no-install-recommends libpq5 \
 && rm -rf /var/lib/apt/lists/*

COPY requirements.lock pyproject.toml ./
RUN pip install --no-cache-dir -r requirements.lock

COPY . .
# collectstatic needs a database URL to import settings, not a reachable database.
RUN DATABASE_URL=postgres://build@localhost/build python manage.py collectstatic --noinput

RUN useradd --system --uid 1000 app && mkdir -p /app/media && chown -R app /app/media
USER app
EXPOSE 8000
CMD ["gunicorn", "marketplace.wsgi", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
