"""What a permanent failure leaves: problem rows, their resolution, the email fallback."""

from __future__ import annotations

from scheduler.db import session_scope
from scheduler.models import (
    FAILED,
    SENT,
    TelegramLink,
)
from tests.notifications.outbox_world import AN, BINH, DUNG, NOW, Outbox


def test_it_fails_a_bounced_address_and_flags_the_person(outbox: Outbox) -> None:
    row_id = outbox.add(BINH, "email")
    outbox.smtp.fail("rcpt", 550, "5.1.1 Mailbox does not exist")

    assert outbox.dispatch().failed == 1

    assert outbox.row(row_id).state == FAILED
    assert outbox.problems() == [(BINH, "email", "bounced", True)]
    assert outbox.smtp.messages == []


def test_it_falls_back_to_email_when_the_bot_is_blocked(outbox: Outbox) -> None:
    row_id = outbox.add(AN, "telegram")  # a Telegram-only step
    outbox.bot_api.fail("sendMessage", 403)

    summary = outbox.dispatch()

    assert (summary.failed, summary.fallbacks, summary.sent) == (1, 1, 1)
    blocked = outbox.row(row_id)
    fallback = outbox.rows()[-1]
    assert blocked.state == FAILED and "blocked" in (blocked.last_error or "")
    assert fallback.key == blocked.key + "/email-fallback"
    assert fallback.channel == "email" and fallback.state == SENT
    assert outbox.problems() == [(AN, "telegram", "blocked", True)]
    [mail] = outbox.smtp.messages
    assert mail.rcpt_tos == ["an.nv@namdong.example.vn"]


def test_it_does_not_fall_back_when_the_step_already_emails_the_person(outbox: Outbox) -> None:
    outbox.add(AN, "email")
    outbox.add(AN, "telegram")
    outbox.bot_api.fail("sendMessage", 403)

    summary = outbox.dispatch()

    assert summary.fallbacks == 0
    assert len(outbox.rows()) == 2
    assert len(outbox.smtp.messages) == 1


def test_it_flags_people_who_have_no_address_for_a_channel(outbox: Outbox) -> None:
    email_id = outbox.add(DUNG, "email")
    telegram_id = outbox.add(DUNG, "telegram")

    assert outbox.dispatch().failed == 2

    assert outbox.row(email_id).state == outbox.row(telegram_id).state == FAILED
    assert sorted(outbox.problems()) == [
        (DUNG, "email", "no-channel", True),
        (DUNG, "telegram", "no-channel", True),
    ]
    assert outbox.smtp.connections == 0 and outbox.bot_api.requests == []


def test_it_marks_a_problem_resolved_when_a_later_send_succeeds(outbox: Outbox) -> None:
    outbox.add(BINH, "email", level=1)
    outbox.smtp.fail("rcpt", 550)
    outbox.dispatch()
    outbox.add(BINH, "email", level=2)

    outbox.dispatch()

    assert outbox.problems() == [(BINH, "email", "bounced", False)]


def test_it_uses_the_chat_linked_through_the_bot(outbox: Outbox) -> None:
    row_id = outbox.add(BINH, "telegram")
    with session_scope(outbox.db) as session:
        session.add(TelegramLink(chat_id=2002, person_id=BINH, linked_at=NOW))

    outbox.dispatch()

    assert outbox.row(row_id).external_id == "2002:1"


def test_it_fails_a_row_for_someone_no_longer_in_the_directory(outbox: Outbox) -> None:
    row_id = outbox.add("nguoi-da-chuyen-cong-tac", "email")

    outbox.dispatch()

    assert outbox.row(row_id).state == FAILED
    assert outbox.problems() == [("nguoi-da-chuyen-cong-tac", "email", "unknown-person", True)]


def test_it_never_creates_a_second_fallback_for_the_same_row(outbox: Outbox) -> None:
    blocked = outbox.add(AN, "telegram")
    key = outbox.row(blocked).key
    outbox.add(AN, "email", key=key + "/email-fallback", state="cancelled")
    outbox.bot_api.fail("sendMessage", 403)

    summary = outbox.dispatch()

    assert summary.failed == 1 and summary.fallbacks == 0
    assert outbox.row(blocked).state == FAILED  # recorded, not stuck in 'sending'
