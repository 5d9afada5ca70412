"""A canary: a TCP listener on 127.0.0.1 that counts the connections it accepts.

The tests that check a query cannot reach the network point ``SERVICE`` at it and require
zero connections; the ``canary`` fixture of conftest.py first proves it does count one.
"""

from __future__ import annotations

import socket
import threading


class Canary:
    """A listener on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.socket.settimeout(0.1)
        self.port: int = self.socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # closed
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.socket.close()
