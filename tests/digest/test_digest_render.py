"""The digest as people receive it: email (text + HTML) over SMTP, the short one on Telegram."""

from __future__ import annotations

import asyncio
import re
from dataclasses import replace
from datetime import date, datetime

from notifications.digest import DigestCheck, render_digest
from notifications.digest_data import build_digest
from notifications.digest_model import Digest, OverdueItem, UnitOverdue
from notifications.dispatch_record import DispatchSummary
from notifications.dispatcher import Dispatcher
from notifications.email import SmtpChannel
from notifications.ratelimit import RateLimiter
from notifications.render import CLIP_MARKER, TELEGRAM_LIMIT, Renderer
from notifications.telegram import TelegramChannel
from scheduler.clock import ManualClock
from tests.digest.conftest import State
from tests.fakes.bot_api import TOKEN, FakeBotApi
from tests.fakes.smtp_server import SMTP_PASSWORD, FakeSmtpServer
from tests.fakes.telegram_html import check_html
from tests.notifications.test_ratelimit import VirtualTime

QMR_CHAT = 100001


def dispatch(state: State, smtp: FakeSmtpServer, bot_api: FakeBotApi) -> DispatchSummary:
    time = VirtualTime()
    channels = {
        "email": SmtpChannel(
            smtp.config(),
            sender="nhacviec@namdong.example.vn",
            sender_name="Nhắc việc ISO",
            password=SMTP_PASSWORD,
            tls_context=smtp.client_context(),
        ),
        "telegram": TelegramChannel(
            TOKEN,
            base_url=bot_api.base_url,
            timeout=2.0,
            monotonic=time.monotonic,
            limiter=RateLimiter(monotonic=time.monotonic, sleep=time.sleep),
        ),
    }
    dispatcher = Dispatcher(
        state.db, channels, Renderer(), state.ctx.directory, ManualClock(state.now)
    )

    async def once() -> DispatchSummary:
        try:
            return await dispatcher.dispatch_due()
        finally:
            for channel in channels.values():
                await channel.close()

    return asyncio.run(once())


def test_it_mails_the_qmr_the_whole_digest_and_sends_the_short_one_on_telegram(
    state: State, smtp_server: FakeSmtpServer, bot_api: FakeBotApi
) -> None:
    written = DigestCheck(state.db, state.ctx, state.config.digest, state.problems).run(state.now)
    summary = dispatch(state, smtp_server, bot_api)

    assert written == 2 and (summary.sent, summary.failed) == (2, 0)
    [mail] = smtp_server.messages
    assert mail.rcpt_tos == ["qmr@namdong.example.vn"]
    message = mail.message
    assert message["Subject"] == (
        "[Tổng hợp tuần 37/2024] 191 việc quá hạn tại 11 đơn vị — thứ Hai, 09/09/2024"
    )
    plain, rich = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and rich is not None
    text, html = plain.get_content(), rich.get_content()
    assert "Phòng Kinh tế và Hạ tầng: 26 việc" in text
    # Each plan row once, its units grouped; escalation levels in words.
    assert text.count("  - II.1 ") == 1
    assert "10 đơn vị, 10 việc quá hạn, lâu nhất 148 ngày làm việc" in text
    assert "; đã báo lên Lãnh đạo UBND huyện" in text and not re.search(r"mức \d", text + html)
    assert text.index("TÌNH HÌNH THEO MỤC TIÊU") < text.index("ĐƠN VỊ NHIỀU VIỆC QUÁ HẠN NHẤT")
    assert text.index("ĐƠN VỊ NHIỀU VIỆC QUÁ HẠN NHẤT") < text.index("VIỆC QUÁ HẠN LÂU NHẤT")
    assert "… và 4 việc khác" in text and len(text.splitlines()) < 100
    assert len(html.encode()) < 100_000
    assert "Minh chứng: Minh chứng (mô phỏng) — Lê Thị Thư" in text
    assert "Dòng IX: không đọc được thời gian thực hiện" in text
    assert "(chưa xác định đơn vị chủ trì); đã nhắc đơn vị chủ trì" in text
    assert 'bgcolor="#16a34a" style="width: 4%;' in html  # section I: 4% done on time
    assert 'bgcolor="#dc2626" style="width: 69%;' in html  # section II: 69% overdue
    assert "Kính gửi Trần Văn Quản," in html and "<b>26</b>" in html
    [sent] = bot_api.messages(QMR_CHAT)
    assert check_html(sent["text"]) is None
    assert "Quá hạn: <b>191</b> việc tại 11 đơn vị" in sent["text"]
    assert "… tổng 191 việc quá hạn: gõ /quahan để xem tất cả." in sent["text"]
    assert "1. <b>II.1</b>" in sent["text"] and "4. <b>I.7</b>" in sent["text"]
    assert "6. <b>" not in sent["text"]
    assert "reply_markup" not in sent or not sent["reply_markup"]


def test_it_writes_every_part_in_vietnamese_with_dates_the_office_way(state: State) -> None:
    digest = build_digest(state.db, state.ctx, state.problems, state.now)
    message = render_digest(digest, state.ctx.directory.people["tran-van-qmr"])

    for part in (message.text, message.html or "", message.telegram_html or ""):
        assert "thứ Hai, 09/09/2024" in part
        assert "37/2024" in part
    assert "từ thứ Hai, 02/09/2024 đến thứ Hai, 09/09/2024" in message.text
    assert "  II. 100% các chương trình, đề án, nhiệm vụ trọng tâm" in message.text
    assert "░░░░░░░░░░ 0% — 0 đúng hạn · 0 trễ hạn · 90 quá hạn · 40 chưa đến hạn" in message.text
    assert "<code>▇░░░░░░░░░</code> 6% Mục I." in (message.telegram_html or "")


def test_it_escapes_what_the_plan_says_in_html_and_on_telegram(state: State) -> None:
    digest = _synthetic(1, task="Báo cáo <quý> & năm")
    message = render_digest(digest, state.ctx.directory.people["tran-van-qmr"])

    assert "Báo cáo &lt;quý&gt; &amp; năm" in (message.html or "")
    assert "Báo cáo &lt;quý&gt; &amp; năm" in (message.telegram_html or "")
    assert "Báo cáo <quý> & năm" in message.text


def test_it_fits_the_telegram_version_in_one_message_however_late_the_plan(state: State) -> None:
    digest = _synthetic(800, task="Rất dài " * 40)
    message = render_digest(digest, state.ctx.directory.people["tran-van-qmr"])
    telegram = message.telegram_html or ""

    assert len(telegram.encode("utf-16-le")) // 2 <= TELEGRAM_LIMIT
    assert CLIP_MARKER.strip() not in telegram, "counts and the top five fit without clipping"
    assert "Quá hạn: <b>800</b> việc" in telegram and "gõ /quahan để xem tất cả" in telegram
    assert check_html(telegram) is None


def test_it_says_a_quiet_week_is_quiet_in_a_few_lines(state: State) -> None:
    digest = _synthetic(0)
    message = render_digest(digest, state.ctx.directory.people["tran-van-qmr"])

    assert message.subject.startswith("[Tổng hợp tuần 37/2024] Không có việc quá hạn")
    assert "Không có việc quá hạn" in (message.telegram_html or "")
    assert "VIỆC QUÁ HẠN THEO ĐƠN VỊ" not in message.text
    assert "TIẾN ĐỘ THEO MỤC TIÊU" not in message.text
    assert len(message.text.splitlines()) < 20


def test_it_stays_under_100_kb_for_a_province_size_plan(state: State) -> None:
    units = [(f"u{u:02d}", f"UBND xã số {u:02d} của huyện miền núi") for u in range(60)]
    groups = tuple(
        UnitOverdue(
            unit_id,
            name,
            tuple(
                OverdueItem(
                    f"C{u}{r:03d}",
                    f"{'IVX'[r % 3]}.{r}",
                    "Báo cáo kết quả thực hiện nhiệm vụ " * 3,
                    "Tháng 01/2024",
                    unit_id,
                    name,
                    date(2024, 1, 31),
                    150 - r,
                    36,
                    "role:lanh-dao",
                    "Lãnh đạo UBND tỉnh",
                )
                for r in range(40)
            ),
        )
        for u, (unit_id, name) in enumerate(units)
    )
    digest = replace(_synthetic(0), overdue=groups)
    message = render_digest(digest, state.ctx.directory.people["tran-van-qmr"])

    html = message.html or ""
    assert len(html.encode()) < 100_000, len(html.encode())
    assert len((message.telegram_html or "").encode("utf-16-le")) // 2 <= TELEGRAM_LIMIT
    assert "… và 1500 việc khác" in message.text  # 40 rows x 60 units, 15 rows listed
    assert "đã báo lên Lãnh đạo UBND tỉnh" in html and not re.search(r"mức \d", html)


def _synthetic(count: int, task: str = "Báo cáo tháng") -> Digest:
    items = tuple(
        OverdueItem(
            f"C{i:05d}",
            "II.2",
            task,
            "Tháng 01/2024",
            "ktht",
            "Phòng Kinh tế và Hạ tầng",
            date(2024, 1, 31),
            148 - i % 50,
            36,
            "role:lanh-dao",
            "Lãnh đạo UBND huyện",
        )
        for i in range(count)
    )
    as_of = datetime(2024, 9, 9, 7, 30)
    empty = Digest(
        as_of=as_of,
        since=as_of.replace(day=2),
        plans=("Kế hoạch MTCL 2024",),
        units=(),
        overdue=(),
        escalated=(),
        due_soon=(),
        completed=(),
        objectives=(),
        delivery=(),
        plan_problems=(),
    )
    return replace(
        empty, overdue=(UnitOverdue("ktht", "Phòng Kinh tế và Hạ tầng", items),) if items else ()
    )
