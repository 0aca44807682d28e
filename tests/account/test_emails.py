"""The account e-mails exist in FR, NL and EN, carry their link unescaped and go out through Celery tasks."""

from __future__ import annotations

import pytest
from django.core import mail

from saleor_ext.account import tasks
from saleor_ext.account.emails import KINDS, email_language, link, send_account_email

URL = "https://shop.reemploi.example/confirm?email=anne%40example.be&token=abc-123"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["fr", "nl", "en"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_mail_exists_in_every_language(kind, language):
    send_account_email(kind, email="anne@example.be", first_name="Anne", url=URL, language=language)

    message = mail.outbox[0]
    assert message.to == ["anne@example.be"]
    assert "\n" not in message.subject and "Reuse marketplace" in message.subject
    # The link is the text's own, not HTML-escaped (&amp; would break it).
    assert URL in message.body
    assert "Anne" in message.body


@pytest.mark.django_db
def test_the_three_languages_differ():
    for language in ("fr", "nl", "en"):
        send_account_email("password_reset", email="a@example.be", first_name="", url=URL, language=language)
    subjects = [message.subject for message in mail.outbox]
    assert len(set(subjects)) == 3
    assert mail.outbox[2].body.startswith("Hello,")


@pytest.mark.parametrize(
    ("user_language", "request_language", "expected"),
    [("nl-be", "fr", "nl"), ("de", "en", "en"), ("", "nl", "nl"), (None, None, "fr"), ("de", "es", "fr")],
)
def test_email_language(user_language, request_language, expected):
    assert email_language(user_language, request_language) == expected


def test_link_keeps_the_pages_own_parameters():
    assert link("https://shop.example/reset?next=/cart&token=old", email="a@b.be", token="t-1") == (
        "https://shop.example/reset?next=%2Fcart&email=a%40b.be&token=t-1"
    )


@pytest.mark.django_db
def test_the_tasks_read_the_user_when_they_run(shopper):
    tasks.send_password_reset_email_task.delay(shopper.pk, URL, "nl")
    assert mail.outbox[0].to == [shopper.email]
    assert mail.outbox[0].body.startswith("Hallo Anne,")

    # A user deleted in the meantime gets nothing, and nothing fails.
    tasks.send_account_confirmation_email_task.delay(shopper.pk + 1000, URL, "fr")
    assert len(mail.outbox) == 1
