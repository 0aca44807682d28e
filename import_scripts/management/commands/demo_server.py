"""`make demo`'s server: the local Stripe and Odoo servers next to `runserver`, the app pointed at them.

The Stripe simulator keeps everything in memory, so every start registers the webhook endpoint and a
connected account for each shop again (a shop keeps its account id from one start to the next).
With STRIPE_SECRET_KEY already in the environment the app talks to that Stripe instead and no
simulator is started.

The Odoo test server hosts two members' back-offices (import_scripts/demo/erp.py, with a third
member syncing a CSV file); a background thread does what Celery beat does in production, so their
items arrive on the marketplace a few seconds after the start and every minute after a change.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection

from import_scripts.demo.erp import ensure_demo_connections, sync_due
from saleor_ext.vendor.models import Vendor
from simulators.odoo import OdooSimulator
from simulators.odoo import demo as odoo_demo
from simulators.stripe import StripeSimulator

# Fixed test keys: a storefront configured once keeps working after a restart.
DEMO_SECRET_KEY = "sk_test_local_marketplace_demo"
DEMO_PUBLISHABLE_KEY = "pk_test_local_marketplace_demo"
DEMO_WEBHOOK_SECRET = "whsec_local_marketplace_demo"


def register_connected_accounts(simulator: StripeSimulator) -> int:
    """Give every shop a connected account the simulator knows; returns how many ids were new."""
    created = 0
    for vendor in Vendor.objects.order_by("slug"):
        known = vendor.stripe_account_id if (vendor.stripe_account_id or "").startswith("acct_") else None
        account_id = simulator.add_account(known, business_profile={"name": vendor.name}, email=vendor.email)
        if account_id != vendor.stripe_account_id:
            vendor.stripe_account_id = account_id
            vendor.save(update_fields=["stripe_account_id"])
            created += 1
    return created


def stripe_environment(simulator: StripeSimulator) -> dict[str, str]:
    return {
        "STRIPE_API_BASE": simulator.url,
        "STRIPE_SECRET_KEY": simulator.api_key,
        "STRIPE_PUBLISHABLE_KEY": simulator.publishable_key,
        "STRIPE_WEBHOOK_SECRET": simulator.webhook_secret,
    }


def _interrupt(signum, frame) -> None:
    """A plain `kill` stops the server and the simulator like Ctrl-C does."""
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Serve the demo (runserver, DEBUG=1) with the local Stripe server; Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--stripe-port", type=int, default=int(os.environ.get("STRIPE_SIM_PORT", "12111")))
        parser.add_argument("--odoo-port", type=int, default=int(os.environ.get("ODOO_SIM_PORT", "8069")))

    def handle(self, *args, **options):
        with OdooSimulator(port=options["odoo_port"]) as odoo:
            odoo_demo(odoo)
            # Before the Stripe registration: the members' shops get their connected accounts too.
            members = ensure_demo_connections(odoo.url)
            self.stdout.write(
                f"Odoo test server on {odoo.url}: {', '.join(c.vendor.name for c in members)} sync every minute"
            )
            stop = threading.Event()
            syncer = threading.Thread(target=self._sync_members, args=(stop,), daemon=True)
            syncer.start()
            try:
                return self._serve_with_stripe(options)
            finally:
                stop.set()
                syncer.join(timeout=30)

    def _sync_members(self, stop: threading.Event) -> None:
        """What Celery beat's ERP tick does in production, every 20 s, until the demo stops."""
        try:
            while not stop.is_set():
                for line in sync_due():
                    self.stdout.write(f"ERP sync: {line}")
                stop.wait(20)
        except Exception:  # the demo keeps serving; the console says why syncing stopped
            import logging

            logging.getLogger(__name__).exception("The demo's ERP sync stopped")
        finally:
            connection.close()

    def _serve_with_stripe(self, options) -> None:
        port = options["port"]
        env = {**os.environ, "DEBUG": "1"}
        if os.environ.get("STRIPE_SECRET_KEY"):
            self.stdout.write("STRIPE_SECRET_KEY is set: serving against that Stripe, no local simulator.")
            return self._serve(port, env)
        simulator = StripeSimulator(
            port=options["stripe_port"],
            api_key=DEMO_SECRET_KEY,
            publishable_key=DEMO_PUBLISHABLE_KEY,
            webhook_secret=DEMO_WEBHOOK_SECRET,
        )
        with simulator:
            simulator.add_webhook_endpoint(f"http://127.0.0.1:{port}/plugins/stripe/webhooks/")
            new = register_connected_accounts(simulator)
            env.update(stripe_environment(simulator))
            self.stdout.write(
                f"Stripe simulator on {simulator.url} ({Vendor.objects.count()} shop accounts, {new} new); "
                f"webhooks to http://127.0.0.1:{port}/plugins/stripe/webhooks/"
            )
            return self._serve(port, env)

    def _serve(self, port: int, env: dict[str, str]) -> None:
        # A child process, so runserver's autoreloader restarts the app without the simulator.
        server = subprocess.Popen(
            [sys.executable, str(settings.BASE_DIR / "manage.py"), "runserver", f"127.0.0.1:{port}"], env=env
        )
        signal.signal(signal.SIGTERM, _interrupt)
        try:
            server.wait()
        except KeyboardInterrupt:
            # The terminal's Ctrl-C reached runserver too; give it a moment to stop on its own.
            try:
                server.wait(timeout=2)
            except subprocess.TimeoutExpired:
                server.terminate()
                server.wait()
