"""Why a damaged .docx/.xlsx package could not be read, said in Vietnamese.

zipfile, zlib and lxml fail with their own exceptions and English texts, from wherever in
the package the damage is; the readers catch them all at the package's edge and name the
kind of damage with this, so a person learns what to do (save the file again from Word or
Excel) and never sees a library's message."""

from __future__ import annotations

import re
import zipfile
import zlib

from lxml import etree


def damage_reason(exc: BaseException, program: str = "Word hoặc Excel") -> str:
    """A short Vietnamese phrase for what is wrong inside the package, and what to do."""
    save_again = f"hãy mở tệp bằng {program} và lưu lại"
    if isinstance(exc, NotImplementedError):  # a compression method or zip version
        return f"tệp nén theo cách chưa hỗ trợ; {save_again}"
    if isinstance(exc, RuntimeError) and "encrypt" in str(exc).lower():
        return "tệp có mật khẩu; hãy gỡ mật khẩu rồi lưu lại"
    if isinstance(exc, etree.XMLSyntaxError):
        line = f" ở dòng {exc.lineno}" if exc.lineno else ""
        return f"nội dung XML bên trong bị hỏng{line}; {save_again}"
    if isinstance(exc, KeyError):  # a part the package's index names is missing
        part = re.sub(r"^.*?'(.*?)'.*$", r"\1", str(exc))
        return f"thiếu phần «{part}» bên trong tệp; {save_again}"
    if isinstance(exc, zipfile.BadZipFile | zlib.error | EOFError | OSError):
        return f"dữ liệu nén bị hỏng hoặc thiếu; {save_again}"
    if isinstance(exc, MemoryError | OverflowError | RecursionError):
        return "nội dung lớn hoặc lồng nhau bất thường"
    return f"cấu trúc bên trong không đúng; {save_again}"
