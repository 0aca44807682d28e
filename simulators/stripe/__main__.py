"""``python -m simulators.stripe --port P [--webhook-url URL]``: a Stripe server on a port of its own."""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from .server import StripeSimulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m simulators.stripe", description="Local Stripe API server.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=12111)
    parser.add_argument("--webhook-url", action="append", default=[], help="repeat for several endpoints")
    parser.add_argument("--api-key", help="secret key to accept (sk_test_…); random by default")
    parser.add_argument("--publishable-key", help="publishable key (pk_test_…); random by default")
    parser.add_argument("--webhook-secret", help="webhook signing secret (whsec_…); random by default")
    parser.add_argument("--account", action="append", default=[], help="connected account id to know (acct_…)")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    simulator = StripeSimulator(
        host=args.host,
        port=args.port,
        api_key=args.api_key,
        publishable_key=args.publishable_key,
        webhook_secret=args.webhook_secret,
        verbose=args.verbose,
    )
    for url in args.webhook_url:
        simulator.add_webhook_endpoint(url)
    for account in args.account:
        simulator.add_account(account)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with simulator:
        print(f"STRIPE_API_BASE={simulator.url}")
        print(f"STRIPE_SECRET_KEY={simulator.api_key}")
        print(f"STRIPE_PUBLISHABLE_KEY={simulator.publishable_key}")
        print(f"STRIPE_WEBHOOK_SECRET={simulator.webhook_secret}")
        sys.stdout.flush()
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
