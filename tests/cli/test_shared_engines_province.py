"""Two engines on one PostgreSQL database share a province's month, not only the example's:
60 units with every row led by all of them (bench/synthetic.py), a plan of another year."""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
import tomli_w

from bench.synthetic import write_province
from tests.cli.test_concurrent_start import Engine, wait_for
from tests.cli.test_kill_restart import drained
from tests.fakes.database import database_url, on_postgres
from tests.fakes.smtp_server import (
    SMTP_PASSWORD,
    SMTP_USER,
    CertificateAuthority,
    FakeSmtpServer,
)

SENT = re.compile(r"channel=email .* outcome=sent external_id=")
END = datetime.fromisoformat("2023-09-02T00:00:00+00:00")  # the plan is 2023's


def province_config(tmp_path: Path, server: FakeSmtpServer) -> tuple[Path, str]:
    written = write_province(tmp_path, 60)
    data = tomllib.loads(written.read_text(encoding="utf-8"))
    url = database_url(tmp_path, "province")
    data["plans"] = [{"file": str(tmp_path / "province-plan.toml")}]
    data["database"]["url"] = url
    data["email"]["smtp"] = {
        "host": "127.0.0.1",
        "port": server.port,
        "security": "starttls",
        "username": SMTP_USER,
        "password_env": "NV_KILL_SMTP_PASSWORD",
    }
    written.write_bytes(tomli_w.dumps(data).encode("utf-8"))
    return written, url


@pytest.mark.skipif(not on_postgres(), reason="sharing by SKIP LOCKED is PostgreSQL's")
@pytest.mark.timeout(240)
def test_two_engines_share_a_province_month(
    tmp_path: Path, smtp_server: FakeSmtpServer, smtp_ca: CertificateAuthority
) -> None:
    config, url = province_config(tmp_path, smtp_server)
    env = {"NV_KILL_SMTP_PASSWORD": SMTP_PASSWORD, "SSL_CERT_FILE": str(smtp_ca.ca_file)}
    engines = [Engine(config, replay=("01/08/2023", "100000"), env=env) for _ in range(2)]
    try:
        wait_for(lambda: all("Đang chạy" in e.output for e in engines), "both engines to run")
        wait_for(lambda: drained(url, END), "August to be delivered", within=180)
    finally:
        codes = [e.stop() for e in engines]
    assert codes == [0, 0], [e.output[-2000:] for e in engines]
    assert "Traceback" not in engines[0].output + engines[1].output
    shares = [len(SENT.findall(e.output)) for e in engines]
    total = sum(shares)
    assert total > 100 and max(shares) <= 0.8 * total, shares
    receipts = Counter(m.message["Message-ID"] for m in smtp_server.messages)
    assert len(receipts) == total and max(receipts.values()) == 1, "nothing sent twice"
    print(f"shares {shares} of {total} emails")
