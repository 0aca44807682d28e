"""The account e-mails (confirm the account, reset the password, confirm the deletion), in FR, NL or EN.

Templates live in ``templates/account/emails/<language>/<kind>_subject.txt`` and ``<kind>.txt``.
Links are built from the storefront's ``redirectUrl`` with ``email`` and ``token`` added to its query.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string

from saleor_ext.site.models import SiteSettings

EMAIL_LANGUAGES = ("fr", "nl", "en")
ACCOUNT_CONFIRMATION = "account_confirmation"
PASSWORD_RESET = "password_reset"
ACCOUNT_DELETION = "account_deletion"
KINDS = (ACCOUNT_CONFIRMATION, PASSWORD_RESET, ACCOUNT_DELETION)


def email_language(user_language: str | None, request_language: str | None = None) -> str:
    """The user's language when we write in it, else the request's, else the site's default."""
    for code in (user_language, request_language, settings.LANGUAGE_CODE):
        short = (code or "")[:2].lower()
        if short in EMAIL_LANGUAGES:
            return short
    return "en"


def link(redirect_url: str, **params: str) -> str:
    """``redirect_url`` with ``params`` added to its query string (existing parameters kept)."""
    parts = urlsplit(redirect_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in params]
    query += list(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def send_account_email(kind: str, *, email: str, first_name: str, url: str, language: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"Unknown account e-mail: {kind}")
    language = email_language(language)
    context = {"first_name": first_name, "email": email, "url": url, "site_name": SiteSettings.get().name}
    subject = render_to_string(f"account/emails/{language}/{kind}_subject.txt", context)
    body = render_to_string(f"account/emails/{language}/{kind}.txt", context)
    # A subject is one line whatever the template's trailing newline.
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [email])
