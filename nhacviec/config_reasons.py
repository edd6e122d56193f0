"""Every error pydantic can report about a config value, said in Vietnamese.

Keyed by pydantic-core's error type (the `ErrorType` literal, all of them: a test checks
that none is missing), with the error's context filled in where it helps ("phải ≥ 1").
Texts say what the value must be, in the words of the TOML file a person edits."""

from __future__ import annotations

from typing import Any

_TABLE = "phải là một mục (bảng [ … ] hoặc {{ … }})"
_WHOLE = "phải là số nguyên"
_TEXT = "phải là chuỗi trong ngoặc kép"
_LIST = "phải là danh sách [ … ]"
_NUMBER = "phải là số"
_DAY = "phải là ngày dạng YYYY-MM-DD"
_HOUR = "phải là giờ dạng HH:MM:SS"
_MOMENT = "phải là ngày giờ dạng YYYY-MM-DDTHH:MM:SS"
_UNUSABLE = "giá trị không dùng được ở đây"

REASONS: dict[str, str] = {
    "no_such_attribute": "khoá lạ (gõ sai?)",
    "json_invalid": "không phải JSON hợp lệ",
    "json_type": "phải là chuỗi JSON",
    "needs_python_object": _UNUSABLE,
    "recursion_loop": "giá trị lồng vào chính nó",
    "recursion_depth_exceeded": "giá trị lồng nhau quá sâu",
    "missing": "thiếu (bắt buộc)",
    "frozen_field": "không được đổi",
    "frozen_instance": "không được đổi",
    "extra_forbidden": "khoá lạ (gõ sai?)",
    "invalid_key": "tên khoá phải là chuỗi",
    "get_attribute_error": _UNUSABLE,
    "model_type": _TABLE,
    "model_attributes_type": _TABLE,
    "dataclass_type": _TABLE,
    "dataclass_exact_type": _TABLE,
    "named_tuple_type": _LIST,
    "default_factory_not_called": _UNUSABLE,
    "none_required": "phải để trống (bỏ dòng này)",
    "greater_than": "phải > {gt}",
    "greater_than_equal": "phải ≥ {ge}",
    "less_than": "phải < {lt}",
    "less_than_equal": "phải ≤ {le}",
    "multiple_of": "phải là bội số của {multiple_of}",
    "finite_number": "phải là số hữu hạn (không phải nan hay inf)",
    "too_short": "cần ít nhất {min_length} phần tử",
    "too_long": "chỉ được tối đa {max_length} phần tử",
    "iterable_type": _LIST,
    "iteration_error": _LIST,
    "string_type": _TEXT,
    "string_unicode": "phải là chuỗi Unicode hợp lệ",
    "string_too_short": "cần ít nhất {min_length} ký tự",
    "string_too_long": "chỉ được tối đa {max_length} ký tự",
    "string_pattern_mismatch": "không đúng dạng yêu cầu",
    "string_not_ascii": "chỉ được dùng chữ không dấu (ASCII)",
    "enum": "phải là một trong: {expected}",
    "dict_type": _TABLE,
    "frozen_dict_type": _TABLE,
    "ordered_dict_type": _TABLE,
    "counter_type": _TABLE,
    "mapping_type": _TABLE,
    "list_type": _LIST,
    "deque_type": _LIST,
    "tuple_type": _LIST,
    "set_type": _LIST,
    "set_item_not_hashable": "phần tử của danh sách phải là giá trị đơn (chuỗi, số)",
    "bool_type": "phải là true hoặc false",
    "bool_parsing": "phải là true hoặc false",
    "int_type": _WHOLE,
    "int_parsing": _WHOLE,
    "int_parsing_size": "số quá lớn",
    "int_from_float": "phải là số nguyên (không có phần lẻ)",
    "float_type": _NUMBER,
    "float_parsing": _NUMBER,
    "bytes_type": _TEXT,
    "bytes_too_short": "cần ít nhất {min_length} byte",
    "bytes_too_long": "chỉ được tối đa {max_length} byte",
    "bytes_invalid_encoding": "mã hoá không hợp lệ",
    "value_error": _UNUSABLE,
    "assertion_error": _UNUSABLE,
    "literal_error": "phải là một trong: {expected}",
    "missing_sentinel_error": _UNUSABLE,
    "ellipsis_error": _UNUSABLE,
    "date_type": _DAY,
    "date_parsing": _DAY,
    "date_from_datetime_parsing": _DAY,
    "date_from_datetime_inexact": "phải là ngày (không kèm giờ) dạng YYYY-MM-DD",
    "date_past": "phải là một ngày đã qua",
    "date_future": "phải là một ngày sắp tới",
    "time_type": _HOUR,
    "time_parsing": _HOUR,
    "datetime_type": _MOMENT,
    "datetime_parsing": _MOMENT,
    "datetime_object_invalid": _MOMENT,
    "datetime_from_date_parsing": _MOMENT,
    "datetime_past": "phải là một thời điểm đã qua",
    "datetime_future": "phải là một thời điểm sắp tới",
    "timezone_naive": "không được ghi múi giờ",
    "timezone_aware": "phải ghi múi giờ",
    "timezone_offset": "phải theo múi giờ lệch {tz_expected} giây",
    "time_delta_type": "phải là khoảng thời gian",
    "time_delta_parsing": "phải là khoảng thời gian",
    "frozen_set_type": _LIST,
    "is_instance_of": _UNUSABLE,
    "is_subclass_of": _UNUSABLE,
    "callable_type": _UNUSABLE,
    "union_tag_invalid": "loại «{tag}» không có; phải là một trong: {expected_tags}",
    "union_tag_not_found": "thiếu khoá {discriminator}",
    "arguments_type": _UNUSABLE,
    "missing_argument": "thiếu (bắt buộc)",
    "unexpected_keyword_argument": "khoá lạ (gõ sai?)",
    "missing_keyword_only_argument": "thiếu (bắt buộc)",
    "unexpected_positional_argument": _UNUSABLE,
    "missing_positional_only_argument": "thiếu (bắt buộc)",
    "multiple_argument_values": "khai báo hơn một lần",
    "url_type": "phải là địa chỉ URL",
    "url_parsing": "không phải địa chỉ URL hợp lệ",
    "url_syntax_violation": "không phải địa chỉ URL hợp lệ",
    "url_too_long": "địa chỉ URL dài quá {max_length} ký tự",
    "url_scheme": "địa chỉ URL phải bắt đầu bằng {expected_schemes}",
    "uuid_type": "phải là UUID",
    "uuid_parsing": "phải là UUID",
    "uuid_version": "phải là UUID phiên bản {expected_version}",
    "decimal_type": _NUMBER,
    "decimal_parsing": _NUMBER,
    "decimal_max_digits": "chỉ được tối đa {max_digits} chữ số",
    "decimal_max_places": "chỉ được tối đa {decimal_places} chữ số sau dấu phẩy",
    "decimal_whole_digits": "chỉ được tối đa {whole_digits} chữ số trước dấu phẩy",
    "fraction_type": _NUMBER,
    "fraction_parsing": _NUMBER,
    "complex_type": _NUMBER,
    "complex_str_parsing": _NUMBER,
}


class _Context(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "…"


def pydantic_reason(kind: str, ctx: dict[str, Any]) -> str:
    """The Vietnamese reason for a pydantic error of type `kind` (one not known: generic)."""
    text = REASONS.get(kind, _UNUSABLE).format_map(_Context(ctx))
    return text.replace(" or ", ", ")
