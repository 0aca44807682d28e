"""The benchmark report: ``latest.json`` for machines, ``latest.md`` for people."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.load import ScenarioResult

COLUMNS = [
    ("name", "scenario"),
    ("p50_ms", "p50 ms"),
    ("p95_ms", "p95 ms"),
    ("p99_ms", "p99 ms"),
    ("rps", "req/s"),
    ("requests", "requests"),
    ("errors", "errors"),
    ("client_cpu_pct", "client CPU %"),
]


def build_report(
    results: list[ScenarioResult], *, items: int, concurrency: int, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "items": items,
        "concurrency": concurrency,
        "results": [result.summary() for result in results],
        **(extra or {}),
    }


def render_markdown(report: dict[str, Any]) -> str:
    lines = [
        "| " + " | ".join(title for _, title in COLUMNS) + " |",
        "| " + " | ".join("---" if key == "name" else "---:" for key, _ in COLUMNS) + " |",
    ]
    for row in report["results"]:
        lines.append("| " + " | ".join(str(row.get(key, "")) for key, _ in COLUMNS) + " |")
    facts = [f"{report['items']} items", f"concurrency {report['concurrency']}"]
    for key, label in (("duration_s", "s per scenario"), ("server", ""), ("peak_rss_mb", "MB peak RSS (server)")):
        if key in report:
            facts.append(f"{report[key]} {label}".strip())
    cache = report.get("response_cache")
    if cache:
        facts.append(
            f"anonymous response cache {cache['seconds']} s ({cache['backend']})" if cache["seconds"] > 0
            else "anonymous response cache off"
        )
    text = "\n".join(lines) + "\n\n" + ", ".join(facts) + "\n" if report["results"] else ""
    sync = report.get("sync") or []
    if sync:
        text += "\n| ERP sync | result |\n| --- | ---: |\n"
        for row in sync:
            value = f"{row['items_per_s']} items/s" if "items_per_s" in row else f"{row['seconds']} s"
            text += f"| {row['name']} | {value} |\n"
    return text


def write_report(report: dict[str, Any], directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    json_path = directory / "latest.json"
    md_path = directory / "latest.md"
    json_path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    md_path.write_text(render_markdown(report))
    return json_path, md_path
