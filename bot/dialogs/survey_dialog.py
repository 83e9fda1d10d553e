"""The survey as a botbuilder-dialogs Dialog, with its dialog stack kept as explicit JSON
inside the user's record (so it follows the user across chats, not the conversation)."""
from __future__ import annotations

from typing import Any, Callable

from botbuilder.core import TurnContext
from botbuilder.dialogs import (
    Dialog,
    DialogContext,
    DialogInstance,
    DialogSet,
    DialogState,
    DialogTurnResult,
    DialogTurnStatus,
)

from bot.dialogs.conversation import Conversation
from bot.dialogs.inputs import UserInput
from bot.dialogs.session import Session

SESSION_KEY = "mn2307.session"
INPUT_KEY = "mn2307.input"


class SurveyDialog(Dialog):
    """A long-running dialog: every turn asks the conversation (and through it the
    engine) what to say; it never ends on its own."""

    def __init__(self, conversation: Conversation) -> None:
        super().__init__("survey")
        self.conversation = conversation

    async def begin_dialog(self, dialog_context: DialogContext, options: object = None) -> DialogTurnResult:
        return await self.continue_dialog(dialog_context)

    async def continue_dialog(self, dialog_context: DialogContext) -> DialogTurnResult:
        session: Session = dialog_context.context.turn_state[SESSION_KEY]
        inp: UserInput | None = dialog_context.context.turn_state.get(INPUT_KEY)
        if inp is None:
            self.conversation.welcome(session)
        else:
            self.conversation.handle(session, inp)
        return DialogTurnResult(DialogTurnStatus.Waiting)


class _JsonStackAccessor:
    """StatePropertyAccessor over the turn's Session: DialogState <-> plain JSON."""

    async def get(self, turn_context: TurnContext, default_value_or_factory: Callable[[], Any] | Any = None) -> DialogState:
        session: Session = turn_context.turn_state[SESSION_KEY]
        stack = [DialogInstance(entry["id"], dict(entry.get("state") or {})) for entry in session.user.dialog_stack]
        state = DialogState(stack)
        turn_context.turn_state["mn2307.dialog_state"] = state
        return state

    async def set(self, turn_context: TurnContext, value: DialogState) -> None:
        session: Session = turn_context.turn_state[SESSION_KEY]
        session.user.dialog_stack = [{"id": d.id, "state": d.state} for d in value.dialog_stack]

    async def delete(self, turn_context: TurnContext) -> None:
        turn_context.turn_state[SESSION_KEY].user.dialog_stack = []


class SurveyDialogRunner:
    def __init__(self, conversation: Conversation) -> None:
        self._accessor = _JsonStackAccessor()
        self._dialogs = DialogSet(self._accessor)
        self._dialogs.add(SurveyDialog(conversation))

    async def run(self, turn_context: TurnContext, session: Session, inp: UserInput | None) -> None:
        turn_context.turn_state[SESSION_KEY] = session
        turn_context.turn_state[INPUT_KEY] = inp
        dc = await self._dialogs.create_context(turn_context)
        result = await dc.continue_dialog()
        if result.status == DialogTurnStatus.Empty:
            await dc.begin_dialog("survey")
        await self._accessor.set(turn_context, dc.stack and DialogState(dc.stack) or DialogState())
