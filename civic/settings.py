"""Quartiers settings.

One module for every environment: everything that differs between a laptop and
production comes from environment variables, with development defaults that
run at once (SQLite, console email, local-memory cache). See README.md.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from civic.env import (
    allowed_hosts_from_env,
    caches_from_env,
    env_bool,
    env_list,
    mailers_from_env,
    media_storage_from_env,
    secret_key_from_env,
    site_url_from_env,
)

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", False)
# HTTPS_ONLY=false serves production settings over plain HTTP (`make serve`
# on a laptop, the benchmark); never in front of real users.
HTTPS_ONLY = not DEBUG and env_bool("HTTPS_ONLY", True)
# Outside DEBUG both must come from the environment: a missing, public or short
# key, or no ALLOWED_HOSTS, stops the start with a message naming what to set.
SECRET_KEY = secret_key_from_env(os.environ, DEBUG)
ALLOWED_HOSTS = allowed_hosts_from_env(os.environ, DEBUG)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = site_url_from_env(os.environ)  # SITE_URL, else http://127.0.0.1:$PORT (make demo PORT=...)

INSTALLED_APPS = [
    "civic",
    "members",
    "wiki",
    "gallery",
    "discussion",
    "workshops",
    "questions",
    "demo",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "allauth",
    "allauth.account",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Wagtail's search index uses PostgreSQL's full-text fields there.
    "django.contrib.postgres",
]

# Social sign-in is off unless providers are named, e.g. SOCIAL_PROVIDERS=facebook,google
SOCIAL_PROVIDERS = env_list("SOCIAL_PROVIDERS", [])
if SOCIAL_PROVIDERS:
    INSTALLED_APPS += ["allauth.socialaccount"] + [
        f"allauth.socialaccount.providers.{name}" for name in SOCIAL_PROVIDERS
    ]
    SOCIALACCOUNT_PROVIDERS = {
        name: {
            "APPS": [
                {
                    "client_id": os.environ.get(f"{name.upper()}_CLIENT_ID", ""),
                    "secret": os.environ.get(f"{name.upper()}_SECRET", ""),
                }
            ]
        }
        for name in SOCIAL_PROVIDERS
    }
    SOCIALACCOUNT_EMAIL_AUTHENTICATION = False

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "civic.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "civic.middleware.CookieLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "civic.middleware.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

# The demo (DEBUG=1) shows the site's own French 404 and 500 pages; DEBUG_TECHNICAL_ERRORS=1
# brings back Django's technical pages (tracebacks are printed on the console either way).
DEBUG_TECHNICAL_ERRORS = env_bool("DEBUG_TECHNICAL_ERRORS", False)
if DEBUG and not DEBUG_TECHNICAL_ERRORS:
    MIDDLEWARE.append("civic.middleware.FriendlyErrorPagesMiddleware")

# BENCHMARK=1 (bench/run.py only): a baseline view and a per-request query count.
BENCHMARK = env_bool("BENCHMARK", False)
if BENCHMARK:
    MIDDLEWARE.insert(0, "civic.benchmark.QueryCountMiddleware")

ROOT_URLCONF = "civic.urls"
WSGI_APPLICATION = "civic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "civic.brand.context",
            ],
            # `date` with "1er", `datetime_attr` for <time>, `typography`: in every template.
            "builtins": ["civic.templatetags.quartiers"],
        },
    },
]
# Django's, with long <select> lists written in Python (civic.forms).
FORM_RENDERER = "civic.forms.FormRenderer"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DATABASE_IS_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A web server's concurrency on SQLite: WAL lets readers and one writer work at once;
    # IMMEDIATE transactions take the write lock at BEGIN, so a second writer waits for it
    # (busy_timeout, in ms) instead of failing at once with "database is locked" when a
    # read turns into a write; NORMAL sync is safe with WAL and much faster.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=20000; PRAGMA synchronous=NORMAL",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = caches_from_env(os.environ.get("CACHE_URL", ""))
# Anonymous visitors get cached pages this many seconds at most (civic.pagecache); 0 switches it off.
# Discussion (discussion app): the author may edit a comment for this many minutes; the longest comment;
# comments per hour for each member, lower for accounts younger than WikiSettings.new_account_days (0: no limit);
# comments a day that earn points (members.scoring; 0: no cap).
DISCUSSION_EDIT_MINUTES = int(os.environ.get("DISCUSSION_EDIT_MINUTES", "15"))
DISCUSSION_MAX_LENGTH = 5000
DISCUSSION_COMMENTS_PER_HOUR = int(os.environ.get("DISCUSSION_COMMENTS_PER_HOUR", "20"))
DISCUSSION_COMMENTS_PER_HOUR_NEW = int(os.environ.get("DISCUSSION_COMMENTS_PER_HOUR_NEW", "5"))
DISCUSSION_DAILY_CAP = int(os.environ.get("DISCUSSION_DAILY_CAP", "10"))
DISCUSSION_SHORT_COMMENT_CHARS = 40

PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
# Sessions live in the database (or the shared cache in front of it), never in
# one process, so any app server can answer any request.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
# Private pages (Wagtail privacy "login") send visitors to the one sign-in page, with its rate limits.
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
LOGIN_REDIRECT_URL = "members:profile"

# django-allauth: email + password, verified email before contributing.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_SIGNUP_FORM_CLASS = "members.forms.SignupProfileForm"
ACCOUNT_ADAPTER = "members.adapter.AccountAdapter"
# Account emails say the brand's site name (civic.brand) in their subject, and members by pseudonym.
ACCOUNT_USER_DISPLAY = "members.adapter.user_display"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if HTTPS_ONLY else "http"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# Behind a load balancer every request arrives from its address: say how many
# proxies append to X-Forwarded-For, so sign-in limits count the visitor's address.
ALLAUTH_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))
# Sign-in by a code sent by email: the way in when passwords are rate limited.
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
# A device a member signed in on is remembered this long (members.adapter).
SIGNIN_KNOWN_DEVICE_DAYS = 365
ACCOUNT_RATE_LIMITS = {
    # Failed passwords (members.adapter): per address (an IPv4 address or an
    # IPv6 /64) and per account, as allauth does, and per network (IPv4 /24,
    # IPv6 /48). On a device where the member signed in before, only that
    # device's failures count, so a stranger cannot lock them out.
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_network": "30/5m/key",
    "login_failed_known_device": "10/5m/key",
    "request_login_code": "20/m/ip,3/m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Media (photos, documents) on an S3-compatible object storage when MEDIA_S3_BUCKET is set (civic.env).
MEDIA_STORAGE = media_storage_from_env(os.environ, DEBUG)
if MEDIA_STORAGE:
    STORAGES["default"], MEDIA_URL = MEDIA_STORAGE
# Photos residents upload (gallery): bytes, pixels, and uploads per hour (lower for new accounts).
GALLERY_MAX_UPLOAD_BYTES = int(os.environ.get("GALLERY_MAX_UPLOAD_MB", "10")) * 1024 * 1024
GALLERY_MAX_PIXELS = 40_000_000
GALLERY_UPLOADS_PER_HOUR = int(os.environ.get("GALLERY_UPLOADS_PER_HOUR", "20"))
GALLERY_UPLOADS_PER_HOUR_NEW = int(os.environ.get("GALLERY_UPLOADS_PER_HOUR_NEW", "5"))
# Tests and `runserver` serve static files from the finders, never stale.
WHITENOISE_USE_FINDERS = DEBUG

MAILERS = mailers_from_env(os.environ)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Quartiers <noreply@quartiers.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Failed sends are listed for staff (civic.mail, "Failed emails" in the admin) this many days.
MAIL_FAILURE_DAYS = 90
# The "stop the invitations" link of workshop emails works this long, like
# allauth's confirmation links expire; an expired one points to the profile.
WITHDRAW_LINK_MAX_AGE_DAYS = int(os.environ.get("WITHDRAW_LINK_MAX_AGE_DAYS", "60"))

# Background work (emails, Wagtail's own jobs) goes through django_tasks. The
# database backend needs `manage.py db_worker` running; development and tests
# use the immediate backend so nothing waits for a worker.
TASKS = {
    "default": {
        "BACKEND": os.environ.get(
            "TASKS_BACKEND",
            "django_tasks.backends.immediate.ImmediateBackend",
        )
    }
}

WAGTAIL_SITE_NAME = "Quartiers"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "wagtail.search.backends.database",
        **({"SEARCH_CONFIG": "french"} if DATABASE_IS_POSTGRES else {}),
    }
}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx", "ods"]
# Documents are downloaded, never shown inline (a PDF is a program of its own), and always go through
# Django's serve view, so the download disposition holds with an object storage too.
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAILDOCS_SERVE_METHOD = "serve_view"
GALLERY_MAX_DOCUMENT_BYTES = int(os.environ.get("GALLERY_MAX_DOCUMENT_MB", "20")) * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# The map of a project (static/js/project-map.js with Leaflet from static/vendor/leaflet/).
# OpenStreetMap's tile server by default: respect its usage policy, or point to your own tiles.
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
# The map credit, in the reader's language unless MAP_ATTRIBUTION says otherwise.
MAP_ATTRIBUTION = os.environ.get("MAP_ATTRIBUTION") or _("© OpenStreetMap contributors")
MAP_ATTRIBUTION_URL = os.environ.get("MAP_ATTRIBUTION_URL", "https://www.openstreetmap.org/copyright")


def _tile_origins(url):
    """The origin the CSP must allow for the tiles ({s} subdomains as a wildcard); none for tiles on this site."""
    parts = urlsplit(url.replace("{s}", "*"))
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme in ("http", "https") and parts.netloc else []


# Content Security Policy (Django's own middleware): the public site runs no
# inline script. The Wagtail admin still ships a few inline scripts, so it gets
# ADMIN_CSP (see civic.middleware).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *_tile_origins(MAP_TILE_URL)],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
ADMIN_CSP = {
    **SECURE_CSP,
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "frame-ancestors": [CSP.SELF],
}

# Security headers; HTTPS-only settings switch on outside DEBUG.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if HTTPS_ONLY:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
