"""The lexer: a phrase -> the terminals grammar.lark is written in.

Three passes: words.py splits the text into words, numbers and marks; marks.py takes out
parentheses and day-off rules; this module glues digits into dates, matches keywords
(longest first, on stripped keys), reads number words where a number is expected, and
makes the decisions that need one token of context on each side (a range dash or a
bullet, "sau" after or "sáu" six, "thứ hai" Monday or the second week). shape.py then
splits lines and clauses and merges labels. Nothing here knows what a phrase means.
"""

from __future__ import annotations

from typing import Any

from lark import Token

from rules.timing.dates import classify_group
from rules.timing.marks import Marks, number_words
from rules.timing.model import TimingError
from rules.timing.vocab import (
    BOUNDS,
    FILLERS,
    KEYWORDS,
    LABELS,
    LONGEST_KEYWORD,
    LONGEST_LABEL,
    ROMAN,
    UNITS,
    WEEKDAY_WORDS,
)
from rules.timing.words import Raw, raw_tokens

_UNIT_AFTER = {"lan", "thang", "ngay", "tuan", "quy"}
_SLASH_UNITS = {"nam", "quy", "thang", "tuan", "ngay", "hoc", "hk"}
_TEXT_STOP = {"semi", "nl", "bullet", "slash", "lp", "rp", "cond"}
# After a comma, an event's text goes on ("khi có thay đổi về cơ cấu tổ chức, nhân sự")
# unless the next word starts a time ("sau ĐGNB, chậm nhất 10 ngày").
_TIMING_STARTS = {"truoc", "cham", "han", "hang", "moi", "dinh", "thuong", "dot", "tu", "den",
                  "trong", "sau", "ngay", "thang", "quy", "nam", "tuan", "khi", "cuoi",
                  "dau", "ke", "neu"}
_TEXT_STOP_WORDS = {"hoac", "hay"}
_LABEL_NOUNS = {"nop", "gui", "bao", "chot", "hoan", "thuc", "trinh"}
# Words that may follow "ngày" in a date: "ngày thứ 20", "ngày mùng 1", "ngày mười lăm".
_AFTER_NGAY = {"thu", "mung", "mong", "ram", "muoi", "mot", "hai", "ba", "bon", "nam", "sau",
               "bay", "tam", "chin", "cuoi", "dau", "nay", "hom", "lam", "le", "nghi", "cn",
               "chu"}
# Labels are shown ("Báo cáo"); fillers ("hoàn thành", "vào") are dropped.
_LABELS_AND_FILLERS: dict[tuple[str, ...], str] = {**dict.fromkeys(FILLERS, ""), **LABELS}
# First words, to skip the longest-match search for words that start nothing (the hot path).
_KEYWORD_STARTS = frozenset(words[0] for words in KEYWORDS)
_LABEL_STARTS = frozenset(words[0] for words in _LABELS_AND_FILLERS)
_NUMBER_STARTS = frozenset({*UNITS, "muoi"})


class Lexer:
    def __init__(self, phrase: str) -> None:
        self.phrase = phrase
        self.fixes: list[str] = []
        self.marks = Marks(phrase)
        self.raws: list[Raw] = []
        self.out: list[Token] = []
        self.pos = 0

    @property
    def notes(self) -> list[str]:
        return self.marks.notes

    def run(self) -> list[Token]:
        self.raws = self.marks.run(raw_tokens(self.phrase, self.fixes))
        while self.pos < len(self.raws):
            self._step(self.raws[self.pos])
        return self.out

    # --- helpers ----------------------------------------------------------------------------
    def _peek(self, offset: int = 0) -> Raw | None:
        index = self.pos + offset
        return self.raws[index] if index < len(self.raws) else None

    def _peek_word(self, offset: int = 0) -> str:
        raw = self._peek(offset)
        return raw.key if raw is not None and raw.kind == "word" else ""

    def _emit(self, type_: str, value: Any, start: int, end: int) -> None:
        self.out.append(Token(type_, value, start_pos=start, end_pos=end))

    def _last(self) -> str:
        return self.out[-1].type if self.out else ""

    def error(self, start: int, end: int, message: str, hint: str | None = None) -> TimingError:
        return TimingError(self.phrase, (start, end), message, hint)

    # --- one step -------------------------------------------------------------------------
    def _step(self, raw: Raw) -> None:
        kind = raw.kind
        if kind == "num":
            self._numbers()
        elif kind == "word":
            self._words(raw)
        elif kind == "slash":
            self._slash(raw)
        elif kind in ("dash", "comma", "semi", "nl", "bullet", "and"):
            self._emit({"comma": "comma", "semi": "linesep", "nl": "linesep", "bullet": "linesep",
                        "dash": "dash", "and": "and"}[kind], None, raw.start, raw.end)
            self.pos += 1
        elif kind == "cond":
            self._emit("COND", raw.key or None, raw.start, raw.end)
            self.pos += 1
        elif kind == "lunarcheck":
            day, month, date_end = (int(part) for part in raw.key.split("/"))
            self._emit("LUNARCHECK", (day, month, date_end), raw.start, raw.end)
            self.pos += 1
        elif kind == "other":
            raise self.error(raw.start, raw.end, f"không hiểu ký tự «{raw.text}»")
        else:  # colon, dot, ellipsis: punctuation
            self.pos += 1

    def _numbers(self) -> None:
        """Digits glued by / . - ("15/6", "20.7.2020", "2-3/2024") as one date-like lexeme."""
        first = self.raws[self.pos]
        following = self._peek(1)
        if self._last() in ("labelword", "unknown") and following is not None \
                and following.kind == "colon":  # "Đợt 1:", "Giai đoạn 2:" name the part
            self._emit("unknown", first.text, first.start, first.end)
            self.pos += 1
            return
        parts, seps = [first.value], []
        index = self.pos + 1
        while index + 1 < len(self.raws):
            sep, num = self.raws[index], self.raws[index + 1]
            # "15 / 6" is still a date; a spaced dash or dot is punctuation or a range.
            glued = sep.kind == "slash" or not (sep.spaced or num.spaced)
            if sep.kind not in ("slash", "dot", "dash") or num.kind != "num" or not glued:
                break
            parts.append(num.value)
            seps.append({"slash": "/", "dot": ".", "dash": "-"}[sep.kind])
            index += 2
        end = self.raws[index - 1].end
        self.pos = index
        for type_, value, start, stop in classify_group(self.phrase, parts, seps, first.start,
                                                        end):
            self._emit(type_, value, start, stop)

    def _slash(self, raw: Raw) -> None:
        following = self._peek(1)
        if following is not None and following.kind == "num" and len(following.text) == 4:
            self._emit("YSUF", following.value, raw.start, following.end)
            self.pos += 2
        elif self._peek_word(1) == "lan":
            self._emit("PERLAN", None, raw.start, following.end if following else raw.end)
            self.pos += 2
        elif self._peek_word(1) in _SLASH_UNITS:
            self._emit("PER", None, raw.start, raw.end)
            self.pos += 1
        else:
            self._emit("slash", None, raw.start, raw.end)
            self.pos += 1

    # --- words --------------------------------------------------------------------------------
    def _words(self, raw: Raw) -> None:
        if raw.key in ("t", "q") and self._glued_number(1):
            self._emit("THANG" if raw.key == "t" else "QUY", None, raw.start, raw.end)
            self.pos += 1
            return
        key = raw.key
        if (key in _NUMBER_STARTS and self._number_word(raw)) or (key in ROMAN
                                                                  and self._roman(raw)):
            return
        match = self._longest(KEYWORDS, _KEYWORD_STARTS, LONGEST_KEYWORD)
        label = self._longest(_LABELS_AND_FILLERS, _LABEL_STARTS, LONGEST_LABEL)
        if match and (not label or len(match[0]) >= len(label[0])):
            words, type_ = match
            self._keyword(type_, words)
        elif label:
            words, display = label
            end = self.raws[self.pos + len(words) - 1].end
            if display:
                self._emit("labelword", display, raw.start, end)
            self.pos += len(words)
        else:
            self._emit("unknown", raw.text, raw.start, raw.end)
            self.pos += 1

    def _glued_number(self, offset: int) -> bool:
        following = self._peek(offset)
        return following is not None and following.kind == "num" and not following.spaced

    def _longest(self, table: dict[tuple[str, ...], Any], starts: frozenset[str],
                 longest: int) -> tuple[tuple[str, ...], Any] | None:
        raws = self.raws
        if raws[self.pos].key not in starts:
            return None
        keys: list[str] = []
        for raw in raws[self.pos:self.pos + longest]:
            if raw.kind != "word":
                break
            keys.append(raw.key)
        for size in range(len(keys), 0, -1):
            words = tuple(keys[:size])
            if words in table:
                return words, table[words]
        return None

    def _roman(self, raw: Raw) -> bool:
        after_dash = self._last() == "dash" and len(self.out) > 1 and self.out[-2].type == "ROMAN"
        if raw.key not in ROMAN or not (self._last() == "QUY" or after_dash):
            return False
        self._emit("ROMAN", ROMAN[raw.key], raw.start, raw.end)
        self.pos += 1
        return True

    def _number_word(self, raw: Raw) -> bool:
        """"sáu tháng", "hai lần", "tháng Bảy", "mười lăm": number words where a number fits."""
        keys, norms = [], []
        for offset in range(4):
            word = self._peek(offset)
            if word is None or word.kind != "word":
                break
            keys.append(word.key)
            norms.append(word.norm)
        found = number_words(keys, norms)
        if found is None:
            return False
        value, used = found
        after = self._peek_word(used)
        last = self._last()
        if not self._number_fits(raw, value, used, after, last):
            return False
        beyond = self._peek(used + 1)
        if raw.key == "sau" and raw.norm == "sau" and beyond is not None and beyond.kind == "num":
            return False  # "sau tháng 10/2022": after, not six
        end = self.raws[self.pos + used - 1].end
        self._emit("NUM", value, raw.start, end)
        if keys[0] in ("gieng", "chap") or (last == "THANG" and keys[0] == "chap"):
            self._emit("AMLICH", None, raw.start, end)
        self.pos += used
        return True

    @staticmethod
    def _number_fits(raw: Raw, value: int, used: int, after: str, last: str) -> bool:
        if raw.key in ("gieng", "chap"):
            return last == "THANG"
        if raw.key == "sau" and used == 1:  # "sáu" six, "sau" after
            return (raw.norm == "sáu" and after in _UNIT_AFTER | {"nam"}) or (
                raw.norm == "sau" and after in ("thang", "lan") and last not in ("NUM",))
        if raw.key == "tu" and used == 1:
            return raw.norm == "tư" and last == "THANG"
        if raw.key == "nam" and used == 1:
            return after in ("ngay", "lan", "tuan") and last not in (
                "HANG", "DAU", "CUOI", "GIUA", "NAM", "labelword", "unknown")
        if last in ("THANG", "NGAY"):
            return value <= 31
        return after in _UNIT_AFTER or (used > 1 and after in ("nam",))

    def _keyword(self, type_: str, words: tuple[str, ...]) -> None:
        first = self.raws[self.pos]
        last_raw = self.raws[self.pos + len(words) - 1]
        self.pos += len(words)
        handler = getattr(self, f"_kw_{type_.lower()}", None)
        if handler is not None and handler(first, last_raw, words):
            return
        value = BOUNDS.get(words) if type_ == "BOUND" else None
        self._emit(type_, value, first.start, last_raw.end)

    # Keywords whose terminal depends on their neighbours. Each returns True when it emitted.
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
        """"thứ Hai" / "thứ 2" is Monday; after "tuần", "thứ hai" is the second week."""
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
        """"bắt đầu ngày 06/9/2024, kết thúc ngày 18/01/2025" is one span."""
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
        """"Rằm" is the 15th of a lunar month."""
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
        """"sau" + free text is an event; "sau khi …" too; "sau Tết", "sau 6 tháng" are not."""
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
        """"kể từ ngày 01/7/2025" is "from"; "kể từ (ngày|khi) kết thúc …" an event."""
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
        """"trong năm 2024", "02 lần trong (01) năm": "trong" adds nothing to the period."""
        following = self._peek()
        if following is not None and (following.key == "1" or following.key == "mot") \
                and self._peek_word(1) in _SLASH_UNITS:
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
            self._emit("labelword", self.phrase[first.start:last.end], first.start, last.end)
            return True  # "Hạn nộp là ngày 10 …": "hạn nộp" names the deadline
        return self._peek_word(offset) == "truoc"  # "hạn: trước 15/6" is "trước 15/6"

    def _kw_trongvong(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        return self._peek_word() == "tu"  # "trong thời gian từ tháng 5 đến …"

    def _kw_giaidoan(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        return self._peek_word() == "tu"  # "giai đoạn từ nay đến hết tháng 6/2025"

    def _kw_ngay(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        """"Ngày tựu trường: 13/8": "ngày" before a noun names the day, it is no date."""
        following = self._peek()
        if following is None or following.kind != "word" or following.key in _AFTER_NGAY \
                or self._last() not in ("", "comma", "linesep", "labelword", "unknown"):
            return False
        self._emit("labelword", self.phrase[first.start:last.end], first.start, last.end)
        return True

    def _kw_tuan(self, first: Raw, last: Raw, words: tuple[str, ...]) -> bool:
        """"Tuần 3: từ 13/01 đến 17/01/2025": a week number before dates; the dates win."""
        following = self._peek()
        if following is None or following.kind != "num":
            return False
        self.pos += 1
        after = self._peek()
        if after is not None and after.kind == "colon":
            self.pos += 1
            return True
        if after is not None and (after.kind == "num" or (after.kind == "word"
                                                          and after.key in ("tu", "ngay"))):
            return True
        self._emit("TUAN", None, first.start, last.end)
        self._emit("ORDINAL", following.value, following.start, following.end)
        return True

    def _text(self) -> None:
        """The words of an event or trigger, as written, up to the end of the clause."""
        start = self.pos
        while self.pos < len(self.raws):
            raw = self.raws[self.pos]
            if raw.kind in _TEXT_STOP or (raw.kind == "word" and raw.key in _TEXT_STOP_WORDS) \
                    or (raw.kind == "dash" and raw.spaced) or (raw.kind == "comma" and (
                        self._peek(1) is None or self._peek(1).kind == "num"
                        or self._peek_word(1) in _TIMING_STARTS)):
                break
            self.pos += 1
        if self.pos > start:
            first, last = self.raws[start], self.raws[self.pos - 1]
            text = self.phrase[first.start:last.end].strip(" .…")
            if text:
                self._emit("TEXT", text, first.start, last.end)
