"""Read configuration from environment variables.

Small on purpose: database URLs go through dj-database-url, everything else
is a handful of plain variables documented in README.md.
"""

import os
from urllib.parse import urlparse

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}

# Public (it is in this repository): only ever used with DEBUG on.
DEVELOPMENT_SECRET_KEY = "django-insecure-quartiers-development-only"
# Django's own bar for a strong key (check --deploy, security.W009).
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5
DEVELOPMENT_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
MAKE_A_KEY = "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"


def env_bool(name, default, environ=os.environ):
    value = environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in TRUE_WORDS


def env_list(name, default, environ=os.environ):
    value = environ.get(name)
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def secret_key_from_env(environ, debug):
    """SECRET_KEY from the environment; outside DEBUG a missing, public or weak key stops the start.

    Anyone who knows the key forges every signed link (email confirmation,
    consent withdrawal, unfollow-all) and session: production must have its own.
    """
    key = environ.get("SECRET_KEY", "")
    if debug:
        return key or DEVELOPMENT_SECRET_KEY
    if not key:
        problem = "SECRET_KEY is not set"
    elif key == DEVELOPMENT_SECRET_KEY or key.startswith("django-insecure"):
        problem = "SECRET_KEY is the public development key"
    elif len(key) < SECRET_KEY_MIN_LENGTH or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS:
        problem = f"SECRET_KEY is too short ({len(key)} characters)"
    else:
        return key
    raise ImproperlyConfigured(
        f"{problem}. With DEBUG off (production) Quartiers needs a secret key of its own: set the SECRET_KEY "
        f"environment variable to a random string of at least {SECRET_KEY_MIN_LENGTH} characters, kept secret "
        f"and stable across restarts, e.g. the output of: {MAKE_A_KEY} (or set DEBUG=1 on a development machine)."
    )


def allowed_hosts_from_env(environ, debug):
    """ALLOWED_HOSTS from the environment; outside DEBUG it must be set (no silent localhost default)."""
    hosts = env_list("ALLOWED_HOSTS", [], environ)
    if hosts:
        return hosts
    if debug:
        return list(DEVELOPMENT_HOSTS)
    raise ImproperlyConfigured(
        "ALLOWED_HOSTS is not set. With DEBUG off (production) set the ALLOWED_HOSTS environment variable to the "
        "host names the site answers to, comma-separated, e.g. ALLOWED_HOSTS=quartiers.example.fr "
        "(or set DEBUG=1 on a development machine)."
    )


def site_url_from_env(environ):
    """SITE_URL: the variable, else the development server's address on $PORT (8000 by default)."""
    if environ.get("SITE_URL"):
        return environ["SITE_URL"].rstrip("/")
    return f"http://127.0.0.1:{environ.get('PORT') or '8000'}"


def mailers_from_env(environ):
    """Django 6.1 `MAILERS` from EMAIL_* variables.

    No EMAIL_HOST: mail is printed on the console, decoded (development, civic.mail.ConsoleBackend). With
    EMAIL_HOST: SMTP, with optional port, credentials and TLS/SSL.
    """
    host = environ.get("EMAIL_HOST")
    if not host:
        return {"default": {"BACKEND": "civic.mail.ConsoleBackend"}}
    options = {
        "host": host,
        "port": int(environ.get("EMAIL_PORT", "587")),
        "username": environ.get("EMAIL_HOST_USER", ""),
        "password": environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False, environ),
        "use_ssl": env_bool("EMAIL_USE_SSL", False, environ),
        "timeout": int(environ.get("EMAIL_TIMEOUT", "20")),
    }
    return {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": options}}


def caches_from_env(url):
    """A shared Redis cache when CACHE_URL names one, else a per-process cache.

    Several app servers must share a cache (rate limits, cached pages): set
    CACHE_URL=redis://host:6379/0 in production.
    """
    if not url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    parsed = urlparse(url)
    if parsed.scheme in {"redis", "rediss"}:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": url,
                "KEY_PREFIX": "quartiers",
            }
        }
    if parsed.scheme == "dummy":
        return {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    raise ValueError(f"CACHE_URL scheme not supported: {parsed.scheme!r} (use redis:// or dummy://)")


S3_KEYS = ("MEDIA_S3_ACCESS_KEY_ID", "MEDIA_S3_SECRET_ACCESS_KEY")


def media_storage_from_env(environ, debug):
    """(STORAGES["default"], MEDIA_URL) for an S3-compatible object storage, or None for MEDIA_ROOT on disk.

    Set MEDIA_S3_BUCKET to use one (several app servers then share the files,
    no shared disk): with MEDIA_S3_ENDPOINT_URL (any S3-compatible host; AWS
    when unset), MEDIA_S3_ACCESS_KEY_ID, MEDIA_S3_SECRET_ACCESS_KEY, and
    optionally MEDIA_S3_REGION, MEDIA_S3_PREFIX (a folder in the bucket) and
    MEDIA_S3_CUSTOM_DOMAIN (the public address of the files, e.g. a CDN;
    by default the endpoint's path-style address of the bucket). Files are
    served at unsigned public URLs: the bucket must allow public reads.
    Outside DEBUG an incomplete configuration stops the start.
    """
    bucket = environ.get("MEDIA_S3_BUCKET", "").strip()
    named = sorted(name for name, value in environ.items() if name.startswith("MEDIA_S3_") and value)
    if not bucket:
        if named and not debug:
            raise ImproperlyConfigured(
                f"{', '.join(named)} set but MEDIA_S3_BUCKET is not: set it to use the object storage, "
                "or unset the MEDIA_S3_ variables to keep media in MEDIA_ROOT."
            )
        return None
    endpoint = environ.get("MEDIA_S3_ENDPOINT_URL", "").strip().rstrip("/")
    region = environ.get("MEDIA_S3_REGION", "").strip()
    domain = environ.get("MEDIA_S3_CUSTOM_DOMAIN", "").strip().strip("/")
    prefix = environ.get("MEDIA_S3_PREFIX", "").strip().strip("/")
    protocol = "https:"
    if not domain:
        if endpoint:
            parts = urlparse(endpoint)
            domain, protocol = f"{parts.netloc}/{bucket}", f"{parts.scheme}:"
        else:
            domain = f"{bucket}.s3.{region or 'us-east-1'}.amazonaws.com"
    problems = [f"{name} is not set" for name in S3_KEYS if not environ.get(name)]
    if protocol != "https:":
        problems.append(f"the media would be served over {protocol[:-1]} (set an https MEDIA_S3_ENDPOINT_URL)")
    if problems and not debug:
        raise ImproperlyConfigured(
            f"The object storage for media is incomplete: {'; '.join(problems)}. See README.md, “Object storage”."
        )
    options = {
        "bucket_name": bucket,
        "endpoint_url": endpoint or None,
        "region_name": region or None,
        "access_key": environ.get("MEDIA_S3_ACCESS_KEY_ID", ""),
        "secret_key": environ.get("MEDIA_S3_SECRET_ACCESS_KEY", ""),
        "custom_domain": domain,
        "url_protocol": protocol,
        "location": prefix,
        "querystring_auth": False,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "public, max-age=31536000"},
    }
    media_url = f"{protocol}//{domain}/" + (f"{prefix}/" if prefix else "")
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}, media_url
