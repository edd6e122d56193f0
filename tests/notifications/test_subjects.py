"""Email subjects decode, in every mail client, to the words they were made from."""

from __future__ import annotations

import email
from email.policy import default

from hypothesis import given
from hypothesis import strategies as st

from notifications.base import OutgoingMessage, Recipient
from notifications.mime import build_email

TO = Recipient("p1", "Nguyễn Văn Chủ", "chu@example.vn")


def decoded_subject(subject: str) -> str:
    mail = build_email(
        OutgoingMessage(key="k", recipient=TO, subject=subject, text="x"),
        sender="nhacviec@example.vn",
        sender_name="Nhắc việc ISO",
    )
    raw = mail.as_bytes()
    for line in raw.split(b"\r\n"):
        assert len(line) <= 78, line
    return str(email.message_from_bytes(raw, policy=default)["Subject"])


def test_it_keeps_the_spaces_python_3_11_used_to_drop() -> None:
    subject = (
        "[Nhắc việc] I.1 Xây dựng Kế hoạch các chương trình, đề án, nhiệm vụ năm 2024 "
        "— còn 3 ngày làm việc"
    )
    assert decoded_subject(subject) == subject


def test_it_splits_a_word_longer_than_an_encoded_word() -> None:
    subject = "Việc " + "ờ" * 60 + " xong"
    assert decoded_subject(subject) == subject


words = st.text(
    alphabet=st.sampled_from(
        "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậềểễếệờởỡớợ—[]().,:;0123456789"
    ),
    min_size=1,
    max_size=25,
)


@given(st.lists(words, min_size=1, max_size=30))
def test_it_decodes_any_vietnamese_subject_to_its_text(parts: list[str]) -> None:
    subject = " ".join(parts)
    assert decoded_subject(subject) == subject
