"""Coming back later, in a worker or inline.

A task that waits for Amazon (its pace, an offer going live, a feed) comes back with a Celery retry after
the wait. Saleor without a broker runs tasks inline (``CELERY_TASK_ALWAYS_EAGER``), where Celery runs a
retry at once, nested in the call before, whatever its countdown: a wait of a minute became hundreds of
nested calls hammering the database and Amazon, then a RecursionError. Inline, a task waits in a loop
instead, for at most :data:`INLINE_BUDGET` seconds, and leaves the rest of its resumable run to the next
start (the checks warn that such a Saleor has no worker: see ``checks.py``).
"""

import time
from collections.abc import Callable
from typing import Any

INLINE_BUDGET = 30.0


def run_until_done[T](task: Any, step: Callable[[], T], wait_of: Callable[[T], float | None],
                      sleep: Callable[[float], None] = time.sleep) -> T:
    """``step()`` until ``wait_of`` its result is None. In a worker a wait is a retry (raised); inline, a
    sleep and another step, until the budget is spent (the last result is returned)."""
    started = time.monotonic()
    while True:
        result = step()
        wait = wait_of(result)
        if wait is None:
            return result
        if not task.request.is_eager:
            raise task.retry(countdown=wait)
        if time.monotonic() - started + wait > INLINE_BUDGET:
            return result
        sleep(wait)
