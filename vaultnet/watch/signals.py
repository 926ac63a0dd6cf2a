"""How `vaultnet watch` hears SIGINT and SIGTERM."""

from __future__ import annotations

import threading
from typing import Any


class StopSignals:
    """SIGINT and SIGTERM. During the catch-up the daemon stops at once: the signal unwinds the
    work (an interrupted scan is rolled back, worker processes are ended, temp files removed on
    the way out). While watching, the batch in progress finishes (a long related pass stops at
    its next check); a second signal stops at once. The `stop` event is set either way, so a
    `KeyboardInterrupt` that some library code swallows still stops the run at its next check."""

    def __init__(self, stop: threading.Event) -> None:
        self.stop = stop
        self.at_once = True

    def __call__(self, signum: int, frame: Any) -> None:
        at_once = self.at_once or self.stop.is_set()
        self.stop.set()
        if at_once:
            raise KeyboardInterrupt
