"""The parent process of `dci-kg serve --workers N`: uvicorn's supervisor, stopped by one signal at any moment.

uvicorn's Multiprocess reads its signal queue only between health pings, and a ping waits up to
`timeout_worker_healthcheck` (WORKER_PING_S, 60 s) for a worker that does not answer. A spawned worker answers
only after its bootstrap (it re-imports the command: seconds on a busy machine), before which uvicorn has not
captured its signals: a Ctrl-C to the process group kills it there (KeyboardInterrupt), and the parent, which
keeps its own copy of the worker's end of the ping pipe, sees no EOF and waited out the 60 s before it even read
the Ctrl-C (then replaced the dead worker, then stopped). Here a ping also ends when the worker dies or a stop
signal arrives, a stop signal stops the loop at once, and a worker still running STOP_GRACE_S after the stop is
killed."""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import signal
import time
from multiprocessing.connection import wait
from socket import socket
from types import FrameType

from uvicorn.config import STARTUP_FAILURE, Config
from uvicorn.supervisors.multiprocess import Multiprocess, Process

logger = logging.getLogger("uvicorn.error")

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
STOP_GRACE_S = 30.0  # a worker's graceful shutdown (requests in flight, the app's lifespan) before it is killed


class Supervisor(Multiprocess):
    """uvicorn's Multiprocess whose stop never waits behind a health ping or a worker that does not finish."""

    def __init__(self, config: Config, sockets: list[socket]) -> None:
        super().__init__(config, sockets)
        self._wake_r, self._wake_w = os.pipe()  # the stop handler writes to it: a pending ping returns
        os.set_blocking(self._wake_w, False)
        for sig in STOP_SIGNALS:
            signal.signal(sig, self._on_stop)

    def _on_stop(self, sig: int, frame: FrameType | None) -> None:
        self.signal_queue.append(sig)  # uvicorn's loop logs it ("Received SIGINT, exiting.")
        self.should_exit.set()  # from now on no dead worker is replaced
        with contextlib.suppress(OSError):
            os.write(self._wake_w, b"\0")

    def _answers(self, process: Process) -> bool:
        """Whether `process` answers a health ping; False as soon as it dies, True (left to the stop) once a
        stop signal has arrived."""
        if not process.process.is_alive():
            return False
        try:
            process.parent_conn.send(b"ping")
        except OSError:
            return False
        ready = wait([process.parent_conn, process.process.sentinel, self._wake_r],
                     self.config.timeout_worker_healthcheck)  # fmt: skip
        if process.parent_conn in ready:
            try:
                process.parent_conn.recv()
                return True
            except (OSError, EOFError, pickle.UnpicklingError):
                return False
        return self._wake_r in ready and process.process.is_alive()

    def keep_subprocess_alive(self) -> None:
        """uvicorn's (a worker that does not answer is killed and replaced; one that failed at start stops the
        command), with `_answers` as the ping and the stop checked before each worker."""
        for idx, process in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            if self._answers(process):
                continue
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:
                logger.error(f"Child process [{process.pid}] failed to start, stopping the parent process.")
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            logger.info(f"Child process [{process.pid}] died")
            replacement = Process(self.config, self.sockets)
            replacement.start()
            self.processes[idx] = replacement

    def terminate_all(self) -> None:
        self.handle_signals()  # the loop may have ended on the stop before reading the queue: log the signal
        super().terminate_all()

    def join_all(self) -> None:
        deadline = time.monotonic() + STOP_GRACE_S
        for process in self.processes:
            logger.info(f"Waiting for child process [{process.pid}]")
            process.process.join(max(0.0, deadline - time.monotonic()))
            if process.process.exitcode is None:
                logger.warning(f"Child process [{process.pid}] still ran {STOP_GRACE_S:.0f} s after the stop: killed")
                process.process.kill()
                process.process.join()

    def close(self) -> None:
        for fd in (self._wake_r, self._wake_w):
            with contextlib.suppress(OSError):
                os.close(fd)
