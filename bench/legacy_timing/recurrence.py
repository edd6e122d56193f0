"""Items that say how often or on what: cadences, "thường xuyên", "đột xuất", "sau …"."""

from __future__ import annotations

from bench.legacy_timing.clause import AfterSpec, Clause
from bench.legacy_timing.events import find_event
from bench.legacy_timing.lexer import strip_diacritics
from bench.legacy_timing.when import WhenItems

MONTHS_TO_KIND = {1: "monthly", 3: "quarterly", 6: "halfyearly", 12: "yearly"}
UNIT_KIND = {"nam": "yearly", "quy": "quarterly", "thang": "monthly", "tuan": "weekly"}
# (unit, times per unit) -> cadence: "2 lần/năm" is half-yearly.
TIMES_KIND = {
    ("nam", 1): "yearly", ("nam", 2): "halfyearly", ("nam", 4): "quarterly",
    ("nam", 12): "monthly", ("quy", 1): "quarterly", ("quy", 3): "monthly",
    ("thang", 1): "monthly", ("tuan", 1): "weekly",
}
_HINT_CADENCE = "Định kỳ 6 tháng/lần, Định kỳ hằng quý, 2 lần/năm"
# Where the text of an event or a trigger stops.
_TEXT_END = {"semi", "nl", "rp", "lp", "slash", "comma"}
_LONGEST_WAIT = 366  # days after an event; more is a typo, not a plan
_TIME_WORDS = {"thang", "nam", "quy", "ngay", "tuan", "truoc", "hang", "moi", "dinh"}


def _starts_with_timing(text: str) -> bool:
    """"sau 6 tháng", "sau ngày 15": a time, not an event to wait for."""
    words = strip_diacritics(text).split()
    return not words or words[0].isdigit() or words[0] in _TIME_WORDS


class RecurrenceItems(WhenItems):
    def try_ongoing(self, clause: Clause) -> bool:
        if self.take_words("thuong", "xuyen") or self.take_words("lien", "tuc"):
            clause.ongoing = True
            return True
        if self.take_words("hang|moi", "ngay"):
            clause.ongoing = True
            clause.assumptions.append("Việc «hằng ngày» được theo dõi như việc thường xuyên: "
                                      "không nhắc mỗi ngày, chỉ kiểm tra định kỳ.")
            return True
        return False

    def try_adhoc(self, clause: Clause) -> bool:
        start = self.peek()
        if start is None:
            return False
        if self.take_words("dot", "xuat") or self.take_words("theo", "yeu", "cau"):
            clause.adhoc = self.phrase[start.start:self.last_end].strip(" .…")
            return True
        if self.at_words("khi"):
            self.pos += 1
            if self._free_text() is None:
                raise self.error(start.start, start.end, "thiếu điều kiện sau «khi»",
                                 "Khi có yêu cầu, Khi có thay đổi văn bản")
            clause.adhoc = self.phrase[start.start:self.last_end].strip(" .…")
            return True
        return False

    def _free_text(self) -> str | None:
        """Words up to the end of the clause, as written (an event, a trigger)."""
        first = self.peek()
        while not self.at_end():
            token = self.peek()
            if token.kind in _TEXT_END or token.is_word("hoac", "hay") or (
                    token.kind == "dash" and token.spaced):
                break
            self.pos += 1
        if first is None or self.pos == 0 or self.tokens[self.pos - 1].start < first.start:
            return None
        text = self.phrase[first.start:self.last_end].strip(" .…")
        return text or None

    def try_condition(self, clause: Clause) -> bool:
        """"nếu trùng ngày nghỉ thì [lùi về ngày làm việc trước đó | chuyển sang ngày …]"."""
        if not self.at_words("neu"):
            return False
        end = self.pos
        while end < len(self.tokens) and self.tokens[end].kind not in ("semi", "nl", "rp"):
            end += 1
        keys = [t.key for t in self.tokens[self.pos:end] if t.kind == "word"]
        if "nghi" not in keys:
            return False
        clause.has_condition = True
        then = keys[keys.index("thi") + 1:] if "thi" in keys else []
        if {"truoc", "som"} & set(then):
            clause.on_day_off = "previous"
        elif {"tiep", "sau", "lui", "hoan"} & set(then):
            clause.on_day_off = "next"
        else:
            clause.assumptions.append("Không ghi cách dời hạn khi trùng ngày nghỉ: dời theo lịch "
                                      "làm việc (mặc định về ngày làm việc liền trước).")
        self.pos = end
        return True

    def try_after(self, clause: Clause) -> bool:
        """"sau hoạt động ĐGNB", "trong thời hạn 15 ngày làm việc kể từ khi …"."""
        start = self.peek()
        if start is None:
            return False
        saved = self.pos
        if self.at_words("sau") and not self.is_six():
            self.pos += 1
            days = self._duration()
            if days is not None:
                self._event_keyword()
            return self._event(clause, start.start, days)
        if self.take_words("trong", "thoi", "han") or self.take_words("trong", "vong") \
                or self.take_words("trong"):
            days = self._duration()
            if days is None:
                self.pos = saved
                return False
        else:
            days = self._duration()
            if days is None:
                return False
        if not self._event_keyword():
            raise self.error(start.start, self.last_end, "thiếu mốc tính hạn (kể từ khi nào?)",
                             "Trong thời hạn 15 ngày làm việc kể từ khi kết thúc ĐGNB")
        return self._event(clause, start.start, days)

    def _event_keyword(self) -> bool:
        return self.take_words("ke", "tu") or self.take_words("tu") or self.take_words("sau")

    def _duration(self) -> tuple[int, bool] | None:
        """"15 ngày làm việc" -> (15, True); "15 ngày" -> (15, False) (calendar days)."""
        saved = self.pos
        start = self.peek()
        count = self.number()
        if count is None or start is None or not self.take_words("ngay"):
            self.pos = saved
            return None
        if not 0 < count <= _LONGEST_WAIT:
            raise self.error(start.start, self.last_end, f"thời hạn {count} ngày không hợp lệ",
                             "Trong thời hạn 15 ngày làm việc kể từ khi kết thúc ĐGNB")
        return count, self.take_words("lam", "viec")

    def _event(self, clause: Clause, start: int, days: tuple[int, bool] | None) -> bool:
        self.take_words("khi")
        self.take_words("ngay")
        text = self._free_text()
        if text is None:
            raise self.error(start, self.last_end, "thiếu sự kiện để tính hạn",
                             "Sau hoạt động ĐGNB")
        event = find_event(text)
        if event is None and _starts_with_timing(text):
            raise self.error(start, self.last_end, f"chưa hiểu «sau {text}»: cần tên một sự kiện",
                             "Sau hoạt động ĐGNB, Trong thời hạn 15 ngày làm việc kể từ khi "
                             "kết thúc ĐGNB")
        working, calendar = (None, None) if days is None else (
            (days[0], None) if days[1] else (None, days[0]))
        clause.after = AfterSpec(text, event.key if event else "", working, calendar)
        return True

    def try_periodic(self, clause: Clause) -> bool:
        if self.take_words("dinh", "ky"):
            clause.periodic = True
            return True
        return False

    def try_recurrence(self, clause: Clause) -> bool:
        start = self.peek()
        if start is None:
            return False
        saved = self.pos
        kind = self._cadence(clause)
        if kind is None:
            self.pos = saved
            return False
        if clause.recurrence not in (None, kind):
            raise self.error(start.start, self.last_end, "hai chu kỳ khác nhau trong cùng một vế",
                             _HINT_CADENCE)
        clause.recurrence = kind
        return True

    def _cadence(self, clause: Clause) -> str | None:
        self.take_words("cuoi")  # "cuối mỗi quý": the end of the period is the default
        if self.at_words("hang|moi|cac", "nam|quy|thang|tuan"):
            return UNIT_KIND[self.take(2)[1].key]
        if self.take_words("ban", "nien") or self.take_words("nua", "nam"):
            self._once_marker()
            return "halfyearly"
        self.take_words("hang|moi")
        start = self.peek()
        count = self.number()
        if count is None or start is None:
            return None
        if self.at_words("thang|nam"):
            unit = self.peek().key
            months = count * (12 if unit == "nam" else 1)
            if self.at_words("thang|nam", "lan") or self._once_marker(offset=1) or (
                    clause.periodic and unit == "thang" and not self.at_words("thang", "dau|cuoi")):
                self.pos += 1
                self._once_marker()
                return self._months_kind(months, start.start)
            return None
        if self.take_words("lan"):
            self.take_words("trong|moi|mot|tren")
            self._slash()
            if self.at_words("nam|quy|thang|tuan"):
                unit = self.take()[0].key
                kind = TIMES_KIND.get((unit, count))
                if kind is None:
                    raise self.error(start.start, self.last_end, "chưa hỗ trợ tần suất này",
                                     _HINT_CADENCE)
                return kind
        return None

    def _slash(self) -> bool:
        token = self.peek()
        if token is not None and token.kind == "slash":
            self.pos += 1
            return True
        return False

    def _once_marker(self, offset: int = 0) -> bool:
        """"/lần", "một lần", "1 lần" at `offset`; consumed only when offset is 0."""
        saved = self.pos
        self.pos += offset
        found = self._read_once_marker()
        if offset or not found:
            self.pos = saved
        return found

    def _read_once_marker(self) -> bool:
        saved = self.pos
        if self._slash() and self.take_words("lan"):
            return True
        self.pos = saved
        if self.take_words("mot", "lan"):
            return True
        token = self.peek()
        if token is not None and token.kind == "num" and token.value == 1 \
                and self.at_words("lan", offset=1):
            self.pos += 2
            return True
        return False

    def _months_kind(self, months: int, start: int) -> str:
        kind = MONTHS_TO_KIND.get(months)
        if kind is None:
            raise self.error(start, self.last_end, f"chưa hỗ trợ chu kỳ {months} tháng",
                             _HINT_CADENCE)
        return kind

    def try_qualifier(self, clause: Clause) -> bool:
        """The period a report covers: "Báo cáo 6 tháng", "năm", "quý", "tháng"."""
        start = self.peek()
        if start is None:
            return False
        saved = self.pos
        count = self.number()
        if count is not None and self.take_words("thang"):
            if count not in (3, 6, 9, 12):
                raise self.error(start.start, self.last_end, f"chưa hiểu kỳ {count} tháng",
                                 "Báo cáo 6 tháng, Báo cáo năm")
            return self._qualify(clause, start.start, f"{count} tháng", (1, count), None)
        self.pos = saved
        for key, text, months, kind in (("nam", "năm", (1, 12), None),
                                        ("quy", "quý", None, "quarterly"),
                                        ("thang", "tháng", None, "monthly"),
                                        ("tuan", "tuần", None, "weekly")):
            if self.at_words(key) and not self._next_is_number(1):
                self.pos += 1
                return self._qualify(clause, start.start, text, months, kind)
        return False

    def _qualify(self, clause: Clause, start: int, text: str,
                 months: tuple[int, int] | None, kind: str | None) -> bool:
        if clause.qualifier is not None:
            raise self.error(start, self.last_end, "hai kỳ báo cáo trong cùng một vế: tách bằng "
                             "dấu phẩy", "Báo cáo 6 tháng trước 15/6, năm trước 30/11 hằng năm")
        clause.qualifier = (text, months, kind)
        return True
