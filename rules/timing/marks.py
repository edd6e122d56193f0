"""Lexer pass over parentheses and day-off rules, before words become terminals.

A parenthesis either repeats a number in words ("ngày 20 (hai mươi)": it must agree with
the number it follows), checks a Gregorian date against the lunar one ("06/10/2025 (15/8
âm lịch)"), holds a day-off rule ("(nếu trùng ngày nghỉ thì …)"), continues the clause
("6 tháng (trước ngày 1/6/2023)"), or is a remark kept as the schedule's note. A remark
that hides a deadline is refused rather than dropped.
"""

from __future__ import annotations

from rules.timing.model import TimingError
from rules.timing.vocab import COMPOUND_UNITS, KNOWN_WORDS, UNITS
from rules.timing.words import Raw

_HINT_ECHO = "Ngày 15 (mười lăm) hằng tháng"
_DAY_OFF_WORDS = {"nghi", "le", "tet", "nhat", "bay"}
_THEN_NEXT = {"tiep", "sau", "ke", "hoan", "lui"}
_THEN_PREVIOUS = {"truoc", "som"}


def number_words(keys: list[str], norms: list[str]) -> tuple[int, int] | None:
    """A number written in words at the start of `keys`: (value, words used), or None.

    "mười lăm" -> (15, 2); "hai mươi mốt" -> (21, 3); "sáu" -> (6, 1).
    """
    if not keys:
        return None
    first = keys[0]
    if first == "muoi":
        tens, used = 1, 1
    elif first in UNITS and len(keys) > 1 and keys[1] == "muoi" and first != "muoi":
        tens, used = UNITS[first], 2
    elif first in UNITS:
        return UNITS[first], 1
    else:
        return None
    if used < len(keys) and keys[used] in ("linh", "le"):
        used += 1
    if used < len(keys):
        key, norm = keys[used], norms[used]
        if key == "tu" and norm == "từ":
            return tens * 10, used
        unit = COMPOUND_UNITS.get(key, UNITS.get(key))
        if (
            unit is not None
            and key not in ("muoi", "gieng", "chap")
            and not (key == "nam" and norm == "năm" and used + 1 < len(keys))
        ):
            return tens * 10 + unit, used + 1
    return tens * 10, used


def condition_mode(raws: list[Raw]) -> str | None:
    """ "nếu trùng ngày nghỉ thì chuyển sang ngày làm việc tiếp theo" -> "next"."""
    keys = [r.key for r in raws if r.kind == "word"]
    then = keys[keys.index("thi") + 1 :] if "thi" in keys else keys
    if "gan" in then and "nhat" in then:
        return "nearest"
    if _THEN_PREVIOUS & set(then) or ("lien" in then and "truoc" in then):
        return "previous"
    if _THEN_NEXT & set(then):
        return "next"
    return None


def is_day_off_rule(raws: list[Raw]) -> bool:
    keys = {r.key for r in raws if r.kind == "word"}
    return "trung" in keys and bool(_DAY_OFF_WORDS & keys)


class Marks:
    """Removes parentheses (and lifts day-off rules) from the raw tokens of one phrase."""

    def __init__(self, phrase: str) -> None:
        self.phrase = phrase
        self.notes: list[str] = []

    def run(self, raws: list[Raw]) -> list[Raw]:
        if not any(r.kind in ("lp", "rp") or r.key == "neu" for r in raws):
            return raws  # the hot path: most cells have neither
        out: list[Raw] = []
        index = 0
        while index < len(raws):
            raw = raws[index]
            if raw.kind == "lp":
                index = self._parenthesis(raws, index, out)
            elif raw.kind == "rp":
                index += 1
            elif raw.kind == "word" and raw.key == "neu":
                index = self._condition(raws, index, out, stop={"semi", "nl", "bullet"})
            else:
                out.append(raw)
                index += 1
        return out

    def _parenthesis(self, raws: list[Raw], index: int, out: list[Raw]) -> int:
        opening = raws[index]
        depth, end = 1, index + 1
        while end < len(raws) and depth:
            depth += {"lp": 1, "rp": -1}.get(raws[end].kind, 0)
            end += 1
        closed = depth == 0
        inner = [
            r for r in raws[index + 1 : end - 1 if closed else end] if r.kind not in ("lp", "rp")
        ]
        closing = raws[end - 1].start if closed else len(self.phrase)
        if not inner:
            return end
        if inner[0].kind == "word" and inner[0].key == "neu":
            self._condition(inner, 0, out, stop=set())
        elif self._echo(inner, out) or self._lunar_check(inner, out):
            pass
        elif self._continues(inner):
            out.extend(inner)
        else:
            self._remark(inner, self.phrase[opening.end : closing].strip())
        return end

    def _condition(self, raws: list[Raw], index: int, out: list[Raw], stop: set[str]) -> int:
        end = index
        while end < len(raws) and raws[end].kind not in stop:
            end += 1
        part = raws[index:end]
        if not is_day_off_rule(part):
            raise TimingError(
                self.phrase,
                (part[0].start, part[-1].end),
                "chưa hiểu điều kiện «nếu …»",
                "nếu trùng ngày nghỉ thì chuyển sang ngày làm việc tiếp theo",
            )
        first, last = part[0], part[-1]
        out.append(
            Raw(
                "cond",
                self.phrase[first.start : last.end],
                first.start,
                last.end,
                first.spaced,
                key=condition_mode(part) or "",
            )
        )
        return end

    def _echo(self, inner: list[Raw], out: list[Raw]) -> bool:
        """ "20 (hai mươi)": the number again, in words. It must agree with the one before."""
        if any(r.kind != "word" for r in inner):
            return False
        found = number_words([r.key for r in inner], [r.norm for r in inner])
        if found is None or found[1] != len(inner):
            return False
        before = next((r for r in reversed(out) if r.kind in ("num", "word")), None)
        if before is None or before.kind != "num":
            return False
        if found[0] != before.value:
            raise TimingError(
                self.phrase,
                (inner[0].start, inner[-1].end),
                f"số viết bằng chữ ({found[0]}) không khớp với số {before.value}",
                _HINT_ECHO,
            )
        return True

    def _lunar_check(self, inner: list[Raw], out: list[Raw]) -> bool:
        """ "06/10/2025 (15/8 âm lịch)", "(26 tháng Chạp Âm lịch)", "(mùng 5 tháng Giêng)": the
        lunar date beside a Gregorian one."""
        keys = [
            r.key if r.kind == "word" else (r.key if r.kind == "num" else r.kind) for r in inner
        ]
        lunar = (
            keys[-2:] == ["am", "lich"] or keys[-1:] == ["al"] or "gieng" in keys or "chap" in keys
        )
        if not lunar or not out or out[-1].kind != "num":
            return False
        while keys and keys[-1] in ("am", "lich", "al"):
            keys.pop()
        if keys and keys[0] in ("ngay", "mung", "mong"):
            keys.pop(0)
        if len(keys) == 3 and keys[1] in ("slash", "thang"):
            day, month = keys[0], keys[2]
        else:
            return False
        months = {"gieng": "1", "chap": "12", **{k: str(v) for k, v in UNITS.items()}}
        month = months.get(month, month)
        if not (day.isdigit() and month.isdigit()):
            return False
        out.append(
            Raw(
                "lunarcheck",
                "",
                inner[0].start,
                inner[-1].end,
                True,
                key=f"{day}/{month}/{out[-1].end}",
            )
        )
        return True

    @staticmethod
    def _continues(inner: list[Raw]) -> bool:
        """Only timing words inside: the parenthesis continues the clause."""
        return all(r.kind != "other" and (r.kind != "word" or r.key in KNOWN_WORDS) for r in inner)

    def _remark(self, inner: list[Raw], text: str) -> None:
        if _looks_timed(inner):
            raise TimingError(
                self.phrase,
                (inner[0].start, inner[-1].end),
                f"ghi chú trong ngoặc có hạn chưa đọc được: «{text}»",
                "Tách hạn ra khỏi ngoặc: «Hằng năm, trước 30/8 và 30/11»",
            )
        self.notes.append(text)


def _looks_timed(inner: list[Raw]) -> bool:
    """Does a remark we could not read carry a deadline? Then it must not become a note."""
    for index, raw in enumerate(inner):
        if raw.kind == "word" and (
            raw.key in ("truoc", "han")
            or (raw.key == "cham" and index + 1 < len(inner) and inner[index + 1].key == "nhat")
        ):
            return True
        glued = (
            index + 2 < len(inner)
            and inner[index + 1].kind in ("slash", "dot")
            and not inner[index + 1].spaced
            and inner[index + 2].kind == "num"
        )
        if raw.kind == "num" and glued:
            return True
    return False
