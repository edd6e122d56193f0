"""config.toml as `nhacviec init` writes it: every section shown, commented in Vietnamese."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from nhacviec.onboarding.skeleton import Entry, Skeleton
from rules.escalation import EscalationConfig, StepConfig
from rules.plan import Plan


def q(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(text, ensure_ascii=False)


def qlist(items: Iterable[str]) -> str:
    return "[" + ", ".join(q(i) for i in items) + "]"


def _header(plan: Plan, plan_file: str) -> list[str]:
    org = plan.organisation or "cơ quan"
    return [
        f"# nhacviec — cấu hình cho {org}, kế hoạch năm {plan.year}",
        "# Viết bởi `nhacviec init`. Kiểm tra bằng `nhacviec config check`.",
        "# Đường dẫn tính từ thư mục chứa tệp này. Mật khẩu, token không ghi ở đây:",
        "# chỉ ghi TÊN biến môi trường chứa chúng.",
        "",
        'timezone = "Asia/Ho_Chi_Minh"',
        'data_dir = "var"                      # tệp minh chứng, hộp thư đi, cơ sở dữ liệu',
        "",
        "[database]",
        'url = "sqlite:///var/nhacviec.db"     # PostgreSQL: "postgresql+psycopg://user@host/nhacviec"',
        "",
        "# Kế hoạch cần theo dõi: Word (.docx), Excel (.xlsx), văn bản (.txt), .toml hoặc .csv.",
        "[[plans]]",
        f"file = {q(plan_file)}",
        f"year = {plan.year}",
        "# Dòng có thời gian thực hiện không đọc được thì ghi lịch ở đây, theo số dòng:",
        "# [plans.schedules]",
        '# "III.1" = "Định kỳ hàng quý"',
        "",
        "[calendar]",
        "# Ngày lễ, Tết của Việt Nam đã có sẵn. Thêm ngày nghỉ bù, ngày làm bù khi có thông báo.",
        "extra_days_off = []                   # ví dụ 2024-02-07",
        "makeup_working_days = []              # ví dụ 2024-02-17 (thứ Bảy làm bù)",
        'deadline_on_day_off = "previous"      # hạn rơi vào ngày nghỉ: "previous" (lùi) | "next" (sang)',
        "work_start = 07:30:00                 # chỉ nhắc trong giờ làm việc của ngày làm việc",
        "work_end = 17:00:00",
        "",
        "[timing]",
        'ongoing_checkin = "quarterly"         # việc "Thường xuyên": monthly | quarterly | halfyearly | yearly | none',
        'period_deadline = "last_working_day"  # "hàng tháng/quý": last_working_day | last_day',
        'after_event_working_days = 10         # "sau ĐGNB": hạn sau bấy nhiêu ngày làm việc',
        "adhoc_working_days = 10               # việc đột xuất (`nhacviec start DÒNG`)",
        "",
        "[run]",
        "# `nhacviec run` hỏi trước khi gửi bù quá bấy nhiêu thông báo, hoặc khi quá nửa số hạn đã qua.",
        "catch_up_limit = 30",
        "past_share_limit = 0.5",
        "",
    ]


def _step(table: str, step: StepConfig) -> list[str]:
    lines = [f"[[{table}]]", f"name = {q(step.name)}"]
    if step.anchor != "due":
        lines.append(f"anchor = {q(step.anchor)}")
    lines += [
        f"offset = {step.offset}",
        f"audience = {qlist(step.audience)}",
        f"channels = {qlist(step.channels)}",
        f"template = {q(step.template)}",
    ]
    if step.repeat_every_days:
        lines.append(f"repeat_every_days = {step.repeat_every_days}")
    return [*lines, ""]


def _ladder() -> list[str]:
    ladder = EscalationConfig()
    lines = [
        '# Thang nhắc và báo lên: số ngày làm việc tính từ hạn (âm: trước hạn; anchor = "opens":',
        "# từ ngày mở đợt). audience: lead (chủ trì) | coordinating (phối hợp) | monitors (theo dõi)",
        "# | role:<id>. Bước cuối nhắc lại mỗi repeat_every_days ngày đến khi có minh chứng.",
    ]
    for step in ladder.steps:
        lines += _step("escalation.steps", step)
    lines.append('# Việc "Thường xuyên": một lần hỏi tình hình mỗi kỳ, không báo lên.')
    for step in ladder.checkin_steps:
        lines += _step("escalation.checkin_steps", step)
    return lines


def _channels(plan: Plan) -> list[str]:
    org = plan.organisation or "cơ quan"
    return [
        "[digest]",
        'cron = "30 7 * * mon"                 # bản tổng hợp hằng tuần cho QMR (sáng thứ Hai)',
        "send_when_quiet = true",
        "unit_heads = false",
        'to_role = "qmr"',
        "",
        "[email]",
        'from = "nhacviec@example.gov.vn"      # cần sửa: địa chỉ gửi thư của cơ quan',
        f"sender_name = {q('Nhắc việc ISO - ' + org)}",
        'outbox_dir = "var/outbox"             # khi chưa có [email.smtp], thư ghi thành tệp .eml ở đây',
        "# [email.smtp]",
        '# host = "mail.example.gov.vn"',
        "# port = 587",
        '# security = "starttls"               # starttls | tls | none',
        '# username = "nhacviec@example.gov.vn"',
        '# password_env = "NHACVIEC_SMTP_PASSWORD"',
        "",
        "[telegram]",
        'token_env = "NHACVIEC_TELEGRAM_TOKEN" # chưa có token: tin Telegram in ra màn hình',
        "",
    ]


def _entry(table: str, entry: Entry, extra: list[str]) -> list[str]:
    where = ", ".join(dict.fromkeys(entry.rows))
    lines = [f"# trong kế hoạch: dòng {where}" if where else "# vai trò của thang báo lên"]
    lines += [f"[[{table}]]", f"id = {q(entry.id)}", f"name = {q(entry.name)}"]
    if entry.aliases:
        lines.append(f"aliases = {qlist(entry.aliases)}")
    return [*lines, *extra, ""]


def _directory(skeleton: Skeleton) -> list[str]:
    lines = [
        "# Danh bạ: mọi tên trong các cột Chủ trì, Phối hợp, Trách nhiệm theo dõi phải khớp",
        "# tên hoặc bí danh (aliases) dưới đây. Người được thêm bằng `nhacviec people import`.",
        "",
    ]
    for role in skeleton.roles.values():
        lines += _entry(
            "roles", role, ["people = []  # `people import` điền từ cột Chức vụ/Vai trò"]
        )
    for unit in skeleton.units.values():
        lines += _entry(
            "units",
            unit,
            ['# head = "id-truong-don-vi"  # `people import`: người có chức vụ Trưởng…/Chủ tịch'],
        )
    for group in skeleton.groups.values():
        lines += _entry(
            "groups",
            group,
            [f"members = {qlist(group.members)}  # mọi đơn vị: bỏ đơn vị không thuộc nhóm"],
        )
    lines += [
        "# Người: `nhacviec people import danh-sach.xlsx` thêm và cập nhật phần này.",
        "# [[people]]",
        '# id = "nguyen-van-a"',
        '# name = "Nguyễn Văn A"',
        '# unit = "id-don-vi"',
        '# email = "a@example.gov.vn"',
        "",
    ]
    return lines


def config_text(plan: Plan, plan_file: Path, skeleton: Skeleton, base: Path) -> str:
    try:
        shown = str(plan_file.resolve().relative_to(base.resolve()))
    except ValueError:
        shown = str(plan_file.resolve())
    parts = _header(plan, shown) + _ladder() + _channels(plan) + _directory(skeleton)
    return "\n".join(parts)
