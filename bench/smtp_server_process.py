"""The aiosmtpd server (STARTTLS + AUTH) in a process of its own, for the SMTP bench.

Prints the port and the CA certificate's PEM path on stdout, then serves until stdin
closes, then prints how many connections and messages it took.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import trustme

from tests.fakes.smtp_server import CertificateAuthority, FakeSmtpServer

if __name__ == "__main__":
    folder = Path(sys.argv[1])
    ca = trustme.CA()
    pem = folder / "ca.pem"
    ca.cert_pem.write_to_path(str(pem))
    server = FakeSmtpServer(CertificateAuthority(ca, pem))
    server.start()
    print(json.dumps({"port": server.port, "ca": str(pem)}), flush=True)
    sys.stdin.read()
    print(json.dumps({"connections": server.connections, "messages": len(server.messages)}))
    server.stop()
