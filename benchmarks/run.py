"""The benchmark: generated data, the production server, wrk, and a table per database.

For each database (a SQLite file in var/, and PostgreSQL database ``lenrnews_bench``
when PostgreSQL answers) it migrates, fills the database with ``generate_data`` at
the default sizes, collects the static files, counts the SQL queries of each URL
(test client, outside the server), starts gunicorn (DEBUG off, 2 workers) on
127.0.0.1, loads every URL with wrk and prints requests/s, p50/p99 latency, errors,
response bytes and queries per request. The queries are counted again on a database
ten times smaller, to show they do not grow with the data. Results go to
benchmarks/results/ as JSON.

    .venv/bin/python benchmarks/run.py [--duration 10] [--connections 16] [--databases sqlite,postgresql]

Exit status 1 when the PostgreSQL budget (no errors, p99 < 250 ms, query counts
independent of the data size) is not met, 2 when the benchmark cannot run.
"""

import argparse
import datetime
import fcntl
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
LUA_SCRIPT = ROOT / "benchmarks" / "report.lua"
PYTHON = sys.executable
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/lenrnews_bench"
BUDGET_P99_MS = 250
# The small database for the query-count comparison: a tenth of the default sizes.
SMALL_SIZES = {
    "organizations": 200,
    "people": 300,
    "technologies": 100,
    "sources": 500,
    "articles": 1000,
    "investments": 500,
    "stakes": 400,
    "affiliations": 400,
}


class BenchmarkError(Exception):
    """The benchmark cannot run (a tool is missing, the server does not start...)."""


def log(message):
    print(f"==> {message}", file=sys.stderr, flush=True)


def ensure_wrk():
    """wrk from Debian's packages; installed with apt-get when missing and we may."""
    if shutil.which("wrk"):
        return shutil.which("wrk")
    if shutil.which("apt-get") and os.geteuid() == 0:
        log("wrk is missing: installing it with apt-get")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        install = ["apt-get", "install", "-y", "-qq", "wrk"]
        if subprocess.run(install, env=env, stdout=subprocess.DEVNULL).returncode != 0:
            subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
            subprocess.run(install, env=env, stdout=subprocess.DEVNULL, check=False)
    if not shutil.which("wrk"):
        raise BenchmarkError(
            "wrk is not installed and could not be installed here. Install it (Debian/Ubuntu: "
            "`sudo apt-get install wrk`) and run `make bench` again."
        )
    return shutil.which("wrk")


def postgres_answers(url):
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    try:
        socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 5432), timeout=2).close()
    except OSError:
        return False
    return True


def recreate_postgres_database(url):
    """Drop and create the benchmark's own database: every run starts from a fresh one."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def server_environment(database_url, secret_key):
    env = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    env.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": secret_key,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            # The load comes from one address: the per-address API throttle would turn
            # it into 429s. The benchmark measures capacity, not the throttle. A rate per
            # second, not per minute: DRF keeps the time of every request in the window,
            # and a minute of this load is a list long enough to slow every API request.
            "API_THROTTLE_ANON": "100000000/second",
            "API_THROTTLE_USER": "100000000/second",
            "LOG_LEVEL": "ERROR",
            # Without REDIS_URL each worker has its own cache: fine for a load that only reads.
            "ALLOW_PER_PROCESS_CACHE": "1",
        }
    )
    return env


def manage(env, *args, quiet=False):
    completed = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL if quiet else None,
        stderr=subprocess.PIPE if quiet else None,
        text=True,
    )
    if completed.returncode != 0:
        raise BenchmarkError(f"manage.py {' '.join(args)} failed:\n{completed.stderr or ''}")


def prepare_database(env, sizes=None):
    manage(env, "migrate", "--noinput", quiet=True)
    options = [f"--{name}={value}" for name, value in (sizes or {}).items()]
    started = time.monotonic()
    manage(env, "generate_data", "--clear", "--noinput", *options)
    return time.monotonic() - started


def prepare_demo_database(env, database_url):
    """A fresh database with the demo data (PostgreSQL: dropped and created again), and the static files collected."""
    if database_url.startswith(("postgres://", "postgresql://")):
        log("dropping and creating the PostgreSQL database")
        recreate_postgres_database(database_url)
    log("collecting static files, migrating, loading the demo data")
    manage(env, "collectstatic", "--noinput", quiet=True)
    manage(env, "migrate", "--noinput", quiet=True)
    manage(env, "load_demo", quiet=True)


def count_queries(env, extra_paths=()):
    """The queries of each URL without the page cache: what a request costs when it is a miss."""
    completed = subprocess.run(
        [PYTHON, str(ROOT / "benchmarks" / "count_queries.py"), *extra_paths],
        cwd=ROOT,
        env={**env, "PAGE_CACHE_SECONDS": "0"},
        capture_output=True,
        text=True,
    )
    if completed.returncode != 0:
        raise BenchmarkError(f"Counting queries failed:\n{completed.stderr}")
    return json.loads(completed.stdout)


def static_file_like(size):
    """The collected static file (hashed name, uncompressed) closest in size to ``size`` bytes."""
    manifest = ROOT / "staticfiles" / "staticfiles.json"
    paths = json.loads(manifest.read_text())["paths"].values()
    candidates = [
        (abs((ROOT / "staticfiles" / path).stat().st_size - size), path)
        for path in paths
        if (ROOT / "staticfiles" / path).is_file() and not path.endswith((".gz", ".br", ".map"))
    ]
    if not candidates:
        raise BenchmarkError("collectstatic produced no static files to measure.")
    return "/static/" + min(candidates)[1]


class Server:
    """gunicorn in its own process group, stopped on exit whatever happens."""

    def __init__(self, env, port, workers, threads=1):
        self.env, self.port, self.workers, self.threads, self.process = env, port, workers, threads, None

    def __enter__(self):
        command = [
            PYTHON,
            "-m",
            "gunicorn",
            "lenrnews.wsgi:application",
            f"--bind=127.0.0.1:{self.port}",
            f"--workers={self.workers}",
            "--log-level=warning",
        ]
        if self.threads > 1:
            command += ["--worker-class=gthread", f"--threads={self.threads}"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchmarkError(f"gunicorn exited with status {self.process.returncode}.")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/robots.txt", timeout=2).close()
                return self
            except urllib.error.HTTPError:
                return self  # it answers, even if with an error status
            except OSError:
                time.sleep(0.3)
        raise BenchmarkError(f"gunicorn did not answer on port {self.port} within 60 s.")

    def __exit__(self, *exc_info):
        self.stop()

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def fetch(url):
    """Status and body size of one request, as a browser without compression would get it."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, len(error.read())


def run_wrk(wrk, url, *, duration, connections, threads):
    command = [
        wrk,
        f"--threads={threads}",
        f"--connections={connections}",
        f"--duration={duration}s",
        "--timeout=5s",
        f"--script={LUA_SCRIPT}",
        url,
    ]
    completed = subprocess.run(command, capture_output=True, text=True)
    for line in completed.stdout.splitlines():
        if line.startswith("BENCH_JSON "):
            return json.loads(line.removeprefix("BENCH_JSON "))
    raise BenchmarkError(f"wrk gave no figures for {url}:\n{completed.stdout}\n{completed.stderr}")


def measure_database(label, database_url, args, wrk, port, small_url):
    secret_key = secrets.token_urlsafe(60)
    env = server_environment(database_url, secret_key)
    log(f"{label}: migrating and generating the default data")
    generate_seconds = prepare_database(env)
    log(f"{label}: generate_data took {generate_seconds:.1f} s")

    counted = count_queries(env)
    page_sizes = [u["bytes"] for u in counted["urls"]]
    static_path = static_file_like(statistics.median(page_sizes))
    counted = count_queries(env, [static_path])

    small = {}
    if small_url:
        log(f"{label}: counting queries on a database a tenth the size")
        small_env = server_environment(small_url, secret_key)
        prepare_database(small_env, SMALL_SIZES)
        small = {u["name"]: u for u in count_queries(small_env, [static_path])["urls"]}

    rows = []
    load_before = os.getloadavg()[0]
    with Server(env, port, args.workers):
        log(f"{label}: gunicorn on 127.0.0.1:{port}, {args.workers} workers; wrk {args.connections} connections")
        for entry in counted["urls"]:
            url = f"http://127.0.0.1:{port}{entry['path']}"
            status, body_bytes = fetch(url)
            # Warm up: every worker compiles templates and opens its database connection.
            run_wrk(wrk, url, duration=2, connections=args.connections, threads=args.threads)
            figures = run_wrk(wrk, url, duration=args.duration, connections=args.connections, threads=args.threads)
            seconds = figures["duration_us"] / 1e6
            errors = figures["errors"]
            row = {
                "name": entry["name"],
                "path": entry["path"],
                "status": status,
                "requests_per_second": round(figures["requests"] / seconds, 1) if seconds else 0,
                "requests": figures["requests"],
                "p50_ms": round(figures["latency_us"]["p50"] / 1000, 1),
                "p90_ms": round(figures["latency_us"]["p90"] / 1000, 1),
                "p99_ms": round(figures["latency_us"]["p99"] / 1000, 1),
                "max_ms": round(figures["latency_us"]["max"] / 1000, 1),
                "errors": errors["status"] + errors["connect"] + errors["read"] + errors["write"] + errors["timeout"],
                "error_detail": errors,
                "response_bytes": body_bytes,
                "bytes_per_response": round(figures["bytes"] / figures["requests"]) if figures["requests"] else 0,
                "queries": entry["queries"],
                "first_request_queries": entry["first_queries"],
                "queries_small_data": small.get(entry["name"], {}).get("queries"),
            }
            rows.append(row)
            log(
                f"{label}: {row['name']:<24} {row['requests_per_second']:>8} req/s  p99 {row['p99_ms']} ms"
                f"  errors {row['errors']}"
            )
    return {
        "database": label,
        "generate_data_seconds": round(generate_seconds, 1),
        # The machine's load around the run: other work on the same cores slows every figure.
        "load_average_1min": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "data": counted["data"],
        "rows": rows,
    }


def budget_failures(result):
    """What breaks the budget in one database's results (empty when it holds)."""
    failures = []
    for row in result["rows"]:
        if row["status"] != 200:
            failures.append(f"{row['name']}: status {row['status']}")
        if row["errors"]:
            failures.append(f"{row['name']}: {row['errors']} errors")
        if row["p99_ms"] >= BUDGET_P99_MS:
            failures.append(f"{row['name']}: p99 {row['p99_ms']} ms >= {BUDGET_P99_MS} ms")
        if row["queries_small_data"] is not None and row["queries_small_data"] != row["queries"]:
            failures.append(
                f"{row['name']}: {row['queries']} queries at full size, {row['queries_small_data']} at a tenth"
            )
    return failures


def format_table(result):
    header = ("URL", "req/s", "p50 ms", "p99 ms", "errors", "bytes", "queries", "at 1/10")
    lines = [header]
    for row in result["rows"]:
        small = row["queries_small_data"]
        lines.append(
            (
                row["path"] if len(row["path"]) <= 52 else row["path"][:49] + "...",
                f"{row['requests_per_second']:.1f}",
                f"{row['p50_ms']:.1f}",
                f"{row['p99_ms']:.1f}",
                str(row["errors"]),
                str(row["response_bytes"]),
                str(row["queries"]),
                "-" if small is None else str(small),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    rendered = []
    for n, line in enumerate(lines):
        cells = [line[0].ljust(widths[0])] + [
            cell.rjust(width) for cell, width in zip(line[1:], widths[1:], strict=True)
        ]
        rendered.append("| " + " | ".join(cells) + " |")
        if n == 0:
            rendered.append(
                "|" + "|".join("-" * (w + 1) + ("-" if i == 0 else ":") for i, w in enumerate(widths)) + "|"
            )
    return "\n".join(rendered)


def machine():
    def command_output(*command):
        try:
            return subprocess.run(command, capture_output=True, text=True, timeout=10).stdout.strip()
        except OSError:
            return ""

    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory = f"{kib / 1024 / 1024:.0f} GiB"
    return {
        "cpus": os.cpu_count(),
        "memory": memory,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "postgresql": command_output("psql", "--version"),
        "sqlite": __import__("sqlite3").sqlite_version,
        "wrk": command_output("wrk", "--version").splitlines()[0] if shutil.which("wrk") else "",
        "commit": command_output("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="Seconds of load per URL (default 10).")
    parser.add_argument("--connections", type=int, default=16, help="Concurrent connections (default 16).")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (default 2).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2).")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8106)))
    parser.add_argument("--databases", default="sqlite,postgresql", help="Which of sqlite,postgresql to measure.")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_POSTGRES_URL),
        help="The PostgreSQL database to (re)create and fill (default %(default)s).",
    )
    args = parser.parse_args()

    # Stop the servers on Ctrl-C or a kill, as on a normal exit.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    wanted = {name.strip() for name in args.databases.split(",") if name.strip()}
    (ROOT / "var").mkdir(exist_ok=True)
    lock = open(ROOT / "var" / "bench.lock", "w")  # held (locked) until the process exits
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print("benchmark: another benchmark is running in this checkout (var/bench.lock).", file=sys.stderr)
        return 2
    try:
        wrk = ensure_wrk()
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", args.port)) == 0:
                raise BenchmarkError(f"Port {args.port} is in use: stop what listens there or pass --port.")
        sqlite_file = ROOT / "var" / "bench.sqlite3"
        small_file = ROOT / "var" / "bench-small.sqlite3"
        for path in (sqlite_file, small_file):
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        small_url = f"sqlite:///{small_file}"

        log("collecting static files")
        manage(
            server_environment(f"sqlite:///{sqlite_file}", secrets.token_urlsafe(60)),
            "collectstatic",
            "--noinput",
            quiet=True,
        )

        results = []
        if "sqlite" in wanted:
            results.append(measure_database("SQLite", f"sqlite:///{sqlite_file}", args, wrk, args.port, small_url))
        if "postgresql" in wanted:
            if postgres_answers(args.postgres_url):
                recreate_postgres_database(args.postgres_url)
                results.append(measure_database("PostgreSQL", args.postgres_url, args, wrk, args.port, small_url))
            else:
                log(f"PostgreSQL does not answer at {args.postgres_url}: skipped")
    except BenchmarkError as error:
        print(f"benchmark: {error}", file=sys.stderr)
        return 2

    report = {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {
            "duration_seconds": args.duration,
            "connections": args.connections,
            "wrk_threads": args.threads,
            "gunicorn_workers": args.workers,
            "budget_p99_ms": BUDGET_P99_MS,
        },
        "results": results,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    for path in (RESULTS / f"bench-{stamp}.json", RESULTS / "latest.json"):
        path.write_text(json.dumps(report, indent=2) + "\n")

    info = report["machine"]
    print(
        f"\n{report['date']} · {info['cpus']} CPUs, {info['memory']} · Python {info['python']} · "
        f"{info['postgresql'] or 'no psql'} · SQLite {info['sqlite']} · {info['wrk']}\n"
        f"wrk: {args.connections} connections, {args.duration} s per URL; "
        f"gunicorn: {args.workers} sync workers, DEBUG off"
    )
    exit_status = 0
    for result in results:
        counts = ", ".join(f"{value} {name}" for name, value in result["data"].items())
        load = result["load_average_1min"]
        print(
            f"\n{result['database']} ({counts}; generate_data {result['generate_data_seconds']} s; "
            f"load average {load['before']} before, {load['after']} after)\n"
        )
        print(format_table(result))
        failures = budget_failures(result)
        if result["database"] == "PostgreSQL":
            if failures:
                exit_status = 1
                print("\nBudget NOT met on PostgreSQL:\n  " + "\n  ".join(failures))
            else:
                print(
                    f"\nBudget met on PostgreSQL: no errors, p99 < {BUDGET_P99_MS} ms, "
                    "query counts independent of the data size."
                )
        elif failures:
            print("\nOver budget on SQLite (the budget is for PostgreSQL):\n  " + "\n  ".join(failures))
    if not any(r["database"] == "PostgreSQL" for r in results) and "postgresql" in wanted:
        print("\nNo PostgreSQL run: the budget is not checked.")
    print(f"\nJSON: {RESULTS.relative_to(ROOT) / f'bench-{stamp}.json'}")
    return exit_status


if __name__ == "__main__":
    sys.exit(main())
