"""Settings for every deployment: everything is read from the environment (see .env.example)."""

import datetime
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from config.env import (
    cache,
    database,
    env_bool,
    env_int,
    env_list,
    env_path,
    env_str,
    file_storage,
    secret_key,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent.parent / "desadevisa"
DATA_DIR = env_path("DATA_DIR", Path.cwd() / "var")

SECRET_KEY = secret_key(DATA_DIR)
DEBUG = env_bool("DEBUG", default=False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "desadevisa.core.views.csrf_failure"

INSTALLED_APPS = [
    # Django's admin, its site replaced by the administrators-only, two-factor one.
    "desadevisa.accounts.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_htmx",
    "template_partials",
    # Before django_tasks_db: its `db_worker` command, with the readiness heartbeat, wins.
    "desadevisa.operations",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "desadevisa.core",
    "desadevisa.audit",
    "desadevisa.regions",
    "desadevisa.accounts",
    "desadevisa.registry",
    "desadevisa.catalog",
    "desadevisa.exports",
    "desadevisa.nominations",
    "desadevisa.verification",
    "desadevisa.support",
    "desadevisa.showcase",
    "desadevisa.inquiries",
    "desadevisa.notifications",
    "desadevisa.imports",
    "desadevisa.api",
]

MIDDLEWARE = [
    # First: every response, error pages included, carries the ID, and so does every log line.
    "desadevisa.core.middleware.RequestIdMiddleware",
    # Database or cache down: 503 with Retry-After instead of a 500.
    "desadevisa.core.middleware.ServiceUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "desadevisa.audit.middleware.AuditContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After OTPMiddleware and MessageMiddleware: signs out stale sessions with a message.
    "desadevisa.accounts.middleware.SessionLimitsMiddleware",
    # Within the session's middleware: no-store on account pages and signed-in people's pages.
    "desadevisa.accounts.middleware.PrivatePagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A bucket that does not answer is a 503 asking to try again, not a server error.
    "desadevisa.core.storage.StorageUnavailableMiddleware",
    # Last, as django-axes asks: it turns a lockout raised by the backend into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "desadevisa.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {"default": database(env_str("DATABASE_URL"), DATA_DIR)}
# Covering indexes (INCLUDE columns) serve PostgreSQL's index-only scans; SQLite builds them on
# their key columns alone, which is all it needs, so its warning about that says nothing.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
# Without Redis, a cache on local disk: the server's processes and the task worker share it
# (import progress, rate limits), which a per-process memory cache would not. With Redis, every
# app server shares the page cache, its generation token and the rate-limit counts; keys carry
# CACHE_KEY_PREFIX, so several sites can share one Redis, and a short socket timeout makes a
# Redis that stopped answering an error within a second rather than a hung request.
CACHES = {"default": cache(REDIS_URL, DATA_DIR)}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out sign-in is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"

# Sessions end after 12 hours at most; the idle limit (30 minutes) is enforced per request.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 12 * 60 * 60)
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 30 * 60)

# Two-factor sign-in (TOTP) for these roles; anyone else may set it up and is then asked too.
OTP_REQUIRED_ROLES = env_list(
    "OTP_REQUIRED_ROLES",
    ["administrator", "programme_officer", "verifier", "provincial_officer"],
)
# Days an invitation link stays valid.
INVITATION_VALID_DAYS = env_int("INVITATION_VALID_DAYS", 7)
# Minutes a typed password keeps unlocking sensitive account actions (invitations, tokens).
REAUTHENTICATION_MINUTES = env_int("REAUTHENTICATION_MINUTES", 15)
# Password-reset requests per hour, counted per client address and per e-mail address.
PASSWORD_RESET_RATE_LIMIT = env_int("PASSWORD_RESET_RATE_LIMIT", 5)

# Brute force: a soft lockout per account and address, lifted after the cool-off.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "desadevisa.accounts.lockouts.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Failure counts live in the database, shared by every app server and unaffected by the cache.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"

# How many proxies in front of the app servers append to X-Forwarded-For; 0 trusts none and
# records the connecting address in the audit trail.
AUDIT_TRUSTED_PROXY_COUNT = env_int("AUDIT_TRUSTED_PROXY_COUNT", 0)

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "id")
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Jakarta")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env_path("STATIC_ROOT", DATA_DIR / "static")
MEDIA_URL = "media/"
MEDIA_ROOT = env_path("MEDIA_ROOT", DATA_DIR / "media")
# Uploads: photos are checked and re-encoded, evidence documents checked by content; no file
# is served from MEDIA_URL, only by views that check the reader's scope.
UPLOAD_IMAGE_MAX_BYTES = env_int("UPLOAD_IMAGE_MAX_BYTES", 10 * 1024 * 1024)
UPLOAD_IMAGE_MAX_PIXELS = env_int("UPLOAD_IMAGE_MAX_PIXELS", 40_000_000)
UPLOAD_DOCUMENT_MAX_BYTES = env_int("UPLOAD_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
# Verification photos taken farther than this from the village's recorded location are flagged.
VISIT_PHOTO_MAX_DISTANCE_KM = env_int("VISIT_PHOTO_MAX_DISTANCE_KM", 5)
# Spreadsheet imports: file size, size of an XLSX workbook unpacked, and rows; larger files
# run as a background task.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 50 * 1024 * 1024)
IMPORT_MAX_INFLATED_BYTES = env_int("IMPORT_MAX_INFLATED_BYTES", 512 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 200_000)
IMPORT_BACKGROUND_ROWS = env_int("IMPORT_BACKGROUND_ROWS", 1_000)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FILES = 20
# Uploads go to MEDIA_ROOT, or with S3_BUCKET to that private S3-compatible bucket (the S3_*
# variables of .env.example); `desadevisa storage-migrate` copies MEDIA_ROOT's files there.
S3_BUCKET = env_str("S3_BUCKET")
STORAGES = {
    "default": file_storage(S3_BUCKET),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
# The address people reach the site at: the one start of every absolute link (QR codes, cards,
# certificates, e-mails, sitemap, canonical links). Required in production (check desadevisa.E001).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Desa Devisa <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# The public showcase. Map tiles are optional: with no tile address the home page's map draws
# the provinces' outlines from the project's own files and needs nothing from outside.
SHOWCASE_MAP_TILE_URL = env_str("SHOWCASE_MAP_TILE_URL", "")
SHOWCASE_MAP_TILE_ATTRIBUTION = env_str("SHOWCASE_MAP_TILE_ATTRIBUTION", "")
# Seconds a cached public page is kept (0: no caching). Edits to what a page shows replace it at
# once; this bounds only how old figures derived from the registry's shipments may be.
SHOWCASE_CACHE_SECONDS = env_int("SHOWCASE_CACHE_SECONDS", 600)

# Buyer inquiries: at most this many per minute from one client address or one e-mail address;
# a form sent sooner than this many seconds after it was shown is taken for a robot's; personal
# data of inquiries older than the retention period is anonymised by `desadevisa inquiries-purge`.
INQUIRY_RATE_LIMIT = env_int("INQUIRY_RATE_LIMIT", 5)
INQUIRY_MIN_FILL_SECONDS = env_int("INQUIRY_MIN_FILL_SECONDS", 3)
INQUIRY_RETENTION_DAYS = env_int("INQUIRY_RETENTION_DAYS", 730)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    # Browsers accept __Host- cookies only over HTTPS, for the whole site and from this host.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", default=False) else None
)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

if SHOWCASE_MAP_TILE_URL:
    # The tile server's origin, any subdomain where the address has Leaflet's {s} placeholder.
    _tiles = SHOWCASE_MAP_TILE_URL.split("/", 3)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(
        f"{_tiles[0]}//{_tiles[2].replace('{s}', '*')}"
    )

# Log lines as text, or as one JSON object each (LOG_FORMAT=json) with a line per request.
LOG_FORMAT = env_str("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "desadevisa.core.logging.RequestIdFilter"},
        "client_errors": {"()": "desadevisa.core.logging.ClientErrorFilter"},
    },
    "formatters": {
        "plain": {
            "class": "desadevisa.core.logging.UTCFormatter",
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s",
        },
        "json": {"class": "desadevisa.core.logging.JSONFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id", "client_errors"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "desadevisa.request": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
        # WeasyPrint tells at INFO level about every step of every PDF it renders.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
