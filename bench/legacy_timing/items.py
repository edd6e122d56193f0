"""The items a clause is made of, tried in order; each consumes its words or nothing."""

from __future__ import annotations

from collections.abc import Callable

from bench.legacy_timing.clause import Anchor, Clause, PeriodRef
from bench.legacy_timing.recurrence import RecurrenceItems
from bench.legacy_timing.vocab import FILLERS, LABELS, UNITS

_LONGEST_LABEL = max(len(words) for words in LABELS)
_LONGEST_FILLER = max(len(words) for words in FILLERS)
_HINT_FROM_TO = "Từ ngày 01/3/2024 đến hết ngày 15/3/2024"


_NUMBER = {"#num", "muoi", *UNITS}
# The words each item can start with. The order matters: "sau" is "after" before it is
# anything else, "trong thời hạn" a duration before "trong" is a period, a cadence
# before a bare "6 tháng". Only the items a word can start are tried (the hot path).
_STARTERS: tuple[tuple[str, set[str]], ...] = (
    ("try_ongoing", {"thuong", "lien", "hang", "moi"}),
    ("try_adhoc", {"dot", "theo", "khi"}),
    ("try_condition", {"neu"}),
    ("try_after", {"sau", "trong", *_NUMBER}),
    ("try_periodic", {"dinh"}),
    ("try_recurrence", {"cuoi", "hang", "moi", "cac", "ban", "nua", *_NUMBER}),
    ("try_from_to", {"tu"}),
    ("try_period", {"trong", "dau", "cuoi", "giua", "thang", "t", "q", "quy", "nam", *_NUMBER}),
    ("try_deadline", {"truoc", "cham", "den", "han", "vao", "ngay"}),
    ("try_weekday", {"chu", "thu"}),
    ("try_bare_date", {"#num"}),
    ("try_qualifier", {"nam", "quy", "thang", "tuan", *_NUMBER}),
    ("try_label", {words[0] for words in LABELS}),
    ("try_filler", {words[0] for words in FILLERS}),
)
_ITEMS_BY_FIRST_WORD: dict[str, tuple[str, ...]] = {
    key: tuple(name for name, starters in _STARTERS if key in starters)
    for key in set().union(*(starters for _, starters in _STARTERS))
}


class Items(RecurrenceItems):
    def parse_item(self, clause: Clause) -> bool:
        """Read one item into `clause`; False when the next word starts none."""
        token = self.peek()
        if token is None:
            return False
        key = "#num" if token.kind == "num" else token.key
        attempts: tuple[Callable[[Clause], bool], ...] = tuple(
            getattr(self, name) for name in _ITEMS_BY_FIRST_WORD.get(key, ()))
        return any(attempt(clause) for attempt in attempts)

    # --- deadlines -----------------------------------------------------------------------
    def try_deadline(self, clause: Clause) -> bool:
        """"trước [ngày] …", "chậm nhất [ngày] …", "đến hết [ngày] …", "hạn: …", "ngày 15"."""
        start = self.pos
        if self.at_words("truoc"):
            if self.at_words("truoc", "khi"):
                raise self.error_here("chưa hiểu hạn «trước khi …»",
                                      "Trước ngày 30/8/2024 hoặc Sau hoạt động ĐGNB")
            self.pos += 1
            return self._deadline_after_keyword(clause, before=True)
        inclusive = (("cham", "nhat"), ("den", "het"), ("den",), ("han", "chot"), ("han",))
        for words in inclusive:
            if self.take_words(*words):
                return self._deadline_after_keyword(clause, before=False)
        if self.at_words("vao|ngay") and self._starts_date(1):
            self.take_words("vao")
            return self._deadline_after_keyword(clause, before=False)
        self.pos = start
        return False

    def _starts_date(self, offset: int) -> bool:
        token = self.peek(offset)
        if token is None:
            return False
        if token.is_word("ngay"):
            return self._starts_date(offset + 1)
        saved = self.pos
        self.pos += offset
        is_number = self.number() is not None
        self.pos = saved
        return is_number

    def _deadline_after_keyword(self, clause: Clause, *, before: bool) -> bool:
        keyword_start = self.tokens[self.pos - 1].start
        while self.peek() is not None and self.peek().kind == "colon":
            self.pos += 1
        self.take_words("la")
        before = before or self.take_words("truoc")
        self.take_words("vao")
        if not self.at_words("ngay"):
            period = self.period_spec(clause)
            if period is not None:
                self._deadline_from_period(clause, period, before=before)
                return True
        self.take_words("ngay")
        anchor = self.date_spec(before=before)
        if anchor is None:
            raise self.error(keyword_start, self.last_end, "thiếu ngày của hạn",
                             "Trước ngày 15/6/2024, Chậm nhất ngày 20/7/2024")
        self._set_anchor(clause, anchor)
        clause.last_number = anchor.day
        return True

    def _deadline_from_period(self, clause: Clause, period: PeriodRef, *, before: bool) -> None:
        if not before:  # "chậm nhất tháng 11/2024": within that month
            clause.periods.append(period)
            return
        if period.is_range:
            raise self.error(period.start, period.end, "hạn «trước …» cần một mốc, không phải "
                             "một khoảng", "Trước tháng 11/2024")
        anchor = Anchor(day=1, month=period.first_month, year=period.year, before=True,
                        month_start=True, start=period.start, end=period.end)
        self._set_anchor(clause, anchor)

    def _set_anchor(self, clause: Clause, anchor: Anchor) -> None:
        if clause.anchor is not None:
            raise self.error(anchor.start, anchor.end,
                             "hai hạn trong cùng một vế: tách bằng dấu phẩy hoặc «và»",
                             "Trước ngày 15/6 và trước 30/11 hằng năm")
        clause.anchor = anchor

    def try_from_to(self, clause: Clause) -> bool:
        """"từ ngày 01/3 đến hết ngày 15/3/2024", "từ tháng 3 đến tháng 5/2024"."""
        token = self.peek()
        if token is None or not token.is_word("tu") or token.norm in ("tư", "tự"):
            return False
        if not (self.at_words("ngay|thang|quy|nam", offset=1) or self._starts_date(1)):
            return False
        self.pos += 1
        first_period = None if self.at_words("ngay") else self.period_spec(clause)
        if first_period is not None:
            self._expect_until()
            clause.periods.extend([first_period, self.period_spec(clause) or self._bare_month()])
            return True
        self.take_words("ngay")
        opens = self.date_spec()
        self._expect_until()
        self.take_words("ngay")
        closes = self.date_spec()
        if opens is None or closes is None:
            raise self.error(token.start, self.last_end, "thiếu ngày bắt đầu hoặc kết thúc",
                             _HINT_FROM_TO)
        clause.opens = opens
        self._set_anchor(clause, closes)
        return True

    def _expect_until(self) -> None:
        if not (self.take_words("den", "het") or self.take_words("den")):
            raise self.error_here("thiếu «đến …» sau «từ …»", _HINT_FROM_TO)

    def try_weekday(self, clause: Clause) -> bool:
        start = self.peek()
        weekday = self.weekday_spec()
        if weekday is None or start is None:
            return False
        self._set_anchor(clause, Anchor(weekday=weekday, start=start.start, end=self.last_end))
        return True

    def try_bare_date(self, clause: Clause) -> bool:
        """A date or month written alone: "Hạn: 15/6" reads "15/6"; "01/2024" a month."""
        start = self.pos
        group = self.number_group()
        if group is None or len(group.parts) == 1:
            self.pos = start
            return False
        if len(group.parts) == 2 and group.parts[1] >= 1000:
            self.pos = start
            return self.try_period_from_group(clause)
        self.pos = start
        anchor = self.date_spec()
        assert anchor is not None
        self._set_anchor(clause, anchor)
        clause.last_number = anchor.day
        return True

    def try_period_from_group(self, clause: Clause) -> bool:
        group = self.number_group()
        assert group is not None
        clause.periods.append(self._months_from_group(group))
        return True

    # --- words ---------------------------------------------------------------------------
    def try_label(self, clause: Clause) -> bool:
        for size in range(_LONGEST_LABEL, 0, -1):
            words = tuple(token.key for token in self.tokens[self.pos:self.pos + size]
                          if token.kind == "word")
            if len(words) == size and words in LABELS:
                self.pos += size
                clause.label.append(LABELS[words])
                return True
        return False

    def try_filler(self, clause: Clause) -> bool:
        for size in range(_LONGEST_FILLER, 0, -1):
            words = tuple(token.key for token in self.tokens[self.pos:self.pos + size]
                          if token.kind == "word")
            if len(words) == size and words in FILLERS:
                self.pos += size
                return True
        return False
