"""uvicorn, told to end the live streams first when it stops (they would otherwise hold it open)."""

from __future__ import annotations

import gc
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
    # What exists now (modules, routes, configuration) lives as long as the process: keep it out
    # of the garbage collector's full passes, which otherwise stop the event loop for 20-60 ms.
    gc.collect()
    gc.freeze()
    StreamAwareServer(config, app).run()
