"""The pre-configuration tasks a merchant ticks as done (only they can know them)."""

from saleor_amazon_channel.core.host import Requestor
from saleor_amazon_channel.stores.models import SetupTask

KEYS = [key for key, _ in SetupTask.Key.choices]


def ticked() -> dict[str, SetupTask]:
    """The tasks someone ticked or unticked, by key (a task never touched is not done)."""
    return {task.key: task for task in SetupTask.objects.all()}


def set_done(key: str, done: bool, requestor: Requestor) -> SetupTask:
    task, _ = SetupTask.objects.update_or_create(
        key=key, defaults={"done": bool(done), "actor": requestor.label[:255]}
    )
    return task
