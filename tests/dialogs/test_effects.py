"""Effects: every declared kind has exactly one handler among the app's providers, checked
before anything starts; a kind without one, one handled twice, or a handler of an
undeclared kind stops create_app with a message naming them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pytest

from bot import app as app_module
from bot.app import EFFECT_PROVIDERS, create_app
from bot.config import Config
from bot.dialogs.deletion_effects import DeletionEffects
from bot.dialogs.effects import (
    EFFECT_KINDS,
    DeleteAnswer,
    Effect,
    EffectTableError,
    Export,
    check_effect_handlers,
    check_table,
    handled_kinds,
    handles,
)


class Exports:
    @handles(Export)
    async def export(self, *args: object) -> None: ...


class AlsoExports:
    @handles(Export)
    async def again(self, *args: object) -> None: ...


@dataclass(frozen=True)
class Undeclared(Effect):
    kind: ClassVar[str] = "undeclared"


class HandlesUndeclared:
    @handles(Undeclared)
    async def odd(self, *args: object) -> None: ...


KINDS = {Export.kind: Export, DeleteAnswer.kind: DeleteAnswer}


@pytest.mark.parametrize(
    "providers,problem",
    [
        ([Exports], "no handler for delete_answer"),
        ([Exports, AlsoExports], "export handled twice (Exports.export, AlsoExports.again)"),
        ([HandlesUndeclared], "handlers of undeclared kinds: undeclared (HandlesUndeclared.odd)"),
    ],
    ids=["missing", "twice", "undeclared"],
)
def test_a_mismatch_is_named(providers: list[type], problem: str) -> None:
    with pytest.raises(EffectTableError) as refused:
        check_effect_handlers(providers, KINDS)
    assert problem in str(refused.value)


def test_the_apps_providers_handle_every_declared_kind_once() -> None:
    check_effect_handlers(EFFECT_PROVIDERS)
    handled = [kind for provider in EFFECT_PROVIDERS for kind in handled_kinds(provider)]
    assert sorted(handled) == sorted(EFFECT_KINDS)


def test_create_app_fails_at_start_up_without_a_handler(monkeypatch: pytest.MonkeyPatch) -> None:
    without_deletion = tuple(p for p in EFFECT_PROVIDERS if p is not DeletionEffects)
    monkeypatch.setattr(app_module, "EFFECT_PROVIDERS", without_deletion)
    with pytest.raises(EffectTableError, match="no handler for delete_answer"):
        create_app(Config())


def test_a_bot_given_a_table_needs_all_of_it() -> None:
    with pytest.raises(EffectTableError, match="no handler for"):
        check_table({Export.kind: Exports().export})
