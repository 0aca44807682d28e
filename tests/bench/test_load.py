"""The bench load client against a real local HTTP server: counts, errors, percentiles, report."""

from __future__ import annotations

import asyncio
import json

from aiohttp import web

from bench.load import Scenario, ScenarioResult, encode_request, percentile, run_scenario
from bench.report import build_report, render_markdown, write_report

SERVER_DELAY_S = 0.005


def test_percentile_interpolates_between_closest_ranks():
    assert percentile([1.0, 2.0, 3.0, 4.0], 50) == 2.5
    assert percentile([1.0, 2.0, 3.0, 4.0], 0) == 1.0
    assert percentile([1.0, 2.0, 3.0, 4.0], 100) == 4.0
    assert percentile([7.0], 99) == 7.0
    values = [float(v) for v in range(1, 101)]
    assert abs(percentile(values, 95) - 95.05) < 1e-9
    assert abs(percentile(values, 99) - 99.01) < 1e-9


def test_summary_reports_milliseconds_and_throughput():
    result = ScenarioResult("listing", latencies_s=[0.010, 0.020, 0.030, 0.040], elapsed_s=2.0)
    result.record(0.050, "HTTP 500: oops")
    line = result.summary()
    assert line["p50_ms"] == 30.0
    assert line["p99_ms"] == 49.6
    assert line["rps"] == 2.5
    assert (line["requests"], line["errors"], line["error_samples"]) == (5, 1, ["HTTP 500: oops"])


def test_empty_result_reports_null_percentiles_not_nan():
    line = ScenarioResult("search").summary()
    assert line["p50_ms"] is None
    json.dumps(line, allow_nan=False)


async def _load_local_server():
    received = {"ok": 0, "graphql_error": 0, "http_error": 0}

    async def graphql(request: web.Request) -> web.Response:
        payload = await request.json()
        kind = payload["variables"]["kind"]
        received[kind] += 1
        await asyncio.sleep(SERVER_DELAY_S)
        if kind == "http_error":
            return web.Response(status=500, text="server error")
        if kind == "graphql_error":
            return web.json_response({"data": None, "errors": [{"message": "Unknown field"}]})
        return web.json_response({"data": {"products": {"edges": []}}})

    app = web.Application()
    app.router.add_post("/graphql/", graphql)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        bodies = [
            encode_request("query Q($kind: String) { products { edges { cursor } } }", {"kind": kind})
            for kind in ["ok"] * 8 + ["graphql_error", "http_error"]
        ]
        result = await run_scenario(
            f"http://127.0.0.1:{port}/graphql/", Scenario("listing", bodies), concurrency=4, duration_s=1.0
        )
    finally:
        await runner.cleanup()
    return result, received


def test_load_client_counts_every_answer_and_flags_failures(tmp_path):
    result, received = asyncio.run(_load_local_server())

    assert result.requests == sum(received.values())
    assert result.requests > 40  # 4 connections x 1 s x 5 ms per request, with a wide margin
    assert result.errors == received["graphql_error"] + received["http_error"]
    assert received["graphql_error"] > 0 and received["http_error"] > 0
    assert "GraphQL error: Unknown field" in result.error_samples
    assert any(sample.startswith("HTTP 500") for sample in result.error_samples)
    assert 0.9 <= result.elapsed_s < 2.0

    line = result.summary()
    assert SERVER_DELAY_S * 1000 <= line["p50_ms"] <= line["p95_ms"] <= line["p99_ms"]
    assert line["rps"] == round(result.requests / result.elapsed_s, 1)

    report = build_report([result], items=123, concurrency=4, extra={"peak_rss_mb": 42.0})
    json_path, md_path = write_report(report, tmp_path / "results")
    written = json.loads(json_path.read_text())
    assert written["items"] == 123 and written["concurrency"] == 4 and written["peak_rss_mb"] == 42.0
    (entry,) = written["results"]
    assert {"name", "p50_ms", "p95_ms", "p99_ms", "rps"} <= entry.keys()
    assert entry["name"] == "listing"
    table = md_path.read_text()
    assert table == render_markdown(written)
    assert table.splitlines()[0].startswith("| scenario | p50 ms | p95 ms | p99 ms | req/s | requests | errors |")
    assert table.splitlines()[2].startswith("| listing |")
