"""Settings read once from the environment, with embedded defaults (DESIGN.md §7)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from .embedded_db import embedded_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# A fixed key is only acceptable on a developer machine: production must set SECRET_KEY.
SECRET_KEY = os.environ.get("SECRET_KEY") or "insecure-development-key-set-SECRET_KEY-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "http://127.0.0.1:8000,http://localhost:8000")
# Absolute URL of the site as shoppers reach it; JWT `iss` is PUBLIC_URL + /graphql/ when set,
# otherwise it is derived from each request.
PUBLIC_URL = os.environ.get("PUBLIC_URL", "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "mptt",
    "versatileimagefield",
    "saleor_ext.core",
    "saleor_ext.account",
    "saleor_ext.channel",
    "saleor_ext.vendor",
    "saleor_ext.attribute",
    "saleor_ext.product",
    "saleor_ext.warehouse",
    "saleor_ext.shipping",
    "saleor_ext.tax",
    "saleor_ext.checkout",
    "saleor_ext.order",
    "saleor_ext.payment",
    "saleor_ext.site",
    "saleor_ext.plugins",
    "saleor_ext.thumbnail",
    "saleor_ext.graphql",
    "plugins.grading",
    "plugins.vendor_channels",
    "plugins.erp_sync",
    "storefront",
    "import_scripts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "marketplace.urls"
WSGI_APPLICATION = "marketplace.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASE_URL = os.environ.get("DATABASE_URL") or embedded_database_url(
    VAR_DIR, os.environ.get("EMBEDDED_DB_NAME", "marketplace")
)
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")))
}
# Parameters bound by the server, and statements sent twice on a connection prepared there
# (PostgreSQL spends ~1 ms planning each hot join against ~0.2 ms running it): the web tier turns
# it on (docker-compose.yml, make bench). Off by default: every value of an ORM ``__in`` list is
# then a parameter, and a statement with more than 65 535 of them fails, as the ERP imports of
# workers and commands would.
if os.environ.get("DB_SERVER_SIDE_BINDING", "0") not in ("", "0"):
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
    DATABASES["default"]["OPTIONS"]["prepare_threshold"] = int(os.environ.get("DB_PREPARE_THRESHOLD", "2"))
# Lets parallel test runs on one server keep apart (e.g. TEST_DATABASE_NAME=test_mine).
if os.environ.get("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": os.environ["TEST_DATABASE_NAME"]}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "account.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français"), ("nl", "Nederlands"), ("en", "English")]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = os.environ.get("MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))

DEFAULT_CURRENCY = "EUR"
DEFAULT_COUNTRY = "BE"
DEFAULT_CHANNEL_SLUG = "marketplace"

# Saleor's connection limit and thumbnail sizes.
GRAPHQL_PAGINATION_LIMIT = 100
THUMBNAIL_SIZES = [32, 64, 128, 256, 512, 1024, 2048, 4096]
# How long a shopper-facing list total (`totalCount`) is reused; 0 counts on every request.
CATALOGUE_COUNT_CACHE_SECONDS = int(os.environ.get("CATALOGUE_COUNT_CACHE_SECONDS", "30"))

# JWT (RS256 as Saleor). The key comes from RSA_PRIVATE_KEY; in development one is generated
# once into var/ so tokens survive restarts.
RSA_PRIVATE_KEY = os.environ.get("RSA_PRIVATE_KEY", "")
JWT_TTL_ACCESS = int(os.environ.get("JWT_TTL_ACCESS", str(5 * 60)))
JWT_TTL_REFRESH = int(os.environ.get("JWT_TTL_REFRESH", str(30 * 24 * 3600)))

PLUGINS = env_list(
    "PLUGINS",
    "plugins.vendor_channels.plugin.VendorChannelsPlugin,plugins.grading.plugin.GradingPlugin,"
    "plugins.pickup_payment.plugin.PickupPaymentPlugin,plugins.stripe.plugin.StripePlugin,"
    "plugins.dummy_payment.plugin.DummyPaymentPlugin,plugins.erp_sync.plugin.ErpSyncPlugin",
)
# The dummy gateway (`mirumee.payments.dummy`) answers any outcome asked for: tests and the demo
# only. On by default in the embedded (development) mode, off when DATABASE_URL points at a server.
# Stripe (the plugin is offered only with a secret key). STRIPE_API_BASE points the official
# library at another server: the local Stripe simulator in tests and the demo.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")
_DUMMY_DEFAULT = "0" if os.environ.get("DATABASE_URL") else "1"
PAYMENTS_DUMMY_ENABLED = os.environ.get("PAYMENTS_DUMMY_ENABLED", _DUMMY_DEFAULT) == "1"

# Celery: in-process (eager) unless a broker is configured.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND") or None
# ERP sync (plugins/erp_sync): credentials are encrypted with ERP_SECRET_KEY (SECRET_KEY when unset).
ERP_SECRET_KEY = os.environ.get("ERP_SECRET_KEY", "")
ERP_BATCH_SIZE = int(os.environ.get("ERP_BATCH_SIZE", "2000"))
# Incremental pulls start this far before the last change seen: late commits are never missed.
ERP_CURSOR_OVERLAP_SECONDS = int(os.environ.get("ERP_CURSOR_OVERLAP_SECONDS", "120"))
# Odoo deletes a quant that reaches zero: an item sold out and cleaned up between two runs
# shows only in the full stock read, so that read comes often enough to bound the lag.
ERP_FULL_RECONCILIATION_MINUTES = int(os.environ.get("ERP_FULL_RECONCILIATION_MINUTES", "15"))
ERP_DEFAULT_CATEGORY_SLUG = os.environ.get("ERP_DEFAULT_CATEGORY_SLUG", "a-classer")
ERP_IMAGE_TIMEOUT = float(os.environ.get("ERP_IMAGE_TIMEOUT", "10"))
# A sale push that failed is tried again after this, then twice as long each time (up to an hour).
ERP_PUSH_FIRST_RETRY_SECONDS = float(os.environ.get("ERP_PUSH_FIRST_RETRY_SECONDS", "30"))
# Batches a member's sync writes at once, each on its own database connection (1: one by one).
ERP_SYNC_WRITERS = int(os.environ.get("ERP_SYNC_WRITERS", "2"))
# "Sync now" in the back-office runs in a thread (or on Celery with a broker); inline only for
# tests whose data a thread's own connection cannot see.
ERP_SYNC_INLINE = False
CELERY_BEAT_SCHEDULE = {
    "update-products-search-vectors": {
        "task": "saleor_ext.product.tasks.update_products_search_vector_task",
        "schedule": float(os.environ.get("BEAT_UPDATE_SEARCH_SEC", "20")),
    },
    "delete-expired-reservations": {
        "task": "saleor_ext.warehouse.tasks.delete_expired_reservations_task",
        "schedule": 600.0,
    },
    # Enqueues the members' syncs that are due (each its own interval) and the sale pushes to retry.
    "erp-sync-tick": {"task": "plugins.erp_sync.tasks.erp_sync_tick_task", "schedule": 60.0},
}

# Anonymous catalogue responses are kept this many seconds (0 turns it off); see
# saleor_ext/graphql/response_cache.py. Each worker keeps its own copy unless CACHE_URL points
# to Redis.
GRAPHQL_RESPONSE_CACHE_SECONDS = int(os.environ.get("GRAPHQL_RESPONSE_CACHE_SECONDS", "10"))
# Channels, categories, vendors, grades… are read from memory for this many seconds.
REFERENCE_CACHE_SECONDS = int(os.environ.get("REFERENCE_CACHE_SECONDS", "30"))
CACHE_URL = os.environ.get("CACHE_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "default"},
    "graphql": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
        if CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "graphql",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    ),
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Marché du réemploi <noreply@reemploi.example>")
# New accounts confirm their e-mail address through a link before it is trusted.
ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL = env_bool("ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL", True)
# Hosts a storefront may send in redirectUrl (links in e-mails); ".example.be" allows subdomains.
ALLOWED_CLIENT_HOSTS = env_list("ALLOWED_CLIENT_HOSTS", "*")

VERSATILEIMAGEFIELD_SETTINGS = {"create_images_on_demand": False, "jpeg_resize_quality": 82}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
