"""The final fallback goes both ways: a Telegram row that can never arrive goes by email,
and an email that finally fails (a 5xx, or the retry budget spent) goes to the person's
Telegram when it is linked; the failure stays open as a delivery problem for the QMR."""

from __future__ import annotations

from datetime import timedelta

from scheduler.db import session_scope
from scheduler.models import FAILED, SENT, TelegramLink
from tests.notifications.outbox_world import AN, BINH, NOW, Outbox


def test_it_falls_back_to_telegram_when_the_address_bounces(outbox: Outbox) -> None:
    row_id = outbox.add(AN, "email")
    outbox.smtp.fail("rcpt", 550, "5.1.1 Mailbox does not exist")

    summary = outbox.dispatch()

    assert (summary.failed, summary.fallbacks, summary.sent) == (1, 1, 1)
    bounced, fallback = outbox.row(row_id), outbox.rows()[-1]
    assert bounced.state == FAILED
    assert fallback.key == bounced.key + "/telegram-fallback"
    assert fallback.channel == "telegram" and fallback.state == SENT
    assert fallback.external_id == "1001:1"
    assert outbox.problems() == [(AN, "email", "bounced", True)], "reported, still open"


def test_it_falls_back_to_telegram_when_the_retry_budget_is_spent(outbox: Outbox) -> None:
    row_id = outbox.add(AN, "email")
    outbox.smtp.fail("rcpt", 451, times=None)

    summary = outbox.dispatch(retry_budget=timedelta(0))

    assert summary.fallbacks == 1
    assert outbox.row(row_id).state == FAILED
    assert [(r.channel, r.state) for r in outbox.rows()[1:]] == [("telegram", SENT)]
    assert (AN, "email", "gave-up", True) in outbox.problems()


def test_it_uses_the_chat_linked_through_the_bot_for_the_fallback(outbox: Outbox) -> None:
    row_id = outbox.add(BINH, "email")  # no chat in the directory: linked through the bot
    with session_scope(outbox.db) as session:
        session.add(TelegramLink(chat_id=2002, person_id=BINH, linked_at=NOW))
    outbox.smtp.fail("rcpt", 550)

    outbox.dispatch()

    assert outbox.row(row_id).state == FAILED
    assert outbox.rows()[-1].external_id == "2002:1"


def test_it_does_not_fall_back_without_a_linked_telegram(outbox: Outbox) -> None:
    outbox.add(BINH, "email")
    outbox.smtp.fail("rcpt", 550)

    summary = outbox.dispatch()

    assert summary.fallbacks == 0 and len(outbox.rows()) == 1
    assert outbox.problems() == [(BINH, "email", "bounced", True)]


def test_it_never_bounces_a_fallback_back_again(outbox: Outbox) -> None:
    outbox.add(AN, "email")
    outbox.smtp.fail("rcpt", 550)
    outbox.bot_api.fail("sendMessage", 403)

    summary = outbox.dispatch()

    assert (summary.failed, summary.fallbacks) == (2, 1)
    assert len(outbox.rows()) == 2, "the Telegram fallback failed: no email fallback of it"
    assert sorted(outbox.problems()) == [
        (AN, "email", "bounced", True),
        (AN, "telegram", "blocked", True),
    ]
