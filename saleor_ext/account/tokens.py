"""One-time tokens sent by e-mail: account confirmation, password reset, account deletion.

Each purpose has its own generator (its own salt), so a token made for one cannot serve another.
Tokens expire after ``settings.PASSWORD_RESET_TIMEOUT`` (three days by default) and die as soon as
the state they were made for changes: a confirmed account, a new password, a deactivated account.
"""

from __future__ import annotations

from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator


class AccountConfirmationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "saleor_ext.account.tokens.AccountConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp) -> str:
        # Confirming the account (or changing its e-mail) spends the token.
        return f"{user.pk}{user.email}{user.is_confirmed}{timestamp}"


class AccountDeletionTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "saleor_ext.account.tokens.AccountDeletionTokenGenerator"

    def _make_hash_value(self, user, timestamp) -> str:
        return f"{user.pk}{user.email}{user.password}{user.is_active}{timestamp}"


account_confirmation_token_generator = AccountConfirmationTokenGenerator()
account_deletion_token_generator = AccountDeletionTokenGenerator()
# Django's own: bound to the password hash and the last login, so a reset link works once.
password_reset_token_generator = default_token_generator
