import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from civic.env import (
    DEVELOPMENT_SECRET_KEY,
    allowed_hosts_from_env,
    caches_from_env,
    mailers_from_env,
    secret_key_from_env,
)

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "civic.settings",
    "DEBUG": "false",
    "SECRET_KEY": "k3y-" + "x9Qz!v7Lm2#pR8wT4yB6nC1dF5gH0jK3sA" * 2,
    "ALLOWED_HOSTS": "quartiers.example.fr",
    "CSRF_TRUSTED_ORIGINS": "https://quartiers.example.fr",
    "DATABASE_URL": "sqlite:////tmp/quartiers-deploy-check.sqlite3",
    "EMAIL_HOST": "smtp.example.fr",
}


def run_manage(*args, env):
    full_env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=full_env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.own_database
@pytest.mark.parametrize(
    "database_url", ["sqlite:////tmp/quartiers-deploy-check.sqlite3", "postgres://quartiers@db.internal:5432/quartiers"]
)
def test_check_deploy_is_clean_with_production_values(database_url):
    env = {**PRODUCTION_ENV, "DATABASE_URL": database_url}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.own_database
@pytest.mark.parametrize(
    ("variable", "value", "problem"),
    [
        ("SECRET_KEY", "", "SECRET_KEY is not set"),
        ("SECRET_KEY", DEVELOPMENT_SECRET_KEY, "SECRET_KEY is the public development key"),
        ("SECRET_KEY", "short-but-set", "SECRET_KEY is too short"),
        ("ALLOWED_HOSTS", "", "ALLOWED_HOSTS is not set"),
    ],
)
def test_production_refuses_to_start_without_its_own_key_and_hosts(variable, value, problem):
    result = run_manage("check", env={**PRODUCTION_ENV, variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert problem in result.stderr
    assert f"set the {variable} environment variable" in result.stderr


@pytest.mark.own_database
def test_development_starts_without_key_or_hosts():
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY, settings.ALLOWED_HOSTS)",
        env={**PRODUCTION_ENV, "DEBUG": "1", "SECRET_KEY": "", "ALLOWED_HOSTS": ""},
    )
    assert result.returncode == 0, result.stderr
    assert DEVELOPMENT_SECRET_KEY in result.stdout
    assert "localhost" in result.stdout


def test_the_key_rules_in_process():
    strong = PRODUCTION_ENV["SECRET_KEY"]
    assert secret_key_from_env({"SECRET_KEY": strong}, debug=False) == strong
    assert secret_key_from_env({}, debug=True) == DEVELOPMENT_SECRET_KEY
    for weak in ("", DEVELOPMENT_SECRET_KEY, "django-insecure-" + strong, "x" * 80, strong[:49]):
        with pytest.raises(ImproperlyConfigured):
            secret_key_from_env({"SECRET_KEY": weak}, debug=False)
    assert allowed_hosts_from_env({"ALLOWED_HOSTS": "a.fr, b.fr"}, debug=False) == ["a.fr", "b.fr"]
    with pytest.raises(ImproperlyConfigured):
        allowed_hosts_from_env({"ALLOWED_HOSTS": " , "}, debug=False)


def test_console_email_by_default_and_smtp_from_environment():
    assert mailers_from_env({})["default"]["BACKEND"] == "civic.mail.ConsoleBackend"
    smtp = mailers_from_env(
        {"EMAIL_HOST": "smtp.example.fr", "EMAIL_PORT": "465", "EMAIL_USE_SSL": "true", "EMAIL_HOST_USER": "u"}
    )["default"]
    assert smtp["BACKEND"].endswith("smtp.EmailBackend")
    assert smtp["OPTIONS"]["host"] == "smtp.example.fr"
    assert smtp["OPTIONS"]["port"] == 465
    assert smtp["OPTIONS"]["use_ssl"] is True
    assert smtp["OPTIONS"]["use_tls"] is False


def test_shared_redis_cache_from_cache_url():
    assert caches_from_env("")["default"]["BACKEND"].endswith("LocMemCache")
    redis = caches_from_env("redis://cache.internal:6379/1")["default"]
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://cache.internal:6379/1"
    with pytest.raises(ValueError):
        caches_from_env("memcached://nope")


def test_sessions_do_not_live_in_a_process():
    assert settings.SESSION_ENGINE in {
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    }


@pytest.mark.own_database
def test_collectstatic_writes_compressed_hashed_files(tmp_path):
    env = {**PRODUCTION_ENV, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    env["STATIC_ROOT"] = str(tmp_path / "static")
    result = run_manage("collectstatic", "--noinput", env=env)
    assert result.returncode == 0, result.stderr
    collected = {path.name for path in (tmp_path / "static" / "css").iterdir()}
    assert any(name.startswith("site.") and name.endswith(".css") and name != "site.css" for name in collected)
    assert any(name.endswith(".css.gz") for name in collected)


@pytest.mark.own_database
def test_social_sign_in_is_off_by_default_and_switched_on_from_the_environment():
    assert "allauth.socialaccount" not in settings.INSTALLED_APPS
    show = (
        "from django.conf import settings;"
        "print(settings.INSTALLED_APPS); print(sorted(settings.SOCIALACCOUNT_PROVIDERS))"
    )
    env = {**PRODUCTION_ENV, "SOCIAL_PROVIDERS": "facebook,google", "GOOGLE_CLIENT_ID": "id-123"}
    result = run_manage("shell", "-c", show, env=env)
    assert result.returncode == 0, result.stderr
    assert "allauth.socialaccount.providers.google" in result.stdout
    assert "allauth.socialaccount.providers.facebook" in result.stdout
    assert "['facebook', 'google']" in result.stdout
