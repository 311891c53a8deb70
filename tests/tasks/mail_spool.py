"""An e-mail backend for worker processes: one file per message in ``$TEST_MAIL_SPOOL``.

``$TEST_MAIL_DELAY`` (seconds) plays a slow mail server: the wait comes before the
message is "accepted", as an SMTP round trip does.
"""

import json
import os
import time
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class SpoolBackend(BaseEmailBackend):
    def send_messages(self, messages):
        spool = Path(os.environ["TEST_MAIL_SPOOL"])
        delay = float(os.environ.get("TEST_MAIL_DELAY", 0))
        for message in messages:
            time.sleep(delay)
            path = spool / f"{time.time_ns()}-{uuid.uuid4().hex}.json"
            path.write_text(json.dumps({"subject": message.subject, "to": list(message.to), "body": message.body}))
        return len(messages)


def read(spool) -> list[dict]:
    return [json.loads(path.read_text()) for path in sorted(Path(spool).glob("*.json"))]
