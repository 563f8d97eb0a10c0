"""What every extraction worker process does first, before its first batch.

Workers are spawned by the flow's process. If that process dies without shutting them down
(kill -9, OOM), they would live on holding memory: each watches its parent and exits when
it is gone. The lexicons are compiled once per worker, up front, not inside the first batch.
"""

from __future__ import annotations

import os
import threading
import time

from flows.extract.lexicon import load_lexicons

POLL_SECONDS = 1.0


def prepare_worker() -> None:
    parent = os.getppid()
    threading.Thread(target=_exit_when_orphaned, args=(parent,), name="watch-parent", daemon=True).start()
    load_lexicons()


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os._exit(1)        # the run is gone: nothing of this worker's batch can be published
