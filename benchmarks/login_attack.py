"""Readers during a password-guessing attack: the production server, 8 guessing connections, readers' p99.

Starts gunicorn (DEBUG off, 2 sync workers unless told otherwise, the real password hasher)
on a free port of 127.0.0.1 over a fresh database (a temporary SQLite file, or
``--database-url``: a PostgreSQL database there is dropped and created again) with the demo
data and an ``admin`` account. Readers fetch a cached page (the home page) the whole time;
first alone, then while 8 connections post wrong passwords for ``admin`` to the admin login
form as fast as the server answers. Prints the readers' latencies (p50, p99,
max) in each phase and what the guessers got (how many attempts, how many hashed, how
many refused with the lockout page).

With ``--compare`` it runs the attack again with the lockout out of reach
(``LOGIN_FAILURE_LIMIT`` of a million), which is how the site behaved before it.

    .venv/bin/python benchmarks/login_attack.py [--seconds 10] [--compare] [--database-url postgres://...]
        [--workers 2] [--threads 1]

The first guesses are checked (that is how a lockout starts: ``LOGIN_FAILURE_LIMIT`` of them,
each a password hash of a few hundred milliseconds, more when several arrive at once), so
the figures are given for the whole attack and from the moment every guessing connection
has been refused once. Exit status 1 when the readers' p99 from that moment is 50 ms or
more, 2 when the benchmark cannot run. Not part of the test suite.
"""

import argparse
import http.client
import multiprocessing
import re
import secrets
import signal
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

from run import BenchmarkError, Server, log, manage, prepare_demo_database, server_environment

READER_PAGE = "/"
LOGIN_PAGE = "/admin/login/?next=/admin/"
GUESSERS = 8
READERS = 2
BUDGET_P99_MS = 50
ADMIN_PASSWORD = secrets.token_urlsafe(16)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(port, method, path, body=None, headers=None, timeout=60):
    """One request on its own connection (sync gunicorn workers close each one): status, headers, body."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def summary(readings):
    ms = [seconds * 1000 for _, seconds in readings]
    return {
        "requests": len(ms),
        "p50": statistics.median(ms),
        "p99": percentile(ms, 0.99),
        "max": max(ms),
    }


def read_until(port, stop, readings, errors):
    """Fetch the cached page again and again: (start, seconds) of each request."""
    while not stop.is_set():
        started = time.perf_counter()
        try:
            status, _, _ = request(port, "GET", READER_PAGE)
        except OSError:
            errors.append("connection")
            continue
        readings.append((started, time.perf_counter() - started))
        if status != 200:
            errors.append(status)


def guess_until(port, stop, outcomes, number):
    """Log in as admin with wrong passwords, with the CSRF cookie and token a browser would send.

    Records (guesser, end, seconds, status) of each attempt.
    """
    status, headers, body = request(port, "GET", LOGIN_PAGE)
    cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "")).group(1)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    attempt = 0
    while not stop.is_set():
        attempt += 1
        form = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token,
                "username": "admin",
                "password": f"guess-{number}-{attempt}",
                "next": "/admin/",
            }
        )
        started = time.perf_counter()
        try:
            status, _, _ = request(
                port,
                "POST",
                LOGIN_PAGE,
                body=form,
                headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": f"csrftoken={cookie}"},
            )
        except OSError:
            status = "connection"
        ended = time.perf_counter()
        outcomes.append((number, ended, ended - started, status))


def work_for(seconds, stop, threads):
    """Start ``threads``, let them work for ``seconds``, then set ``stop`` and wait for them to end."""
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()


def guessing_process(port, seconds, guessers, results):
    """The guessers' threads, in a process of their own: their work never delays a reader's thread."""
    stop, outcomes = threading.Event(), []
    guessing = [threading.Thread(target=guess_until, args=(port, stop, outcomes, n)) for n in range(guessers)]
    work_for(seconds, stop, guessing)
    results.put(outcomes)


def phase(port, seconds, guessers):
    """Readers (and guessers) for ``seconds``: the readers' requests, errors, and the guessers' attempts.

    The time stamps are ``time.perf_counter()``, the system's monotonic clock, the same in both processes.
    """
    stop = threading.Event()
    readings, errors, outcomes = [], [], []
    results = multiprocessing.Queue()
    attack = multiprocessing.Process(target=guessing_process, args=(port, seconds, guessers, results))
    if guessers:
        attack.start()
    reading = [threading.Thread(target=read_until, args=(port, stop, readings, errors)) for _ in range(READERS)]
    work_for(seconds, stop, reading)
    if guessers:
        outcomes = results.get(timeout=120)
        attack.join()
    return readings, errors, outcomes


def locked_from(outcomes, guessers):
    """When every guesser had been refused once: from then on no guess is checked (None if never)."""
    first_refusals = {}
    for number, ended, _, status in sorted(outcomes, key=lambda outcome: outcome[1]):
        if status == 429:
            first_refusals.setdefault(number, ended)
    return max(first_refusals.values()) if len(first_refusals) == guessers else None


def attack_report(outcomes):
    statuses = [status for *_, status in outcomes]
    refused = [seconds for *_, seconds, status in outcomes if status == 429]
    answered = [seconds for *_, seconds, status in outcomes if status == 200]  # the form again: the password was hashed
    return (
        f"{len(outcomes)} attempts: {len(answered)} checked (form again, median "
        f"{statistics.median(answered) * 1000 if answered else 0:.0f} ms), {len(refused)} refused with 429 "
        f"(median {statistics.median(refused) * 1000 if refused else 0:.1f} ms)"
        + ("" if set(statuses) <= {200, 429} else f", other answers: {sorted(set(map(str, statuses)))}")
    )


def measure(label, env, port, seconds, workers, threads):
    model = f"{workers} sync workers" if threads == 1 else f"{workers} gthread workers of {threads} threads"
    log(f"{label}: gunicorn on 127.0.0.1:{port}, {model}")
    with Server(env, port, workers=workers, threads=threads):
        for _ in range(20):  # each worker fills its own page cache
            status, headers, _ = request(port, "GET", READER_PAGE)
            if status != 200:
                raise BenchmarkError(f"{READER_PAGE} answered {status}.")
        if headers.get("X-Cache") != "hit":
            raise BenchmarkError(
                f"{READER_PAGE} is not served from the page cache (X-Cache: {headers.get('X-Cache')})."
            )
        quiet, quiet_errors, _ = phase(port, seconds, guessers=0)
        attacked, attacked_errors, outcomes = phase(port, seconds, guessers=GUESSERS)
    started = min(start for start, _ in attacked)
    locked = locked_from(outcomes, GUESSERS)
    steady = [reading for reading in attacked if locked is not None and reading[0] >= locked]
    print(f"\n{label}")
    print(f"  readers alone:              {format_summary(quiet)}{format_errors(quiet_errors)}")
    print(f"  readers under attack:       {format_summary(attacked)}{format_errors(attacked_errors)}")
    if locked is None:
        print("  the guessers were never all refused: every guess was checked")
    else:
        print(f"  every guesser refused after {locked - started:.1f} s; readers from then on: {format_summary(steady)}")
    print(f"  guessers ({GUESSERS} connections):   {attack_report(outcomes)}")
    return summary(steady) if steady else None


def format_summary(readings):
    if not readings:
        return "no requests"
    result = summary(readings)
    return (
        f"{result['requests']} requests, p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms, "
        f"max {result['max']:.0f} ms"
    )


def format_errors(errors):
    return f", {len(errors)} errors ({sorted(set(map(str, errors)))})" if errors else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10, help="Length of each phase (default 10).")
    parser.add_argument("--database-url", help="A database to migrate and fill (default: a temporary SQLite file).")
    parser.add_argument("--compare", action="store_true", help="Also run the attack with the lockout out of reach.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2).")
    parser.add_argument("--threads", type=int, default=1, help="Threads per worker; more than 1 means gthread workers.")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    with tempfile.TemporaryDirectory(prefix="login-attack-") as scratch:
        database_url = args.database_url or f"sqlite:///{Path(scratch) / 'attack.sqlite3'}"
        server = {"workers": args.workers, "threads": args.threads}
        env = server_environment(database_url, secrets.token_urlsafe(60))
        env.update(
            {"PAGE_CACHE_SECONDS": "300", "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD, "AUTH_LOG_LEVEL": "ERROR"}
        )
        env.pop("REDIS_URL", None)
        try:
            prepare_demo_database(env, database_url)
            manage(env, "createsuperuser", "--noinput", "--username=admin", "--email=admin@example.org", quiet=True)
            attacked = measure("With the lockout (the defaults)", env, free_port(), args.seconds, **server)
            if args.compare:
                manage(env, "axes_reset", quiet=True)
                measure(
                    "Without it (LOGIN_FAILURE_LIMIT=1000000)",
                    {**env, "LOGIN_FAILURE_LIMIT": "1000000"},
                    free_port(),
                    args.seconds,
                    **server,
                )
        except BenchmarkError as error:
            print(f"login_attack: {error}", file=sys.stderr)
            return 2
    met = attacked is not None and attacked["p99"] < BUDGET_P99_MS
    print(
        f"\nBudget: readers' p99 once the guessers are locked out < {BUDGET_P99_MS} ms: {'met' if met else 'NOT met'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
