"""Keep an activity visibly alive while its work runs on a helper thread.

The work gets an event that says "stop starting new work": it is set when the
activity thread is interrupted (the SDK raises a cancellation into it), so a
batch in flight commits or rolls back as a whole and none follows it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from temporalio import activity

T = TypeVar("T")

HEARTBEAT_EVERY_SECONDS = 1.0


def run_heartbeating(
    work: Callable[[threading.Event], T],
    details: Callable[[], object] | None = None,
    *,
    stop_when_worker_stops: bool = False,
) -> T:
    """Run `work` on a helper thread, heartbeating `details()` every second until it returns.

    With `stop_when_worker_stops`, the work is also told to stop when its worker
    begins shutting down: for work that can end at any batch and be resumed by
    the next call, so a stopping worker is not held up for its whole grace period.

    Work that finishes within the first second sends no heartbeat at all: the
    worker flushes a pending heartbeat before completing, so each would cost a
    round trip. After that the SDK throttles what is sent to the server, keeping
    the latest details, so asking every second costs no round trip of its own.
    """
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="heartbeating-work") as pool:
        future = pool.submit(work, stop)
        try:
            while True:
                try:
                    return future.result(timeout=HEARTBEAT_EVERY_SECONDS)
                except TimeoutError:
                    activity.heartbeat(*([] if details is None else [details()]))
                    if stop_when_worker_stops and activity.is_worker_shutdown():
                        stop.set()
        except BaseException:
            stop.set()
            raise
