"""Page-cache misses while Redis answers, refuses, and hangs: the production server, what an outage adds.

Starts gunicorn (DEBUG off, 2 sync workers, ``REDIS_URL`` set, the page cache on) on a free
port of 127.0.0.1 over a fresh database (a temporary SQLite file, or ``--database-url``: a
PostgreSQL database there is dropped and created again) with the demo data, three times:

- **healthy**: ``REDIS_URL`` is the real Redis (``--redis-url``, database 9 by default);
- **refused**: nothing listens on the port ``REDIS_URL`` names;
- **hung**: a socket that accepts connections and never answers (a thread of this script).

For the two outages ``REDIS_URL`` names a port of this script, which relays to the real
Redis while the workers warm up and then stops: it closes every connection and its port
(refused), or keeps them open and answers nothing more (hung). Redis so fails under a
running site, with the workers' connections open, and each worker's first contact with the
failed Redis is measured, not hidden in a warm-up. One client then asks for the home page,
an organization's page and ``/api/v1/organizations/`` in turn for ``--seconds`` (default 35,
past the circuit breaker's 30 s cool-off, so each worker's retry is measured too), each
with a query string of its own so that every request is a page-cache miss that asks
Redis for the page and stores it. Prints per phase and URL the median, p99 and max of those
misses, and what each outage added to the healthy phase's.

    .venv/bin/python benchmarks/redis_outage.py [--seconds 35] [--database-url postgres://...]
        [--redis-url redis://127.0.0.1:6379/9]

Exit status 1 when an outage adds more than 100 ms to the p99 of the misses (the three URLs
together: a few hundred misses a phase, where one URL's hundred make its p99 the second
slowest) or any answer is not a 200; 2 when the benchmark cannot run. Not part of the test
suite.
"""

import argparse
import json
import secrets
import select
import signal
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from login_attack import free_port, percentile, request
from run import BenchmarkError, Server, log, prepare_demo_database, server_environment

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/9"
WORKERS = 2
BUDGET_ADDED_P99_MS = 100
WARM_UP_ROUNDS = 10
ALL = "all three"


class RedisDouble:
    """A port for ``REDIS_URL`` that relays to the real Redis, until told to refuse or to hang."""

    def __init__(self, upstream):
        self.upstream = upstream
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.mode = "relay"
        self.sockets = []
        self.lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def _keep(self, sock):
        with self.lock:
            self.sockets.append(sock)

    def _accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # closed: refusing
            self._keep(client)
            if self.mode == "relay":
                threading.Thread(target=self._relay, args=(client,), daemon=True).start()
            # hung: held open, never read, never answered

    def _relay(self, client):
        try:
            upstream = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            client.close()
            return
        self._keep(upstream)
        other = {client: upstream, upstream: client}
        try:
            while self.mode == "relay":
                readable, _, _ = select.select(list(other), [], [], 0.05)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        client.close()
                        upstream.close()
                        return
                    if self.mode != "relay":
                        break  # hung from now on: what was asked is never answered
                    other[sock].sendall(data)
        except OSError:
            pass  # closed by refuse()

    def hang(self):
        self.mode = "hung"

    def refuse(self):
        self.mode = "refused"
        self.close()

    def close(self):
        # shutdown() first: close() alone leaves a socket open while another thread waits on it.
        with self.lock:
            for sock in [self.listener, *self.sockets]:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass  # not connected (any more)
                sock.close()
            self.sockets.clear()


def with_port(url, port):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"127.0.0.1:{port}"))


def get(port, path):
    started = time.perf_counter()
    try:
        status, headers, body = request(port, "GET", path)
    except OSError as error:
        return "connection", {}, b"", time.perf_counter() - started, error
    return status, headers, body, time.perf_counter() - started, None


def organization_path(port):
    status, _, body, _, _ = get(port, "/api/v1/organizations/")
    if status != 200:
        raise BenchmarkError(f"/api/v1/organizations/ answered {status}.")
    results = json.loads(body)["results"]
    if not results:
        raise BenchmarkError("The demo data has no organization.")
    return f"/organizations/{results[0]['slug']}/"


def misses(port, paths, seconds, run):
    """Each path in turn for ``seconds``, every request with a query string of its own: {path: [seconds]}, errors."""
    readings, errors = {path: [] for path in paths}, []
    deadline, number = time.monotonic() + seconds, 0
    while time.monotonic() < deadline:
        for path in paths:
            number += 1
            status, headers, _, elapsed, error = get(port, f"{path}?miss={run}-{number}")
            readings[path].append(elapsed)
            if status != 200:
                errors.append(f"{path}: {error or status}")
            elif headers.get("X-Cache") == "hit":
                errors.append(f"{path}: a hit, not a miss")
    return readings, errors


def phase(label, env, redis_url, double, seconds, run):
    port = free_port()
    log(f"{label}: gunicorn on 127.0.0.1:{port}, {WORKERS} sync workers, REDIS_URL={redis_url}")
    with Server({**env, "REDIS_URL": redis_url}, port, workers=WORKERS):
        paths = ["/", organization_path(port), "/api/v1/organizations/"]
        for number in range(WARM_UP_ROUNDS):  # every worker loads its templates and opens its connections
            for path in paths:
                get(port, f"{path}?warm-up={run}-{label}-{number}")
        if double is not None:
            (double.refuse if label == "refused" else double.hang)()
        readings, errors = misses(port, paths, seconds, f"{run}-{label}")
    return readings, errors


def summary(times):
    ms = [seconds * 1000 for seconds in times]
    return {"requests": len(ms), "p50": statistics.median(ms), "p99": percentile(ms, 0.99), "max": max(ms)}


def report(results):
    """The table; whether every outage kept its p99 (all URLs together) within the budget and had no errors."""
    lines = {
        label: {**{path: summary(times) for path, times in readings.items()}, ALL: summary(sum(readings.values(), []))}
        for label, (readings, _) in results.items()
    }
    met = True
    header = f"{'phase':<8} {'URL':<32} {'misses':>6} {'p50 ms':>7} {'p99 ms':>7} {'max ms':>7}"
    print(f"\n{header}   added p50 / p99 / max ms")
    for label, figures_by_path in lines.items():
        for path, figures in figures_by_path.items():
            added = ""
            if label != "healthy":
                healthy = lines["healthy"][path]
                deltas = [figures[name] - healthy[name] for name in ("p50", "p99", "max")]
                added = " / ".join(f"{delta:+.1f}" for delta in deltas)
                if path == ALL:
                    met = met and deltas[1] <= BUDGET_ADDED_P99_MS
            shown = path if len(path) <= 32 else path[:29] + "..."
            print(
                f"{label:<8} {shown:<32} {figures['requests']:>6} {figures['p50']:>7.1f} {figures['p99']:>7.1f} "
                f"{figures['max']:>7.0f}   {added}"
            )
        errors = results[label][1]
        if errors:
            met = False
            print(f"{label}: {len(errors)} errors, e.g. {sorted(set(errors))[:5]}")
    return met


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=35, help="Length of each phase's measurement (default 35).")
    parser.add_argument("--database-url", help="A database to migrate and fill (default: a temporary SQLite file).")
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help=f"The real Redis (default {DEFAULT_REDIS_URL}).")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    redis = urlsplit(args.redis_url)
    upstream = (redis.hostname or "127.0.0.1", redis.port or 6379)
    try:
        socket.create_connection(upstream, timeout=2).close()
    except OSError:
        print(f"redis_outage: no Redis answers at {args.redis_url}", file=sys.stderr)
        return 2

    run = secrets.token_hex(4)
    with tempfile.TemporaryDirectory(prefix="redis-outage-") as scratch:
        database_url = args.database_url or f"sqlite:///{Path(scratch) / 'outage.sqlite3'}"
        env = server_environment(database_url, secrets.token_urlsafe(60))
        env.update({"PAGE_CACHE_SECONDS": "60", "REDIS_URL": args.redis_url})
        env.pop("ALLOW_PER_PROCESS_CACHE")  # the site's Redis cache, nothing else
        try:
            prepare_demo_database(env, database_url)
            results = {"healthy": phase("healthy", env, args.redis_url, None, args.seconds, run)}
            for label in ("refused", "hung"):
                double = RedisDouble(upstream)
                try:
                    redis_url = with_port(args.redis_url, double.port)
                    results[label] = phase(label, env, redis_url, double, args.seconds, run)
                finally:
                    double.close()
        except BenchmarkError as error:
            print(f"redis_outage: {error}", file=sys.stderr)
            return 2
    met = report(results)
    print(
        f"\nBudget: no errors, and an outage adds at most {BUDGET_ADDED_P99_MS} ms to a miss's p99: "
        f"{'met' if met else 'NOT met'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
