"""Connect: connected accounts and their onboarding links, Transfers and their reversals."""

from __future__ import annotations

import copy
import time

from .._http import QuietHandler
from .protocol import Call, Params, bad_request, format_amount, new_id, no_such

# The parameters each call takes; others are refused, as Stripe does.
ACCOUNT_CREATE = (
    "type country email business_type business_profile capabilities metadata default_currency controller "
    "tos_acceptance company individual settings"
).split()
TRANSFER_CREATE = (
    "amount currency destination transfer_group source_transaction metadata description source_type"
).split()


class ConnectMixin:
    """The accounts, account links, transfers and reversals of ``StripeSimulator``."""

    # -- Connect: accounts, transfers, reversals -------------------------------------------------------
    def _new_account(self, account_id: str, kind: str, country: str) -> dict:
        return {
            "id": account_id,
            "object": "account",
            "business_profile": {"name": None, "url": None, "mcc": None},
            "business_type": None,
            "capabilities": {"transfers": "inactive"},
            "charges_enabled": False,
            "country": country,
            "created": int(time.time()),
            "default_currency": "eur" if country in ("BE", "FR", "NL", "LU", "DE") else "usd",
            "details_submitted": False,
            "email": None,
            "metadata": {},
            "payouts_enabled": False,
            "requirements": {"currently_due": ["external_account", "tos_acceptance.date"], "disabled_reason": None},
            "type": kind,
        }

    @staticmethod
    def _mark_onboarded(account: dict) -> None:
        account["capabilities"] = {name: "active" for name in account["capabilities"]}
        account.update(charges_enabled=True, payouts_enabled=True, details_submitted=True)
        account["requirements"] = {"currently_due": [], "disabled_reason": None}

    def _create_account(self, call: Call) -> dict:
        self._secret_only(call)
        params = Params(call.params, ACCOUNT_CREATE)
        kind = params.text("type", choices=("express", "standard", "custom")) or "express"
        account = self._new_account(new_id("acct", 16), kind, (params.text("country") or "BE").upper())
        account["email"] = params.text("email")
        account["business_type"] = params.text(
            "business_type", choices=("individual", "company", "non_profit", "government_entity")
        )
        account["business_profile"].update(params.hash("business_profile") or {})
        requested = params.hash("capabilities") or {}
        account["capabilities"] = {name: "inactive" for name in requested} or account["capabilities"]
        account["metadata"] = params.metadata()
        if params.text("default_currency"):
            account["default_currency"] = params.text("default_currency").lower()
        self._store(account)
        return self._render(account, call)

    def _create_account_link(self, call: Call) -> dict:
        self._secret_only(call)
        params = Params(call.params, ("account", "refresh_url", "return_url", "type", "collect", "collection_options"))
        account = self._require("account", params.text("account", required=True), "account", "account")
        params.text("type", required=True, choices=("account_onboarding", "account_update"))
        token = new_id("link", 20)
        now = int(time.time())
        self._onboarding_links[token] = {"account": account["id"], "return_url": params.text("return_url")}
        return {
            "object": "account_link",
            "created": now,
            "expires_at": now + 300,
            "url": f"{self.url}/connect/onboarding/{token}",
        }

    def _serve_onboarding_page(self, request: QuietHandler, token: str) -> None:
        """Stripe-hosted onboarding, reduced to one visit: the account becomes able to get paid."""
        with self._lock:
            link = self._onboarding_links.get(token)
            account = self._lookup("account", link["account"]) if link else None
            if account is None:
                request.send_bytes(404, b"Unknown or expired onboarding link.", "text/plain; charset=utf-8")
                return
            if not account["details_submitted"]:
                previous = {"charges_enabled": False, "payouts_enabled": False, "details_submitted": False}
                self._mark_onboarded(account)
                self._emit("account.updated", account, None, previous)
        if link["return_url"]:
            request.send_bytes(302, b"", "text/plain", {"Location": link["return_url"]})
        else:
            page = f"<!doctype html><title>Onboarding</title><p>Account {account['id']} can now get paid.</p>"
            request.send_bytes(200, page.encode(), "text/html; charset=utf-8")

    def _create_transfer(self, call: Call) -> dict:
        self._secret_only(call)
        params = Params(call.params, TRANSFER_CREATE)
        currency = params.currency()
        amount = params.integer("amount", required=True, minimum=1)
        destination = params.text("destination", required=True)
        if self._lookup("account", destination) is None:
            raise no_such("destination", destination, "destination")
        source_id = params.text("source_transaction")
        if source_id:
            source = self._require("charge", source_id, "charge", "source_transaction")
            if source["status"] != "succeeded":
                raise bad_request("The source_transaction did not succeed.", param="source_transaction")
            if source["currency"] != currency:
                raise bad_request(
                    f"The transfer currency ({currency}) must be the source_transaction's ({source['currency']}).",
                    param="currency",
                )
            left = source["amount"] - self._transferred_from.get(source_id, 0)
            if amount > left:
                raise bad_request(
                    f"Transfer amount ({format_amount(amount, currency)}) is greater than what is left of the "
                    f"source_transaction ({format_amount(left, currency)}).",
                    param="amount",
                    code="amount_too_large",
                )
        transfer = {
            "id": new_id("tr"),
            "object": "transfer",
            "amount": amount,
            "amount_reversed": 0,
            "balance_transaction": new_id("txn"),
            "created": int(time.time()),
            "currency": currency,
            "description": params.text("description"),
            "destination": destination,
            "destination_payment": new_id("py"),
            "livemode": False,
            "metadata": params.metadata(),
            "reversals": None,
            "reversed": False,
            "source_transaction": source_id,
            "source_type": params.text("source_type") or "card",
            "transfer_group": params.text("transfer_group"),
        }
        transfer["reversals"] = self._reversal_list(transfer["id"], [])
        if source_id:
            self._transferred_from[source_id] = self._transferred_from.get(source_id, 0) + amount
        self._store(transfer)
        self._emit("transfer.created", transfer, call)
        return self._render(transfer, call)

    @staticmethod
    def _reversal_list(transfer_id: str, data: list[dict]) -> dict:
        return {
            "object": "list",
            "data": data,
            "has_more": False,
            "total_count": len(data),
            "url": f"/v1/transfers/{transfer_id}/reversals",
        }

    def _create_reversal(self, call: Call) -> dict:
        self._secret_only(call)
        params = Params(call.params, ("amount", "metadata", "description", "refund_application_fee"))
        transfer = self._require("transfer", call.groups["id"], "transfer", "id")
        remaining = transfer["amount"] - transfer["amount_reversed"]
        if remaining <= 0:
            raise bad_request(f"Transfer {transfer['id']} is already fully reversed.", code="transfer_already_reversed")
        amount = params.integer("amount", minimum=1)
        amount = remaining if amount is None else amount
        if amount > remaining:
            raise bad_request(
                f"Reversal amount ({format_amount(amount, transfer['currency'])}) is greater than what is left on "
                f"the transfer ({format_amount(remaining, transfer['currency'])}).",
                param="amount",
                code="amount_too_large",
            )
        reversal = {
            "id": new_id("trr"),
            "object": "transfer_reversal",
            "amount": amount,
            "balance_transaction": new_id("txn"),
            "created": int(time.time()),
            "currency": transfer["currency"],
            "destination_payment_refund": new_id("pyr"),
            "metadata": params.metadata(),
            "source_refund": None,
            "transfer": transfer["id"],
        }
        self._store(reversal)
        previous = {"amount_reversed": transfer["amount_reversed"], "reversed": transfer["reversed"]}
        transfer["amount_reversed"] += amount
        transfer["reversed"] = transfer["amount_reversed"] >= transfer["amount"]
        data = [copy.deepcopy(reversal)] + transfer["reversals"]["data"]
        transfer["reversals"] = self._reversal_list(transfer["id"], data)
        self._emit("transfer.reversed", transfer, call, previous)
        return self._render(reversal, call)

    def _list_reversals(self, call: Call) -> dict:
        self._secret_only(call)
        transfer = self._require("transfer", call.groups["id"], "transfer", "id")
        ids = [item["id"] for item in transfer["reversals"]["data"]]
        items = [self._objects["transfer_reversal"][reversal_id] for reversal_id in ids]
        return self._paginate(items, call, f"/v1/transfers/{transfer['id']}/reversals", ())

    def _retrieve_reversal(self, call: Call) -> dict:
        self._secret_only(call)
        Params(call.params, ())
        transfer = self._require("transfer", call.groups["id"], "transfer", "id")
        reversal = self._lookup("transfer_reversal", call.groups["reversal"])
        if reversal is None or reversal["transfer"] != transfer["id"]:
            raise no_such("transfer_reversal", call.groups["reversal"])
        return self._render(reversal, call)
