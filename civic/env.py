"""Read configuration from environment variables.

Small on purpose: database URLs go through dj-database-url, everything else
is a handful of plain variables documented in README.md.
"""

import os
from urllib.parse import urlparse

TRUE_WORDS = {"1", "true", "yes", "on"}


def env_bool(name, default, environ=os.environ):
    value = environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in TRUE_WORDS


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def mailers_from_env(environ):
    """Django 6.1 `MAILERS` from EMAIL_* variables.

    No EMAIL_HOST: mail is printed on the console (development). With
    EMAIL_HOST: SMTP, with optional port, credentials and TLS/SSL.
    """
    host = environ.get("EMAIL_HOST")
    if not host:
        return {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
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
