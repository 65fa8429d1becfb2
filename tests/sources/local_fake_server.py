"""What the local fake APIs share: a threaded HTTP server on 127.0.0.1 (a free port), fault queues per
page label, and counters of attempts and successful answers. Subclasses give `_handler()`."""

from __future__ import annotations

import threading
from collections import Counter
from http.server import ThreadingHTTPServer


class LocalFakeServer:
    def __init__(self, faults=None, stall_seconds=1.0):
        self.faults = {k: list(v) for k, v in (faults or {}).items()}
        self.stall_seconds = stall_seconds
        self.attempts: Counter[str] = Counter()
        self.served_ok: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _handler(self):
        raise NotImplementedError

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
