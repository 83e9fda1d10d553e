"""Reading stored JSON against a declared shape.

Records in Redis are explicit JSON; the dataclasses that declare their shapes (the answer
record in bot/survey/model.py, the user record in bot/dialogs/records.py, a code's record)
read them through `Fields`, so that a record that is not what its kind should hold is
reported once, where it is read, naming the record and the field, instead of failing as a
KeyError somewhere inside a turn. Pure: no framework imports.
"""
from __future__ import annotations

from typing import Any, Collection, Mapping


class RecordError(ValueError):
    """A stored record does not have its declared shape; the message names the record and
    the field (``user:abc: cursor.kind: 'x' is not one of field, item, union, review``)."""


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", int: "a number",
            float: "a number", type(None): "null"}.get(type(value), type(value).__name__)


class Fields:
    """One JSON object being read: typed getters that raise RecordError, and what is left
    over (`rest`), so that keys this version does not declare are written back as read."""

    def __init__(self, data: Any, where: str) -> None:
        if not isinstance(data, dict):
            raise RecordError(f"{where}: expected an object, got {_kind(data)}")
        self.data = data
        self.where = where

    def fail(self, key: str, problem: str) -> RecordError:
        return RecordError(f"{self.where}: {key}: {problem}")

    def _typed(self, key: str, kinds: tuple[type, ...], name: str, default: Any) -> Any:
        value = self.data.get(key)
        if value is None:
            return default
        # Exact JSON types (true is no number here); text may be a str subclass (an enum).
        if type(value) not in kinds and not (str in kinds and isinstance(value, str)):
            raise self.fail(key, f"expected {name}, got {_kind(value)}")
        return value

    def text(self, key: str, default: str = "") -> str:
        return self._typed(key, (str,), "text", default)

    def optional_text(self, key: str) -> str | None:
        return self._typed(key, (str,), "text", None)

    def required_text(self, key: str) -> str:
        value = self.optional_text(key)
        if value is None:
            raise self.fail(key, "missing")
        return value

    def flag(self, key: str) -> bool:
        return self._typed(key, (bool,), "true/false", False)

    def number(self, key: str, default: int = 0) -> int:
        return self._typed(key, (int,), "a number", default)

    def text_map(self, key: str) -> dict[str, str]:
        """An object of texts, copied."""
        value = self._typed(key, (dict,), "an object", {})
        for name, item in value.items():
            if type(item) is not str:
                raise self.fail(f"{key}.{name}", f"expected text, got {_kind(item)}")
        return dict(value)

    def _list_of(self, key: str, kind: type, name: str) -> list[Any]:
        value = self._typed(key, (list,), "a list", [])
        for index, item in enumerate(value):
            if type(item) is not kind:  # exact: true is no number
                raise self.fail(f"{key}[{index}]", f"expected {name}, got {_kind(item)}")
        return list(value)

    def text_list(self, key: str) -> list[str]:
        """A list of texts, copied."""
        return self._list_of(key, str, "text")

    def number_list(self, key: str) -> list[int]:
        """A list of numbers (option numbers), copied."""
        return self._list_of(key, int, "a number")

    def object(self, key: str) -> dict[str, Any] | None:
        """A nested object as it is (its owner reads it with its own Fields)."""
        return self._typed(key, (dict,), "an object", None)

    def objects(self, key: str) -> list[dict[str, Any]]:
        value = self._typed(key, (list,), "a list", [])
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                raise self.fail(f"{key}[{index}]", f"expected an object, got {_kind(item)}")
        return list(value)

    def one_of(self, key: str, choices: Collection[str], default: str) -> str:
        value = self.text(key, default)
        if value not in choices:
            raise self.fail(key, f"{value!r} is not one of {', '.join(choices)}")
        return value

    def nested(self, key: str) -> "Fields | None":
        value = self.object(key)
        return None if value is None else Fields(value, f"{self.where}: {key}")

    def rest(self, declared: Collection[str]) -> dict[str, Any]:
        """The keys not declared, as read (kept and written back unchanged)."""
        return {k: v for k, v in self.data.items() if k not in declared}


def without_empty(data: Mapping[str, Any]) -> dict[str, Any]:
    """`data` without None, "", False, [] and {}: optional fields are absent when unset."""
    return {k: v for k, v in data.items() if v not in (None, "", False) and v != [] and v != {}}


__all__ = ["Fields", "RecordError", "without_empty"]
