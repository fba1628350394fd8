"""uvicorn, told to end the live streams first when it stops (they would otherwise hold it open)."""

from __future__ import annotations

from types import FrameType

import uvicorn
from fastapi import FastAPI


class StreamAwareServer(uvicorn.Server):
    def __init__(self, config: uvicorn.Config, app: FastAPI) -> None:
        super().__init__(config)
        self.app = app

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.app.state.bus.close()
        super().handle_exit(sig, frame)


def serve(app: FastAPI, host: str, port: int) -> None:
    config = uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False,
                            timeout_graceful_shutdown=3, loop="uvloop", http="httptools")
    StreamAwareServer(config, app).run()
