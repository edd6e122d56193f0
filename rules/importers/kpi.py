"""A KPI cell ("Chỉ tiêu", "Chỉ số", "Mục tiêu cần đạt"): kept as written, plus its quantities.

"≥ 90%", "100%", "55,7 triệu đồng", "Tối thiểu 02 lần/năm": the comparison, the number read
with Vietnamese conventions ("." groups thousands, "," marks decimals) and the unit.
"""

from __future__ import annotations

import re

from rules.plan import Target

_NUMBER = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
_UNITS = (
    "%", "‰", "triệu đồng", "tỷ đồng", "nghìn đồng", "ngàn đồng", "đồng", "tấn", "lượt",
    "người", "tiêu chí", "ha", "km", "lớp", "học sinh", "hồ sơ", "lần", "ngày làm việc",
    "ngày", "giờ", "tháng", "điểm", "bệnh nhân", "giường", "trường", "đơn vị", "văn bản",
    "cuộc", "buổi", "báo cáo", "sáng kiến", "đề tài", "thủ tục", "phút", "sản phẩm",
    "cán bộ", "giáo viên", "hộ", "xã", "tổ", "khóa", "lớp học", "chuyên đề",
)  # fmt: skip
_COMPARISONS = (
    "≥", "≤", ">=", "<=", ">", "<", "=", "tối thiểu", "tối đa", "ít nhất", "không thấp hơn",
    "không dưới", "không quá", "trên", "dưới", "đạt", "từ",
)  # fmt: skip
_UNIT_PATTERN = "|".join(re.escape(unit) for unit in sorted(_UNITS, key=len, reverse=True))
_COMPARISON_PATTERN = "|".join(re.escape(word) for word in _COMPARISONS)
_QUANTITY = re.compile(
    rf"(?:(?<!\w)(?P<cmp>{_COMPARISON_PATTERN})\s*)?(?<![\d.,:/])(?P<number>{_NUMBER})"
    rf"\s*(?P<unit>(?:{_UNIT_PATTERN})(?:/\s*[^\W\d_]+)?)(?!\w)",
    re.IGNORECASE,
)
_LABEL_END = re.compile(r"\s*(?:phấn\s+đấu|đạt|là)?\s*[:=]?\s*$", re.IGNORECASE)
_BARE = re.compile(rf"^\s*(?:(?P<cmp>{_COMPARISON_PATTERN})\s*)?(?P<number>{_NUMBER})\s*$")


def kpi_targets(text: str) -> tuple[Target, ...]:
    """Each quantity the KPI text states; a cell that is only a number gives it unitless."""
    text = " ".join(text.split())
    found = []
    start = 0
    for match in _QUANTITY.finditer(text):
        unit = " ".join(match.group("unit").split())
        label = _LABEL_END.sub("", text[start : match.start()]).strip(" :;,.-–")
        found.append(Target(_quote(match), _value(match.group("number")), unit, label))
        start = match.end()
    if not found and (match := _BARE.match(text)):
        found.append(Target(_quote(match), _value(match.group("number")), ""))
    return tuple(found)


def _quote(match: re.Match[str]) -> str:
    return " ".join(match.group(0).split())


def _value(number: str) -> float:
    return float(number.replace(".", "").replace(",", "."))
