"""The words of timing phrases, keyed by their diacritic-stripped form.

Every table maps stripped, lower-case words to a grammar terminal (see grammar.lark), so
"hàng"/"hằng"/"hang"/"HẰNG" read alike. Multi-word keys are tuples, matched longest first.
"""

from __future__ import annotations

from rules.timing.events import EVENT_WORDS

# Keyword phrases -> terminal. Longest match wins ("chậm nhất là" before "chậm nhất").
KEYWORDS: dict[tuple[str, ...], str] = {
    ("thang",): "THANG", ("thg",): "THANG", ("quy",): "QUY", ("nam",): "NAM",
    ("tuan",): "TUAN", ("tuan", "le"): "TUAN", ("ngay",): "NGAY",
    ("hang",): "HANG", ("moi",): "HANG", ("dinh", "ky"): "DINHKY",
    ("thuong", "xuyen"): "ONGOING", ("lien", "tuc"): "ONGOING", ("quanh", "nam"): "ONGOING",
    ("suot", "nam"): "ONGOING", ("ca", "nam"): "ONGOING",
    ("dot", "xuat"): "ADHOC", ("theo", "yeu", "cau"): "ADHOC", ("khi",): "KHI",
    ("truong", "hop"): "KHI", ("khi", "can", "thiet"): "KHI",
    ("truoc",): "TRUOC", ("cham", "nhat"): "CHAMNHAT", ("muon", "nhat"): "CHAMNHAT",
    ("han", "chot"): "CHAMNHAT", ("han", "cuoi"): "CHAMNHAT", ("han",): "CHAMNHAT",
    ("thoi", "han"): "CHAMNHAT", ("den", "het"): "DENHET", ("den",): "DEN", ("toi",): "DEN",
    ("cho", "den"): "DEN", ("tu",): "TU", ("ke", "tu"): "KETU", ("sau",): "SAU",
    ("trong", "vong"): "TRONGVONG", ("trong", "thoi", "han"): "TRONGVONG",
    ("trong", "thoi", "gian"): "TRONGVONG", ("trong",): "TRONG", ("lam", "viec"): "LAMVIEC",
    ("lan",): "LAN", ("dau",): "DAU", ("dau", "tien"): "DAU", ("cuoi",): "CUOI",
    ("cuoi", "cung"): "CUOI", ("giua",): "GIUA", ("hoc", "ky"): "HOCKY", ("hoc", "ki"): "HOCKY",
    ("hk",): "HOCKY", ("nam", "hoc"): "NAMHOC", ("giai", "doan"): "GIAIDOAN",
    ("tro", "di"): "TRODI", ("tro", "ve", "sau"): "TRODI", ("nay",): "NAY", ("cua",): "CUA",
    ("am", "lich"): "AMLICH", ("al",): "AMLICH", ("duong", "lich"): "DUONGLICH",
    ("mung",): "MUNG", ("mong",): "MUNG", ("ram",): "RAM",
    ("tet", "nguyen", "dan"): "TET", ("tet", "am", "lich"): "TET", ("tet",): "TET",
    ("tet", "trung", "thu"): "TRUNGTHU", ("trung", "thu"): "TRUNGTHU",
    ("toi", "thieu"): "BOUND", ("it", "nhat"): "BOUND", ("toi", "da"): "BOUND",
    ("khong", "qua"): "BOUND", ("khong", "it", "hon"): "BOUND",
    ("nua", "nam"): "HALF", ("ban", "nien"): "HALF", ("ngay", "lam", "viec"): "NGAYLV",
    ("hoac",): "HOAC", ("hay",): "HOAC", ("va",): "VA", ("thu",): "THU", ("chu", "nhat"): "CN",
    ("hien", "nay"): "NAY", ("bat", "dau"): "BATDAU", ("bat", "dau", "tu"): "BATDAU",
    ("ket", "thuc"): "KETTHUC",
}
BOUNDS = {("toi", "thieu"): "min", ("it", "nhat"): "min", ("khong", "it", "hon"): "min",
          ("toi", "da"): "max", ("khong", "qua"): "max"}
LONGEST_KEYWORD = max(len(words) for words in KEYWORDS)

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
FILLERS: frozenset[tuple[str, ...]] = frozenset({
    ("hoan", "thanh"), ("thuc", "hien"), ("la",), ("duoc",), ("vao",), ("dam", "bao"),
    ("to", "chuc"), ("mot", "cach"), ("dien", "ra"), ("cac",), ("nhung",), ("se",),
    ("quy", "dinh"), ("theo", "quy", "dinh"), ("phai",),
    ("tien", "hanh"), ("luc",), ("o",), ("trong", "do"), ("du", "kien"), ("cu", "the"),
    ("tai",), ("theo",), ("ky",), ("ki",),
})
LONGEST_LABEL = max(len(words) for words in (*LABELS, *FILLERS))

UNITS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8,
         "chin": 9, "muoi": 10, "gieng": 1, "chap": 12}
# Only after "mươi": "mười lăm" (15), "hai mươi mốt" (21), "hai mươi tư" (24).
COMPOUND_UNITS = {"lam": 5, "mot": 1, "tu": 4, "nham": 5}
WEEKDAY_WORDS = {"hai": 0, "ba": 1, "tu": 2, "nam": 3, "sau": 4, "bay": 5}
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
# Units a count or a cadence can be "per": "03 lần/năm", "hằng quý".
PERIOD_UNITS = {"nam": "nam", "quy": "quy", "thang": "thang", "tuan": "tuan",
                "hoc": "hocky", "ngay": "ngay"}

# Mended silently would be a misreading; mended and reported is a kindness.
TYPOS: dict[str, tuple[str, str]] = {
    "thnag": ("thang", "tháng"), "thag": ("thang", "tháng"), "tahng": ("thang", "tháng"),
    "qui": ("quy", "quý"), "hnag": ("hang", "hàng"), "hagn": ("hang", "hàng"),
    "thuogn": ("thuong", "thường"), "xuyne": ("xuyen", "xuyên"),
}

KNOWN_WORDS: frozenset[str] = frozenset(
    {word for phrase in KEYWORDS for word in phrase}
    | {word for phrase in LABELS for word in phrase}
    | {word for phrase in FILLERS for word in phrase}
    | set(UNITS) | set(COMPOUND_UNITS) | set(ROMAN) | EVENT_WORDS
    | {"t", "q", "nguyen", "tiep", "theo", "ke", "so", "tien", "nghi", "le", "neu", "thi",
       "trung", "lui", "chuyen", "sang", "linh", "tiet", "cung", "yeu", "cau", "co"}
)

# Canonical forms, for "did you mean" hints.
KNOWN_FORMS = (
    "Tháng 01/2024", "Tháng 2-3/2024", "Quý I/2024", "Quý I năm 2024", "Trong năm 2024",
    "6 tháng đầu năm", "Cuối năm", "Trước ngày 30/8/2024", "Trước ngày 30 tháng 8 hằng năm",
    "Chậm nhất ngày 20/7/2024", "Hoàn thành trước tháng 11/2024",
    "Trước ngày 15/6 và trước 30/11 hằng năm", "Từ ngày 01/3/2024 đến hết ngày 15/3/2024",
    "Tháng 12/2023 – Quý I/2024", "Hằng năm", "Hằng quý", "Hằng tháng", "Hằng tuần",
    "Vào thứ Hai hằng tuần", "Ngày 15 hằng tháng", "Trước ngày 25 hằng tháng",
    "Định kỳ 6 tháng/lần", "Định kỳ hằng quý", "2 lần/năm", "03 lần/năm", "Thường xuyên",
    "Đột xuất", "Khi có yêu cầu", "Sau hoạt động ĐGNB", "Tuần thứ hai của tháng",
    "Trong thời hạn 15 ngày làm việc kể từ khi kết thúc ĐGNB",
    "Trước ngày 20 của tháng cuối quý", "Ngày 15 tháng 7 âm lịch", "Học kỳ II năm học 2025-2026",
    "Báo cáo 6 tháng trước 15/6, năm trước 30/11 hằng năm",
    "Kế hoạch: tháng 01/2024 - Báo cáo: 6 tháng (trước ngày 1/6/2024)",
)
