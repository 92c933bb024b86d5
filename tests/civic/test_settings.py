import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from civic.env import caches_from_env, mailers_from_env

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
def test_check_deploy_flags_the_development_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stdout + result.stderr


def test_console_email_by_default_and_smtp_from_environment():
    assert mailers_from_env({})["default"]["BACKEND"].endswith("console.EmailBackend")
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
