"""`make serve` runs several gunicorn workers: a signed-in member stays signed in
whichever worker answers, because no state lives in a process."""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.own_database
def test_sessions_work_across_gunicorn_workers(tmp_path):
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "DATABASE_URL"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="civic.settings",
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        HTTPS_ONLY="false",
        ALLOWED_HOSTS="127.0.0.1",
        STATIC_ROOT=str(tmp_path / "static"),
    )
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=180)
    subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True, timeout=120)
    create = (
        "from django.contrib.auth import get_user_model;"
        "from allauth.account.models import EmailAddress;"
        "u = get_user_model().objects.create_user('w', 'w@example.fr', 'Un-mot-de-passe-42');"
        "EmailAddress.objects.create(user=u, email='w@example.fr', verified=True, primary=True)"
    )
    subprocess.run([*manage, "shell", "-c", create], cwd=ROOT, env=env, check=True, timeout=60)

    server = subprocess.Popen(
        [str(GUNICORN), "civic.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "3"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        session = requests.Session()
        deadline = time.monotonic() + 90
        while True:  # workers boot slowly on a loaded machine
            try:
                login_page = session.get(f"{base}/accounts/login/", timeout=30)
                break
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
        session.post(
            f"{base}/accounts/login/",
            data={"csrfmiddlewaretoken": token, "login": "w@example.fr", "password": "Un-mot-de-passe-42"},
            headers={"Referer": f"{base}/accounts/login/"},
            timeout=30,
        )
        statuses = [session.get(f"{base}/me/", allow_redirects=False, timeout=30).status_code for _ in range(15)]
        assert statuses == [200] * 15
        css = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', session.get(f"{base}/me/", timeout=30).text)
        assert css, "whitenoise serves hashed static file names"
        assert session.get(base + css.group(1), timeout=30).status_code == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
