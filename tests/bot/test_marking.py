"""Marking done: a reply with a file, the buttons, /xong; who may; undo; waive."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import date, timedelta

from scheduler.models import DONE, OPEN, WAIVED
from tests.bot.conftest import (
    PHAM,
    PHAM_CHAT,
    QMR,
    QMR_CHAT,
    REMIND_DAY,
    TCKH,
    TCKH_CHAT,
    BotWorld,
    until,
)
from tests.fakes.bot_updates import push_photo

PDF = b"%PDF-1.4\n% Bien ban DGNB so 12/BB-UBND\n" + bytes(range(256)) * 40


def _edited_in(world: BotWorld, chat_id: int, message_id: int) -> bool:
    return any(
        c.params.get("chat_id") == chat_id and c.params.get("message_id") == message_id
        for c in world.api.calls("editMessageText", ok=True)
    )


def _reminder(world: BotWorld, chat_id: int, message_id: int) -> dict[str, object]:
    return next(m for m in world.api.messages(chat_id) if m["message_id"] == message_id)


def test_it_marks_done_when_a_reminder_is_answered_with_a_pdf(bot_world: BotWorld) -> None:
    pham = bot_world.chat(PHAM_CHAT)

    async def scenario() -> tuple[str, int]:
        async with bot_world.running():
            await pham.link(bot_world.invite(PHAM))
            reminder = await bot_world.remind(bot_world.at(REMIND_DAY))
            assert "reply_markup" in _reminder(bot_world, PHAM_CHAT, reminder)
            bot_world.clock.advance(timedelta(hours=2))
            answer = await pham.send_file(
                PDF, "bien-ban-dgnb.pdf", reply_to=reminder, caption="Biên bản ĐGNB số 12/BB-UBND"
            )
            await until(lambda: _edited_in(bot_world, PHAM_CHAT, reminder), "the reminder edit")
            return answer, reminder

    answer, reminder = asyncio.run(scenario())
    assert "Đã ghi nhận hoàn thành" in answer and "I.3" in answer and "đúng hạn" in answer
    assert "bien-ban-dgnb.pdf" in answer and "thứ Năm, 29/08/2024" in answer
    occurrence = bot_world.occurrence()
    assert (occurrence.state, occurrence.closed_by) == (DONE, PHAM)
    (evidence,) = bot_world.evidence()
    assert (evidence.text, evidence.channel, evidence.on_behalf) == (
        "Biên bản ĐGNB số 12/BB-UBND",
        "telegram",
        False,
    )
    (stored,) = bot_world.files()
    digest = hashlib.sha256(PDF).hexdigest()
    assert (stored.sha256, stored.original_name, stored.size) == (
        digest,
        "bien-ban-dgnb.pdf",
        len(PDF),
    )
    assert (bot_world.data_dir / stored.stored_path).read_bytes() == PDF
    edited = _reminder(bot_world, PHAM_CHAT, reminder)
    assert "Đã hoàn thành" in str(edited["text"]) and "reply_markup" not in edited
    assert "I.3" in str(edited["text"])  # the original reminder is still readable above

    # The ladder stopped: a month of ticks writes nothing more for this occurrence.
    before = len(bot_world.notifications())
    day = REMIND_DAY + timedelta(days=1)
    while day <= date(2024, 9, 30):
        bot_world.ticker_tick(bot_world.at(day, 8))
        day += timedelta(days=1)
    assert len(bot_world.notifications()) == before
    assert all(n.state != "pending" for n in bot_world.notifications())


def test_it_marks_done_through_the_button_and_the_next_message(bot_world: BotWorld) -> None:
    pham = bot_world.chat(PHAM_CHAT)

    async def scenario() -> tuple[str, str, int]:
        async with bot_world.running():
            await pham.link(bot_world.invite(PHAM))
            reminder = await bot_world.remind(bot_world.at(REMIND_DAY))
            prompt = await pham.press(f"done:{bot_world.code}", message_id=reminder)
            answer = await pham.say("Báo cáo kết quả ĐGNB số 45/BC-UBND ngày 20/8")
            await until(lambda: _edited_in(bot_world, PHAM_CHAT, reminder), "the reminder edit")
            return prompt, answer, reminder

    prompt, answer, reminder = asyncio.run(scenario())
    assert bot_world.api.calls("answerCallbackQuery")
    assert "Gửi minh chứng cho việc" in prompt and bot_world.code in prompt
    prompt_message = bot_world.api.calls("sendMessage")[-2].params
    assert prompt_message["reply_markup"]["force_reply"] is True
    assert "Đã ghi nhận hoàn thành" in answer
    assert bot_world.occurrence().state == DONE
    (evidence,) = bot_world.evidence()
    assert evidence.text == "Báo cáo kết quả ĐGNB số 45/BC-UBND ngày 20/8"
    assert "reply_markup" not in _reminder(bot_world, PHAM_CHAT, reminder)


def test_it_accepts_a_photo_after_the_evidence_button(bot_world: BotWorld) -> None:
    pham = bot_world.chat(PHAM_CHAT)
    photo = b"\xff\xd8\xff\xe0 anh chup bien ban" * 100

    async def scenario() -> str:
        async with bot_world.running():
            await pham.link(bot_world.invite(PHAM))
            reminder = await bot_world.remind(bot_world.at(REMIND_DAY))
            await pham.press(f"evidence:{bot_world.code}", message_id=reminder)
            return await pham.answer(lambda: push_photo(bot_world.api, PHAM_CHAT, photo))

    assert "Đã ghi nhận hoàn thành" in asyncio.run(scenario())
    (stored,) = bot_world.files()
    assert stored.sha256 == hashlib.sha256(photo).hexdigest() and stored.mime_type == "image/jpeg"
    assert bot_world.evidence()[0].text == ""


def test_it_marks_done_with_the_xong_command_and_counts_days_late(bot_world: BotWorld) -> None:
    pham = bot_world.chat(PHAM_CHAT)
    bot_world.clock.set(bot_world.at(date(2024, 9, 4), 10))  # due 29/8; 2/9 and 3/9 are holidays

    async def scenario() -> str:
        async with bot_world.running():
            await pham.link(bot_world.invite(PHAM))
            return await pham.say(f"/xong {bot_world.code.lower()} Quyết định số 7/QĐ-UBND")

    answer = asyncio.run(scenario())
    late = bot_world.ctx.calendar.working_days_between(date(2024, 8, 29), date(2024, 9, 4))
    assert f"trễ {late} ngày làm việc" in answer and late > 0
    assert bot_world.occurrence().state == DONE


def test_it_lets_a_monitor_close_on_behalf_of_the_lead(bot_world: BotWorld) -> None:
    async def scenario() -> str:
        async with bot_world.running():
            qmr = bot_world.chat(QMR_CHAT)
            await qmr.link(bot_world.invite(QMR))
            return await qmr.say(f"/xong {bot_world.code} Đã kiểm tra hồ sơ ĐGNB")

    assert "thay mặt đơn vị chủ trì" in asyncio.run(scenario())
    (evidence,) = bot_world.evidence()
    assert (evidence.person_id, evidence.on_behalf) == (QMR, True)


def test_it_refuses_a_person_of_another_unit_before_downloading(bot_world: BotWorld) -> None:
    tckh = bot_world.chat(TCKH_CHAT)

    async def scenario() -> list[str]:
        async with bot_world.running():
            await tckh.link(bot_world.invite(TCKH))
            return [
                await tckh.say(f"/xong {bot_world.code} Biên bản"),
                await tckh.send_file(PDF, "x.pdf", caption=f"/xong {bot_world.code}"),
                await tckh.press(f"done:{bot_world.code}", message_id=1),
            ]

    answers = asyncio.run(scenario())
    assert all("Hồ Thị Hạnh không thuộc đơn vị chủ trì" in a for a in answers)
    assert bot_world.occurrence().state == OPEN and bot_world.evidence() == []
    assert bot_world.api.calls("getFile") == [] and bot_world.files() == []
    assert len(bot_world.audit("telegram-refused")) == 3


def test_it_undoes_the_last_mark_and_restores_the_buttons(bot_world: BotWorld) -> None:
    pham = bot_world.chat(PHAM_CHAT)

    async def scenario() -> tuple[str, int]:
        async with bot_world.running():
            await pham.link(bot_world.invite(PHAM))
            reminder = await bot_world.remind(bot_world.at(REMIND_DAY))
            await pham.say("/xong Biên bản số 3", reply_to=reminder)
            bot_world.clock.advance(timedelta(hours=1))
            answer = await pham.say("/hoantac")
            await until(
                lambda: "reply_markup" in _reminder(bot_world, PHAM_CHAT, reminder),
                "the buttons back on the reminder",
            )
            return answer, reminder

    answer, reminder = asyncio.run(scenario())
    assert "Đã hoàn tác" in answer and bot_world.code in answer
    assert bot_world.occurrence().state == OPEN
    assert bot_world.evidence()[0].undone_at is not None
    assert "Đã hoàn tác" in str(_reminder(bot_world, PHAM_CHAT, reminder)["text"])


def test_it_lets_only_the_qmr_waive(bot_world: BotWorld) -> None:
    async def scenario() -> tuple[str, str]:
        async with bot_world.running():
            pham, qmr = bot_world.chat(PHAM_CHAT), bot_world.chat(QMR_CHAT)
            await pham.link(bot_world.invite(PHAM))
            await qmr.link(bot_world.invite(QMR))
            refused = await pham.say(f"/mien {bot_world.code} Không tổ chức năm nay")
            waived = await qmr.say(f"/mien {bot_world.code} Gộp với đợt đánh giá của tỉnh")
            return refused, waived

    refused, waived = asyncio.run(scenario())
    assert "Chỉ Đại diện lãnh đạo về chất lượng (QMR)" in refused
    assert "Đã miễn việc" in waived and "Gộp với đợt đánh giá của tỉnh" in waived
    occurrence = bot_world.occurrence()
    assert (occurrence.state, occurrence.waiver_reason) == (WAIVED, "Gộp với đợt đánh giá của tỉnh")


def test_it_edits_the_reminder_again_after_a_429(bot_world: BotWorld) -> None:
    """A rate-limited edit is retried, so a closed task's reminder loses its buttons."""
    pham = bot_world.chat(PHAM_CHAT)

    async def scenario() -> int:
        async with bot_world.running():
            await pham.link(bot_world.invite(PHAM))
            reminder = await bot_world.remind(bot_world.at(REMIND_DAY))
            bot_world.api.fail("editMessageText", 429, retry_after=1)
            await pham.say("/xong Biên bản số 3", reply_to=reminder)
            await until(lambda: _edited_in(bot_world, PHAM_CHAT, reminder), "the second edit")
            return reminder

    reminder = asyncio.run(scenario())
    edits = [(c.params.get("message_id"), c.status) for c in bot_world.api.calls("editMessageText")]
    limited = [message for message, status in edits if status == 429]
    assert len(limited) == 1, edits
    assert edits[edits.index((limited[0], 429)) + 1] == (limited[0], 200), "edited again"
    assert "reply_markup" not in _reminder(bot_world, PHAM_CHAT, reminder)
