"""Odoo's domains (prefix notation, its operators, dotted paths) and the search that runs them on a
database's records: predicates, indexes, Odoo's ordering."""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from .calls import as_ids
from .errors import BadValue
from .models import ADMIN_UID, Field, Model

OPERATORS = {"=", "!=", "<>", ">", ">=", "<", "<=", "in", "not in", "like", "ilike", "=like", "=ilike",
             "not like", "not ilike", "child_of", "parent_of"}
NEGATIVE = {"!=": "=", "<>": "=", "not in": "in", "not like": "like", "not ilike": "ilike"}
TRUE_LEAF = (1, "=", 1)
FALSE_LEAF = (0, "=", 1)


def parse_domain(domain: Any) -> tuple:
    """Odoo's prefix-notation domain as a tree: ('&', a, b), ('|', a, b), ('!', a) or a leaf tuple."""
    if domain in (None, False):
        domain = []
    if not isinstance(domain, list | tuple):
        raise BadValue(f"Invalid domain: {domain!r}")
    items = list(domain)

    def node(pos: int) -> tuple[tuple, int]:
        if pos >= len(items):
            raise BadValue(f"Invalid domain, missing operand: {domain!r}")
        item = items[pos]
        if item in ("&", "|"):
            left, pos = node(pos + 1)
            right, pos = node(pos)
            return (item, left, right), pos
        if item == "!":
            child, pos = node(pos + 1)
            return ("!", child), pos
        if not isinstance(item, list | tuple) or len(item) != 3:
            raise BadValue(f"Invalid leaf {item!r}")
        left, operator, right = item
        if isinstance(right, list | tuple):
            right = list(right)
        leaf = (left, str(operator).lower(), right)
        if leaf[:2] in ((1, "="), (0, "=")):
            return ("leaf", leaf), pos + 1
        if not isinstance(left, str) or leaf[1] not in OPERATORS:
            raise BadValue(f"Invalid leaf {item!r}")
        return ("leaf", leaf), pos + 1

    nodes = []
    pos = 0
    while pos < len(items):
        tree, pos = node(pos)
        nodes.append(tree)
    if not nodes:
        return ("leaf", TRUE_LEAF)
    tree = nodes[-1]
    for other in reversed(nodes[:-1]):
        tree = ("&", other, tree)
    return tree


def mentions(tree: tuple, field_name: str) -> bool:
    if tree[0] == "leaf":
        return tree[1][0] == field_name
    return any(mentions(child, field_name) for child in tree[1:])


def top_leaves(tree: tuple) -> list[tuple]:
    """The leaves ANDed at the top of a domain (those an index may narrow)."""
    if tree[0] == "leaf":
        return [tree[1]]
    if tree[0] == "&":
        return top_leaves(tree[1]) + top_leaves(tree[2])
    return []


def like_pattern(value: str, operator: str) -> re.Pattern:
    flags = re.IGNORECASE if "ilike" in operator else 0
    if operator.startswith("="):
        parts = []
        for char in value:
            parts.append(".*" if char == "%" else "." if char == "_" else re.escape(char))
        return re.compile("^" + "".join(parts) + "$", flags | re.DOTALL)
    return re.compile(re.escape(value), flags)


def normalize_datetime(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("T", " ")[:19]
    return value


class SearchMixin:
    """``search`` and the domain machinery of ``Database``."""

    def _resolve(self, model: Model, path: str) -> tuple[Callable[[dict], Any], Field]:
        """A function giving the raw value of ``path`` (dotted through many2one) and the last field."""
        parts = path.split(".")
        getters = []
        current = model
        item = None
        for position, part in enumerate(parts):
            item = current.fields.get(part)
            if item is None:
                raise BadValue(f"Invalid field {current.name}.{part} in leaf {path!r}")
            getters.append((current, part))
            if position < len(parts) - 1:
                if item.type != "many2one":
                    raise BadValue(f"Invalid path {path!r}: {part} is not a many2one")
                current = self.models[item.relation]

        def value(record: dict) -> Any:
            result: Any = record
            for index, (owner, part) in enumerate(getters):
                if result is None:
                    return False
                value_ = self.get(owner, result, part)
                if index < len(getters) - 1:
                    result = self.records[owner.fields[part].relation].get(value_) if value_ else None
                else:
                    return value_
            return False

        assert item is not None
        return value, item

    def _related_ids(self, relation: str, operator: str, value: Any) -> set[int]:
        """ids of ``relation`` whose name matches (a name given for a relational field)."""
        model = self.models[relation]
        predicate = self._compile_leaf(model, ("display_name", operator, value))
        return {record_id for record_id, record in self.records[relation].items() if predicate(record)}

    def _descendants(self, relation: str, roots: Iterable[int], upward: bool = False) -> set[int]:
        parent_field = "parent_id" if "parent_id" in self.models[relation].fields else "location_id"
        records = self.records[relation]
        result = set(roots)
        if upward:
            frontier = list(result)
            while frontier:
                parent = records.get(frontier.pop(), {}).get(parent_field)
                if parent and parent not in result:
                    result.add(parent)
                    frontier.append(parent)
            return result
        children = self.index(relation, parent_field)
        frontier = list(result)
        while frontier:
            for child in children.get(frontier.pop(), []):
                if child not in result:
                    result.add(child)
                    frontier.append(child)
        return result

    def _compile(self, model: Model, tree: tuple) -> Callable[[dict], bool]:
        kind = tree[0]
        if kind == "leaf":
            return self._compile_leaf(model, tree[1])
        if kind == "!":
            inner = self._compile(model, tree[1])
            return lambda record: not inner(record)
        left, right = self._compile(model, tree[1]), self._compile(model, tree[2])
        if kind == "&":
            return lambda record: left(record) and right(record)
        return lambda record: left(record) or right(record)

    def _compile_leaf(self, model: Model, leaf: tuple) -> Callable[[dict], bool]:
        if leaf == TRUE_LEAF:
            return lambda record: True
        if leaf == FALSE_LEAF:
            return lambda record: False
        path, operator, value = leaf
        getter, item = self._resolve(model, path)
        negate = operator in NEGATIVE
        operator = NEGATIVE.get(operator, operator)

        if operator in ("child_of", "parent_of"):
            relation = item.relation or model.name
            roots = as_ids(value) if not isinstance(value, str) else self._related_ids(relation, "ilike", value)
            allowed = self._descendants(relation, roots, upward=operator == "parent_of")
            if item.type in ("one2many", "many2many"):
                return lambda record: bool(allowed.intersection(getter(record) or []))
            return lambda record: getter(record) in allowed

        if item.relational or path == "id":
            values = value if isinstance(value, list) else [value]
            by_name = item.relation is not None and any(isinstance(one, str) for one in values)
            if by_name:
                # A name for a relational field matches the related records by their display name.
                name_operator = operator if "like" in operator else "in"
                wanted: set = self._related_ids(item.relation, name_operator, value)
                operator = "in"
            elif operator in ("=", "in"):
                wanted = {one for one in values if one is not False}
                as_ids(list(wanted))
            else:
                wanted = set()
            with_false = not by_name and (value is False or value == [] and item.type != "many2one"
                                          or (isinstance(value, list) and False in value))
            if item.type in ("one2many", "many2many"):
                if operator not in ("=", "in"):
                    raise BadValue(f"Invalid operator {leaf[1]!r} for {path}")

                def predicate(record: dict) -> bool:
                    current = getter(record) or []
                    return bool(wanted.intersection(current)) or (with_false and not current)

                return (lambda record: not predicate(record)) if negate else predicate
            if operator in ("=", "in"):

                def predicate(record: dict) -> bool:
                    current = getter(record)
                    return current in wanted or (with_false and not current)

                # != and not in keep the records without a value, as Odoo does.
                return (lambda record: not predicate(record)) if negate else predicate
            # Comparisons on ids (id > 100, product_id < 5).
        return self._compare(getter, item, leaf[1], value)

    def _compare(self, getter: Callable[[dict], Any], item: Field, operator: str, value: Any) -> Callable[[dict],
                                                                                                        bool]:
        if item.type in ("datetime", "date"):
            value = [normalize_datetime(one) for one in value] if isinstance(value, list) else normalize_datetime(
                value)
        if operator in ("=", "!=", "<>"):
            if value is False or value is None:
                if operator == "=":
                    return lambda record: getter(record) in (False, None, "", [])
                return lambda record: getter(record) not in (False, None, "", [])
            if operator == "=":
                return lambda record: getter(record) == value
            return lambda record: getter(record) != value
        if operator in ("in", "not in"):
            if not isinstance(value, list):
                value = [value]
            allowed = set(one for one in value if one is not False)
            with_false = False in value
            def is_in(record: dict) -> bool:
                current = getter(record)
                if current in (False, None):
                    return with_false
                return current in allowed
            return is_in if operator == "in" else (lambda record: not is_in(record))
        if operator in (">", ">=", "<", "<="):
            if value is False or value is None:
                return lambda record: False
            compare = {">": lambda a: a > value, ">=": lambda a: a >= value, "<": lambda a: a < value,
                       "<=": lambda a: a <= value}[operator]
            def ordered(record: dict) -> bool:
                current = getter(record)
                if current is False or current is None:
                    return False
                try:
                    return compare(current)
                except TypeError as error:
                    raise BadValue(f"Cannot compare {current!r} {operator} {value!r}") from error
            return ordered
        # like and co: match on text, never on empty values.
        negate = operator.startswith("not ")
        operator = operator.removeprefix("not ")
        if value is False:
            return self._compare(getter, item, "!=" if not negate else "=", False)
        pattern = like_pattern(str(value), operator)
        def like(record: dict) -> bool:
            current = getter(record)
            return bool(current) and bool(pattern.search(str(current)))
        if negate:
            return lambda record: not like(record)
        return like

    def _candidates(self, model: Model, tree: tuple) -> list[int] | None:
        """A narrower list of ids than the whole table, from an index on the top-level leaves."""
        best: list[int] | None = None
        for path, operator, value in top_leaves(tree):
            ids: list[int] | None = None
            item = model.fields.get(path) if isinstance(path, str) else None
            if item is None:
                continue
            if path == "id" and operator in ("=", "in") and value is not False:
                ids = as_ids(value)
            elif path == "write_date" and operator in (">", ">=") and isinstance(value, str):
                dates, ordered_ids = self.by_write_date(model.name)
                value = normalize_datetime(value)
                start = (bisect.bisect_right if operator == ">" else bisect.bisect_left)(dates, value)
                ids = ordered_ids[start:]
            elif (
                item.stored and item.compute is None and item.type in ("many2one", "char", "selection")
                and operator in ("=", "in") and value is not False
                and not (isinstance(value, str) and item.type == "many2one")
            ):
                index = self.index(model.name, path)
                values = value if isinstance(value, list) else [value]
                if all(isinstance(one, str | int) and not isinstance(one, bool) for one in values):
                    ids = [record_id for one in values for record_id in index.get(one, [])]
            if ids is not None and (best is None or len(ids) < len(best)):
                best = ids
        return best

    def _sort(self, model: Model, ids: list[int], order: str | None) -> list[int]:
        order = order or model.order
        records = self.records[model.name]
        terms = []
        for part in order.split(","):
            words = part.strip().split()
            if not words:
                continue
            if len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
                raise BadValue(f"Invalid order {order!r}")
            name = words[0]
            item = model.fields.get(name)
            if item is None or item.type in ("one2many", "many2many", "binary"):
                raise BadValue(f"Invalid field {name!r} on model {model.name!r}")
            terms.append((name, item, len(words) == 2 and words[1].lower() == "desc"))
        result = list(ids)
        for name, item, descending in reversed(terms):
            if name == "id":
                result.sort(reverse=descending)
                continue

            def key(record_id: int, name: str = name, item: Field = item) -> tuple:
                value = self.get(model, records[record_id], name)
                if item.type == "many2one":
                    value = self.display_name_of_id(item.relation, value) if value else False
                if item.type == "boolean":
                    return (0, bool(value))
                # NULLs last ascending, first descending (PostgreSQL's default).
                return (1, "") if value is False or value is None else (0, value)

            result.sort(key=key, reverse=descending)
        return result

    def search(self, model: Model, domain: Any, *, offset: int = 0, limit: int | None = None,
               order: str | None = None, context: dict | None = None, uid: int = ADMIN_UID) -> list[int]:
        tree = parse_domain(domain)
        active_test = (context or {}).get("active_test", True)
        if model.has_active and active_test and not mentions(tree, "active"):
            tree = ("&", ("leaf", ("active", "=", True)), tree)
        if model.name == "res.users.apikeys":
            # Odoo's record rule: a user sees only its own keys.
            tree = ("&", ("leaf", ("user_id", "=", uid)), tree)
        depends = (model.name,)
        shape = json.dumps(tree, default=repr)
        if model.name.startswith("product."):
            # Stock moves never touch products: only a domain on quantities depends on quants.
            depends = ("product.template", "product.product", "product.category", "product.tag")
            depends += ("stock.quant",) if "qty_available" in shape else ()
        key = ("search", model.name, shape, order or "", tuple(self.generation[name] for name in depends))

        def build() -> list[int]:
            candidates = self._candidates(model, tree)
            records = self.records[model.name]
            predicate = self._compile(model, tree)
            pool = candidates if candidates is not None else records.keys()
            found = [record_id for record_id in dict.fromkeys(pool)
                     if record_id in records and predicate(records[record_id])]
            return self._sort(model, found, order)

        ids = self._cached(key, build)
        if not isinstance(offset, int) or (limit is not None and not isinstance(limit, int)):
            raise BadValue("offset and limit must be integers")
        end = None if not limit else offset + limit
        return ids[offset:end]
