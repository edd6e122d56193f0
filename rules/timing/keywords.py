"""Keywords whose terminal depends on their neighbours, one method each (`_kw_<terminal>`).

Each returns True when it emitted (or dropped) the keyword itself; False lets the lexer
emit the plain terminal. "thứ Hai" is a weekday but "tuần thứ hai" the second week; "sau"
before free text is an event; "kể từ ngày 01/7" is "from" but "kể từ khi kết thúc …" an
event; "Hạn nộp …" and "Ngày tựu trường" name a deadline rather than give one.
"""

from __future__ import annotations

from rules.timing.lexer_base import LexerBase
from rules.timing.marks import number_words
from rules.timing.vocab import ROMAN, WEEKDAY_WORDS
from rules.timing.words import Raw

_SLASH_UNITS = {"nam", "quy", "thang", "tuan", "ngay", "hoc", "hk"}
_LABEL_NOUNS = {"nop", "gui", "bao", "chot", "hoan", "thuc", "trinh"}
# Words that may follow "ngày" in a date: "ngày thứ 20", "ngày mùng 1", "ngày mười lăm".
_AFTER_NGAY = {
    "thu",
    "mung",
    "mong",
    "ram",
    "muoi",
    "mot",
    "hai",
    "ba",
    "bon",
    "nam",
    "sau",
    "bay",
    "tam",
    "chin",
    "cuoi",
    "dau",
    "nay",
    "hom",
    "lam",
    "le",
    "nghi",
    "cn",
    "chu",
}


class KeywordLexer(LexerBase):
    def _kw_nam(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        following = self._peek()
        if following is not None and following.kind == "num" and len(following.text) == 4:
            self._emit("NAMYEAR", following.value, first.start, following.end)
            self.pos += 1
            return True
        if self._peek_word() == "sau":
            self._emit("NEXTYEAR", None, first.start, self._peek().end)
            self.pos += 1
            return True
        return False

    def _kw_thang(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        if self._peek_word() in ("sau", "ke", "tiep"):
            size = 1 if self._peek_word() == "sau" else 2
            end = self.raws[self.pos + size - 1].end
            self.pos += size
            if self._peek_word() in ("thang", "ky") and self._peek_word(1) == "bao":
                end = self.raws[self.pos + 2].end
                self.pos += 3
            self._emit("NEXTMONTH", None, first.start, end)
            return True
        return False

    def _kw_quy(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        if self._peek_word() == "sau":
            self._emit("NEXTQUARTER", None, first.start, self._peek().end)
            self.pos += 1
            return True
        return False

    def _kw_thu(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        """ "thứ Hai" / "thứ 2" is Monday; after "tuần", "thứ hai" is the second week."""
        following = self._peek()
        if following is None:
            return False
        ordinal = self._last() == "TUAN"
        if self._last() == "NGAY" and following.kind == "num" and following.value > 7:
            self._emit("NUM", following.value, following.start, following.end)  # "ngày thứ 20"
            self.pos += 1
            return True
        value: int | None = None
        if following.kind == "num" and (ordinal or 2 <= following.value <= 7):
            value = following.value if ordinal else following.value - 2
        elif following.kind == "word" and ordinal:
            found = number_words([following.key], [following.norm])
            value = 1 if following.key == "nhat" else (found[0] if found else None)
        elif following.kind == "word" and following.key in WEEKDAY_WORDS and following.norm != "từ":
            value = WEEKDAY_WORDS[following.key]
        if value is None:
            return False
        if not ordinal and self._last() == "NGAY":
            self.out.pop()  # "vào ngày thứ sáu": the weekday is the day
        self._emit("ORDINAL" if ordinal else "WEEKDAY", value, first.start, following.end)
        self.pos += 1
        return True

    def _kw_batdau(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        """ "bắt đầu ngày 06/9/2024, kết thúc ngày 18/01/2025" is one span."""
        self._emit("TU", None, first.start, last.end)
        return True

    def _kw_ketthuc(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        opened = next((t.type for t in reversed(self.out) if t.type in ("TU", "linesep")), "")
        if opened != "TU":
            return True  # "kết thúc năm học trước ngày 31/5": adds nothing
        while self.out and self.out[-1].type == "comma":
            self.out.pop()
        self._emit("DEN", None, first.start, last.end)
        return True

    def _kw_cua(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        return True  # "ngày 20 của tháng cuối quý": "của" adds nothing

    def _kw_mung(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        if self._last() != "NGAY":  # "ngày mùng 10": one "ngày"
            self._emit("NGAY", None, first.start, last.end)
        return True

    def _kw_ram(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        """ "Rằm" is the 15th of a lunar month."""
        if self._last() != "NGAY":
            self._emit("NGAY", None, first.start, last.end)
        self._emit("NUM", 15, first.start, last.end)
        self._emit("AMLICH", None, first.start, last.end)
        return True

    def _kw_cn(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        self._emit("WEEKDAY", 6, first.start, last.end)
        return True

    def _kw_dau(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        if self._last() == "TUAN":
            self._emit("ORDINAL", 1, first.start, last.end)
            return True
        return False

    def _kw_cuoi(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        if self._last() == "TUAN":
            self._emit("ORDINAL", -1, first.start, last.end)
            return True
        return False

    def _kw_sau(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        """ "sau" + free text is an event; "sau khi …" too; "sau Tết", "sau 6 tháng" are not."""
        self._emit("SAU", None, first.start, last.end)
        if self._peek_word() == "khi":
            self.pos += 1
        following = self._peek()
        if following is not None and (following.kind == "num" or self._peek_word() == "tet"):
            return True
        self._text()
        return True

    def _kw_khi(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        self._emit("KHI", None, first.start, last.end)
        self._text()
        return True

    def _kw_ketu(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        """ "kể từ ngày 01/7/2025" is "from"; "kể từ (ngày|khi) kết thúc …" an event."""
        while self.out and self.out[-1].type == "comma":  # "05 ngày làm việc, kể từ …"
            self.out.pop()
        offset = 1 if self._peek_word() in ("ngay", "khi") else 0
        following = self._peek(offset)
        if following is not None and following.kind == "num":
            self._emit("TU", None, first.start, last.end)
            return True
        self._emit("KETU", None, first.start, last.end)
        self.pos += offset
        self._text()
        return True

    def _kw_trong(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        """ "trong năm 2024", "02 lần trong (01) năm": "trong" adds nothing to the period."""
        following = self._peek()
        if (
            following is not None
            and (following.key == "1" or following.key == "mot")
            and self._peek_word(1) in _SLASH_UNITS
        ):
            self.pos += 1
        return True

    def _kw_hocky(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        following = self._peek()
        end, value = last.end, None
        if following is not None and following.kind == "word" and following.key in ROMAN:
            value, end = ROMAN[following.key], following.end
        elif following is not None and following.kind == "num" and 1 <= following.value <= 3:
            value, end = following.value, following.end
        if value is not None:
            self.pos += 1
        self._emit("HK", value, first.start, end)
        return True

    def _kw_chamnhat(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        offset = 1 if (self._peek() is not None and self._peek().kind == "colon") else 0
        if words[-1] == "han" and self._peek_word() in _LABEL_NOUNS:
            self._emit("labelword", self.phrase[first.start : last.end], first.start, last.end)
            return True  # "Hạn nộp là ngày 10 …": "hạn nộp" names the deadline
        return self._peek_word(offset) == "truoc"  # "hạn: trước 15/6" is "trước 15/6"

    def _kw_trongvong(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        return self._peek_word() == "tu"  # "trong thời gian từ tháng 5 đến …"

    def _kw_giaidoan(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        return self._peek_word() == "tu"  # "giai đoạn từ nay đến hết tháng 6/2025"

    def _kw_ngay(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        """ "Ngày tựu trường: 13/8": "ngày" before a noun names the day, it is no date."""
        following = self._peek()
        if (
            following is None
            or following.kind != "word"
            or following.key in _AFTER_NGAY
            or self._last() not in ("", "comma", "linesep", "labelword", "unknown")
        ):
            return False
        self._emit("labelword", self.phrase[first.start : last.end], first.start, last.end)
        return True

    def _kw_tuan(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        """ "Tuần 3: từ 13/01 đến 17/01/2025": a week number before dates; the dates win."""
        following = self._peek()
        if following is None or following.kind != "num":
            return False
        self.pos += 1
        after = self._peek()
        if after is not None and after.kind == "colon":
            self.pos += 1
            return True
        if after is not None and (
            after.kind == "num" or (after.kind == "word" and after.key in ("tu", "ngay"))
        ):
            return True
        self._emit("TUAN", None, first.start, last.end)
        self._emit("ORDINAL", following.value, following.start, following.end)
        return True
