"""'Did you mean' for unreadable phrases: the closest word and the closest known form."""

from __future__ import annotations

import difflib
from functools import lru_cache

from rules.timing.vocab import KNOWN_FORMS
from rules.timing.words import strip_diacritics

# Words people mistype, shown with their diacritics.
_DISPLAY_WORDS = (
    "tháng",
    "quý",
    "năm",
    "tuần",
    "ngày",
    "hằng",
    "hàng",
    "mỗi",
    "định kỳ",
    "thường xuyên",
    "đột xuất",
    "trước",
    "sau",
    "chậm nhất",
    "đến hết",
    "trong",
    "lần",
    "đầu",
    "cuối",
    "báo cáo",
    "kế hoạch",
    "theo dõi",
    "làm việc",
    "kể từ",
    "hoặc",
)
_WORDS_BY_KEY = {strip_diacritics(word): word for word in _DISPLAY_WORDS}
_FORMS_BY_KEY = {strip_diacritics(form): form for form in KNOWN_FORMS}


@lru_cache(maxsize=512)
def hint_for(phrase: str, part: str = "") -> str:
    """A Vietnamese hint: the known word closest to `part`, then the closest known form."""
    hints: list[str] = []
    part_key = strip_diacritics(part.strip())
    if part_key:
        close = difflib.get_close_matches(part_key, _WORDS_BY_KEY, n=1, cutoff=0.7)
        if close and close[0] != part_key:
            hints.append(f"có phải «{_WORDS_BY_KEY[close[0]]}»?")
    form = closest_form(phrase)
    hints.append(f"cách viết gần nhất được hiểu: «{form}»")
    text = "; ".join(hints)
    return text[0].upper() + text[1:]


def closest_form(phrase: str) -> str:
    key = strip_diacritics(" ".join(phrase.split()))[:120]
    close = difflib.get_close_matches(key, _FORMS_BY_KEY, n=1, cutoff=0.0)
    return _FORMS_BY_KEY[close[0]] if close else KNOWN_FORMS[0]
