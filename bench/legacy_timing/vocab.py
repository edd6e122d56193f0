"""The words of timing phrases, keyed by their diacritic-stripped form.

Multi-word tables map a tuple of stripped keys to the Vietnamese text shown to people,
so a label typed without diacritics ("bao cao") is still displayed as "Báo cáo".
"""

from __future__ import annotations

from bench.legacy_timing.events import EVENT_WORDS

# Activity nouns that name what a deadline is for: "Báo cáo 6 tháng", "Kế hoạch:".
LABELS: dict[tuple[str, ...], str] = {
    ("bao", "cao"): "báo cáo", ("ke", "hoach"): "kế hoạch", ("theo", "doi"): "theo dõi",
    ("tong", "hop"): "tổng hợp", ("kiem", "tra"): "kiểm tra", ("danh", "gia"): "đánh giá",
    ("ra", "soat"): "rà soát", ("cap", "nhat"): "cập nhật", ("xay", "dung"): "xây dựng",
    ("trien", "khai"): "triển khai", ("hop",): "họp", ("thong", "ke"): "thống kê",
    ("so", "ket"): "sơ kết", ("tong", "ket"): "tổng kết", ("ban", "hanh"): "ban hành",
    ("gui",): "gửi", ("nop",): "nộp", ("giao", "ban"): "giao ban",
    ("chuong", "trinh"): "chương trình", ("khao", "sat"): "khảo sát",
    ("niem", "yet"): "niêm yết", ("xem", "xet"): "xem xét", ("phe", "duyet"): "phê duyệt",
    ("cong", "bo"): "công bố", ("ket", "qua"): "kết quả", ("dao", "tao"): "đào tạo",
    ("tap", "huan"): "tập huấn", ("boi", "duong"): "bồi dưỡng", ("cong", "tac"): "công tác",
    ("tu", "danh", "gia"): "tự đánh giá", ("danh", "gia", "noi", "bo"): "đánh giá nội bộ",
    ("dgnb",): "ĐGNB", ("xem", "xet", "cua", "lanh", "dao"): "xem xét của lãnh đạo",
    ("mtcl",): "MTCL", ("iso",): "ISO", ("lap",): "lập", ("trinh",): "trình",
}

# Words that add nothing to when: "hoàn thành trước tháng 11", "thực hiện hằng quý".
FILLERS: set[tuple[str, ...]] = {
    ("hoan", "thanh"), ("thuc", "hien"), ("la",), ("duoc",), ("vao",), ("dam", "bao"),
    ("to", "chuc"), ("mot", "cach"),
}

UNITS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9}
# Only in compounds: "mười lăm" (15), "hai mươi mốt" (21), "hai mươi tư" (24).
COMPOUND_UNITS = {"lam": 5, "mot": 1, "tu": 4}

WEEKDAY_WORDS = {"hai": 0, "ba": 1, "tu": 2, "nam": 3, "sau": 4, "bay": 5}
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

TIMING_WORDS = {
    "thang", "quy", "nam", "tuan", "ngay", "hang", "moi", "dinh", "ky", "thuong", "xuyen",
    "dot", "xuat", "truoc", "sau", "cham", "nhat", "den", "het", "tu", "trong", "lan",
    "hoac", "va", "hay", "dau", "cuoi", "giua", "thu", "chu", "khi", "co", "yeu", "cau",
    "can", "thiet", "phat", "sinh", "thay", "doi", "ke", "thoi", "han", "vong", "lam",
    "viec", "nghi", "le", "trung", "neu", "thi", "roi", "lui", "chuyen", "sang", "tiep",
    "lien", "som", "hon", "muoi", "linh", "nua", "ban", "nien", "chot", "tuc", "nay",
    "hoat", "dong", "ket", "thuc", "lai", "ve", "kem", "theo", "q", "t",
}

# Mended silently would be a misreading; mended and reported is a kindness.
TYPOS: dict[str, tuple[str, str]] = {
    "thnag": ("thang", "tháng"), "thag": ("thang", "tháng"), "tahng": ("thang", "tháng"),
    "thg": ("thang", "tháng"), "qui": ("quy", "quý"), "ki": ("ky", "kỳ"),
    "hnag": ("hang", "hàng"), "hagn": ("hang", "hàng"), "thuogn": ("thuong", "thường"),
    "xuyne": ("xuyen", "xuyên"),
}

KNOWN_WORDS: frozenset[str] = frozenset(
    TIMING_WORDS
    | {word for phrase in LABELS for word in phrase}
    | {word for phrase in FILLERS for word in phrase}
    | set(UNITS) | set(COMPOUND_UNITS) | set(ROMAN) | EVENT_WORDS
)

# Canonical forms, for "did you mean" hints.
KNOWN_FORMS = (
    "Tháng 01/2024", "Tháng 2-3/2024", "Quý I/2024", "Quý I năm 2024", "Trong năm 2024",
    "6 tháng đầu năm", "Cuối năm", "Trước ngày 30/8/2024", "Trước ngày 30 tháng 8 hằng năm",
    "Chậm nhất ngày 20/7/2024", "Hoàn thành trước tháng 11/2024",
    "Trước ngày 15/6 và trước 30/11 hằng năm", "Từ ngày 01/3/2024 đến hết ngày 15/3/2024",
    "Tháng 12/2023 – Quý I/2024", "Hằng năm", "Hằng quý", "Hằng tháng", "Hằng tuần",
    "Vào thứ Hai hằng tuần", "Ngày 15 hằng tháng", "Trước ngày 25 hằng tháng",
    "Định kỳ 6 tháng/lần", "Định kỳ hằng quý", "2 lần/năm", "Thường xuyên", "Đột xuất",
    "Khi có yêu cầu", "Sau hoạt động ĐGNB",
    "Trong thời hạn 15 ngày làm việc kể từ khi kết thúc ĐGNB",
    "Báo cáo 6 tháng trước 15/6, năm trước 30/11 hằng năm",
    "Kế hoạch: tháng 01/2024 - Báo cáo: 6 tháng (trước ngày 1/6/2024)",
)
