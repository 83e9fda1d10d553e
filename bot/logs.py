"""Log lines for operators: one JSON object per line on stdout, one line per HTTP request.

Every line carries `time`, `level`, `logger`, `event` and `message`; lines written while
a request is handled also carry its `request_id` and, for activities, the `tenant` and
the hashed sender (`user`, see `user_ref`). A traceback is one field (`exception`), so
a log collector never splits it. The access log (`access_log_middleware`) adds
`method`, `route`, `status`, `latency_ms` and `outcome`.

What never goes into a line: names, phone numbers, e-mail addresses, answers typed by
users. Log calls pass identifiers only (answer ids, `user_ref`s); as a second line of
defence, anything shaped like an e-mail address or a Japanese phone number is masked in
messages and tracebacks.

With APPLICATIONINSIGHTS_CONNECTION_STRING set, `start_telemetry` also sends the
`bot.*` log records and a request-duration histogram to Azure Monitor through
OpenTelemetry (the azure-monitor-opentelemetry package, imported only then).
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
import sys
import time
import traceback
import uuid
from contextvars import ContextVar
from datetime import datetime, timezone
from typing import Any, Awaitable, Callable, TextIO

from aiohttp import web

ACCESS_LOGGER = "bot.access"
REQUEST_ID_HEADER = "X-Request-Id"
# Activities are a few KB; a larger body is left to the handler to refuse.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
# 03-1234-5678, 090-1234-5678, 0312345678, ０９０… (full-width digits too).
_PHONE = re.compile(r"(?<![0-9０-９])[0０][0-9０-９]{1,4}[-‐－ー−]?[0-9０-９]{1,4}[-‐－ー−]?[0-9０-９]{3,4}(?![0-9０-９])")
_STANDARD_FIELDS = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime", "taskName"}
# Libraries that log every HTTP call at INFO (the Azure SDK's pipeline logs headers).
_QUIET_LOGGERS = ("azure", "msal", "urllib3", "msrest")

_context: ContextVar[dict[str, Any] | None] = ContextVar("bot_log_context", default=None)
_request_metric: Callable[[float, dict[str, Any]], None] | None = None


def user_ref(user_key: str | None) -> str | None:
    """A stable pseudonym of a user key (AAD object id or channel id) for log lines.
    Operators find a person's lines with `python -c "from bot.logs import user_ref;
    print(user_ref('<aadObjectId>'))"`."""
    if not user_key:
        return None
    return "u_" + hashlib.sha256(f"mn2307-log|{user_key}".encode("utf-8")).hexdigest()[:16]


def mask(text: str) -> str:
    """E-mail addresses and phone numbers masked."""
    return _PHONE.sub("[phone]", _EMAIL.sub("[email]", text))


def bind(**fields: Any) -> None:
    """Adds fields (tenant, user, …) to every line of the current request."""
    context = _context.get()
    if context is not None:
        context.update({k: v for k, v in fields.items() if v is not None})


def log_event(logger: logging.Logger, level: int, event: str, message: str = "", **fields: Any) -> None:
    """One structured line: `event` names what happened, `fields` are JSON values
    (identifiers and numbers only, never names or typed text)."""
    logger.log(level, message or event, extra={"event": event, **fields})


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "event": getattr(record, "event", None) or "log",
            "message": mask(record.getMessage()),
        }
        context = _context.get()
        if context:
            line.update(context)
        for key, value in record.__dict__.items():
            if key not in _STANDARD_FIELDS and key != "event" and not key.startswith("_"):
                line[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            kind, error, tb = record.exc_info
            line["exception"] = {
                "type": kind.__name__,
                "message": mask(str(error)),
                "traceback": mask("".join(traceback.format_exception(kind, error, tb))),
            }
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_logging(level: str = "INFO", stream: TextIO | None = None) -> None:
    """JSON lines on stdout for every logger (replaces handlers set before)."""
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    known = isinstance(logging.getLevelName(level.upper()), int)
    root.setLevel(level.upper() if known else logging.INFO)
    if not known:
        log_event(logging.getLogger(__name__), logging.WARNING, "log_level_unknown", f"LOG_LEVEL {level!r} unknown: INFO used")
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def _request_id(request: web.Request) -> str:
    # Container Apps' ingress (Envoy) sets x-request-id: reusing it joins our lines
    # to the platform's.
    given = request.headers.get(REQUEST_ID_HEADER, "")
    return given if _REQUEST_ID.match(given) else uuid.uuid4().hex[:16]


def _short(value: Any, limit: int = 64) -> str | None:
    return value[:limit] if isinstance(value, str) and value else None


def bind_activity(activity: Any) -> None:
    """Tenant, hashed sender and activity type of an authenticated, parsed activity, on
    every line logged for the rest of its request (the HTTP edge calls this: the body is
    read once, after the token is checked)."""
    channel = activity.channel_data if isinstance(getattr(activity, "channel_data", None), dict) else {}
    tenant = channel.get("tenant") if isinstance(channel.get("tenant"), dict) else {}
    conversation = getattr(activity, "conversation", None)
    sender = getattr(activity, "from_property", None)
    user = _short(getattr(sender, "aad_object_id", None)) or _short(getattr(sender, "id", None), 256)
    bind(
        tenant=_short(tenant.get("id")) or _short(getattr(conversation, "tenant_id", None)),
        user=user_ref(user),
        activity_type=_short(getattr(activity, "type", None), 32),
    )


def _outcome(status: int) -> str:
    return "ok" if status < 400 else "client_error" if status < 500 else "server_error"


@web.middleware
async def access_log_middleware(
    request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
) -> web.StreamResponse:
    """One `http_request` line per request, and the request's context for every line
    logged while it is handled. Add it as the outermost middleware."""
    started = time.perf_counter()
    context: dict[str, Any] = {"request_id": _request_id(request)}
    token = _context.set(context)
    status, outcome = 500, None
    try:
        response = await handler(request)
        status = response.status
        if not response.prepared:
            response.headers[REQUEST_ID_HEADER] = context["request_id"]
        return response
    except web.HTTPException as error:
        status = error.status
        raise
    except asyncio.CancelledError:  # the client went away, or the server is stopping
        outcome = "cancelled"
        raise
    except Exception:
        logging.getLogger(ACCESS_LOGGER).error("unhandled error", exc_info=True, extra={"event": "unhandled_error"})
        raise
    finally:
        latency_ms = round((time.perf_counter() - started) * 1000, 1)
        resource = request.match_info.route.resource
        fields = {
            "method": request.method,
            "route": resource.canonical if resource is not None else "unmatched",
            "status": status,
            "latency_ms": latency_ms,
            "outcome": outcome or _outcome(status),
        }
        log_event(logging.getLogger(ACCESS_LOGGER), logging.INFO, "http_request", **fields)
        if _request_metric is not None:
            _request_metric(latency_ms, {"route": fields["route"], "status": status})
        _context.reset(token)


class _MaskedExport(logging.Handler):
    """Hands the exporter a masked copy of each record, as the JSON lines are masked:
    message and traceback masked, nested fields (the audit dict) flattened into
    dotted attributes, which OpenTelemetry takes where it drops dicts."""

    def __init__(self, inner: logging.Handler) -> None:
        super().__init__(inner.level)
        self._inner = inner

    def emit(self, record: logging.LogRecord) -> None:
        copy = logging.makeLogRecord({**record.__dict__, **(_context.get() or {})})
        copy.msg, copy.args = mask(record.getMessage()), None
        if record.exc_info and record.exc_info[0] is not None:
            kind, error, tb = record.exc_info
            setattr(copy, "exception.type", kind.__name__)
            setattr(copy, "exception.message", mask(str(error)))
            setattr(copy, "exception.stacktrace", mask("".join(traceback.format_exception(kind, error, tb))))
            copy.exc_info, copy.exc_text = None, None
        for key, value in list(vars(copy).items()):
            if isinstance(value, dict) and key not in _STANDARD_FIELDS:
                delattr(copy, key)
                for inner_key, inner_value in value.items():
                    if inner_value is not None:
                        plain = inner_value if isinstance(inner_value, (str, int, float, bool)) else str(inner_value)
                        setattr(copy, f"{key}.{inner_key}", plain)
        self._inner.handle(copy)

    def flush(self) -> None:
        self._inner.flush()

    def close(self) -> None:
        self._inner.close()
        super().close()


def start_telemetry(connection_string: str) -> bool:
    """Azure Monitor export of the bot's log records and request durations, when a
    connection string is set. Returns whether it is on."""
    global _request_metric
    if not connection_string:
        return False
    try:
        from azure.monitor.opentelemetry import configure_azure_monitor
        from opentelemetry import metrics
    except ImportError:
        log_event(
            logging.getLogger(__name__), logging.WARNING, "telemetry_unavailable",
            "APPLICATIONINSIGHTS_CONNECTION_STRING is set but azure-monitor-opentelemetry is not installed "
            "(pip install -r requirements-azure.txt); logs stay on stdout only",
        )
        return False
    bot_logger = logging.getLogger("bot")
    before = set(bot_logger.handlers)
    # Live metrics would hold a connection of its own to Microsoft's endpoint: off.
    configure_azure_monitor(connection_string=connection_string, logger_name="bot", enable_live_metrics=False)
    for added in [h for h in bot_logger.handlers if h not in before]:
        bot_logger.removeHandler(added)
        bot_logger.addHandler(_MaskedExport(added))
    histogram = metrics.get_meter("bot").create_histogram(
        "mn2307.http.server.duration", unit="ms", description="time to answer an HTTP request"
    )
    _request_metric = histogram.record
    log_event(logging.getLogger(__name__), logging.INFO, "telemetry_started", "Azure Monitor export on")
    return True
