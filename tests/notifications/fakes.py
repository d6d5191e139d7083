"""Local stand-ins for the outside world that speak the real protocols: an SMTP server and a WhatsApp gateway.

Both run in a thread of the test process on 127.0.0.1 with a free port, so a
real Celery worker (a separate process) can talk to them over the network.
"""
from __future__ import annotations

import email
import json
import socketserver
import threading
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


class _SMTPHandler(socketserver.StreamRequestHandler):
    def _reply(self, line: str) -> None:
        self.wfile.write((line + "\r\n").encode())

    def handle(self) -> None:
        server: FakeSMTPServer = self.server  # type: ignore[assignment]
        self._reply("220 fake-smtp ESMTP")
        rcpt: list[str] = []
        while True:
            raw = self.rfile.readline()
            if not raw:
                return
            command = raw.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250 fake-smtp")
            elif verb == "MAIL":
                rcpt = []
                self._reply("250 OK")
            elif verb == "RCPT":
                address = command.split(":", 1)[1].strip().strip("<>")
                if address in server.reject:
                    self._reply("550 5.1.1 No such user")
                else:
                    rcpt.append(address)
                    self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while True:
                    line = self.rfile.readline()
                    if line in (b".\r\n", b".\n", b""):
                        break
                    lines.append(line[1:] if line.startswith(b"..") else line)
                message = email.message_from_bytes(b"".join(lines), policy=default_policy)
                with server.lock:
                    server.messages.append((list(rcpt), message))
                self._reply("250 OK queued")
            elif verb == "RSET":
                rcpt = []
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("250 OK")


class FakeSMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, reject: set[str] | None = None):
        super().__init__(("127.0.0.1", 0), _SMTPHandler)
        self.messages: list = []
        self.reject = reject or set()
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    def to(self, address: str) -> list:
        with self.lock:
            return [m for rcpt, m in self.messages if address in rcpt]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()


class _GatewayHandler(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        server: FakeGateway = self.server  # type: ignore[assignment]
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        with server.lock:
            server.requests.append({"path": self.path, "headers": dict(self.headers),
                                    "form": {k: v[0] for k, v in parse_qs(body).items()}})
            status, answer = server.responses.pop(0) if server.responses else (200, {"status": True})
        payload = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args) -> None:
        pass


class FakeGateway(ThreadingHTTPServer):
    """A Fonnte-style WhatsApp gateway. Queue answers with ``respond(status, json)``; default 200 OK."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _GatewayHandler)
        self.requests: list[dict] = []
        self.responses: list[tuple[int, dict]] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/send"

    def respond(self, status: int, answer: dict) -> None:
        with self.lock:
            self.responses.append((status, answer))

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.shutdown()
        self.server_close()
