"""Effects: work a turn asks for, done by the bot once the turn's state is saved (so a turn
redone after a write conflict never sends or deletes twice).

Every kind is declared here, with its fields, in `EFFECT_KINDS`; the conversation makes
them, and the modules that do the work mark one method per kind with `@handles(Kind)`.
`effect_table` joins the two: it refuses a kind without a handler, a kind handled twice
and a handler of an undeclared kind, so that create_app fails at start-up rather than a
turn at run time. Pure: no framework imports (a handler's signature is the bot's).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Callable, ClassVar, Iterable, Mapping, TypeVar


@dataclass(frozen=True)
class Effect:
    """One piece of after-save work; `kind` names it in logs and in the handler table."""

    kind: ClassVar[str] = ""


# --- files: 出力 and 集計 (bot/delivery) --------------------------------------------------------


@dataclass(frozen=True)
class Export(Effect):
    """出力: the answer's workbook into the chat (FileConsentCard or a signed link)."""

    kind: ClassVar[str] = "export"
    answer_id: str


@dataclass(frozen=True)
class Collect(Effect):
    """集計: the prefecture's list, with the files dropped beside the command."""

    kind: ClassVar[str] = "collect"
    prefecture: str
    attachments: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class ReceiveFiles(Effect):
    """Hand-filled workbooks dropped by prefecture staff, kept for their list."""

    kind: ClassVar[str] = "receive_files"
    attachments: list[dict[str, Any]] = field(default_factory=list)


# --- indexes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IndexAnswer(Effect):
    """The answer's 組織名 changed: the prefecture index (pref:{code}) follows."""

    kind: ClassVar[str] = "index"
    answer_id: str
    old: str
    new: str


@dataclass(frozen=True)
class IndexName(Effect):
    """The user's Teams name changed: the name index (name:{name}) follows."""

    kind: ClassVar[str] = "index_name"
    old: str
    new: str


@dataclass(frozen=True)
class RegisterUnion(Effect):
    """A 広域連合等's 組織名 changed: the prefecture's known 広域連合等 (unions:{code}) follow."""

    kind: ClassVar[str] = "register_union"
    answer_id: str
    old: str
    new: str


# --- working with others (bot/dialogs/teamwork_effects.py) -------------------------------------


@dataclass(frozen=True)
class Notify(Effect):
    """A proactive message to other users; with `deliver`, each also gets the workbook of
    `answer_id` (the confirmed answer)."""

    kind: ClassVar[str] = "notify"
    user_keys: list[str]
    text: str
    answer_id: str = ""
    deliver: bool = False


@dataclass(frozen=True)
class NotifyResponsible(Effect):
    """確認依頼: the request also sent to the 回答責任者, when exactly one person the bot knows
    bears the sheet's name and is not a member."""

    kind: ClassVar[str] = "notify_responsible"
    answer_id: str
    name: str
    code: str
    org: str
    members: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CheckAgreement(Effect):
    """An answer the definition says must agree between organisations changed (2307: Q13
    between a 広域連合等 and its own 構成市町村): compare them and warn."""

    kind: ClassVar[str] = "check_agreement"
    answer_id: str


@dataclass(frozen=True)
class DeleteAnswer(Effect):
    """削除依頼 said yes: delete the answer (the rule checked again on the record as it is)."""

    kind: ClassVar[str] = "delete_answer"
    answer_id: str


# --- the prefecture's desk (bot/dialogs/desk_effects.py) ---------------------------------------


@dataclass(frozen=True)
class Progress(Effect):
    """進捗 都道府県名: the prefecture's municipalities and 広域連合等 by need to chase."""

    kind: ClassVar[str] = "progress"
    prefecture: str  # its code


@dataclass(frozen=True)
class SetDeadline(Effect):
    """期限: the prefecture's own deadline set (`at`, ISO 8601), cleared, or (neither) shown."""

    kind: ClassVar[str] = "deadline"
    prefecture: str
    at: str = ""
    clear: bool = False
    past: bool = False  # `at` lies before the moment it was typed


@dataclass(frozen=True)
class Remind(Effect):
    """督促: once a day, the members of the prefecture's unfinished or unconfirmed answers."""

    kind: ClassVar[str] = "remind"
    prefecture: str


class StaffOp(StrEnum):
    ADD = "add"  # 職員追加
    REMOVE = "remove"  # 職員削除
    LIST = "list"  # 職員一覧


@dataclass(frozen=True)
class Staff(Effect):
    """An administrator's change to (or look at) the prefecture staff granted in the chat."""

    kind: ClassVar[str] = "staff"
    op: StaffOp
    who: str = ""  # a Teams name or a user id (ADD, REMOVE)
    prefecture: str = ""  # ADD


EFFECT_KINDS: dict[str, type[Effect]] = {
    cls.kind: cls
    for cls in (
        Export, Collect, ReceiveFiles, IndexAnswer, IndexName, RegisterUnion, Notify, NotifyResponsible,
        CheckAgreement, DeleteAnswer, Progress, SetDeadline, Remind, Staff,
    )
}


# --- handlers ----------------------------------------------------------------------------------

Handler = Callable[..., Any]  # async (TurnContext, Session, the effect) -> None
H = TypeVar("H", bound=Handler)
_MARK = "__handles_effect__"


class EffectTableError(ValueError):
    """The effect kinds and their handlers do not match one to one."""


def handles(kind: type[Effect]) -> Callable[[H], H]:
    """Marks a method as the handler of effects of `kind`."""

    def mark(method: H) -> H:
        setattr(method, _MARK, kind)
        return method

    return mark


def handled_kinds(provider: type | object) -> dict[str, str]:
    """{effect kind: method name} of the @handles methods of a class or its instance."""
    cls = provider if isinstance(provider, type) else type(provider)
    found: dict[str, str] = {}
    for name in dir(cls):
        kind = getattr(getattr(cls, name, None), _MARK, None)
        if kind is not None:
            found[kind.kind if isinstance(kind, type) else str(kind)] = name
    return found


def check_effect_handlers(providers: Iterable[type | object], kinds: Mapping[str, type[Effect]] = EFFECT_KINDS) -> None:
    """Raises EffectTableError unless every declared kind has exactly one handler among
    `providers` (classes or instances) and every handler's kind is declared."""
    owners: dict[str, list[str]] = {}
    for provider in providers:
        cls = provider if isinstance(provider, type) else type(provider)
        for kind, method in handled_kinds(provider).items():
            owners.setdefault(kind, []).append(f"{cls.__name__}.{method}")
    problems = []
    missing = [kind for kind in kinds if kind not in owners]
    if missing:
        problems.append("no handler for " + ", ".join(missing))
    problems += [f"{kind} handled twice ({', '.join(names)})" for kind, names in owners.items() if len(names) > 1]
    unknown = [f"{kind} ({', '.join(names)})" for kind, names in owners.items() if kind not in kinds]
    if unknown:
        problems.append("handlers of undeclared kinds: " + ", ".join(unknown))
    if problems:
        raise EffectTableError("effect handlers: " + "; ".join(problems))


def check_table(table: Mapping[str, Handler], kinds: Mapping[str, type[Effect]] = EFFECT_KINDS) -> None:
    """Raises EffectTableError unless `table` has a handler for exactly the declared kinds."""
    missing = [kind for kind in kinds if kind not in table]
    unknown = [kind for kind in table if kind not in kinds]
    problems = (["no handler for " + ", ".join(missing)] if missing else []) + (
        ["handlers of undeclared kinds: " + ", ".join(unknown)] if unknown else [])
    if problems:
        raise EffectTableError("effect handlers: " + "; ".join(problems))


def effect_table(providers: Iterable[object], kinds: Mapping[str, type[Effect]] = EFFECT_KINDS) -> dict[str, Handler]:
    """{kind: bound handler} from provider instances, checked (EffectTableError)."""
    providers = list(providers)
    check_effect_handlers(providers, kinds)
    return {kind: getattr(p, name) for p in providers for kind, name in handled_kinds(p).items()}


def handlers_of(provider: object) -> dict[str, Handler]:
    """{kind: bound handler} of one provider (not checked against the kinds)."""
    return {kind: getattr(provider, name) for kind, name in handled_kinds(provider).items()}


__all__ = [
    "EFFECT_KINDS", "CheckAgreement", "Collect", "DeleteAnswer", "Effect", "EffectTableError", "Export",
    "Handler", "IndexAnswer", "IndexName", "Notify", "NotifyResponsible", "Progress", "ReceiveFiles", "RegisterUnion",
    "Remind", "SetDeadline", "Staff", "StaffOp",
    "check_effect_handlers", "check_table", "effect_table", "handled_kinds", "handlers_of", "handles",
]
