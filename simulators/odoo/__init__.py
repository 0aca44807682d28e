"""A local server speaking Odoo's external APIs, hosting several Odoo "databases" with their own data.

Odoo is not reachable from our machines, so tests, ``make demo`` and the sync benchmarks point the
ERP connectors at this server. It speaks the protocols as Odoo does on the wire:

- **JSON-2** (Odoo 19+): ``POST /json/2/<model>/<method>`` with ``Authorization: bearer <key>``,
  ``X-Odoo-Database`` (required when several databases are hosted) and the method's parameters by
  name next to ``ids`` and ``context``. Errors are ``{name, message, arguments, context, debug}``
  with 401 (bad, expired or revoked key), 403 (AccessError), 404 (unknown model, method, record or
  database), 422 (UserError, ValidationError, bad parameters or fields), 400 (unparsable body),
  500 (anything else, and the failures asked for). A database older than 19 answers 404 there, as
  Odoo 17 has no such route. ``GET /web/version`` gives the version.
- **XML-RPC** ``/xmlrpc/2/common`` (``version``, ``login``, ``authenticate``), ``/xmlrpc/2/object``
  (``execute_kw``, ``execute``) and ``/xmlrpc/2/db`` (``list``, ``server_version``), faults as
  Odoo 16–19 send them: code 3 "Access Denied" for bad credentials, 4 for AccessError, 2 for
  UserError/ValidationError/MissingError, 1 with a traceback text otherwise.
- **JSON-RPC** ``/jsonrpc`` (the same services) and ``/web/webclient/version_info``, enough for
  the independent client ``odoorpc``.

Each database is also mounted alone under ``/_db/<name>/`` (a URL behaving like an Odoo server that
hosts only that database, with its own version), which is how one process stands in for an Odoo 19
and an Odoo 17 at once.

Models: product.template, product.product (template fields readable and searchable through it),
product.category, product.tag, stock.location, stock.lot, stock.quant, sale.order, sale.order.line,
res.partner, res.users, res.company (with ``point_of_sale_update_stock_quantities``) and
res.users.apikeys (each user sees its own keys and, from 18, their ``expiration_date``). Methods:
search_read, search, search_count, read, create, write, unlink, fields_get, name_search,
res.users.context_get, sale.order.action_confirm/action_cancel. Domains take Odoo's prefix
notation and operators (= != > >= < <= in, not in, like, ilike, =like, =ilike, not like, not
ilike, child_of, parent_of), dotted paths through many2one fields, names for relational fields,
and ``active_test`` in the context. many2one values read as ``[id, display_name]``; write_date is
set (UTC, "YYYY-MM-DD HH:MM:SS") by every write, never by stock moves. Versions 18 and 19 have
``type='consu'`` + ``is_storable``; 16 and 17 have ``detailed_type``/``type='product'``.

Simplified: one company, one currency and no taxes (amount_total = sum of quantity × price);
access rights are a set of readable and a set of writable models per user; action_confirm moves
stock at once as if the outgoing picking were validated (quants in internal locations go down,
possibly below zero as a forced validation would), action_cancel puts it back; quants that reach
zero stay until ``cleanup_quants`` (Odoo's periodic quant clean-up); no units of measure,
pricelists, variants attributes (a variant has a suffix in its name), translations, multi-company
rules, read_group, onchange or web client routes.

Test controls are methods of ``Database`` (``sim.db("name")``) and, for other processes, the admin
endpoints ``/_sim/...`` (listed in ``AdminRoutes``): seed, change items, sell in the shop, latency,
failures, key expiry and revocation, point-of-sale mode, quant clean-up.

Run alone: ``python -m simulators.odoo --port 8069 [--items 300]``; it prints the URL, databases,
logins, passwords and API keys of its demo databases.

The package, one job a file: ``server`` (the HTTP server and its XML-RPC/JSON-RPC services),
``protocols`` (routing, JSON-2, XML-RPC and JSON-RPC on the wire), ``errors``, ``models`` (models and
fields per version), ``calls`` (method signatures), ``database`` (one database, each call one
transaction) with ``records``, ``search``, ``writes`` and ``stock`` (sale orders and quants),
``controls`` (test controls and ``/_sim``), ``catalogue`` (generated items), ``demo_databases`` and
``__main__`` (the command line).
"""

from .database import BOT_RIGHTS, Database, Rights
from .demo_databases import DEMO_JSON2_KEY, DEMO_XMLRPC_PASSWORD, demo
from .errors import (
    AccessDenied,
    AccessError,
    BadParams,
    BadValue,
    InvalidApiKey,
    MissingError,
    NotFound,
    OdooError,
    ServerError,
    UserError,
    ValidationError,
)
from .models import VERSIONS
from .server import OdooSimulator

__all__ = [
    "BOT_RIGHTS",
    "DEMO_JSON2_KEY",
    "DEMO_XMLRPC_PASSWORD",
    "VERSIONS",
    "AccessDenied",
    "AccessError",
    "BadParams",
    "BadValue",
    "Database",
    "InvalidApiKey",
    "MissingError",
    "NotFound",
    "OdooError",
    "OdooSimulator",
    "Rights",
    "ServerError",
    "UserError",
    "ValidationError",
    "demo",
]
