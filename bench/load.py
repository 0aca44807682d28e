"""A small asynchronous HTTP load client for the GraphQL endpoint.

It keeps the client's own cost low so that, on a small machine, the server gets the CPU:
request bodies are encoded once before the run, one aiohttp session keeps connections alive,
and a response is parsed as JSON only when it may carry GraphQL ``errors``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import aiohttp

JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json"}
REQUEST_TIMEOUT_S = 60.0
MAX_ERROR_SAMPLES = 5


def encode_request(query: str, variables: dict[str, Any] | None = None, operation_name: str | None = None) -> bytes:
    """One GraphQL POST body, as the storefront sends it (``{"query", "variables"}``)."""
    payload: dict[str, Any] = {"query": query, "variables": variables or {}}
    if operation_name:
        payload["operationName"] = operation_name
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass
class Scenario:
    """A named stream of pre-encoded request bodies.

    ``cycle=True`` replays the bodies for the whole duration (read-only queries). A scenario
    whose requests change state and can only be sent once (e.g. completing a prepared
    checkout) sets ``cycle=False``: the run then ends when its bodies are used up, and there is
    no warm-up so that none is wasted.
    """

    name: str
    bodies: Sequence[bytes]
    cycle: bool = True
    headers: dict[str, str] = field(default_factory=dict)

    def stream(self) -> Iterator[bytes]:
        return itertools.cycle(self.bodies) if self.cycle else iter(self.bodies)


@dataclass
class ScenarioResult:
    name: str
    latencies_s: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    # CPU the load client itself used: on a small machine it competes with the server.
    client_cpu_s: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies_s)

    def record(self, latency_s: float, error: str | None) -> None:
        self.latencies_s.append(latency_s)
        if error is not None:
            self.errors += 1
            if len(self.error_samples) < MAX_ERROR_SAMPLES and error not in self.error_samples:
                self.error_samples.append(error)

    def summary(self) -> dict[str, Any]:
        """The report line: latency percentiles in milliseconds and throughput."""
        ordered = sorted(self.latencies_s)
        line: dict[str, Any] = {"name": self.name}
        for pct in (50, 95, 99):
            # None (JSON null) rather than NaN when nothing was measured: NaN is not JSON.
            line[f"p{pct}_ms"] = round(percentile(ordered, pct) * 1000, 2) if ordered else None
        line["rps"] = round(self.requests / self.elapsed_s, 1) if self.elapsed_s > 0 else 0.0
        line["requests"] = self.requests
        line["errors"] = self.errors
        if self.elapsed_s > 0:
            line["client_cpu_pct"] = round(100 * self.client_cpu_s / self.elapsed_s, 1)
        if self.error_samples:
            line["error_samples"] = list(self.error_samples)
        return line


def percentile(ordered: Sequence[float], pct: float) -> float:
    """Percentile of already sorted values, interpolating linearly between closest ranks.

    Matches numpy's default method: the 50th percentile of [1, 2, 3, 4] is 2.5.
    Returns NaN for no values, so an empty run cannot pass for a fast one.
    """
    if not ordered:
        return math.nan
    rank = (len(ordered) - 1) * pct / 100
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def response_error(status: int, body: bytes) -> str | None:
    """Why a response counts as failed, or None when it is a clean GraphQL answer."""
    if status != 200:
        return f"HTTP {status}: {body[:200].decode(errors='replace')}"
    # Parsing every response would cost the client more than the request itself; a body
    # without the key cannot hold GraphQL errors.
    if b'"errors"' not in body:
        return None
    try:
        payload = json.loads(body)
    except ValueError:
        return f"invalid JSON: {body[:200].decode(errors='replace')}"
    errors = payload.get("errors") if isinstance(payload, dict) else None
    if errors:
        first = errors[0]
        message = first.get("message", first) if isinstance(first, dict) else first
        return f"GraphQL error: {message}"
    return None


async def _worker(
    session: aiohttp.ClientSession,
    url: str,
    bodies: Iterator[bytes],
    headers: dict[str, str],
    deadline: float,
    result: ScenarioResult,
) -> None:
    # The body stream is shared by all workers; asyncio runs one worker at a time, so
    # next() needs no lock.
    while time.perf_counter() < deadline:
        body = next(bodies, None)
        if body is None:
            return
        started = time.perf_counter()
        try:
            async with session.post(url, data=body, headers=headers) as response:
                payload = await response.read()
                error = response_error(response.status, payload)
        except (TimeoutError, aiohttp.ClientError) as exc:
            error = f"{type(exc).__name__}: {exc}"
        result.record(time.perf_counter() - started, error)


async def _run_phase(
    session: aiohttp.ClientSession, url: str, scenario: Scenario, concurrency: int, duration_s: float
) -> ScenarioResult:
    result = ScenarioResult(scenario.name)
    bodies = scenario.stream()
    headers = {**JSON_HEADERS, **scenario.headers}
    started, cpu_started = time.perf_counter(), time.process_time()
    deadline = started + duration_s
    await asyncio.gather(*(_worker(session, url, bodies, headers, deadline, result) for _ in range(concurrency)))
    result.elapsed_s = time.perf_counter() - started
    result.client_cpu_s = time.process_time() - cpu_started
    return result


def new_session(concurrency: int) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(limit=concurrency, ttl_dns_cache=None)
    return aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT_S))


async def run_scenario(
    url: str, scenario: Scenario, *, concurrency: int, duration_s: float, warmup_s: float = 0.0
) -> ScenarioResult:
    """Load ``url`` with ``concurrency`` connections for ``duration_s`` after a discarded warm-up."""
    if not scenario.bodies:
        raise ValueError(f"scenario {scenario.name!r} has no request bodies")
    async with new_session(concurrency) as session:
        if warmup_s > 0 and scenario.cycle:
            await _run_phase(session, url, scenario, concurrency, warmup_s)
        return await _run_phase(session, url, scenario, concurrency, duration_s)


class GraphQLClient:
    """Sequential GraphQL calls used to prepare scenarios (sampling cursors, creating carts)."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        self.session = session
        self.url = url

    async def execute(
        self, query: str, variables: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> dict[str, Any]:
        body = encode_request(query, variables)
        async with self.session.post(self.url, data=body, headers={**JSON_HEADERS, **(headers or {})}) as response:
            payload = await response.read()
            error = response_error(response.status, payload)
        if error:
            raise RuntimeError(f"preparation query failed: {error}")
        return json.loads(payload)["data"]
