"""What a command's output must look like when the input was bad: the project's own error."""

from __future__ import annotations

import re

from typer.testing import Result

# Words of Python's and pydantic's own messages: seeing one means a raw error got through.
_FOREIGN = re.compile(
    r"Traceback|Error:|Exception|Input should|validation error|Value error|"
    r"not supported|Lỗi nội bộ|Field required"
)
_VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


def assert_own_error(result: Result, *, allow_success: bool = False, one_line: bool = True) -> None:
    """Exit 1 with "Lỗi: …" in Vietnamese (or, when allowed, a normal run that exits 0 or 1)."""
    output = result.stdout + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert result.exit_code in (0, 1), f"exit {result.exit_code}: {output}"
    error = result.stderr.strip()
    if error.startswith("Lỗi:"):
        assert result.exit_code == 1, output
        if one_line:
            assert "\n" not in error, error
        assert not _FOREIGN.search(error.removeprefix("Lỗi:")), error
        assert _VIETNAMESE.search(error), error
        return
    assert allow_success, output
    assert "Traceback" not in output, output
