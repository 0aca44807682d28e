"""`make bench`: generate a catalogue, serve it as in production, load it, report.

Steps (DESIGN.md §8):
1. a dedicated database ``bench`` (embedded server, or the server of ``DATABASE_URL``) holding
   BENCH_ITEMS items, generated with ``migrate`` + ``load_storefront_config`` + ``populatedb``
   unless it already holds exactly that many (BENCH_REGENERATE=1 forces a fresh one);
2. gunicorn serving ``marketplace.wsgi`` with DEBUG off and persistent database connections;
3. each scenario loaded over HTTP by ``bench/load.py`` with BENCH_CONCURRENCY connections for
   BENCH_DURATION seconds after BENCH_WARMUP seconds of discarded warm-up;
4. ``bench/results/latest.json`` and ``latest.md``; the exit status is 1 if any request failed.

Other knobs: BENCH_SCENARIOS (comma list), BENCH_WORKERS, BENCH_THREADS.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
if str(BASE_DIR) not in sys.path:
    sys.path.insert(0, str(BASE_DIR))

import psutil  # noqa: E402

from bench.load import GraphQLClient, ScenarioResult, new_session, run_scenario  # noqa: E402
from bench.report import build_report, render_markdown, write_report  # noqa: E402
from bench.scenarios import SCENARIOS, BenchContext  # noqa: E402

BENCH_DB = "bench"
# The ERP sync benchmarks import a member's catalogue into an empty database of their own.
SYNC_DB = "bench_sync"
SYNC_SCENARIOS = ("sync_full", "sync_incremental_1pct")
CHANNEL = "marketplace"
VENDORS = 85
SEED = 1
RESULTS_DIR = BASE_DIR / "bench" / "results"
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
SERVER_START_TIMEOUT_S = 120


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


@dataclass(frozen=True)
class BenchConfig:
    items: int
    duration_s: float
    warmup_s: float
    concurrency: int
    workers: int
    threads: int
    scenarios: list[str]
    regenerate: bool

    @classmethod
    def from_env(cls) -> BenchConfig:
        env = os.environ
        # Measured at 100 000 items on 2 cores, concurrency 8, PostgreSQL and the client on the same
        # host. Once the hot paths sent few, prepared statements, requests became CPU-bound: 4 sync
        # workers (2 per core) beat 8 on every scenario (add_to_cart p95 39 vs 55 ms, checkout 76
        # vs 118 ms, listing 14 vs 20 ms), as fewer processes contend for the two cores. (Earlier,
        # when requests mostly waited on PostgreSQL, 8 had served listings ~1.7x faster than 5.)
        # Each worker costs ~95 MB RSS (~65 MB PSS with --preload).
        default_workers = 2 * (os.cpu_count() or 1)
        names = env.get("BENCH_SCENARIOS", ",".join([*SCENARIOS, *SYNC_SCENARIOS])).split(",")
        scenarios = [name.strip() for name in names if name.strip()]
        unknown = sorted(set(scenarios) - set(SCENARIOS) - set(SYNC_SCENARIOS))
        if unknown:
            raise SystemExit(f"unknown BENCH_SCENARIOS {unknown}; known: {sorted([*SCENARIOS, *SYNC_SCENARIOS])}")
        return cls(
            items=int(env.get("BENCH_ITEMS", "100000")),
            duration_s=float(env.get("BENCH_DURATION", "30")),
            warmup_s=float(env.get("BENCH_WARMUP", "5")),
            concurrency=int(env.get("BENCH_CONCURRENCY", "8")),
            workers=int(env.get("BENCH_WORKERS", str(default_workers))),
            threads=int(env.get("BENCH_THREADS", "1")),
            scenarios=scenarios,
            regenerate=env.get("BENCH_REGENERATE", "") not in ("", "0"),
        )


class BenchDatabase:
    """A benchmark database (``bench`` by default) and the environment that points every
    subprocess at it."""

    def __init__(self, name: str = BENCH_DB) -> None:
        self.name = name
        server_url = os.environ.get("DATABASE_URL")
        if server_url:
            self.kind = "DATABASE_URL"
            self.url = _with_database(server_url, name)
            # Creating or dropping the database needs a connection to another one.
            maintenance = "postgres" if urlsplit(server_url).path.lstrip("/") == name else None
            self.admin_url = _with_database(server_url, maintenance) if maintenance else server_url
            self.env = {"DATABASE_URL": self.url}
        else:
            from marketplace.embedded_db import embedded_database_url

            self.kind = "embedded"
            self.admin_url = embedded_database_url(VAR_DIR, "postgres")
            self.url = embedded_database_url(VAR_DIR, name)
            self.env = {"EMBEDDED_DB_NAME": name}

    def _admin(self, *statements: str) -> list[tuple]:
        import psycopg

        rows: list[tuple] = []
        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            for statement in statements:
                cursor = conn.execute(statement)
                if cursor.description:
                    rows += cursor.fetchall()
        return rows

    def ensure_exists(self) -> None:
        if not self._admin(f"SELECT 1 FROM pg_database WHERE datname = '{self.name}'"):
            self._admin(f'CREATE DATABASE "{self.name}"')

    def recreate(self) -> None:
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)', f'CREATE DATABASE "{self.name}"')

    def analyze(self) -> None:
        """Fresh planner statistics, as autovacuum would have after a real import."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")


def _with_database(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def subprocess_env(db: BenchDatabase, **extra: str) -> dict[str, str]:
    env = {**os.environ, **db.env, **extra}
    if db.kind == "embedded":
        env.pop("DATABASE_URL", None)
    return env


def manage(env: dict[str, str], *args: str) -> None:
    log("manage.py " + " ".join(args))
    subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True)


def bench_script(env: dict[str, str], *args: str) -> dict:
    output = subprocess.run(
        [sys.executable, str(BASE_DIR / "bench" / "sample.py"), *args],
        cwd=BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def prepare_database(config: BenchConfig, db: BenchDatabase) -> float | None:
    """Make ``bench`` hold ``config.items`` items; returns the generation time, None if reused."""
    env = subprocess_env(db)
    db.ensure_exists()
    if not config.regenerate:
        manage(env, "migrate", "--noinput", "-v", "0")
        items = bench_script(env, "count")["items"]
        if items == config.items:
            log(f"reusing database {BENCH_DB!r}: it holds {items} items")
            return None
        log(f"database {BENCH_DB!r} holds {items} items, {config.items} wanted: regenerating")
    started = time.perf_counter()
    db.recreate()
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_storefront_config")
    manage(env, "populatedb", "--items", str(config.items), "--vendors", str(VENDORS), "--seed", str(SEED))
    db.analyze()
    seconds = round(time.perf_counter() - started, 1)
    log(f"generated {config.items} items in {seconds} s")
    return seconds


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn as production runs it, plus a sampler of its memory (all its processes)."""

    def __init__(self, env: dict[str, str], workers: int, threads: int) -> None:
        self.env = env
        self.workers = workers
        self.threads = threads
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/graphql/"
        self.log_path = VAR_DIR / "bench-gunicorn.log"
        self.peak_rss = 0
        self.peak_pss = 0
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample_memory, daemon=True)
        self.process: subprocess.Popen | None = None

    @property
    def description(self) -> str:
        kind = f"{self.threads} threads each" if self.threads > 1 else "sync"
        return f"gunicorn {self.workers} workers ({kind})"

    def __enter__(self) -> Server:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "marketplace.wsgi",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
            "--threads",
            str(self.threads),
            "--worker-class",
            "gthread" if self.threads > 1 else "sync",
            # Workers fork from a master that already imported Django: shared pages, fast start.
            "--preload",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ]
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        self._log_file = self.log_path.open("w")
        log(f"starting {self.description} on port {self.port}")
        self.process = subprocess.Popen(
            command, cwd=BASE_DIR, env=self.env, stdout=self._log_file, stderr=subprocess.STDOUT
        )
        try:
            self._wait_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        self._sampler.start()
        return self

    def _wait_ready(self) -> None:
        body = json.dumps({"query": "{ __typename }"}).encode()
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}:\n{self.log_tail()}")
            request = urllib.request.Request(self.url, data=body, headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    if response.status == 200:
                        return
            except urllib.error.HTTPError as exc:
                raise RuntimeError(f"{self.url} answered HTTP {exc.code}: is the GraphQL API served?") from exc
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
        raise RuntimeError(f"gunicorn not ready after {SERVER_START_TIMEOUT_S} s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        self._log_file.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def _sample_memory(self) -> None:
        master = psutil.Process(self.process.pid)
        while not self._stop.wait(0.5):
            rss = pss = 0
            try:
                for proc in [master, *master.children(recursive=True)]:
                    info = proc.memory_full_info()
                    rss += info.rss
                    pss += getattr(info, "pss", info.rss)
            except psutil.Error:
                continue  # a worker restarting between listing and reading: skip this sample
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._sampler.is_alive():
            self._sampler.join()
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log_file.close()


async def load_all(config: BenchConfig, url: str, sample: dict) -> list[ScenarioResult]:
    async with new_session(4) as session:
        ctx = BenchContext(
            GraphQLClient(session, url), CHANNEL, sample["slugs"], sample["categories"], sample.get("variants", [])
        )
        scenarios = []
        for name in config.scenarios:
            log(f"preparing {name}")
            scenarios.append(await SCENARIOS[name](ctx))
    results = []
    for scenario in scenarios:
        log(f"{scenario.name}: {config.warmup_s:g} s warm-up, {config.duration_s:g} s measured")
        result = await run_scenario(
            url, scenario, concurrency=config.concurrency, duration_s=config.duration_s, warmup_s=config.warmup_s
        )
        summary = result.summary()
        log(
            f"{scenario.name}: p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, "
            f"{summary['rps']} req/s, {summary['errors']} errors"
        )
        results.append(result)
    return results


def response_cache_env() -> dict[str, str]:
    """Serve as production does: workers share the response cache in Redis when one answers.

    BENCH_CACHE_URL overrides the address; an empty value keeps each worker's own memory cache.
    """
    url = os.environ.get("BENCH_CACHE_URL", os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/1"))
    if not url:
        return {"CACHE_URL": ""}
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        log(f"no Redis at {url}: each worker keeps its own response cache")
        return {"CACHE_URL": ""}
    return {"CACHE_URL": url}


def broker_env() -> dict[str, str]:
    """Serve as production does: the web process queues its background work (order e-mails…) for
    Celery workers instead of doing it inside the request. The bench runs no worker: the queue, a
    Redis database of its own, is emptied before each run (BENCH_BROKER_URL, empty: in-process)."""
    url = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/2")
    if not url:
        return {"CELERY_BROKER_URL": ""}
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except redis.RedisError:
        log(f"no Redis at {url}: background work runs inside the requests")
        return {"CELERY_BROKER_URL": ""}
    return {"CELERY_BROKER_URL": url}


def run_sync_benchmarks(config: BenchConfig) -> list[dict]:
    """``bench/sync.py`` against a fresh ``bench_sync`` database: a member's first full import from
    the Odoo test server, then an incremental run after 1 % of its items changed."""
    db = BenchDatabase(SYNC_DB)
    db.recreate()
    env = subprocess_env(db, LOG_LEVEL="WARNING", BENCH_SYNC_ITEMS=str(config.items), **broker_env())
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "load_storefront_config")
    log(f"ERP sync of {config.items} items from the Odoo test server")
    output = subprocess.run(
        [sys.executable, str(BASE_DIR / "bench" / "sync.py")], cwd=BASE_DIR, env=env, check=True,
        stdout=subprocess.PIPE, text=True,
    ).stdout
    results = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    wanted = [result for result in results if result["name"] in config.scenarios]
    for result in wanted:
        log(f"{result['name']}: " + ", ".join(f"{k} {v}" for k, v in result.items() if k != "name"))
    return wanted


def main() -> int:
    config = BenchConfig.from_env()
    sync_wanted = [name for name in config.scenarios if name in SYNC_SCENARIOS]
    sync_results = run_sync_benchmarks(config) if sync_wanted else []
    config.scenarios[:] = [name for name in config.scenarios if name in SCENARIOS]
    results: list[ScenarioResult] = []
    generation_s = None
    sample = {"items": config.items}
    peak_rss = peak_pss = 0
    description = ""
    db = BenchDatabase()
    cache_env = response_cache_env()
    queue_env = broker_env()
    if config.scenarios:
        generation_s = prepare_database(config, db)
        env = subprocess_env(db)
        sample = bench_script(env, "sample", CHANNEL)
        # As the production web tier runs (docker-compose.yml): statements prepared per connection.
        binding = os.environ.get("DB_SERVER_SIDE_BINDING", "1")
        server_env = subprocess_env(
            db, DEBUG="0", DB_CONN_MAX_AGE="600", LOG_LEVEL="WARNING", DB_SERVER_SIDE_BINDING=binding,
            **cache_env, **queue_env,
        )
        with Server(server_env, config.workers, config.threads) as server:
            results = asyncio.run(load_all(config, server.url, sample))
            peak_rss, peak_pss, description = server.peak_rss, server.peak_pss, server.description
    report = build_report(
        results,
        items=sample["items"],
        concurrency=config.concurrency,
        extra={
            "peak_rss_mb": round(peak_rss / 2**20, 1),
            "peak_pss_mb": round(peak_pss / 2**20, 1),
            "duration_s": config.duration_s,
            "warmup_s": config.warmup_s,
            "server": description,
            "response_cache": {
                "seconds": int(os.environ.get("GRAPHQL_RESPONSE_CACHE_SECONDS", "10")),
                "backend": "redis" if cache_env["CACHE_URL"] else "per-worker memory",
            },
            "background_work": "queued (Redis)" if queue_env["CELERY_BROKER_URL"] else "in the request",
            "server_side_binding": os.environ.get("DB_SERVER_SIDE_BINDING", "1") not in ("", "0"),
            "cpu_count": os.cpu_count(),
            "database": db.kind,
            "generation_s": generation_s,
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "sync": sync_results,
        },
    )
    json_path, _ = write_report(report, RESULTS_DIR)
    print()
    print(render_markdown(report))
    log(f"written {json_path.relative_to(BASE_DIR)} and latest.md")
    failed = [result for result in results if result.errors or not result.requests]
    if len(sync_results) < len(sync_wanted):
        log(f"FAILED the ERP sync benchmarks: {sync_wanted} wanted, {len(sync_results)} results")
        return 1
    for result in failed:
        log(f"FAILED {result.name}: {result.errors} errors in {result.requests} requests")
        for sample_error in result.error_samples:
            log(f"    {sample_error}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
