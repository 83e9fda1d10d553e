"""botbuilder's state objects as explicit, tagged JSON (what jsonpickle does for the
SDK's Blob and Cosmos storages, without pickle).

A value the SDK puts into state (a DialogState, its DialogInstances, a prompt's
PromptOptions with their Activity and Choices, DialogManager's datetime, any msrest
model of botbuilder.schema) is stored as

    {"$type": "<public name>", "value": <its fields, REST JSON or ISO text>}

and only the types listed here are revived: a stored name never picks code to run.
A record holding any such value begins with `"$typed":true`, so that readers of the
plain records the bot itself writes look at one prefix and decode as before.

msrest models are stored as their REST JSON (`serialize` / `deserialize`), the form the
Bot Connector sends and receives: that JSON is opaque here, so a "$type" key that a
client put into an activity's `value` stays data.
"""
from __future__ import annotations

import datetime
import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import botbuilder.schema
import botbuilder.schema.teams
from botbuilder.dialogs import DialogInstance, DialogState
from botbuilder.dialogs.choices import Choice
from botbuilder.dialogs.prompts import PromptOptions
from msrest.serialization import Model

TYPE_KEY = "$type"
VALUE_KEY = "value"
TYPED_KEY = "$typed"
TYPED_PREFIX = '{"' + TYPED_KEY + '":true'
TYPED_PREFIX_BYTES = TYPED_PREFIX.encode("ascii")

Walk = Callable[[Any, str], Any]


@dataclass(frozen=True)
class _Codec:
    name: str
    cls: type
    # (object, convert a nested value, path) -> the JSON of "value"
    encode: Callable[[Any, Walk, str], Any]
    # ("value" as stored, revive a nested value, path) -> the object
    decode: Callable[[Any, Walk, str], Any]


def _attributes(name: str, cls: type, fields: Mapping[str, str]) -> _Codec:
    """A plain class stored as {attribute: value}; revived as cls(**{parameter: value}).
    `fields` maps each attribute to its constructor parameter."""

    def encode(obj: Any, walk: Walk, path: str) -> dict[str, Any]:
        return {attr: walk(getattr(obj, attr), f"{path}.{attr}") for attr in fields}

    def decode(value: Any, walk: Walk, path: str) -> Any:
        if not isinstance(value, dict) or set(value) - set(fields):
            raise ValueError(f"{path}: stored {name} has fields {sorted(value) if isinstance(value, dict) else value!r}, expected some of {sorted(fields)}")
        return cls(**{fields[attr]: walk(item, f"{path}.{attr}") for attr, item in value.items()})

    return _Codec(name, cls, encode, decode)


def _rest_model(name: str, cls: type[Model]) -> _Codec:
    return _Codec(
        name,
        cls,
        lambda obj, walk, path: obj.serialize(keep_readonly=True),
        lambda value, walk, path: cls.deserialize(value),
    )


def _same(*names: str) -> dict[str, str]:
    return {name: name for name in names}


@functools.cache
def _codecs() -> tuple[dict[type, _Codec], dict[str, _Codec]]:
    codecs = [
        _attributes("botbuilder.dialogs.DialogState", DialogState, {"dialog_stack": "stack"}),
        _attributes("botbuilder.dialogs.DialogInstance", DialogInstance, _same("id", "state")),
        _attributes(
            "botbuilder.dialogs.prompts.PromptOptions",
            PromptOptions,
            _same("prompt", "retry_prompt", "choices", "style", "validations", "number_of_attempts"),
        ),
        _attributes("botbuilder.dialogs.choices.Choice", Choice, _same("value", "action", "synonyms")),
        _Codec(
            "datetime.datetime",
            datetime.datetime,
            lambda obj, walk, path: obj.isoformat(),
            lambda value, walk, path: datetime.datetime.fromisoformat(value),
        ),
    ]
    for module in (botbuilder.schema, botbuilder.schema.teams):
        for attr, cls in vars(module).items():
            if isinstance(cls, type) and issubclass(cls, Model) and cls is not Model:
                codecs.append(_rest_model(f"{module.__name__}.{attr}", cls))
    by_type: dict[type, _Codec] = {}
    for codec in codecs:
        by_type.setdefault(codec.cls, codec)
    return by_type, {codec.name: codec for codec in codecs}


def to_tagged(value: Any, path: str) -> Any:
    """`value` with every SDK object replaced by its tagged JSON; TypeError naming the
    path for anything else that is not JSON, or a plain dict using the reserved key."""
    if value is None or isinstance(value, (str, int, float)):
        return value
    if isinstance(value, dict):
        if TYPE_KEY in value:
            raise TypeError(f"{path}: {TYPE_KEY!r} is a reserved key in a record that holds SDK objects")
        return {key: to_tagged(item, f"{path}.{key}") for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_tagged(item, f"{path}[{i}]") for i, item in enumerate(value)]
    codec = _codecs()[0].get(type(value))
    if codec is None:
        raise TypeError(f"{path}: {type(value).__name__} is not JSON (store plain dicts, lists, str, numbers or botbuilder state objects)")
    return {TYPE_KEY: codec.name, VALUE_KEY: codec.encode(value, to_tagged, path)}


def from_tagged(value: Any, path: str) -> Any:
    if isinstance(value, dict):
        if TYPE_KEY not in value:
            return {key: from_tagged(item, f"{path}.{key}") for key, item in value.items()}
        codec = _codecs()[1].get(value[TYPE_KEY])
        if codec is None or set(value) != {TYPE_KEY, VALUE_KEY}:
            raise ValueError(f"{path}: stored {TYPE_KEY} {value[TYPE_KEY]!r} with keys {sorted(value)} is not a known SDK object")
        return codec.decode(value[VALUE_KEY], from_tagged, path)
    if isinstance(value, list):
        return [from_tagged(item, f"{path}[{i}]") for i, item in enumerate(value)]
    return value


def dumps_typed(record: Mapping[str, Any], path: str) -> str:
    """A record holding SDK objects, marked as such by its first key."""
    tagged = to_tagged(dict(record), path)
    return json.dumps({TYPED_KEY: True, **tagged}, ensure_ascii=False, separators=(",", ":"))


def loads_typed(raw: bytes | str, path: str = "record") -> dict[str, Any]:
    record = from_tagged(json.loads(raw), path)
    del record[TYPED_KEY]
    return record
