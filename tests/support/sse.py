"""A Server-Sent Events reader for tests: a thread parses the stream into a queue of events."""

from __future__ import annotations

import json
import queue
import threading
import time
from dataclasses import dataclass
from typing import Any

import requests


@dataclass(frozen=True)
class Event:
    id: int | None
    type: str
    data: dict[str, Any]


class SseReader:
    def __init__(self, url: str, token: str | None = None, last_event_id: int | None = None,
                 params: dict[str, str] | None = None, headers: dict[str, str] | None = None) -> None:
        headers = {"Accept": "text/event-stream", **(headers or {})}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        self.response = requests.get(url, headers=headers, params=params, stream=True, timeout=(5, 30))
        self.events: queue.Queue[Event] = queue.Queue()
        self.comments: list[str] = []
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._thread.start()

    def _read(self) -> None:
        event_id: int | None = None
        event_type = "message"
        data: list[str] = []
        try:
            for raw in self.response.iter_lines(decode_unicode=True):
                line = raw if raw is not None else ""
                if line == "":
                    if data and event_type == "heartbeat":
                        self.comments.append("heartbeat")
                    elif data:
                        self.events.put(Event(event_id, event_type, json.loads("\n".join(data))))
                    event_id, event_type, data = None, "message", []
                elif line.startswith(":"):
                    self.comments.append(line[1:].strip())
                elif line.startswith("id:"):
                    event_id = int(line[3:].strip())
                elif line.startswith("event:"):
                    event_type = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
        except (requests.RequestException, AttributeError, ValueError):
            pass  # the stream was closed (by the test or the server)

    def next(self, type_: str | None = None, seconds: float = 5.0) -> Event:
        """The next event (of ``type_``, skipping others); fails after ``seconds``."""
        deadline = time.monotonic() + seconds
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"no {type_ or 'event'} within {seconds}s")
            try:
                event = self.events.get(timeout=remaining)
            except queue.Empty:
                continue
            if type_ is None or event.type == type_:
                return event

    def drain(self, quiet: float = 0.3) -> list[Event]:
        """Everything that arrives until the stream is quiet for ``quiet`` seconds."""
        received = []
        while True:
            try:
                received.append(self.events.get(timeout=quiet))
            except queue.Empty:
                return received

    def close(self) -> None:
        self.response.close()

    def ended(self, seconds: float = 5.0) -> bool:
        """Whether the server ended the stream within ``seconds``."""
        self._thread.join(timeout=seconds)
        return not self._thread.is_alive()
