"""``python -m simulators.odoo --port P [--items N] [--only DB]``: the demo databases on a port of their own."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from .demo_databases import demo
from .server import OdooSimulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulators.odoo", description="Local Odoo API server.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8069)
    parser.add_argument("--items", type=int, default=300, help="generated items in each demo database")
    parser.add_argument("--only", choices=["recyclerie19", "kringwinkel17"], help="serve this database alone")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    simulator = OdooSimulator(host=args.host, port=args.port, verbose=args.verbose)
    demo(simulator, args.items, only=args.only)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with simulator:
        print(f"ODOO_SIMULATOR_URL={simulator.url}")
        for name, database in simulator.databases.items():
            protocol = "JSON-2 + XML-RPC" if database.version >= 19 else "XML-RPC"
            print(f"database {name}: Odoo {database.version}.0 ({protocol}), "
                  f"{len(database.records['product.template'])} items, alone at {simulator.url_of(name)}")
            for credential in database.credentials:
                secret = (f"api key {credential['api_key']} (expires {credential['expires']})"
                          if "api_key" in credential else f"password {credential['password']}")
                print(f"  login {credential['login']} (uid {credential['uid']}): {secret}")
        sys.stdout.flush()
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
