"""Asking: /viec, /quahan, /chitiet, the 📋 button, /trogiup; and a unit's group chat."""

from __future__ import annotations

import asyncio
from datetime import date

from scheduler.models import DONE
from tests.bot.conftest import (
    KTHT_GROUP,
    PHAM,
    PHAM_CHAT,
    REMIND_DAY,
    TCKH,
    TCKH_CHAT,
    BotWorld,
)


def test_it_lists_my_open_tasks_by_due_date_with_codes(bot_world: BotWorld) -> None:
    bot_world.close_all_due_before(date(2024, 8, 20))
    bot_world.clock.set(bot_world.at(date(2024, 8, 26)))

    async def scenario() -> str:
        async with bot_world.running():
            pham = bot_world.chat(PHAM_CHAT)
            await pham.link(bot_world.invite(PHAM))
            return await pham.say("/viec")

    answer = asyncio.run(scenario())
    assert "Việc đang mở của Phòng Kinh tế và Hạ tầng" in answer
    assert bot_world.code in answer and "29/08/2024, sắp đến hạn" in answer
    dates = [line.split("hạn ")[1][:10] for line in answer.splitlines() if line.startswith("•")]
    days = [date(int(d[6:]), int(d[3:5]), int(d[:2])) for d in dates]
    assert days == sorted(days) and len(days) <= 20


def test_it_lists_overdue_tasks_i_lead_or_monitor(bot_world: BotWorld) -> None:
    bot_world.close_all_due_before(date(2024, 8, 20))
    bot_world.clock.set(bot_world.at(date(2024, 9, 10)))

    async def scenario() -> tuple[str, str]:
        async with bot_world.running():
            pham, tckh = bot_world.chat(PHAM_CHAT), bot_world.chat(TCKH_CHAT)
            await pham.link(bot_world.invite(PHAM))
            await tckh.link(bot_world.invite(TCKH))
            return await pham.say("/quahan"), await tckh.say("/quahan")

    mine, theirs = asyncio.run(scenario())
    assert bot_world.code in mine and "quá hạn" in mine
    assert bot_world.code not in theirs


def test_it_shows_an_occurrence_with_its_history(bot_world: BotWorld) -> None:
    pham = bot_world.chat(PHAM_CHAT)

    async def scenario() -> tuple[str, str]:
        async with bot_world.running():
            await pham.link(bot_world.invite(PHAM))
            reminder = await bot_world.remind(bot_world.at(REMIND_DAY))
            from_button = await pham.press(f"detail:{bot_world.code}", message_id=reminder)
            await pham.say(f"/xong {bot_world.code} Kế hoạch ĐGNB số 9/KH-UBND")
            return from_button, await pham.say(f"/chitiet {bot_world.code}")

    from_button, detail = asyncio.run(scenario())
    assert "I.3" in from_button and "truoc-5-ngay" in from_button and "sắp đến hạn" in from_button
    assert "Phạm Văn Trường" in detail and "Kế hoạch ĐGNB số 9/KH-UBND" in detail
    assert "đã hoàn thành" in detail
    assert bot_world.occurrence().state == DONE  # /chitiet only reads


def test_it_explains_the_commands(bot_world: BotWorld) -> None:
    async def scenario() -> str:
        async with bot_world.running():
            pham = bot_world.chat(PHAM_CHAT)
            await pham.link(bot_world.invite(PHAM))
            return await pham.say("/trogiup")

    answer = asyncio.run(scenario())
    for command in ("/viec", "/quahan", "/chitiet", "/xong", "/hoantac", "/mien", "/huy"):
        assert command in answer
    assert [c["command"] for c in bot_world.api.state.commands][:2] == ["viec", "quahan"]


def test_it_lets_a_unit_group_act_for_its_unit(bot_world: BotWorld) -> None:
    group = bot_world.chat(KTHT_GROUP, user_id=4242)  # a member who never linked themself
    bot_world.close_all_due_before(date(2024, 8, 20))

    async def scenario() -> tuple[str, str]:
        async with bot_world.running():
            await group.say(f"/start@nhacviec_test_bot {bot_world.invite(unit='ktht')}")
            tasks = await group.say("/viec@nhacviec_test_bot")
            return tasks, await group.say(f"/xong {bot_world.code} Biên bản họp số 4")

    tasks, answer = asyncio.run(scenario())
    assert bot_world.code in tasks
    assert "Đã ghi nhận hoàn thành" in answer and "gửi từ nhóm của đơn vị" in answer
    (evidence,) = bot_world.evidence()
    assert (evidence.person_id, evidence.on_behalf) == (PHAM, False)  # the unit's head
    (trace,) = bot_world.audit("telegram-evidence")
    assert '"as_unit_head": true' in trace.detail_json and '"user_id": 4242' in trace.detail_json


def test_it_asks_the_member_who_tapped_in_a_group_by_name(bot_world: BotWorld) -> None:
    group = bot_world.chat(KTHT_GROUP, user_id=4242)

    async def scenario() -> str:
        async with bot_world.running():
            await group.say(f"/start@nhacviec_test_bot {bot_world.invite(unit='ktht')}")
            prompt = await group.press(f"done:{bot_world.code}", message_id=1)
            bot_world.api.push_message(KTHT_GROUP, "Ok anh, để em tìm", from_id=4242)  # chatter
            asked = group.bot_messages()[-1]["message_id"]
            answer = await group.say("Biên bản số 8", reply_to=asked)
            assert "Đã ghi nhận hoàn thành" in answer
            return prompt

    prompt = asyncio.run(scenario())
    assert prompt.startswith('<a href="tg://user?id=4242">Người dùng 4242</a>: 📎')
    assert bot_world.occurrence().state == DONE
    assert [e.text for e in bot_world.evidence()] == ["Biên bản số 8"]


def test_it_acts_as_the_linked_sender_in_a_unit_group(bot_world: BotWorld) -> None:
    tckh_in_group = bot_world.chat(KTHT_GROUP, user_id=TCKH_CHAT)

    async def scenario() -> str:
        async with bot_world.running():
            await bot_world.chat(TCKH_CHAT).link(bot_world.invite(TCKH))
            await tckh_in_group.say(f"/start {bot_world.invite(unit='ktht')}")
            return await tckh_in_group.say(f"/xong {bot_world.code} Biên bản")

    assert "Hồ Thị Hạnh không thuộc đơn vị chủ trì" in asyncio.run(scenario())
    assert bot_world.evidence() == []


def test_it_refuses_an_unlinked_group_member_undoing_or_waiving(bot_world: BotWorld) -> None:
    """The unit head's evidence stays: a member who never linked cannot undo it, nor waive."""
    group = bot_world.chat(KTHT_GROUP, user_id=4242)
    pham = bot_world.chat(PHAM_CHAT)

    async def scenario() -> list[str]:
        async with bot_world.running():
            await pham.link(bot_world.invite(PHAM))
            await pham.say(f"/xong {bot_world.code} Biên bản họp số 4")
            await group.say(f"/start@nhacviec_test_bot {bot_world.invite(unit='ktht')}")
            return [
                await group.say(f"/hoantac {bot_world.code}"),
                await group.say("/hoantac"),
                await group.say(f"/mien {bot_world.code} không cần nữa"),
            ]

    answers = asyncio.run(scenario())
    assert all("chưa liên kết Telegram với tên của mình" in a for a in answers), answers
    (evidence,) = bot_world.evidence()
    assert evidence.person_id == PHAM and evidence.undone_at is None
    assert bot_world.occurrence().state == DONE
    assert len(bot_world.audit("telegram-refused")) == 3
