"""What the bot says of the survey itself, from its definition: `survey:` (its name, the
welcome, 制度等, the deadline) and `help:` (the ヘルプ card's survey-specific parts).

The conversation's own wording (commands, prompts, refusals) stays in bot/messages; these
are the sentences that name a ministry, a notice, a contact or an item.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Mapping, Sequence

from bot.jst import JST

from .model import DefinitionError, Item, definition_text


@dataclass(frozen=True)
class Contact:
    who: str  # 調査について（厚生労働省）
    lines: tuple[str, ...]  # as the notice prints them


@dataclass(frozen=True)
class SurveyTexts:
    name: str  # how messages name the survey: 「2307 マイナンバー調査」の回答…
    title: str  # the welcome card's title
    intro: str  # what the survey is, in one sentence (the welcome's first line)
    system: str  # 制度等 on the workbook
    deadline: datetime | None  # the ministry's (the prefectures') deadline; DEADLINE overrides
    example: bool  # an example definition, not a ministry's survey: the welcome says so
    edit_example: str  # the heading 「修正 Q7-2」 shows
    explain_terms: tuple[str, ...]  # glossary terms the ヘルプ line of 説明 names
    doubt_source: str  # whose rule for doubt 迷っている shows (デジタル庁の留意点); '' : the bot's default
    notes_title: str  # 記載にあたっての留意点（デジタル庁）
    notes: tuple[str, ...]  # quoted from the notice
    notes_reading: str  # what the bot does about them
    contacts: tuple[Contact, ...]
    submit_municipality: str  # where an organisation sends its answer ('' : the bot's default)
    submit_prefecture: str  # where a prefecture sends its list; {deadline} is the ministry's
    submit_address: str  # the ministry's address for the lists ('' when the notice gives none)


def build_texts(
    survey: Any, help_: Any, items: Sequence[Item], glossary: Mapping[str, str]
) -> SurveyTexts:
    """`survey:` and `help:` -> SurveyTexts; DefinitionError names the key."""
    if not isinstance(survey, dict):
        raise DefinitionError("survey: needs name, title and system")
    help_ = help_ or {}
    if not isinstance(help_, dict):
        raise DefinitionError("help: needs a mapping")
    by_id = {item.id: item for item in items}
    edit_example = str(help_.get("edit_example", items[0].id if items else ""))
    if edit_example not in by_id:
        raise DefinitionError(f"help.edit_example: no item {edit_example}")
    terms = help_.get("explain_terms", list(glossary)[:3])
    if not isinstance(terms, list) or any(term not in glossary for term in terms):
        raise DefinitionError("help.explain_terms: must list terms of the glossary")
    notes = help_.get("notes") or {}
    quotes = notes.get("quotes") or [] if isinstance(notes, dict) else None
    if not isinstance(quotes, list) or not all(isinstance(q, str) and q.strip() for q in quotes):
        raise DefinitionError("help.notes: needs title, quotes (a list) and reading")
    submit = help_.get("submit") or {}
    if not isinstance(submit, dict):
        raise DefinitionError("help.submit: needs municipality and prefecture")
    prefecture = definition_text(submit, "prefecture", "help.submit", required=False)
    if prefecture and "{deadline}" not in prefecture:
        raise DefinitionError("help.submit.prefecture: needs {deadline} (the ministry's date)")
    example = survey.get("example", False)
    if not isinstance(example, bool):
        raise DefinitionError("survey.example: must be true or false")
    return SurveyTexts(
        name=definition_text(survey, "name", "survey"),
        title=definition_text(survey, "title", "survey"),
        intro=definition_text(survey, "intro", "survey", required=False),
        system=definition_text(survey, "system", "survey"),
        deadline=_deadline(survey.get("deadline")),
        example=example,
        edit_example=by_id[edit_example].heading,
        explain_terms=tuple(terms),
        doubt_source=definition_text(help_, "doubt_source", "help", required=False),
        notes_title=definition_text(notes, "title", "help.notes", required=bool(quotes)),
        notes=tuple(quotes),
        notes_reading=definition_text(notes, "reading", "help.notes", required=False),
        contacts=_contacts(help_.get("contacts")),
        submit_municipality=definition_text(submit, "municipality", "help.submit", required=False),
        submit_prefecture=prefecture,
        submit_address=definition_text(submit, "address", "help.submit", required=False),
    )


def _contacts(raw: Any) -> tuple[Contact, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise DefinitionError("help.contacts: needs a list of {who, lines}")
    contacts = []
    for index, entry in enumerate(raw):
        where = f"help.contacts #{index + 1}"
        lines = entry.get("lines") if isinstance(entry, dict) else None
        if not isinstance(lines, list) or not lines or not all(isinstance(line, str) for line in lines):
            raise DefinitionError(f"{where}: needs who and lines")
        contacts.append(Contact(definition_text(entry, "who", where), tuple(lines)))
    return tuple(contacts)


def _deadline(raw: Any) -> datetime | None:
    """A YAML timestamp or an ISO text; without a zone it is JST."""
    if raw is None:
        return None
    if isinstance(raw, str):
        try:
            raw = datetime.fromisoformat(raw)
        except ValueError:
            raise DefinitionError(f"survey.deadline: {raw!r} is not a date and time (2023-07-21T17:00)") from None
    if isinstance(raw, date) and not isinstance(raw, datetime):
        raw = datetime.combine(raw, time(0, 0))
    if not isinstance(raw, datetime):
        raise DefinitionError("survey.deadline: needs a date and time (2023-07-21T17:00)")
    return raw if raw.tzinfo else raw.replace(tzinfo=JST)
