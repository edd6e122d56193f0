from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import UndefinedError

from notifications.render import CLIP_MARKER, Renderer, clip_telegram_html, vndate
from tests.fakes.telegram_html import check_html
from tests.notifications.sample import AN, context

OCCURRENCE_TEMPLATES = [
    "window_open",
    "reminder_before",
    "reminder_due",
    "overdue",
    "escalation",
    "checkin",
]


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


@pytest.mark.parametrize("template", OCCURRENCE_TEMPLATES)
@pytest.mark.parametrize("role", ["lead", "coordinating", "monitor", "qmr", "lanh-dao"])
def test_it_renders_every_template_with_the_engine_context(
    renderer: Renderer, template: str, role: str
) -> None:
    late = template in ("overdue", "escalation")
    message = renderer.render(
        template,
        context(
            recipient_role=role, days_left=-3 if late else 7, working_days_left=-2 if late else 5
        ),
        AN,
        "occ12/L2/nguyen-van-an/email",
    )

    assert message.subject and "\n" not in message.subject
    for part in (message.text, message.html, message.telegram_html):
        assert part is not None
        assert "thứ Sáu, 30/08/2024" in part
        assert "I.3" in part
        assert "Xây dựng chương trình ĐGNB và triển khai ĐGNB" in part
        assert "Chương trình ĐGNB" in part
    assert 'nhacviec done K7M2Q --evidence "…" --by nguyen-van-an' in message.text
    assert "Kế hoạch thực hiện MTCL năm 2024" in message.text
    assert "Lưu Hồ sơ ĐGNB (kế hoạch, báo cáo, biên bản)" in message.text
    assert check_html(message.telegram_html or "") is None
    assert [b.data for b in message.buttons] == ["done:K7M2Q", "evidence:K7M2Q", "detail:K7M2Q"]


def test_it_writes_dates_the_vietnamese_way() -> None:
    assert vndate("2024-08-30") == "thứ Sáu, 30/08/2024"
    assert vndate(date(2024, 9, 1)) == "Chủ nhật, 01/09/2024"
    assert vndate(date(2024, 9, 2)) == "thứ Hai, 02/09/2024"
    assert vndate(None) == ""


def test_it_says_how_many_days_are_left(renderer: Renderer) -> None:
    message = renderer.render("reminder_before", context(), AN, "k")

    assert message.subject == (
        "[Nhắc việc] Còn 7 ngày: I.3 Xây dựng chương trình ĐGNB và "
        "triển khai ĐGNB (hạn thứ Sáu, 30/08/2024)"
    )
    assert "còn 7 ngày (5 ngày làm việc)" in message.text


def test_it_says_how_late_an_overdue_task_is(renderer: Renderer) -> None:
    message = renderer.render(
        "overdue", context(days_left=-3, working_days_left=-1, recipient_role="monitor"), AN, "k"
    )

    assert message.subject.startswith("[Quá hạn 3 ngày]")
    assert "đã trễ 3 ngày (1 ngày làm việc)" in message.text
    assert "Phòng Kinh tế và Hạ tầng chưa gửi minh chứng" in message.text


def test_it_names_the_late_unit_and_the_days_late_in_an_escalation(renderer: Renderer) -> None:
    message = renderer.render(
        "escalation", context(days_left=-9, working_days_left=-7, recipient_role="qmr"), AN, "k"
    )

    assert "Phòng Kinh tế và Hạ tầng" in message.subject
    assert "trễ 9 ngày" in message.subject
    assert "đã trễ hạn 9 ngày (7 ngày làm việc)" in message.text


def test_it_says_today_on_the_due_date(renderer: Renderer) -> None:
    message = renderer.render("reminder_due", context(days_left=0, working_days_left=0), AN, "k")

    assert message.subject.startswith("[Nhắc việc] Hôm nay đến hạn")
    assert "hôm nay là hạn chót" in message.text


def test_it_shows_the_window_when_it_opens(renderer: Renderer) -> None:
    message = renderer.render(
        "window_open",
        context(occurrence={"opens_on": "2024-08-01"}, days_left=29, working_days_left=21),
        AN,
        "k",
    )

    assert "từ thứ Năm, 01/08/2024" in message.text
    assert "Bắt đầu: thứ Năm, 01/08/2024" in message.text


def test_it_escapes_dynamic_text_in_html_but_not_in_plain_text(renderer: Renderer) -> None:
    task = 'Báo cáo <b>"Một cửa"</b> & TTHC'
    message = renderer.render("reminder_before", context(row={"task": task}), AN, "k")

    assert task in message.text
    assert "&lt;b&gt;&#34;Một cửa&#34;&lt;/b&gt; &amp; TTHC" in (message.html or "")
    assert "&lt;b&gt;" in (message.telegram_html or "")
    assert check_html(message.telegram_html or "") is None


def test_it_keeps_the_telegram_message_short(renderer: Renderer) -> None:
    message = renderer.render("reminder_before", context(), AN, "k")

    assert len(message.telegram_html or "") < 900
    assert "Kính gửi" not in (message.telegram_html or "")  # the email's formality only
    assert "Nguồn: nam-dong-2024.docx, bảng 1, dòng 7" in message.text


def test_it_clips_long_telegram_messages_with_a_visible_marker(renderer: Renderer) -> None:
    evidence = [f"Biên bản <số {i}> & phụ lục kèm theo" for i in range(400)]
    message = renderer.render("reminder_before", context(row={"evidence": evidence}), AN, "k")

    html = message.telegram_html or ""
    assert len(html.encode("utf-16-le")) // 2 <= 4096
    assert html.endswith(CLIP_MARKER)
    assert check_html(html) is None
    assert "Biên bản <số 399> & phụ lục kèm theo" in message.text  # the email keeps it all


def test_it_sends_buttons_only_with_messages_about_an_occurrence(renderer: Renderer) -> None:
    message = renderer.render("test", {"as_of": "2024-08-23", "channel": "Telegram"}, AN, "k")

    assert message.buttons == ()
    assert message.subject == "[Nhắc việc] Tin nhắn thử"
    assert "kênh Telegram đã hoạt động" in message.text


def test_it_refuses_a_context_with_a_missing_key(renderer: Renderer) -> None:
    broken = context()
    del broken["days_left"]

    with pytest.raises(UndefinedError):
        renderer.render("reminder_before", broken, AN, "k")


_pieces = st.sampled_from(
    [
        "<b>",
        "</b>",
        "<i>đậm</i>",
        "&amp;",
        "&lt;",
        "chữ ",
        "Việt ",
        "\n",
        "😀",
        "<code>x</code>",
        '<a href="https://x.vn">liên kết</a>',
    ]
)


@given(st.lists(_pieces, min_size=0, max_size=400), st.integers(min_value=40, max_value=600))
def test_it_never_cuts_inside_a_tag_or_an_entity(pieces: list[str], limit: int) -> None:
    # Balanced input: every <b> closed, as the templates produce.
    html = "".join(p if p not in ("<b>", "</b>") else "" for p in pieces) + "<b>cuối</b>"
    clipped = clip_telegram_html(html, limit=limit)

    assert len(clipped.encode("utf-16-le")) // 2 <= max(limit, len(html.encode("utf-16-le")) // 2)
    assert len(clipped.encode("utf-16-le")) // 2 <= limit or clipped == html
    assert check_html(clipped.replace(CLIP_MARKER, "")) is None


def test_it_escapes_names_with_ampersands_in_every_html_part() -> None:
    ctx = context()
    ctx["occurrence"] = {**ctx["occurrence"], "unit": "Phòng NN&PTNT"}
    ctx["row"] = {**ctx["row"], "lead": "Phòng NN&PTNT", "task": "Báo cáo <quý> & năm"}
    for template in (
        "window_open",
        "reminder_before",
        "reminder_due",
        "overdue",
        "escalation",
        "checkin",
    ):
        message = Renderer().render(template, ctx, AN, f"k-{template}")
        assert message.telegram_html is not None and message.html is not None
        assert "NN&amp;PTNT" in message.telegram_html and "NN&PTNT" not in message.telegram_html
        assert "&lt;quý&gt;" in message.html and "<quý>" not in message.html
        assert "NN&PTNT" in message.text  # the plain text part stays plain
