"""Audit events: who did what to which answer, and when.

One log record per event on the `bot.audit` logger, its fields in `record.audit`;
the JSON formatter (bot/logs.py) writes them as one line each, with the request id,
tenant and hashed user of the request they happened in. Callers pass identifiers
(answer ids, `bot.logs.user_ref` pseudonyms), never names, phones or answer text.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from bot.logs import user_ref

_log = logging.getLogger("bot.audit")

# History kinds (bot/dialogs/teamwork.py) that are audit events: confirmation requests,
# confirmations, returns, sharing and joining an answer.
AUDITED_KINDS = frozenset({"request", "open_review", "confirm", "return", "withdraw", "share", "join"})


def audit(event: str, **fields: Any) -> None:
    """Record one audit event, e.g. `audit("confirm", answer_id=..., by=user_ref(key))`."""
    # The fields are in the message too: exporters that drop structured attributes
    # (OpenTelemetry takes no dict values) still carry who and which answer.
    text = " ".join([f"audit {event}", *(f"{key}={value}" for key, value in fields.items())])
    _log.info(text, extra={"event": event, "audit": fields})


def audit_turn(events: Iterable[dict[str, Any]]) -> None:
    """Audit the turn's saved history entries of the audited kinds. Only identifiers go
    out: the answer, the hashed actor and the minute; names and reasons stay in Redis."""
    for entry in events:
        if entry.get("kind") in AUDITED_KINDS:
            audit(str(entry["kind"]), answer_id=entry.get("answer_id"), by=user_ref(entry.get("by")), at=entry.get("at"))
