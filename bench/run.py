"""Quartiers benchmark: seed PostgreSQL at two sizes, serve with gunicorn, load with wrk.

    make bench                          # small and full sizes
    make bench BENCH_ARGS="--sizes small --duration 5"

For each size: a fresh database is created and seeded in bulk (bench/seed.py),
the app runs under gunicorn on 127.0.0.1 exactly as `make serve` runs it, and
wrk (an HTTP load generator in C, a separate process) drives each page after a
warm-up. Every page is reported as a ratio to a minimal Django view served by
the same gunicorn, middleware and settings, so results compare across machines.
Writes bench/results/latest.md, bench/results/latency.png and the command line.
"""

import argparse
import html
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).parent / "gunicorn")
LUA_REPORT = ROOT / "bench" / "wrk_report.lua"

HIDDEN_INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
TITLE_INPUT = re.compile(r'name="title"[^>]*value="([^"]*)"')
BODY_TEXTAREA = re.compile(r'<textarea name="body"[^>]*>(.*?)</textarea>', re.S)

TARGET_MEDIAN_RATIO = 8
TARGET_P95_RATIO = 12
TARGET_GROWTH = 1.3


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="small,full", help="comma-separated: small (1/10) and/or full")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per page")
    parser.add_argument("--connections", type=int, default=4, help="concurrent connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/quartiers_bench"),
        help="PostgreSQL URL; the size is appended to the database name",
    )
    parser.add_argument("--reuse", action="store_true", help="reuse an already seeded database")
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("CACHE_URL", ""),
        help="shared cache, as in production; default: a private redis-server when installed, else per-process",
    )
    return parser.parse_args()


def database_url(base, size):
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=f"{parts.path.rstrip('/')}_{size}"))


def app_env(db_url, cache_url, static_root):
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}}
    env.update(
        DJANGO_SETTINGS_MODULE="civic.settings",
        DATABASE_URL=db_url,
        BENCHMARK="1",
        HTTPS_ONLY="false",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        # Production settings refuse to start without a key: a throwaway one unless the environment gives it.
        SECRET_KEY=os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        STATIC_ROOT=str(static_root),
        CACHE_URL=cache_url,
        LOG_LEVEL="ERROR",
        # As in production: background jobs (Wagtail's search and reference
        # index updates, emails) go to the database queue and a db_worker.
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
    )
    return env


def manage(env, *args, **kwargs):
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def recreate_database(db_url):
    import psycopg

    parts = urlsplit(db_url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on 127.0.0.1 with the production settings, like `make serve`, and a task worker."""

    def __init__(self, env, workers):
        self.worker = subprocess.Popen(
            [PYTHON, "manage.py", "db_worker"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [GUNICORN, "civic.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                if requests.get(f"{self.base}/_baseline/", timeout=10).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.3)

    def stop(self):
        for process in (self.process, self.worker):
            process.terminate()
        for process in (self.process, self.worker):
            process.wait(timeout=20)


def sign_in(base, email, password):
    session = requests.Session()
    login = session.get(f"{base}/accounts/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text).group(1)
    session.post(
        f"{base}/accounts/login/",
        data={"csrfmiddlewaretoken": token, "login": email, "password": password},
        headers={"Referer": f"{base}/accounts/login/"},
        timeout=30,
    )
    return "; ".join(f"{name}={value}" for name, value in session.cookies.items())


def query_count(base, path, cookie):
    """The SQL queries of rendering the page once the app is warm, or None when it does not answer 200.

    The first request fills per-process caches (site, settings, leaderboard),
    and an anonymous page is then served from the page cache with no query at
    all: count on later requests whose extra query-string parameter misses
    the page cache, so both sizes compare the same work.
    """
    headers = {"Cookie": cookie} if cookie else {}
    separator = "&" if "?" in path else "?"
    counts = []
    for attempt in range(4):  # whichever worker answers, some requests find it warm
        response = requests.get(f"{base}{path}{separator}_bench={attempt}", headers=headers, timeout=120)
        if response.status_code != 200:
            print(f"  !! {path} answered {response.status_code}: left out", flush=True)
            return None
        counts.append(int(response.headers.get("X-Query-Count", "-1")))
    return min(counts)


def median_run(runs):
    """The run whose median latency is the median of `runs` (the baseline, measured three times)."""
    ordered = sorted(runs, key=lambda stats: stats["p50_us"])
    chosen = dict(ordered[len(ordered) // 2])
    chosen["runs_p50_us"] = [stats["p50_us"] for stats in runs]
    return chosen


def report_line(size, name, stats):
    print(
        f"  {size:5} {name:32} {stats['rps']:8.1f} req/s  "
        f"p50 {stats['p50_us'] / 1000:7.2f} ms  p95 {stats['p95_us'] / 1000:7.2f} ms  "
        f"{stats['queries']} queries  {stats['errors']} errors",
        flush=True,
    )


def edit_form_data(form, addition):
    """The fields of a wiki edit form as a browser would post them, with `addition` at the end of the text."""
    fields = {name: html.unescape(value) for name, value in HIDDEN_INPUT.findall(form)}
    title = html.unescape(TITLE_INPUT.search(form).group(1))
    body = html.unescape(BODY_TEXTAREA.search(form).group(1)).lstrip("\n")
    return {**fields, "title": title, "body": body + addition, "summary": "banc d'essai", "save": "1"}


def save_query_count(base, path, cookie):
    """The SQL query count of one save of `path`'s edit form."""
    session = requests.Session()
    session.headers["Cookie"] = cookie
    form = session.get(f"{base}{path}edit/", timeout=60).text
    response = session.post(
        f"{base}{path}edit/",
        data=edit_form_data(form, "\n\nComptage."),
        headers={"Referer": f"{base}{path}edit/"},
        allow_redirects=False,
    )
    return int(response.headers.get("X-Query-Count", "-1"))


def wrk(base, path, *, duration, connections, cookie=None, script=None):
    command = [
        "wrk",
        f"--duration={duration}s",
        f"--connections={connections}",
        "--threads=1",
        "--timeout=30s",
        f"--script={script or LUA_REPORT}",
    ]
    if cookie:
        command.append(f"--header=Cookie: {cookie}")
    command.append(base + path)
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("{"))
    stats = json.loads(line)
    stats["rps"] = stats["requests"] / (stats["duration_us"] / 1e6)
    return stats


def measure_saves(base, cookie, page_paths, *, duration, connections):
    """Latency of saving an edit (POST of the edit form), from a client outside the app.

    wrk cannot replay a form with a fresh CSRF token and base revision, so each
    of `connections` threads loads the edit form of its own page (not timed),
    then times the POST that saves it (302 to the page), for `duration` seconds.
    """
    import statistics
    import threading

    latencies, errors = [], []
    deadline = time.monotonic() + duration

    def writer(path):
        session = requests.Session()
        session.headers["Cookie"] = cookie
        count = 0
        while time.monotonic() < deadline:
            form = session.get(f"{base}{path}edit/", timeout=60).text
            count += 1
            data = edit_form_data(form, f"\n\nAjout {count} du banc d'essai.")
            started = time.perf_counter()
            response = session.post(
                f"{base}{path}edit/", data=data, headers={"Referer": f"{base}{path}edit/"}, allow_redirects=False
            )
            elapsed = time.perf_counter() - started
            (latencies if response.status_code == 302 else errors).append(elapsed)

    threads = [threading.Thread(target=writer, args=(page_paths[i % len(page_paths)],)) for i in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if not latencies:
        raise RuntimeError(f"no save succeeded ({len(errors)} errors)")
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "duration_us": duration * 1e6,
        "rps": len(latencies) / duration,
        "p50_us": statistics.median(latencies) * 1e6,
        "p95_us": latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))] * 1e6,
    }


def measure_size(size, args):
    db_url = database_url(args.database_url, size)
    static_root = Path(tempfile.mkdtemp(prefix="quartiers-bench-static-"))
    env = app_env(db_url, args.cache_url, static_root)
    timings = {}
    if not args.reuse:
        recreate_database(db_url)
        started = time.monotonic()
        manage(env, "migrate", "--noinput", "-v0")
        timings["migrate_s"] = time.monotonic() - started
        started = time.monotonic()
        manage(env, "shell", "-c", f"from bench.seed import seed; seed({size!r})")
        timings["seed_s"] = time.monotonic() - started
        print(f"  seeded {size} in {timings['seed_s']:.0f} s", flush=True)
    manage(env, "collectstatic", "--noinput", "-v0")
    pages_file = RESULTS / f"pages-{size}.json"
    manage(env, "shell", "-c", f"from bench.seed import write_pages; write_pages({str(pages_file)!r})")
    plan = json.loads(pages_file.read_text())

    server = Server(env, args.workers)
    try:
        cookie = sign_in(server.base, plan["resident"]["email"], plan["resident"]["password"])
        results, baselines = {}, []

        def measure(page):
            page_cookie = cookie if page.get("auth") else None
            queries = query_count(server.base, page["path"], page_cookie)
            if queries is None:
                return None
            wrk(server.base, page["path"], duration=args.warmup, connections=args.connections, cookie=page_cookie)
            stats = wrk(
                server.base, page["path"], duration=args.duration, connections=args.connections, cookie=page_cookie
            )
            stats["queries"] = queries
            return stats

        # The baseline is measured at the start, the middle and the end of the run and its median
        # taken, so that a moment of noise on the machine does not skew every ratio of the size.
        baseline = {"name": "baseline", "path": "/_baseline/", "auth": False}
        middle = len(plan["pages"]) // 2
        for page in [baseline, *plan["pages"][:middle], baseline, *plan["pages"][middle:]]:
            stats = measure(page)
            if stats is None:
                continue
            if page is baseline:
                baselines.append(stats)
                report_line(size, f"baseline (run {len(baselines)})", stats)
                continue
            results[page["name"]] = stats
            report_line(size, page["name"], stats)
        save_page = plan["save_pages"][0]
        measure_saves(server.base, cookie, plan["save_pages"], duration=args.warmup, connections=args.connections)
        stats = measure_saves(
            server.base, cookie, plan["save_pages"], duration=args.duration, connections=args.connections
        )
        stats["queries"] = save_query_count(server.base, save_page, cookie)
        results["save an edit (resident)"] = stats
        report_line(size, "save an edit (resident)", stats)
        baselines.append(measure(baseline))
        report_line(size, f"baseline (run {len(baselines)})", baselines[-1])
        results = {"baseline": median_run(baselines), **results}
    finally:
        server.stop()
        shutil.rmtree(static_root, ignore_errors=True)
    return {
        "results": results,
        "timings": timings,
        "counts": plan.get("counts", {}),
        "cache": "shared Redis" if args.cache_url.startswith("redis") else "per process",
    }


def markdown_report(measured, command):
    sizes = list(measured)
    pages = list(measured[sizes[0]]["results"])
    lines = [
        "# Benchmark results",
        "",
        f"Produced by `{command}` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, "
        f"{os.cpu_count()} cores. Ratios are to the baseline view of the same run and size.",
        "",
    ]
    for size in sizes:
        counts = measured[size]["counts"]
        timings = measured[size]["timings"]
        described = ", ".join(f"{value:,} {name}" for name, value in counts.items())
        described += f"; cache: {measured[size].get('cache', 'per process')}"
        seeded = f" Seeded in {timings['seed_s']:.0f} s." if "seed_s" in timings else ""
        runs = measured[size]["results"]["baseline"].get("runs_p50_us", [])
        baseline_runs = ""
        if runs:
            medians = ", ".join(f"{run / 1000:.2f}" for run in runs)
            baseline_runs = f" Baseline measured three times (start, middle, end): medians {medians} ms."
        lines.append(f"- **{size}**: {described}.{seeded}{baseline_runs}")
    lines += [
        "",
        "| page | " + " | ".join(f"{s} req/s | {s} p50 ms (×base) | {s} p95 ms (×base) | {s} queries" for s in sizes),
    ]
    lines.append("|---" * (1 + 4 * len(sizes)) + "|")
    for page in pages:
        cells = [page]
        for size in sizes:
            stats = measured[size]["results"][page]
            base = measured[size]["results"]["baseline"]
            cells += [
                f"{stats['rps']:.0f}",
                f"{stats['p50_us'] / 1000:.1f} ({stats['p50_us'] / base['p50_us']:.1f}×)",
                f"{stats['p95_us'] / 1000:.1f} ({stats['p95_us'] / base['p95_us']:.1f}×)",
                str(stats["queries"]),
            ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "## Targets", ""]
    lines += check_targets(measured)
    return "\n".join(lines) + "\n"


def check_targets(measured):
    verdicts = []
    for size, data in measured.items():
        base = data["results"]["baseline"]
        for page, stats in data["results"].items():
            if page == "baseline" or size != "full":
                continue
            median_ratio = stats["p50_us"] / base["p50_us"]
            p95_ratio = stats["p95_us"] / base["p95_us"]
            ok = median_ratio <= TARGET_MEDIAN_RATIO and p95_ratio <= TARGET_P95_RATIO
            verdicts.append(
                f"- {'✅' if ok else '❌'} {page}: median {median_ratio:.1f}× (≤ {TARGET_MEDIAN_RATIO}), "
                f"p95 {p95_ratio:.1f}× (≤ {TARGET_P95_RATIO})"
            )
    if {"small", "full"} <= set(measured):
        for page in measured["full"]["results"]:
            if page == "baseline":
                continue
            small = measured["small"]["results"][page]
            full = measured["full"]["results"][page]
            growth = (full["p50_us"] / measured["full"]["results"]["baseline"]["p50_us"]) / (
                small["p50_us"] / measured["small"]["results"]["baseline"]["p50_us"]
            )
            same_queries = small["queries"] == full["queries"]
            ok = growth <= TARGET_GROWTH and same_queries
            verdicts.append(
                f"- {'✅' if ok else '❌'} {page}: growth full/small {growth:.2f} (≤ {TARGET_GROWTH}), "
                f"queries {small['queries']} → {full['queries']}"
            )
    return verdicts


def chart(measured, path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = list(measured)
    pages = list(measured[sizes[0]]["results"])
    fig, ax = plt.subplots(figsize=(11, 0.45 * len(pages) + 1.5))
    height = 0.8 / len(sizes)
    for index, size in enumerate(sizes):
        medians = [measured[size]["results"][p]["p50_us"] / 1000 for p in pages]
        p95s = [measured[size]["results"][p]["p95_us"] / 1000 for p in pages]
        positions = [i + index * height for i in range(len(pages))]
        ax.barh(positions, p95s, height=height, alpha=0.35, label=f"{size} p95")
        ax.barh(positions, medians, height=height, label=f"{size} median")
    ax.set_yticks([i + height * (len(sizes) - 1) / 2 for i in range(len(pages))], pages)
    ax.invert_yaxis()
    ax.set_xlabel("latency (ms)")
    ax.set_title("Quartiers: latency per page")
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def private_redis():
    """A throwaway redis-server on a free port: production shares its cache between processes."""
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)
    return process, f"redis://127.0.0.1:{port}/0"


def main():
    args = parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk (make bench installs it)")
    redis_process = None
    if not args.cache_url and shutil.which("redis-server"):
        redis_process, args.cache_url = private_redis()
    print(f"cache: {args.cache_url or 'per process (no redis-server)'}", flush=True)
    command = "make bench" + (f' BENCH_ARGS="{" ".join(sys.argv[1:])}"' if sys.argv[1:] else "")
    RESULTS.mkdir(parents=True, exist_ok=True)
    measured = {}
    try:
        for size in args.sizes.split(","):
            print(f"== {size}", flush=True)
            measured[size] = measure_size(size, args)
    finally:  # a failed run must not leave its private Redis behind
        if redis_process:
            redis_process.terminate()
    (RESULTS / "latest.json").write_text(json.dumps(measured, indent=2))
    (RESULTS / "latest.md").write_text(markdown_report(measured, command))
    (RESULTS / "command.txt").write_text(command + "\n")
    chart(measured, RESULTS / "latency.png")
    print((RESULTS / "latest.md").read_text())


if __name__ == "__main__":
    main()
