"""The organisation types (組織区分) of a survey, as its definition declares them.

Which types a survey has, what each is called, how it is stored and shown, what people
type for it, and (through the skip rules) which items it answers are the definition's
`organisations:`. What the shared code knows of a type is its role (model.ROLE_*): how its
組織名 is written and checked, whether it names the 広域連合等 it belongs to, whether it
sees the ministry's deadline. The 総点検 surveys share that skeleton.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable

from .model import ROLES, ROLE_MEMBER, DefinitionError, definition_text


@dataclass(frozen=True)
class OrgType:
    name: str  # what rules and the definition call it: org in [構成市町村]
    label: str  # stored in 回答者情報 and shown: 市区町村（広域連合等の構成市町村）
    role: str  # model.ROLE_*
    sheet_label: str  # 組織区分 on the workbook and the list: 市区町村
    typed: tuple[str, ...] = ()  # shorthand people type for it (市, 県庁 …)
    union_question: str = ""  # ROLE_MEMBER: how to ask for the 広域連合等 it belongs to


def compact(text: str) -> str:
    """NFKC without spaces: how typed 組織区分 words are compared (① → 1, （） → ())."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


class Organisations:
    """The survey's organisation types, in the order the conversation numbers them."""

    def __init__(self, types: Iterable[OrgType]) -> None:
        self.types = tuple(types)
        self._by_label = {t.label: t for t in self.types}
        self._by_role = {t.role: t for t in self.types}
        self._by_name = {t.name: t for t in self.types}

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(t.label for t in self.types)

    def get(self, label: str | None) -> OrgType | None:
        return self._by_label.get(label or "")

    def role(self, label: str | None) -> str | None:
        """The role of a stored 組織区分; None for a value the survey does not know."""
        found = self.get(label)
        return found.role if found else None

    def is_role(self, label: str | None, role: str) -> bool:
        return self.role(label) == role

    def with_role(self, role: str) -> OrgType | None:
        return self._by_role.get(role)

    def label_of(self, role: str) -> str | None:
        """The stored 組織区分 of the survey's type with this role, if it has one."""
        found = self._by_role.get(role)
        return found.label if found else None

    def by_name(self, name: str) -> OrgType | None:
        return self._by_name.get(name)

    def rule_names(self) -> dict[str, str]:
        """The names rules use (`org in [構成市町村]`), each with its stored 組織区分."""
        return {t.name: t.label for t in self.types}

    def sheet_label(self, label: str | None) -> str:
        """組織区分 as the workbook writes it (a 構成市町村 is a 市区町村 there)."""
        found = self.get(label)
        return found.sheet_label if found else (label or "")

    def from_sheet(self, label: str, org_name: str, member_suffix: str) -> str:
        """A 組織区分 read from a workbook: the sheet's 市区町村 with a 組織名 marked as a
        構成市町村's (`(広域)`) is the member type, where the survey has one."""
        member = self.with_role(ROLE_MEMBER)
        found = self.get(label)
        if member is None or found is None or found.role == ROLE_MEMBER:
            return label
        marked = compact(org_name).endswith(compact(member_suffix))
        return member.label if marked and found.label == member.sheet_label else label

    def typed_words(self) -> dict[str, tuple[str, ...]]:
        """Compacted word -> the labels it may mean: each type's label, name and shorthand.
        A word under two types is ambiguous (「広域」: a 構成市町村 or a 広域連合等)."""
        words: dict[str, list[str]] = {}
        for org in self.types:
            for word in (org.label, org.name, *org.typed):
                labels = words.setdefault(compact(word), [])
                if org.label not in labels:
                    labels.append(org.label)
        return {word: tuple(labels) for word, labels in words.items()}


def build_organisations(raw: Any) -> Organisations:
    """`organisations:` -> Organisations; DefinitionError names what is wrong."""
    if not isinstance(raw, list) or not raw:
        raise DefinitionError("organisations: needs a list of organisation types")
    types: list[OrgType] = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not entry["name"].strip():
            raise DefinitionError(f"organisation #{index + 1}: needs a name")
        name = entry["name"].strip()
        where = f"organisation {name}"
        role = entry.get("role")
        if role not in ROLES:
            raise DefinitionError(f"{where}: role must be one of {', '.join(ROLES)}")
        label = definition_text(entry, "label", where, default=name)
        typed = entry.get("typed") or []
        if not isinstance(typed, list) or not all(isinstance(w, str) and w.strip() for w in typed):
            raise DefinitionError(f"{where}: typed must list the words people type for it")
        union_question = definition_text(entry, "union_question", where, required=role == ROLE_MEMBER)
        if role != ROLE_MEMBER and union_question:
            raise DefinitionError(f"{where}: only the member role asks a union_question")
        types.append(OrgType(
            name=name, label=label, role=role, sheet_label=definition_text(entry, "sheet_label", where, default=label),
            typed=tuple(typed), union_question=union_question,
        ))
    for kind, values in (("name", [t.name for t in types]), ("label", [t.label for t in types]),
                         ("role", [t.role for t in types])):
        twice = sorted({v for v in values if values.count(v) > 1})
        if twice:
            raise DefinitionError(f"organisations: {kind} {twice[0]!r} is given twice")
    return Organisations(types)
