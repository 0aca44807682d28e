"""The account's life: log-in and tokens, registration and confirmation, passwords, profile, deletion.

Every service validates, writes and returns; it raises ``ValidationError({field: ...})`` with
AccountErrorCode values, which the API turns into ``AccountError``s. E-mails leave through the
Celery tasks of tasks.py once the transaction commits. The address book is in address_book.py.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import jwt as pyjwt
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http.request import validate_host
from django.utils import timezone

from saleor_ext.channel.models import Channel
from saleor_ext.core.errors import validation_error as _error
from saleor_ext.site.models import SiteSettings

from . import jwt, signals, tasks
from .address import address_from_input, clean_address
from .emails import email_language, link
from .error_codes import AccountErrorCode
from .models import Address, User, _new_jwt_key
from .tokens import (
    account_confirmation_token_generator,
    account_deletion_token_generator,
    password_reset_token_generator,
)

logger = logging.getLogger(__name__)

PASSWORD_CODES = {
    AccountErrorCode.PASSWORD_TOO_SHORT.value,
    AccountErrorCode.PASSWORD_TOO_COMMON.value,
    AccountErrorCode.PASSWORD_ENTIRELY_NUMERIC.value,
    AccountErrorCode.PASSWORD_TOO_SIMILAR.value,
}
BILLING, SHIPPING = "billing", "shipping"


@dataclass(frozen=True)
class IssuedTokens:
    access_token: str
    refresh_token: str
    csrf_token: str


def _jwt_error(field: str, error: pyjwt.PyJWTError) -> ValidationError:
    if isinstance(error, pyjwt.ExpiredSignatureError):
        code, message = AccountErrorCode.JWT_SIGNATURE_EXPIRED, "Signature has expired."
    elif isinstance(error, pyjwt.DecodeError):
        code, message = AccountErrorCode.JWT_DECODE_ERROR, "Error decoding signature."
    else:
        code, message = AccountErrorCode.JWT_INVALID_TOKEN, str(error) or "Invalid token."
    return _error(field, message, code)


def authenticate_by_credentials(*, email: str, password: str) -> User:
    """The user who may log in with these credentials; a ValidationError on field ``email`` otherwise."""
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        # Hash anyway so that response time does not tell which e-mails have accounts.
        User().set_password(password)
        raise _error("email", "Please, enter valid credentials", AccountErrorCode.INVALID_CREDENTIALS)
    if not user.check_password(password):
        raise _error("email", "Please, enter valid credentials", AccountErrorCode.INVALID_CREDENTIALS)
    if not user.is_confirmed and not SiteSettings.get().allow_login_without_confirmation:
        raise _error("email", "Account needs to be confirmed via email.", AccountErrorCode.ACCOUNT_NOT_CONFIRMED)
    if not user.is_active:
        raise _error("email", "Account inactive.", AccountErrorCode.INACTIVE)
    return user


def issue_tokens(*, user: User, issuer: str, audience: str | None = None) -> IssuedTokens:
    """A new access/refresh pair; the refresh token is bound to a fresh CSRF token."""
    csrf_token = secrets.token_urlsafe(32)
    tokens = IssuedTokens(
        access_token=jwt.create_access_token(user, issuer=issuer, audience=audience),
        refresh_token=jwt.create_refresh_token(user, issuer=issuer, csrf_token=csrf_token, audience=audience),
        csrf_token=csrf_token,
    )
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    return tokens


def refresh_access_token(
    *, refresh_token: str | None, csrf_token: str | None, cookie_token: str | None, issuer: str
) -> tuple[str, User]:
    """A new access token from a refresh token.

    A token passed as an argument is enough on its own; one taken from the cookie must come with
    the CSRF token it was issued with, because browsers send cookies on cross-site requests too.
    """
    token = refresh_token or cookie_token
    if not token:
        raise _error("refresh_token", "Missing refreshToken", AccountErrorCode.JWT_MISSING_TOKEN)
    try:
        payload = jwt.decode_token(token)
        user = jwt.get_user_from_payload(payload, token_types=(jwt.REFRESH,))
    except pyjwt.PyJWTError as error:
        raise _jwt_error("refresh_token", error) from None
    if not refresh_token:
        expected = str(payload.get("csrfToken") or "")
        if not csrf_token or not expected or not hmac.compare_digest(csrf_token, expected):
            raise _error("csrf_token", "Invalid csrf token", AccountErrorCode.JWT_INVALID_CSRF_TOKEN)
    audience = payload.get("aud")
    if isinstance(audience, str) and audience.startswith("custom:"):
        audience = audience.removeprefix("custom:")
    else:
        audience = None
    return jwt.create_access_token(user, issuer=issuer, audience=audience), user


def verify_token(*, token: str) -> tuple[User, dict[str, Any]]:
    """The user and claims of a valid access or refresh token."""
    try:
        payload = jwt.decode_token(token)
        user = jwt.get_user_from_payload(payload, token_types=(jwt.ACCESS, jwt.REFRESH))
    except pyjwt.PyJWTError as error:
        raise _jwt_error("token", error) from None
    return user, payload


def deactivate_all_tokens(*, user: User) -> None:
    """Revoke every token issued so far for ``user`` (log out everywhere)."""
    user.jwt_token_key = _new_jwt_key()
    user.save(update_fields=["jwt_token_key", "updated_at"])


# --- shared checks ---------------------------------------------------------------------------------


def confirmation_required() -> bool:
    """Whether a new account must be confirmed from the link e-mailed to it."""
    return bool(getattr(settings, "ENABLE_ACCOUNT_CONFIRMATION_BY_EMAIL", True))


def validate_redirect_url(url: str, *, field: str = "redirect_url") -> str:
    """An absolute http(s) URL on a host of ``ALLOWED_CLIENT_HOSTS`` (``*`` allows any, ``.x.be`` subdomains)."""
    parts = urlsplit(url or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _error(field, "Enter a valid absolute URL (https://…).", AccountErrorCode.INVALID)
    allowed = getattr(settings, "ALLOWED_CLIENT_HOSTS", ["*"])
    if not validate_host(parts.hostname, allowed):
        raise _error(field, f"Links to {parts.hostname} are not allowed.", AccountErrorCode.INVALID)
    return url


def validate_channel(slug: str | None):
    """The active channel named ``slug``; ``None`` when no slug is given."""
    if not slug:
        return None
    channel = Channel.objects.filter(slug=slug).first()
    if channel is None:
        raise _error("channel", f"Channel with '{slug}' slug does not exist.", AccountErrorCode.NOT_FOUND)
    if not channel.is_active:
        raise _error("channel", f"Channel '{slug}' is inactive.", AccountErrorCode.CHANNEL_INACTIVE)
    return channel


def validate_new_password(password: str, user: User, *, field: str = "password") -> None:
    """Django's password validators; their codes are AccountErrorCode's (password_too_short…)."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        errors = [
            ValidationError(e.messages[0], code=e.code if e.code in PASSWORD_CODES else "invalid_password")
            for e in error.error_list
        ]
        raise ValidationError({field: errors}) from None


def language_code_value(code: str | None, request_language: str | None = None) -> str:
    """A LanguageCodeEnum value (``FR_BE``) as the model stores it (``fr-be``); else the request's language."""
    if code:
        return str(code).lower().replace("_", "-")
    return (request_language or settings.LANGUAGE_CODE).lower()


def merge_metadata(current: dict | None, items: list | dict | None) -> dict:
    """Metadata after an update: given keys are set, the others kept."""
    merged = dict(current or {})
    if isinstance(items, dict):
        merged.update(items)
    else:
        merged.update({item["key"]: item["value"] for item in items or ()})
    return merged


def find_user(email: str) -> User | None:
    return User.objects.filter(email__iexact=(email or "").strip()).first()


def _queue_email(task, user: User, url: str, language: str) -> None:
    """Send an e-mail once the transaction commits; a failing send is logged, the change stays."""
    args = (user.pk, url, language)

    def send():
        try:
            task.delay(*args)
        except Exception:
            logger.exception("Could not send the account e-mail %s", task.name)

    transaction.on_commit(send)


def _collect(errors: dict[str, list[ValidationError]], check: Callable[[], Any]) -> Any:
    """Run ``check``; its field errors are added to ``errors`` so that one answer lists them all."""
    try:
        return check()
    except ValidationError as error:
        for field, field_errors in error.error_dict.items():
            errors.setdefault(field, []).extend(field_errors)
        return None


# --- registration and confirmation -----------------------------------------------------------------


def register_account(
    *,
    email: str,
    password: str,
    first_name: str | None = None,
    last_name: str | None = None,
    language_code: str | None = None,
    channel: str | None = None,
    redirect_url: str | None = None,
    metadata: list | dict | None = None,
    request_language: str | None = None,
) -> tuple[User, bool]:
    """Create a shopper's account; returns it and whether it waits for its e-mailed confirmation."""
    requires_confirmation = confirmation_required()
    email = User.objects.normalize_email((email or "").strip()).lower()
    errors: dict[str, list[ValidationError]] = {}
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [ValidationError("Enter a valid email address.", code=AccountErrorCode.INVALID.value)]
    else:
        if find_user(email) is not None:
            errors["email"] = [
                ValidationError("A user with this email already exists.", code=AccountErrorCode.UNIQUE.value)
            ]
    if redirect_url:
        _collect(errors, lambda: validate_redirect_url(redirect_url))
    elif requires_confirmation:
        errors["redirect_url"] = [
            ValidationError(
                "Give the page the confirmation link leads to.", code=AccountErrorCode.REQUIRED.value
            )
        ]
    _collect(errors, lambda: validate_channel(channel))
    candidate = User(email=email, first_name=first_name or "", last_name=last_name or "")
    _collect(errors, lambda: validate_new_password(password, candidate))
    if errors:
        raise ValidationError(errors)

    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email,
                password,
                first_name=first_name or "",
                last_name=last_name or "",
                language_code=language_code_value(language_code, request_language),
                is_confirmed=not requires_confirmation,
                metadata=merge_metadata({}, metadata),
            )
    except IntegrityError:
        # Two registrations of one address at the same moment: the second one loses.
        raise _error("email", "A user with this email already exists.", AccountErrorCode.UNIQUE) from None
    if requires_confirmation:
        token = account_confirmation_token_generator.make_token(user)
        url = link(redirect_url, email=user.email, token=token)
        _queue_email(
            tasks.send_account_confirmation_email_task, user, url, email_language(user.language_code, request_language)
        )
    return user, requires_confirmation


def confirm_account(*, email: str, token: str, password: str | None = None) -> User:
    """Confirm the account from its e-mailed token (and set its password when one is given)."""
    user = find_user(email)
    if user is None or not account_confirmation_token_generator.check_token(user, token):
        # The same answer for an unknown e-mail: the mutation does not tell who has an account.
        raise _error("token", "Invalid or expired token.", AccountErrorCode.INVALID)
    if password:
        validate_new_password(password, user)
        user.set_password(password)
    user.is_confirmed = True
    user.save(update_fields=["is_confirmed", "password", "updated_at"])
    signals.email_proven.send(sender=User, user=user)
    return user


# --- passwords -------------------------------------------------------------------------------------


def request_password_reset(
    *, email: str, redirect_url: str, channel: str | None = None, request_language: str | None = None
) -> None:
    """E-mail a reset link to the account, if there is one: the answer is the same either way."""
    errors: dict[str, list[ValidationError]] = {}
    _collect(errors, lambda: validate_redirect_url(redirect_url))
    _collect(errors, lambda: validate_channel(channel))
    if errors:
        raise ValidationError(errors)
    user = find_user(email)
    if user is None or not user.is_active:
        return
    token = password_reset_token_generator.make_token(user)
    url = link(redirect_url, email=user.email, token=token)
    language = email_language(user.language_code, request_language)
    _queue_email(tasks.send_password_reset_email_task, user, url, language)


def set_password(*, email: str, token: str, password: str) -> User:
    """A new password from the e-mailed reset token; earlier tokens and sessions stop working."""
    user = find_user(email)
    if user is None or not user.is_active or not password_reset_token_generator.check_token(user, token):
        raise _error("token", "Invalid or expired token.", AccountErrorCode.INVALID)
    validate_new_password(password, user)
    user.set_password(password)
    # The link reached the mailbox: the address is the user's.
    user.is_confirmed = True
    user.jwt_token_key = _new_jwt_key()
    user.save(update_fields=["password", "is_confirmed", "jwt_token_key", "updated_at"])
    signals.email_proven.send(sender=User, user=user)
    return user


def change_password(*, user: User, new_password: str, old_password: str | None = None) -> User:
    """Change the logged-in user's password; the current one is needed when the account has one."""
    if user.has_usable_password() and not user.check_password(old_password or ""):
        raise _error("old_password", "Old password isn't valid.", AccountErrorCode.INVALID_PASSWORD)
    validate_new_password(new_password, user, field="new_password")
    user.set_password(new_password)
    # Tokens stay valid: the storefront that sent this keeps its session (setPassword revokes them).
    user.save(update_fields=["password", "updated_at"])
    return user


# --- profile ---------------------------------------------------------------------------------------


def _clean_typed_address(data: dict, address_type: str) -> dict:
    try:
        return clean_address(data)
    except ValidationError as error:
        # Both default addresses may come in one input: each error says which one it is about.
        raise ValidationError(
            {
                field: [
                    ValidationError(e.message, code=e.code, params={**(e.params or {}), "address_type": address_type})
                    for e in field_errors
                ]
                for field, field_errors in error.error_dict.items()
            }
        ) from None


def update_account(
    *,
    user: User,
    first_name: str | None = None,
    last_name: str | None = None,
    language_code: str | None = None,
    default_billing_address: dict | None = None,
    default_shipping_address: dict | None = None,
    metadata: list | dict | None = None,
) -> User:
    """Update the profile; a default address given here is validated, added to the book and made default."""
    errors: dict[str, list[ValidationError]] = {}
    addresses = {}
    for address_type, data in ((BILLING, default_billing_address), (SHIPPING, default_shipping_address)):
        if data is not None:
            cleaned = _collect(errors, lambda d=data, t=address_type: _clean_typed_address(d, t))
            if cleaned is not None:
                addresses[address_type] = cleaned
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if first_name is not None:
            user.first_name = first_name.strip()
        if last_name is not None:
            user.last_name = last_name.strip()
        if language_code is not None:
            user.language_code = language_code_value(language_code)
        if metadata is not None:
            user.metadata = merge_metadata(user.metadata, metadata)
        for address_type, cleaned in addresses.items():
            address = address_from_input(cleaned)
            address.save()
            user.addresses.add(address)
            setattr(user, f"default_{address_type}_address", address)
        user.save()
    return user


# --- deletion --------------------------------------------------------------------------------------


def request_account_deletion(
    *, user: User, redirect_url: str, channel: str | None = None, request_language: str | None = None
) -> None:
    """E-mail the logged-in user a link that confirms the deletion of their account."""
    errors: dict[str, list[ValidationError]] = {}
    _collect(errors, lambda: validate_redirect_url(redirect_url))
    _collect(errors, lambda: validate_channel(channel))
    if errors:
        raise ValidationError(errors)
    token = account_deletion_token_generator.make_token(user)
    url = link(redirect_url, token=token)
    language = email_language(user.language_code, request_language)
    _queue_email(tasks.send_account_deletion_email_task, user, url, language)


def delete_account(*, user: User, token: str) -> None:
    """Delete the logged-in user's account and address book with the e-mailed token.

    Orders and payments keep their own copies of the addresses and lose only the link to the user.
    """
    if not account_deletion_token_generator.check_token(user, token):
        raise _error("token", "Invalid or expired token.", AccountErrorCode.INVALID)
    if user.is_superuser:
        raise _error(None, "A superuser account cannot delete itself.", AccountErrorCode.DELETE_SUPERUSER_ACCOUNT)
    if user.is_staff:
        raise _error(None, "Staff accounts are removed from the back-office.", AccountErrorCode.DELETE_STAFF_ACCOUNT)
    with transaction.atomic():
        address_ids = list(user.addresses.values_list("pk", flat=True))
        user.delete()
        Address.objects.filter(pk__in=address_ids).delete()
