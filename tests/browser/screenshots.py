"""Screenshots of the demo for the README: `make screenshots`.

Builds the demo territory in a throwaway SQLite database, serves it with
`runserver` (DEBUG=1, so no SECRET_KEY is needed), and saves phone (390×844)
and desktop (1280×800) screenshots of the home page, a project and the edit
form (signed in as a demo resident) to docs/screenshots/, as small PNGs.
Needs Debian's chromium (the browser tests' own, see tests/browser/conftest.py).
"""

import io
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
COLOURS = 64  # PNG palette: screenshots of a flat UI stay legible and a few dozen kB


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args, **kwargs):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def wait_for(url, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the demo server did not answer on {url}")


def demo_targets(env):
    """(project URL, session cookie of a demo resident), asked of Django in a subprocess."""
    script = (
        "from django.test import Client\n"
        "from django.conf import settings\n"
        "from members.models import Member\n"
        "from members.roles import RESIDENTS\n"
        "from wiki.models import ProjectPage\n"
        "project = ProjectPage.objects.live().order_by('path').first()\n"
        "member = Member.objects.filter(user__groups__name=RESIDENTS, user__is_staff=False).order_by('pk').first()\n"
        "client = Client()\n"
        "client.force_login(member.user)\n"
        "print(project.url)\n"
        "print(client.cookies[settings.SESSION_COOKIE_NAME].value)\n"
    )
    output = manage(env, "shell", "-c", script, capture_output=True, text=True).stdout.split()
    return output[-2], output[-1]


def save_small(png_bytes, path):
    from PIL import Image

    image = Image.open(io.BytesIO(png_bytes)).convert("RGB")
    image.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def shoot(base_url, project_url, session):
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium")
    if not chromium:
        raise SystemExit("Debian's chromium is needed (apt-get install chromium)")
    OUT.mkdir(parents=True, exist_ok=True)
    shots = [("home", "/", False), ("project", project_url, False), ("edit", f"{project_url}edit/", True)]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, headless=True, args=["--no-sandbox"])
        for size_name, viewport in SIZES.items():
            for name, url, signed_in in shots:
                context = browser.new_context(base_url=base_url, viewport=viewport, locale="fr-FR")
                # Map tiles come from OpenStreetMap: offline, the map shows its frame and marker only.
                context.route("https://tile.openstreetmap.org/**", lambda route: route.abort())
                if signed_in:
                    context.add_cookies([{"name": "sessionid", "value": session, "url": base_url}])
                page = context.new_page()
                page.goto(url, wait_until="networkidle")
                path = OUT / f"{name}-{size_name}.png"
                save_small(page.screenshot(), path)
                print(f"  {path.relative_to(ROOT)} ({path.stat().st_size // 1024} kB)")
                context.close()
        browser.close()


def main():
    with tempfile.TemporaryDirectory(prefix="quartiers-screens-") as tmp:
        env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{tmp}/demo.sqlite3",
            "MEDIA_ROOT": f"{tmp}/media",
            "PAGE_CACHE_SECONDS": "0",
        }
        print("Building the demo in a throwaway database…")
        manage(env, "migrate", "--noinput", stdout=subprocess.DEVNULL)
        manage(env, "load_demo", stdout=subprocess.DEVNULL)
        project_url, session = demo_targets(env)
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_for(f"{base_url}/robots.txt")
            shoot(base_url, project_url, session)
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
