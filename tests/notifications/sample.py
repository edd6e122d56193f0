"""The context the engine writes into Notification.context_json, and people to send it to."""

from __future__ import annotations

import copy
from typing import Any

from notifications.base import Recipient

SAMPLE_CONTEXT: dict[str, Any] = {
    "plan": {
        "title": "Kế hoạch thực hiện MTCL năm 2024",
        "organisation": "UBND huyện Nam Đông",
        "year": 2024,
    },
    "row": {
        "ref": "I.3",
        "section": "I",
        "section_title": "100% các cơ quan, đơn vị duy trì HTQLCL theo TCVN ISO 9001:2015",
        "number": "3",
        "task": "Xây dựng chương trình ĐGNB và triển khai ĐGNB",
        "lead": "Phòng Kinh tế và Hạ tầng",
        "coordinating": "Các cơ quan, đơn vị, UBND các xã, thị trấn",
        "monitors": "QMR; Thư ký ISO",
        "timing": "Trước ngày 30 tháng 8 hàng năm",
        "evidence": ["Chương trình ĐGNB", "Lưu Hồ sơ ĐGNB (kế hoạch, báo cáo, biên bản)"],
        "source": "nam-dong-2024.docx, bảng 1, dòng 7",
    },
    "occurrence": {
        "id": 12,
        "code": "K7M2Q",
        "label": "Báo cáo 6 tháng",
        "kind": "yearly",
        "opens_on": None,
        "due_on": "2024-08-30",
        "unit": "Phòng Kinh tế và Hạ tầng",
    },
    "step": {"name": "truoc-5-ngay", "level": 2, "audience": "lead"},
    "recipient_role": "lead",
    "as_of": "2024-08-23",
    "days_left": 7,
    "working_days_left": 5,
}

AN = Recipient("nguyen-van-an", "Nguyễn Văn An", "an.nv@namdong.example.vn", 1001)


def context(**overrides: Any) -> dict[str, Any]:
    """A deep copy of the sample with top-level keys replaced; `row`/`occurrence` dicts merge."""
    result = copy.deepcopy(SAMPLE_CONTEXT)
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = {**result[key], **value}
        else:
            result[key] = value
    return result


# The default escalation ladder names these roles, so every config must declare them.
ROLES: list[dict[str, Any]] = [
    {"id": "qmr", "name": "Đại diện lãnh đạo về chất lượng", "people": []},
    {"id": "lanh-dao", "name": "Lãnh đạo UBND huyện", "people": []},
]
