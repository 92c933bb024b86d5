"""Settings for the test suite: production settings, minus what slows tests down."""

import os

# Production settings refuse to start without these (civic.env). The suite's
# own values; subprocess tests (tests/civic/test_serve.py) inherit them.
os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret-" + "Qz7mR2vX9pL4wK8nB3cJ6hT1yF5dG0sA" * 2)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")

from civic.settings import *  # noqa: E402

SECURE_SSL_REDIRECT = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http"
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
LANGUAGE_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tests read pages right after changing data with queryset updates: the page
# cache is tested on its own (tests/civic/test_pagecache.py).
PAGE_CACHE_SECONDS = 0
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
# allauth's rate limits are tested on purpose where needed; elsewhere many
# sign-ins from one test client must not be throttled.
ACCOUNT_RATE_LIMITS = False
