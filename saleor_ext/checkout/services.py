"""Cart changes: create a checkout, add, update and delete lines, contact and customer.

Every change runs in a transaction holding the checkout row's lock (the first lock of the
checkout → stock order), checks what the shopper may buy in the checkout's channel, and raises
``ValidationError`` with Saleor's CheckoutErrorCode values, naming the variants or lines at fault.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from saleor_ext.channel.models import Channel
from saleor_ext.core import sql
from saleor_ext.core.errors import validation_error as error
from saleor_ext.core.rich_text import text_from_editorjs
from saleor_ext.product import selectors
from saleor_ext.product.models import ProductChannelListing, ProductVariant, ProductVariantChannelListing
from saleor_ext.shipping import services as shipping_services
from saleor_ext.warehouse.management import available_sql
from saleor_ext.warehouse.models import Stock, Warehouse, WarehouseClickAndCollectOption

from . import lock_objects
from .error_codes import CheckoutErrorCode as Codes
from .fetch import fetch_checkout_info
from .models import Checkout, CheckoutDelivery, CheckoutLine, CheckoutVendorDelivery


@dataclass(frozen=True)
class LineInput:
    variant_id: int
    quantity: int
    force_new_line: bool = False


@dataclass(frozen=True)
class LineUpdate:
    line_id: object | None
    variant_id: int | None
    quantity: int


def lock_checkout(token, *, for_lines: bool = False) -> Checkout:
    """The checkout row, locked until the transaction ends (``lock_objects.lock_checkout_for_change``:
    an UPDATE of its ``last_change`` takes the lock); must run inside ``atomic()``. ``for_lines``:
    the same statement marks the delivery offers stale and returns the lines, for ``_current_lines``.
    """
    checkout = lock_objects.lock_checkout_for_change(token, for_lines=for_lines)
    if checkout is None:
        raise error("id", "Couldn't resolve to a node.", Codes.NOT_FOUND)
    channel = next((c for c in selectors.channels_by_slug().values() if c.pk == checkout.channel_id), None)
    Checkout.channel.field.set_cached_value(checkout, channel or Channel.objects.get(pk=checkout.channel_id))
    if checkout.completing_started_at is not None:
        raise error("id", "The checkout is being completed.", Codes.INVALID)
    return checkout


def _current_lines(checkout: Checkout) -> list[CheckoutLine]:
    """The lines ``lock_checkout(for_lines=True)`` returned (a fresh cart has none)."""
    return lock_objects.locked_lines(checkout)


def _purchase_rows(ids: list[int], channel: Channel, checkout_token=None) -> dict[int, tuple]:
    """Per variant id: (variant, published in the channel, priced there, for sale now, quantity a
    shopper can still buy there), one query.

    The public rule of ``selectors.visible_variants`` for one product page, and the stock rule of
    ``available_quantities`` (reservations of ``checkout_token`` not counted against it), in fixed
    SQL: a cart change runs it on every add, where compiling the ORM's version cost more than the
    query.
    """
    variant_width = sql.width(ProductVariant)
    available, available_params = available_sql("v.id", channel, exclude_checkout=checkout_token)
    now = timezone.now()
    rows = sql.fetch(
        f"SELECT {sql.columns(ProductVariant, 'v')},"
        " pl.id IS NOT NULL AND pl.is_published AND (pl.published_at IS NULL OR pl.published_at <= %s),"
        " EXISTS (SELECT 1 FROM {vl} x JOIN {pv} y ON y.id = x.variant_id WHERE y.product_id = v.product_id"
        "   AND x.channel_id = %s AND x.price_amount IS NOT NULL),"
        " vl.price_amount IS NOT NULL,"
        " pl.available_for_purchase_at IS NOT NULL AND pl.available_for_purchase_at <= %s,"
        f" {available}"
        f" FROM {sql.table(ProductVariant)} v"
        f" LEFT JOIN {sql.table(ProductChannelListing)} pl ON pl.product_id = v.product_id AND pl.channel_id = %s"
        f" LEFT JOIN {sql.table(ProductVariantChannelListing)} vl ON vl.variant_id = v.id AND vl.channel_id = %s"
        " WHERE v.id = ANY(%s)".format(vl=sql.table(ProductVariantChannelListing), pv=sql.table(ProductVariant)),
        [now, channel.id, now, *available_params, channel.id, channel.id, ids],
    )
    return {
        row[0]: (sql.instance(ProductVariant, row[:variant_width]), *row[variant_width:])
        for row in rows
    }


def check_purchasable(
    variant_ids: Iterable[int], channel: Channel, *, checkout_token=None
) -> tuple[dict[int, ProductVariant], dict[int, int]]:
    """The variants a shopper may buy in ``channel`` and the quantity of each still available to
    the cart ``checkout_token``; raises for any variant that may not be bought."""
    ids = sorted(set(variant_ids))
    rows = _purchase_rows(ids, channel, checkout_token)
    missing = [pk for pk in ids if pk not in rows]
    if missing:
        raise error(
            "variantId",
            "Couldn't resolve to a product variant.",
            Codes.NOT_FOUND,
            variants=missing,
        )
    # Visible to the public: an active channel, a published listing with a priced variant, and
    # this variant priced there.
    hidden = [
        pk for pk, (_v, published, product_priced, priced, _sale, _left) in rows.items()
        if not (channel.is_active and published and product_priced and priced)
    ]
    if hidden:
        raise error(
            "lines",
            "Cannot add lines with unavailable variants.",
            Codes.UNAVAILABLE_VARIANT_IN_CHANNEL,
            variants=sorted(hidden),
        )
    not_for_sale = [pk for pk, row in rows.items() if not row[4]]
    if not_for_sale:
        raise error(
            "lines",
            "Cannot add lines for unavailable for purchase variants.",
            Codes.PRODUCT_UNAVAILABLE_FOR_PURCHASE,
            variants=sorted(not_for_sale),
        )
    return {pk: row[0] for pk, row in rows.items()}, {pk: int(row[5]) for pk, row in rows.items()}


def check_quantities(wanted: dict[int, int], variants: dict[int, ProductVariant], available: dict[int, int]) -> None:
    """``wanted`` = the cart's resulting quantity per variant; limits first, then the stock
    ``available`` to this cart."""
    limit = selectors.checkout_quantity_limit()
    for variant_id, quantity in wanted.items():
        variant = variants[variant_id]
        variant_limit = variant.quantity_limit_per_customer
        if quantity > limit or (variant_limit and quantity > variant_limit):
            allowed = min(limit, variant_limit) if variant_limit else limit
            raise error(
                "quantity",
                f"Cannot add more than {allowed} times this item: {variant}.",
                Codes.QUANTITY_GREATER_THAN_LIMIT,
                variants=[variant_id],
            )
    tracked = [pk for pk in wanted if variants[pk].track_inventory]
    short = [pk for pk in tracked if wanted[pk] > available.get(pk, 0)]
    if short:
        left = ", ".join(f"{variants[pk]} ({available.get(pk, 0)} left)" for pk in short)
        raise error(
            "quantity",
            f"Could not add items {left}: not enough stock.",
            Codes.INSUFFICIENT_STOCK,
            variants=short,
        )


def _check_positive(lines: Sequence[LineInput]) -> None:
    for line in lines:
        if line.quantity <= 0:
            code = Codes.ZERO_QUANTITY if line.quantity == 0 else Codes.INVALID
            raise error(
                "quantity",
                "The quantity should be higher than zero.",
                code,
                variants=[line.variant_id],
            )


def mark_deliveries_stale(checkout: Checkout) -> None:
    # Offers depend on the cart's weight and value: they are computed again on the next request.
    CheckoutDelivery.objects.filter(checkout=checkout, is_valid=True).update(is_valid=False)


def _drop_choices_of_absent_vendors(checkout: Checkout) -> None:
    vendor_ids = CheckoutLine.objects.filter(checkout=checkout).values("variant__vendor_id")
    CheckoutVendorDelivery.objects.filter(checkout=checkout).exclude(vendor_id__in=vendor_ids).delete()


def _apply_lines(checkout: Checkout, lines: Sequence[LineInput], *, replace: bool) -> None:
    """Add ``lines`` to the locked checkout (merging a variant into its line unless forced new),
    or set their quantity when ``replace``; quantity 0 with ``replace`` removes the line."""
    existing = _current_lines(checkout)
    by_variant: dict[int, CheckoutLine] = {}
    for line in existing:
        by_variant.setdefault(line.variant_id, line)
    wanted: dict[int, int] = defaultdict(int)
    for line in existing:
        wanted[line.variant_id] += line.quantity
    adding = [line for line in lines if line.quantity > 0 or not replace]
    for line in lines:
        current = by_variant.get(line.variant_id)
        if replace:
            wanted[line.variant_id] = line.quantity + (
                wanted[line.variant_id] - current.quantity if current else 0
            )
        else:
            wanted[line.variant_id] += line.quantity
    if adding:
        variants, available = check_purchasable(
            {line.variant_id for line in adding}, checkout.channel, checkout_token=checkout.pk
        )
        check_quantities({pk: wanted[pk] for pk in variants}, variants, available)
    for line in lines:
        current = by_variant.get(line.variant_id)
        if replace and current is not None:
            if line.quantity == 0:
                current.delete()
                del by_variant[line.variant_id]
            else:
                current.quantity = line.quantity
                current.save(update_fields=["quantity"])
        elif current is not None and not line.force_new_line and not replace:
            current.quantity += line.quantity
            current.save(update_fields=["quantity"])
        elif line.quantity > 0:
            new = CheckoutLine(checkout=checkout, variant_id=line.variant_id, quantity=line.quantity)
            sql.insert(new)
            by_variant.setdefault(line.variant_id, new)
    if replace:
        # Only lowering or removing lines can take a shop out of the cart.
        _drop_choices_of_absent_vendors(checkout)


def create_checkout(
    *,
    channel: Channel,
    user=None,
    email: str | None = None,
    lines: Sequence[LineInput] = (),
    language_code: str | None = None,
) -> Checkout:
    if not channel.is_active:
        raise error("channel", "Channel is inactive.", Codes.CHANNEL_INACTIVE)
    _check_positive(lines)
    # No savepoint: callers run inside the mutation's transaction, and a failure undoes it all.
    with transaction.atomic(savepoint=False):
        checkout = Checkout(
            channel=channel,
            currency=channel.currency_code,
            country=channel.default_country or "BE",
            user=user,
            email=email or (user.email if user else None),
        )
        if language_code:
            checkout.language_code = language_code
        checkout.save()
        if lines:
            _apply_lines(checkout, lines, replace=False)
    return checkout


def add_lines(token, lines: Sequence[LineInput]) -> Checkout:
    if not lines:
        raise error("lines", "Give at least one line.", Codes.REQUIRED)
    _check_positive(lines)
    # No savepoint: callers run inside the mutation's transaction, and a failure undoes it all.
    with transaction.atomic(savepoint=False):
        checkout = lock_checkout(token, for_lines=True)
        _apply_lines(checkout, lines, replace=False)
    return checkout


def update_lines(token, updates: Sequence[LineUpdate]) -> Checkout:
    """Set quantities (0 removes the line); a line is named by its id, or by its variant (deprecated)."""
    # No savepoint: callers run inside the mutation's transaction, and a failure undoes it all.
    with transaction.atomic(savepoint=False):
        checkout = lock_checkout(token, for_lines=True)
        lines = {str(line.pk): line for line in _current_lines(checkout)}
        resolved: list[LineInput] = []
        for update in updates:
            if update.quantity < 0:
                raise error("quantity", "The quantity cannot be negative.", Codes.INVALID)
            if update.line_id is not None:
                line = lines.get(str(update.line_id))
                if line is None:
                    message = "The line does not belong to this checkout."
                    raise error("lineId", message, Codes.INVALID, lines=[update.line_id])
                variant_id = line.variant_id
            elif update.variant_id is not None:
                variant_id = update.variant_id
            else:
                raise error("lineId", "Give the line's id.", Codes.REQUIRED)
            resolved.append(LineInput(variant_id, update.quantity))
        _apply_lines(checkout, resolved, replace=True)
    return checkout


def delete_lines(token, line_ids: Iterable) -> Checkout:
    ids = {str(pk) for pk in line_ids}
    # No savepoint: callers run inside the mutation's transaction, and a failure undoes it all.
    with transaction.atomic(savepoint=False):
        checkout = lock_checkout(token, for_lines=True)
        lines = {str(line.pk): line for line in _current_lines(checkout)}
        unknown = sorted(ids - set(lines))
        if unknown:
            raise error("lineId", "Some lines are not in this checkout.", Codes.INVALID, lines=unknown)
        CheckoutLine.objects.filter(checkout=checkout, pk__in=ids).delete()
        _drop_choices_of_absent_vendors(checkout)
    return checkout


def update_email(token, email: str) -> Checkout:
    try:
        validate_email(email)
    except ValidationError:
        raise error("email", "Enter a valid email address.", Codes.INVALID) from None
    # No savepoint: callers run inside the mutation's transaction, and a failure undoes it all.
    with transaction.atomic(savepoint=False):
        checkout = lock_checkout(token)
        checkout.email = email.strip().lower()
        checkout.save(update_fields=["email", "last_change"])
    return checkout


def attach_customer(token, user) -> Checkout:
    # No savepoint: callers run inside the mutation's transaction, and a failure undoes it all.
    with transaction.atomic(savepoint=False):
        checkout = lock_checkout(token)
        if checkout.user_id and checkout.user_id != user.pk:
            raise error("customerId", "The checkout belongs to another customer.", Codes.INVALID)
        checkout.user = user
        checkout.email = user.email
        checkout.save(update_fields=["user", "email", "last_change"])
    return checkout


def detach_customer(token, user) -> Checkout:
    # No savepoint: callers run inside the mutation's transaction, and a failure undoes it all.
    with transaction.atomic(savepoint=False):
        checkout = lock_checkout(token)
        if checkout.user_id != user.pk:
            raise error("id", "You cannot detach another customer's checkout.", Codes.INVALID)
        checkout.user = None
        checkout.save(update_fields=["user", "last_change"])
    return checkout


def _plain_text(description) -> str:
    """A method's description (Editor.js JSON in Saleor's model) as the text a shopper reads."""
    if not description:
        return ""
    if isinstance(description, str):
        return description
    return text_from_editorjs(description) if isinstance(description, dict) else ""


def refresh_deliveries(checkout_info) -> dict[int, list[CheckoutDelivery]]:
    """Compute each vendor's home-delivery offers for the cart and keep them as ``CheckoutDelivery``
    rows; an offer that still applies keeps its row (and id), the others become invalid."""
    checkout = checkout_info.checkout
    if checkout.shipping_address_id is None:
        return {}
    groups = [group for group in checkout_info.groups if group.is_shipping_required]
    offers = shipping_services.applicable_shipping_methods_for_vendors(
        vendor_ids=[group.vendor.pk for group in groups],
        channel=checkout.channel,
        country_code=checkout.shipping_address.country,
        weights_kg={group.vendor.pk: group.weight_kg for group in groups},
        subtotals={group.vendor.pk: group.subtotal.gross for group in groups},
    )
    existing = checkout_info.offer_rows
    kept, result = set(), {}
    for group in groups:
        rows = []
        for offer in offers.get(group.vendor.pk, []):
            same = next(
                (
                    row
                    for row in existing
                    if row.vendor_id == group.vendor.pk
                    and row.built_in_shipping_method_id == offer.method.pk
                    and row.price_amount == offer.price.amount
                    and row.name == offer.method.name
                ),
                None,
            )
            if same is None:
                same = CheckoutDelivery.objects.create(
                    checkout=checkout,
                    vendor_id=group.vendor.pk,
                    built_in_shipping_method_id=offer.method.pk,
                    name=offer.method.name,
                    description=_plain_text(offer.method.description),
                    currency=offer.price.currency,
                    price_amount=offer.price.amount,
                    minimum_delivery_days=offer.minimum_delivery_days,
                    maximum_delivery_days=offer.maximum_delivery_days,
                )
            kept.add(same.pk)
            rows.append(same)
        result[group.vendor.pk] = rows
    stale = [row.pk for row in existing if row.pk not in kept]
    if stale:
        CheckoutDelivery.objects.filter(pk__in=stale).update(is_valid=False)
    for group in checkout_info.groups:
        group.offers = result.get(group.vendor.pk, [])
    checkout_info.offer_rows = [row for rows in result.values() for row in rows]
    return result


def collection_points_for(checkout_info) -> dict[int, list]:
    """Per vendor of the cart: its pickup warehouses in the checkout's channel that can hand over
    the vendor's lines (``all``: any item; ``local``: only items in stock there)."""
    checkout = checkout_info.checkout
    vendor_ids = [group.vendor.pk for group in checkout_info.groups]
    warehouses = list(
        Warehouse.objects.filter(vendor_id__in=vendor_ids, channelwarehouse__channel_id=checkout.channel_id)
        .exclude(click_and_collect_option=WarehouseClickAndCollectOption.DISABLED)
        .select_related("address")
        .order_by("name", "pk")
    )
    local = [w.pk for w in warehouses if w.click_and_collect_option == WarehouseClickAndCollectOption.LOCAL_STOCK]
    stock = {}
    if local:
        variant_ids = [info.variant.pk for info in checkout_info.lines]
        for warehouse_id, variant_id, quantity, allocated in Stock.objects.filter(
            warehouse_id__in=local, product_variant_id__in=variant_ids
        ).values_list("warehouse_id", "product_variant_id", "quantity", "quantity_allocated"):
            stock[(warehouse_id, variant_id)] = quantity - allocated
    result: dict[int, list] = {vendor_id: [] for vendor_id in vendor_ids}
    for warehouse in warehouses:
        group = checkout_info.group(warehouse.vendor_id)
        if warehouse.click_and_collect_option == WarehouseClickAndCollectOption.LOCAL_STOCK and any(
            stock.get((warehouse.pk, info.variant.pk), 0) < info.line.quantity for info in group.lines
        ):
            continue
        result[warehouse.vendor_id].append(warehouse)
    return result


def set_delivery_method(token, *, delivery_id=None, warehouse_id=None) -> Checkout:
    """Choose, for the vendor it belongs to, a home-delivery offer (a ``CheckoutDelivery`` id) or a
    pickup warehouse; the other vendors' choices stay."""
    # No savepoint: callers run inside the mutation's transaction, and a failure undoes it all.
    with transaction.atomic(savepoint=False):
        checkout = lock_checkout(token)
        info = fetch_checkout_info(checkout)
        if delivery_id is not None:
            delivery = CheckoutDelivery.objects.filter(checkout=checkout, pk=delivery_id).first()
            if delivery is None:
                raise error("deliveryMethodId", "This delivery is not one of the checkout's.", Codes.NOT_FOUND)
            refresh_deliveries(info)
            if delivery.pk not in {row.pk for row in info.offer_rows}:
                raise error(
                    "deliveryMethodId",
                    "This delivery method no longer applies to the cart; calculate the options again.",
                    Codes.DELIVERY_METHOD_NOT_APPLICABLE,
                )
            group = info.group(delivery.vendor_id)
            if group is None or not group.is_shipping_required:
                raise error("deliveryMethodId", "This shop ships nothing in the cart.", Codes.SHIPPING_NOT_REQUIRED)
            CheckoutVendorDelivery.objects.update_or_create(
                checkout=checkout,
                vendor_id=delivery.vendor_id,
                defaults={"delivery": delivery, "collection_point": None},
            )
        elif warehouse_id is not None:
            points = collection_points_for(info)
            warehouse = next((w for ws in points.values() for w in ws if str(w.pk) == str(warehouse_id)), None)
            if warehouse is None:
                raise error(
                    "deliveryMethodId",
                    "This warehouse is not a pickup point for the items of the cart.",
                    Codes.DELIVERY_METHOD_NOT_APPLICABLE,
                )
            CheckoutVendorDelivery.objects.update_or_create(
                checkout=checkout,
                vendor_id=warehouse.vendor_id,
                defaults={"delivery": None, "collection_point": warehouse},
            )
        else:
            raise error("deliveryMethodId", "Give a delivery method.", Codes.REQUIRED)
    return checkout


def update_customer_note(token, note: str) -> Checkout:
    """The shopper's note to the shops, copied onto the order at completion."""
    # No savepoint: callers run inside the mutation's transaction, and a failure undoes it all.
    with transaction.atomic(savepoint=False):
        checkout = lock_checkout(token)
        checkout.note = note.strip()
        checkout.save(update_fields=["note", "last_change"])
    return checkout


def update_metadata(token, items: dict[str, str]) -> Checkout:
    """Add or overwrite public metadata keys (the storefront's consent flags); other keys are kept."""
    # No savepoint: callers run inside the mutation's transaction, and a failure undoes it all.
    with transaction.atomic(savepoint=False):
        checkout = lock_checkout(token)
        checkout.metadata = {**(checkout.metadata or {}), **items}
        checkout.save(update_fields=["metadata", "last_change"])
    return checkout
