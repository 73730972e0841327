"""The one settings module: every value that differs between demo, CI and production
comes from an environment variable. docs/deploy.md lists each one.

A malformed value stops start-up with a message naming the variable, rather than
letting a typo silently fall back to a default.
"""

import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, default: bool) -> bool:
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (got {raw!r}).")


def env_int(name: str, default: int) -> int:
    raw = env.str(name, default=str(default)).strip()
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number (got {raw!r}).") from None


def env_url(name: str, default: str, parse) -> dict:
    raw = env.str(name, default=default)
    try:
        return parse(raw)
    except Exception as exc:  # environ raises several types for a bad URL
        raise ImproperlyConfigured(f"{name} is not a valid URL ({exc}).") from None


DEBUG = env_bool("DEBUG", False)

if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="demo-only-insecure-key-do-not-use-in-production")
else:
    SECRET_KEY = env.str("SECRET_KEY", default="")
    if len(SECRET_KEY) < 32:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random string of at least 32 characters when DEBUG is off."
        )

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "guardian",
    "axes",
    "csp",
    "simple_history",
    "pgtrigger",
    "django_tasks",
    "django_tasks_db",
    "accounts",
    "notifications",
    "portfolios",
    "assessments",
    "privacy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Inside the session middleware, so the session it touches is saved on the way out.
    "accounts.middleware.SessionKeepAliveMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks, so it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "accounts.context_processors.roles",
            ],
        },
    },
]

DATABASES = {
    "default": env_url(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}", environ.Env.db_url_config
    )
}
if DATABASES["default"].get("ENGINE") not in (
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
):
    raise ImproperlyConfigured(
        "DATABASE_URL must start with sqlite:// or postgres:// "
        f"(got a {DATABASES['default'].get('ENGINE')!r} database)."
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers (each failed sign-in records one) wait their turn for the write lock,
    # up to SQLITE_BUSY_SECONDS, instead of failing with "database is locked": a transaction
    # takes the lock when it begins, since one that reads first and asks for it later cannot
    # wait for it (docs/deploy.md).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": env_int("SQLITE_BUSY_SECONDS", 20)}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", env_int("CONN_MAX_AGE", 60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # A select list iterates its choices with .iterator(), which on PostgreSQL is a
    # server-side cursor: DECLARE, FETCH and CLOSE, three round trips for a dozen rows, on
    # every page with a filter or a form. Every result here is small enough to fetch at once;
    # it also keeps the app working behind PgBouncer in transaction mode.
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# django-guardian: no anonymous user; anonymous visitors never hold object permissions.
ANONYMOUS_USER_NAME = None

# Logins that cannot be turned against users (docs/security.md). django-axes counts failures per
# client address only, so nobody can lock someone else's account from their own address; a
# short pause stops an address spraying one password across many accounts. An account tried
# from many addresses is slowed, never locked (accounts/throttling.py).
for _renamed, _now in [
    ("AXES_FAILURE_LIMIT", "LOGIN_FAILURES_PER_ADDRESS"),
    ("AXES_COOLOFF_MINUTES", "LOGIN_ADDRESS_PAUSE_MINUTES"),
]:
    if env.str(_renamed, default=""):
        raise ImproperlyConfigured(
            f"{_renamed} is no longer read: failures now count per address; set {_now} instead."
        )
# Reverse proxies in front of the app that each append the address they received from to
# X-Forwarded-For. 0: the connecting address is the client's and X-Forwarded-For is ignored.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
if TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured(
        f"TRUSTED_PROXY_COUNT must be 0 or more (got {TRUSTED_PROXY_COUNT})."
    )
AXES_HANDLER = "accounts.throttling.LoginAttemptHandler"
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip"
AXES_LOCKOUT_PARAMETERS = ["ip_address"]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURES_PER_ADDRESS", 10)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("LOGIN_ADDRESS_PAUSE_MINUTES", 10))
# Refused attempts are not failures: they neither extend a pause nor slow the account.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_USERNAME_FORM_FIELD = "username"
# Emails sign in whatever their case, so failures must count whatever their case too.
AXES_USERNAME_CALLABLE = "accounts.throttling.username_for_lockout"
# Clears only the signing-in account's failures from that address (LoginAttemptHandler).
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 10)
LOGIN_ACCOUNT_DELAY_SECONDS = env_int("LOGIN_ACCOUNT_DELAY_SECONDS", 30)

# Argon2id first, at OWASP's recommended cost (accounts/hashers.py); older hashes are upgraded at
# the next sign-in.
PASSWORD_HASHERS = [
    "accounts.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]

# A session ends when the browser closes, and after SESSION_IDLE_MINUTES without a request.
SESSION_EXPIRE_AT_BROWSER_CLOSE = env_bool("SESSION_EXPIRE_AT_BROWSER_CLOSE", True)
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 60) * 60
# Moved on by accounts.middleware.SessionKeepAliveMiddleware at most once a minute, rather
# than saved on every request.
SESSION_SAVE_EVERY_REQUEST = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = env.str("TIME_ZONE", default="Europe/London")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(f"TIME_ZONE {TIME_ZONE!r} is not a known time zone.") from None
USE_I18N = True
USE_TZ = True

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))
MEDIA_URL = "/media-not-served/"  # files are served only through views that check permission
# Uploads always stream to a temporary file on disk, never into memory.
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.TemporaryFileUploadHandler"]
FILE_UPLOAD_TEMP_DIR = env.str("FILE_UPLOAD_TEMP_DIR", default=None)
EVIDENCE_MAX_UPLOAD_MB = env_int("EVIDENCE_MAX_UPLOAD_MB", 25)
# Years after a finished placement's end date before `apply_retention` anonymises it.
RETENTION_YEARS = env_int("RETENTION_YEARS", 6)
# Absolute address of the site, for links in emails and the verification address printed on
# every report. Without SITE_URL, the local address on PORT (the port the demo was started on).
SITE_URL = env.str("SITE_URL", default=f"http://127.0.0.1:{env_int('PORT', 8000)}").rstrip("/")
# Rate limits (the public /verify/ page) count here; with more than one app server, give them
# one cache they share, e.g. redis://host:6379/0 (docs/deploy.md).
CACHES = {"default": env_url("CACHE_URL", "locmemcache://", env.cache_url_config)}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# S3-compatible object storage (AWS, MinIO, ...) when a bucket is named. Objects stay private:
# downloads redirect, after the permission check, to a URL signed for a few seconds.
if env.str("AWS_STORAGE_BUCKET_NAME", default=""):
    _signed_url_seconds = env_int("AWS_S3_SIGNED_URL_SECONDS", 60)
    if not 1 <= _signed_url_seconds <= 604800:
        raise ImproperlyConfigured(
            "AWS_S3_SIGNED_URL_SECONDS must be between 1 and 604800 (seven days) "
            f"(got {_signed_url_seconds})."
        )
    _s3_options = {
        "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),
        "default_acl": None,  # the bucket's own policy: private
        "file_overwrite": False,
        "querystring_auth": True,
        "querystring_expire": _signed_url_seconds,
    }
    # Unset ones fall back to boto3's own chain (environment, instance role, ...).
    for _option, _variable in [
        ("endpoint_url", "AWS_S3_ENDPOINT_URL"),
        ("region_name", "AWS_S3_REGION_NAME"),
        ("access_key", "AWS_ACCESS_KEY_ID"),
        ("secret_key", "AWS_SECRET_ACCESS_KEY"),
    ]:
        if env.str(_variable, default=""):
            _s3_options[_option] = env.str(_variable)
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _s3_options}

_email = env_url(
    "EMAIL_URL", "consolemail://" if DEBUG else "smtp://localhost:25", env.email_url_config
)
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
# In production mail goes over TLS (STARTTLS) unless the URL says SSL or EMAIL_USE_TLS=false.
EMAIL_USE_TLS = env_bool(
    "EMAIL_USE_TLS", _email.get("EMAIL_USE_TLS", not DEBUG and not EMAIL_USE_SSL)
)
# A mail server that stops answering costs the worker this many seconds, then a retry later.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS must be false when EMAIL_URL uses smtp+ssl://.")
DEFAULT_FROM_EMAIL = env.str(
    "DEFAULT_FROM_EMAIL", default="Practice Portfolio <no-reply@localhost>"
)
# filemail:///demo-mail writes each message to a file in that folder (relative to the project;
# filemail:////var/mail/pp for an absolute path): the demo's mail.
if _email.get("EMAIL_FILE_PATH"):
    EMAIL_FILE_PATH = str(BASE_DIR / _email["EMAIL_FILE_PATH"])

# Mail goes out through Django's tasks API (django-tasks), so a slow or failing mail server
# never holds up a page: `db` keeps the queue in the database for `manage.py db_worker`;
# `immediate` runs each task at once in the same process (tests, or a site without a worker);
# `rq` hands them to Redis workers (django-tasks-rq, see docs/deploy.md).
TASKS_BACKEND = env.str("TASKS_BACKEND", default="db")
_TASK_BACKENDS = {
    "db": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "rq": "django_tasks_rq.RQBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)} (got {TASKS_BACKEND!r})."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
if TASKS_BACKEND == "rq":
    try:
        import django_tasks_rq  # noqa: F401
    except ImportError:
        raise ImproperlyConfigured(
            "TASKS_BACKEND=rq needs the django-tasks-rq package: pip install django-tasks-rq."
        ) from None
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": env.str("TASKS_REDIS_URL", default="redis://localhost:6379/0")}}
# Tries of one email before it is marked failed (1, 5, 25, 125 minutes apart, then 6 hours).
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 6)
if NOTIFICATION_MAX_ATTEMPTS < 1:
    raise ImproperlyConfigured(
        f"NOTIFICATION_MAX_ATTEMPTS must be 1 or more (got {NOTIFICATION_MAX_ATTEMPTS})."
    )

# A signed review is locked everywhere: django-simple-history's admin "revert" would bypass it.
SIMPLE_HISTORY_REVERT_DISABLED = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# django-csp: scripts and styles only from our own origin; nothing inline.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # A year by default; docs/deploy.md says how to start small while HTTPS is being proved.
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # No email address reaches the log, whoever writes it (privacy/log_redaction.py).
    "filters": {"redact_emails": {"()": "privacy.log_redaction.RedactEmails"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_emails"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # django-axes announces itself at INFO on every start; keep its warnings only.
    "loggers": {"axes": {"level": "WARNING"}},
}
