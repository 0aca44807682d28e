"""The demo's two Odoo members, served by ``make demo``, ``python -m simulators.odoo`` and the benchmarks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .server import OdooSimulator

DEMO_JSON2_KEY = "7e1f0c5ad3b84f6c9e2d41a8b7c3f9e05d6a2b1c"
DEMO_XMLRPC_PASSWORD = "kringwinkel-2024"


def demo(sim: OdooSimulator, items: int = 300, only: str | None = None) -> None:
    """The two Odoo members of the demo: an Odoo 19 over JSON-2 and an Odoo 17 over XML-RPC
    (``only``: just the one named, e.g. for a benchmark that needs a single large member)."""
    if only in (None, "recyclerie19"):
        modern = sim.add_database("recyclerie19", version=19, items=items, seed=19, lang="fr_BE",
                                  company="La Recyclerie du Centre")
        bot = modern.add_user("marketplace-bot", "bot-password-19", name="Marketplace bot")
        modern.add_api_key(bot, DEMO_JSON2_KEY, name="marketplace sync",
                           expires=datetime.now(UTC) + timedelta(days=80))
    if only in (None, "kringwinkel17"):
        classic = sim.add_database("kringwinkel17", version=17, items=items, seed=17, lang="nl_BE",
                                   company="Kringwinkel De Schakel")
        classic.add_user("marketplace", DEMO_XMLRPC_PASSWORD, name="Marketplace koppeling")
