"""One env-driven settings file. Every variable is listed in .env.example.

With nothing set, esafety runs on SQLite and Celery's filesystem transport under var/: the
embedded default for `make run`. DATABASE_URL and CELERY_BROKER_URL switch to PostgreSQL and
Redis. ESAFETY_ENV=production demands the secrets and turns on every transport protection.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str | None = None) -> str | None:
    # A secret may come from a file (Docker secrets, systemd credentials): NAME_FILE wins.
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as e:
            raise ImproperlyConfigured(f"{name}_FILE={path} cannot be read: {e}") from e
    # An empty value counts as unset: docker-compose and .env files write `NAME=` for "no value".
    return os.environ.get(name) or default


def envbool(name: str, default: str) -> bool:
    value = (env(name, default) or "").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name: str, default: str) -> int:
    value = env(name, default) or ""
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def required(name: str) -> str:
    value = env(name)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when ESAFETY_ENV=production")
    return value


ESAFETY_ENV = env("ESAFETY_ENV", "development")
if ESAFETY_ENV not in ("development", "production"):
    raise ImproperlyConfigured(
        f"ESAFETY_ENV must be development or production, not {ESAFETY_ENV!r}"
    )
PRODUCTION = ESAFETY_ENV == "production"
TESTING = "pytest" in sys.modules or envbool("ESAFETY_TESTING", "false")

VAR_DIR = Path(env("ESAFETY_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

if PRODUCTION:
    SECRET_KEY = required("SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5:
        raise ImproperlyConfigured("SECRET_KEY must be at least 50 random characters")
    # A debug page shows settings and local variables: children's data in a traceback.
    if envbool("DEBUG", "false"):
        raise ImproperlyConfigured("DEBUG must be false when ESAFETY_ENV=production")
    DEBUG = False
    ALLOWED_HOSTS = [h.strip() for h in required("ALLOWED_HOSTS").split(",") if h.strip()]
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must name at least one host name")
    SITE_URL = required("SITE_URL").rstrip("/")
    # Links in emails go to SITE_URL; sending people to plain http would leak their sessions.
    if not SITE_URL.startswith("https://"):
        raise ImproperlyConfigured(
            f"SITE_URL must start with https:// in production, not {SITE_URL!r}"
        )
else:
    SECRET_KEY = env("SECRET_KEY", "dev-only-not-secret-" + "x" * 40)
    DEBUG = envbool("DEBUG", "false" if TESTING else "true")
    ALLOWED_HOSTS = [
        h.strip() for h in (env("ALLOWED_HOSTS", "localhost,127.0.0.1") or "").split(",")
    ]
    SITE_URL = (env("SITE_URL", "http://localhost:8000") or "").rstrip("/")

if not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, not {SITE_URL!r}")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "esafety.people",
    "esafety.audit",
    "esafety.notify",
    "esafety.reports",
    "policies",
    "incidents",
    "consent",
    "devices",
    "training",
    "filtering",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "esafety.middleware.RequestContextMiddleware",
    "esafety.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the session or the user; static files above never need the database.
    "esafety.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "esafety.middleware.PrivilegedIdleTimeoutMiddleware",
    "esafety.middleware.RequireMFAMiddleware",
]

ROOT_URLCONF = "esafety.urls"
WSGI_APPLICATION = "esafety.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "esafety.people.context_processors.schools",
                "esafety.people.context_processors.contributed",
                "policies.context_processors.outstanding",
            ],
        },
    },
]

try:
    DATABASES = {
        "default": dj_database_url.parse(
            env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'esafety.sqlite3'}") or "",
            conn_max_age=envint("DATABASE_CONN_MAX_AGE", "60"),
            # A kept connection is checked before a request reuses it, so the site recovers by
            # itself when a restarted database comes back (a 503 page says so while it is away).
            conn_health_checks=True,
        )
    }
except ValueError as e:
    raise ImproperlyConfigured(f"DATABASE_URL is not a database address: {e}") from e
if DATABASES["default"]["ENGINE"] not in (
    "django.db.backends.postgresql",
    "django.db.backends.sqlite3",
):
    # The audit trigger and the advisory locks are written for PostgreSQL (SQLite for a first look).
    raise ImproperlyConfigured("DATABASE_URL must be a postgres:// or sqlite:// address")
if PRODUCTION and DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DATABASE_URL must point at PostgreSQL when ESAFETY_ENV=production")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite serves the first look and the server-less test run. WAL lets the worker and the web
    # server read while the other writes. Every transaction takes the write lock when it begins
    # (IMMEDIATE) and waits up to 20 s for it: a deferred one that read first and then wrote
    # failed at once with "database is locked" when the worker had written in between.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"

CACHE_URL = env("CACHE_URL", "")
# Created by the migration esafety/people/migrations/0004_cache_table.py.
CACHE_TABLE = "esafety_cache"
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured(f"CACHE_URL must be a redis:// address, not {CACHE_URL!r}")
    # The cache holds the sign-in rate limits. Sign-in must work while Redis is down, and the
    # lock-out must still hold in every web process: a Redis that does not answer within half a
    # second hands over to the database cache (its table comes with the migrations).
    CACHES = {
        "default": {
            "BACKEND": "esafety.cache.FailoverCache",
            "OPTIONS": {"PRIMARY": "redis", "FALLBACK": "database"},
        },
        "redis": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
        "database": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
        },
    }
elif PRODUCTION:
    # Sign-in rate limits must be shared by every web process, so production needs Redis.
    raise ImproperlyConfigured("CACHE_URL must be set when ESAFETY_ENV=production")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Hashing with the real hasher makes every sign-in in the suite slow; it is not under test.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]

# allauth: email sign-in, no open sign-up (accounts come from invitations), MFA.
ACCOUNT_ADAPTER = "esafety.people.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
# One address per account, the one the school invited: the roster links children to parents by
# email, so nobody may add another address and make it their own.
ACCOUNT_MAX_EMAIL_ADDRESSES = 1
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[esafety] "
# Five failed sign-ins for one email lock it for 15 minutes, whether or not the account exists,
# so the message never tells an attacker which emails are real.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/m/ip,5/15m/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "esafety"
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"

# Roles that see child-protection records must use a second factor, and sit idle for at most
# ESAFETY_PRIVILEGED_IDLE_MINUTES before signing in again.
ESAFETY_PRIVILEGED_IDLE_MINUTES = envint("ESAFETY_PRIVILEGED_IDLE_MINUTES", "30")
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(8 * 60 * 60))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Messages ("signed in as …", a child's first name after a co-sign) stay on the server with the
# session: Django's default keeps them in a signed cookie, which anyone can read.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Outside production whitenoise serves straight from the finders, so no collectstatic is needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Third-party assets come from pinned npm packages (package.json), never from a CDN.
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Uploaded files (rosters now, evidence later) live outside any public folder and are served
# only through views that check access.
PRIVATE_ROOT = Path(env("ESAFETY_PRIVATE_ROOT", str(VAR_DIR / "private")))
MEDIA_ROOT = PRIVATE_ROOT
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Email: what the outbox sends. The development default prints to the console.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
if PRODUCTION and EMAIL_BACKEND.endswith("console.EmailBackend"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "false")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", "20")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "esafety@localhost")
if PRODUCTION:
    DEFAULT_FROM_EMAIL = required("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery. The embedded default is kombu's filesystem transport under var/, so `make run` needs
# no Redis; in and out folders are the same so one folder is the queue.
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "filesystem://")
if not CELERY_BROKER_URL.startswith(("redis://", "rediss://", "filesystem://", "memory://")):
    # Only these are configured below; another transport would run with no connect timeout.
    raise ImproperlyConfigured(
        f"CELERY_BROKER_URL must be a redis:// or filesystem:// address, not {CELERY_BROKER_URL!r}"
    )
if PRODUCTION and not (CELERY_BROKER_URL or "").startswith(("redis://", "rediss://")):
    raise ImproperlyConfigured("CELERY_BROKER_URL must be a redis:// address in production")
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if CELERY_BROKER_URL == "filesystem://":
    _queue = VAR_DIR / "broker"
    _queue.mkdir(exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "processed_folder": str(VAR_DIR / "broker-processed"),
        # Broadcast messages (worker remote control) go here too, not into the working directory.
        "control_folder": str(VAR_DIR / "broker-control"),
        "store_processed": False,
    }
else:
    # A web request must never wait on a broker that is down: fail fast, the sweep resends.
    # A task whose worker was killed (kill -9: no chance to hand it back) is redelivered once
    # the visibility timeout passes: ten minutes, not kombu's hour. It is longer than the hard
    # time limit of every task acknowledged late (at most 9 minutes), so a task still running is
    # never handed to a second worker.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": 1,
        "socket_timeout": 2,
        "max_retries": 0,
        "visibility_timeout": 600,
    }
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_TASK_ALWAYS_EAGER = envbool("CELERY_TASK_ALWAYS_EAGER", "false")

# Transport security. In production every protection is on, and check --deploy is silent.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "true")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "true")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if envbool("ESAFETY_BEHIND_PROXY", "true"):
        # gunicorn sits behind a TLS-terminating proxy that sets this header.
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        # Sign-in rate limits count per client, not per proxy (the proxy appends the client).
        ALLAUTH_TRUSTED_PROXY_COUNT = 1
    CSRF_TRUSTED_ORIGINS = [SITE_URL]

# No inline script or style anywhere: the CSP forbids them and the browser tests fail on a
# violation. data: images are the TOTP QR code.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)

LOG_LEVEL = (env("LOG_LEVEL", "INFO") or "").upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(
        f"LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL, not {LOG_LEVEL!r}"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint and fontTools narrate every PDF step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Django's admin, for whoever runs the server. Off in production unless asked for.
ESAFETY_ADMIN_ENABLED = envbool("ESAFETY_ADMIN_ENABLED", "false" if PRODUCTION else "true")

# A form refused for its CSRF token gets the site's own page, with what to do now.
CSRF_FAILURE_VIEW = "esafety.errors.csrf_failure"
