"""Celery tasks of the account domain: send its e-mails (in-process when no broker is configured).

They take the user's id, the link and the language, never model instances, so a worker can run them.
"""

from __future__ import annotations

from celery import shared_task

from . import emails
from .models import User


def _send(kind: str, user_id: int, url: str, language: str) -> None:
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    emails.send_account_email(kind, email=user.email, first_name=user.first_name, url=url, language=language)


@shared_task(name="saleor_ext.account.tasks.send_account_confirmation_email_task")
def send_account_confirmation_email_task(user_id: int, url: str, language: str) -> None:
    _send(emails.ACCOUNT_CONFIRMATION, user_id, url, language)


@shared_task(name="saleor_ext.account.tasks.send_password_reset_email_task")
def send_password_reset_email_task(user_id: int, url: str, language: str) -> None:
    _send(emails.PASSWORD_RESET, user_id, url, language)


@shared_task(name="saleor_ext.account.tasks.send_account_deletion_email_task")
def send_account_deletion_email_task(user_id: int, url: str, language: str) -> None:
    _send(emails.ACCOUNT_DELETION, user_id, url, language)
