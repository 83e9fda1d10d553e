"""Audit events: who did what to which answer, and when.

One log record per event on the `bot.audit` logger, its fields in `record.audit`;
the log formatter writes them as one JSON line each. Callers pass identifiers
(answer ids, hashed or opaque user keys), never names, phones or answer text.
"""
from __future__ import annotations

import logging
from typing import Any

_log = logging.getLogger("bot.audit")


def audit(event: str, **fields: Any) -> None:
    """Record one audit event, e.g. `audit("confirm", answer_id=..., by=user_key)`."""
    _log.info(event, extra={"event": event, "audit": fields})
