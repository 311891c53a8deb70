"""The stand-in host: a minimal Django project that provides exactly what the
plugin's Saleor adapter provides, with the same app labels (channel, attribute,
account, app). A test fixture and the demo's host; never shipped, never Saleor.
"""

import os

import dj_database_url

BASE_DIR = os.path.dirname(os.path.abspath(__file__))

SECRET_KEY = os.environ.get("SECRET_KEY", "stand-in-host-secret-key-for-tests-only-0123456789")
DEBUG = os.environ.get("DEBUG", "") == "1"
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "tests.standin.channel",
    "tests.standin.attribute",
    "tests.standin.product",
    "tests.standin.warehouse",
    "tests.standin.order",
    "tests.standin.account",
    "tests.standin.app",
    "tests.standin.plugins",
    "saleor_amazon_channel",
]

MIDDLEWARE = [
    # Saleor runs without CSRF and clickjacking middleware; so does the stand-in.
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]

ROOT_URLCONF = "tests.standin.urls"
AUTH_USER_MODEL = "account.User"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/amazon_channel"),
        conn_max_age=0,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"

TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True, "DIRS": []}]

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/1"),
        "KEY_PREFIX": os.environ.get("CACHE_PREFIX", "standin"),
    }
    if os.environ.get("CACHE_URL") or os.environ.get("STANDIN_REDIS_CACHE")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
DEFAULT_FROM_EMAIL = "noreply@example.com"

PUBLIC_URL = os.environ.get("PUBLIC_URL", "http://testserver")

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_BEAT_SCHEDULE = {}

AMAZON_CHANNEL_HOST = "tests.standin.adapter.StandInHost"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"saleor_amazon_channel": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")}},
}
