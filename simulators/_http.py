"""A threaded HTTP server on a background thread: the part every protocol simulator shares."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class QuietHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 handler (keep-alive, as real API clients use) that logs nothing by default."""

    protocol_version = "HTTP/1.1"
    # An idle keep-alive connection frees its thread after this many seconds.
    timeout = 60
    verbose = False

    def log_message(self, format: str, *args: Any) -> None:
        if self.verbose:
            super().log_message(format, *args)

    def read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def send_bytes(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class BackgroundServer:
    """Owns a ThreadingHTTPServer serving ``handler_class`` on a daemon thread.

    The handler reaches the owner through ``self.server.app``. Port 0 picks a free port; ``url``
    is known once ``start()`` has returned.
    """

    def __init__(self, handler_class: type[BaseHTTPRequestHandler], *, host: str = "127.0.0.1", port: int = 0):
        self._handler_class = handler_class
        self.host = host
        self.port = port
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("The server is not started.")
        return f"http://{self.host}:{self.port}"

    @property
    def running(self) -> bool:
        return self._server is not None

    def start_server(self, app: Any) -> None:
        if self._server is not None:
            return
        server = ThreadingHTTPServer((self.host, self.port), self._handler_class)
        server.daemon_threads = True
        server.app = app  # type: ignore[attr-defined]
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"{type(app).__name__}:{self.port}"
        )
        self._thread.daemon = True
        self._thread.start()

    def stop_server(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        server.shutdown()
        server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
