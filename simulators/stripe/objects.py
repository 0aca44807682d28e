"""Stored objects and how the API shows them: lookups, ``expand[]``, lists and their pagination."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

from .protocol import Call, Params, StripeApiError, bad_request, no_such


class ObjectsMixin:
    """The object store of ``StripeSimulator`` and its generic list and retrieve calls."""

    # -- storage and rendering -------------------------------------------------------------------------
    def _store(self, obj: dict) -> dict:
        self._objects.setdefault(obj["object"], {})[obj["id"]] = obj
        return obj

    def _lookup(self, kind: str, object_id: str | None) -> dict | None:
        return self._objects.get(kind, {}).get(object_id) if object_id else None

    def _require(self, kind: str, object_id: str, label: str, param: str = "id") -> dict:
        obj = self._lookup(kind, object_id)
        if obj is None:
            raise no_such(label, object_id, param)
        return obj

    def _find_event(self, event_id: str) -> dict:
        for event in self._events:
            if event["id"] == event_id:
                return event
        raise KeyError(event_id)

    def _render(self, obj: dict, call: Call, prefix: tuple[str, ...] = ()) -> dict:
        """A copy of ``obj`` with the ``expand[]`` paths replaced by the objects they name."""
        result = copy.deepcopy(obj)
        for path in call.params.get("expand") or []:
            parts = tuple(path.split("."))
            if parts[: len(prefix)] == prefix:
                self._expand(result, list(parts[len(prefix) :]))
        return result

    def _expand(self, node: Any, parts: list[str]) -> None:
        if not parts or not isinstance(node, dict):
            return
        head, rest = parts[0], parts[1:]
        if head == "refunds" and node.get("object") == "charge" and not rest:
            node["refunds"] = self._list_of(
                self._refunds_of.get(node["id"], []), "refund", f"/v1/charges/{node['id']}/refunds"
            )
            return
        value = node.get(head)
        if isinstance(value, str):
            for objects in self._objects.values():
                if value in objects:
                    node[head] = value = copy.deepcopy(objects[value])
                    break
        if rest:
            self._expand(value, rest)

    def _list_of(self, ids: list[str], kind: str, url: str) -> dict:
        data = [copy.deepcopy(self._objects[kind][object_id]) for object_id in reversed(ids)]
        return {"object": "list", "data": data, "has_more": False, "total_count": len(data), "url": url}

    def _paginate(self, items: list[dict], call: Call, url: str, filters: Iterable[str]) -> dict:
        params = Params(call.params, ("limit", "starting_after", "ending_before", "created", "types", *filters))
        limit = params.integer("limit") or 10
        if limit > 100:
            raise bad_request("limit must be at most 100.", param="limit")
        for name in filters:
            wanted = params.text(name)
            if wanted is None:
                continue
            if name == "type" and wanted.endswith(".*"):
                items = [item for item in items if item["type"].startswith(wanted[:-1])]
            else:
                items = [item for item in items if item.get(name) == wanted]
        types = params.array("types")
        if types:
            items = [item for item in items if item.get("type") in types]
        created = call.params.get("created")
        if isinstance(created, str) and created:
            items = [item for item in items if str(item["created"]) == created]
        elif isinstance(created, dict):
            checks = {"gt": int.__gt__, "gte": int.__ge__, "lt": int.__lt__, "lte": int.__le__}
            for op, bound in created.items():
                if op not in checks or not str(bound).lstrip("-").isdigit():
                    raise bad_request(f"Invalid created[{op}].", param=f"created[{op}]")
                items = [item for item in items if checks[op](item["created"], int(bound))]
        ids = [item["id"] for item in items]
        after, before = params.text("starting_after"), params.text("ending_before")
        if after is not None:
            if after not in ids:
                raise no_such(items[0]["object"] if items else "object", after, "starting_after")
            rest = items[ids.index(after) + 1 :]
            page, has_more = rest[:limit], len(rest) > limit
        elif before is not None:
            if before not in ids:
                raise no_such(items[0]["object"] if items else "object", before, "ending_before")
            rest = items[: ids.index(before)]
            page, has_more = rest[-limit:], len(rest) > limit
        else:
            page, has_more = items[:limit], len(items) > limit
        return {
            "object": "list",
            "data": [self._render(item, call, ("data",)) for item in page],
            "has_more": has_more,
            "url": url,
        }

    def _lister(self, kind: str, url: str, filters: tuple[str, ...]) -> Callable[[Call], dict]:
        def handler(call: Call) -> dict:
            self._secret_only(call)
            items = self._events if kind == "event" else list(self._objects.get(kind, {}).values())
            return self._paginate(list(reversed(items)), call, url, filters)

        return handler

    def _retriever(self, kind: str, label: str) -> Callable[[Call], dict]:
        def handler(call: Call) -> dict:
            self._secret_only(call)
            Params(call.params, ())
            if kind == "event":
                try:
                    return self._render(self._find_event(call.groups["id"]), call)
                except KeyError:
                    raise no_such("event", call.groups["id"]) from None
            return self._render(self._require(kind, call.groups["id"], label), call)

        return handler

    def _secret_only(self, call: Call) -> None:
        if call.publishable:
            raise StripeApiError(
                401, "This call needs your secret key; the publishable key only confirms PaymentIntents."
            )
