"""The survey as the bot runs it: load + validate a definition (bot/survey/definitions/),
then answer the conversation's questions (what to ask next, what applies, what a typed
answer means, which notes to show).

Pure domain code: no I/O except reading the definition once.
"""
from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Collection, Mapping

import yaml

from ..messages import survey as msg
from . import answers as answer_parsing
from .answers import Parsed
from .conditions import (
    And,
    Applies,
    Compare,
    Context,
    Node,
    RuleSyntaxError,
    TrueNode,
    Tri,
    parse_rule,
    walk,
)
from .model import (
    KIND_MULTI,
    KIND_SINGLE,
    KIND_TEXT,
    KIND_YEARMONTH,
    NOTE_NONE,
    RESPONDENT_FIELDS,
    RISK,
    ROLE_MEMBER,
    ROLE_UNION,
    SAFEGUARD,
    Agreement,
    DefinitionError,
    Item,
    Note,
    definition_text,
    Option,
    Quote,
    RiskPattern,
    circled,
)
from .layout import Layout, build_layout, sheet_order
from .organisations import Organisations, build_organisations
from .survey_texts import SurveyTexts, build_texts

__all__ = [
    "Changes",
    "DefinitionError",
    "Parsed",
    "Status",
    "Survey",
    "load_survey",
]

DEFINITIONS = Path(__file__).parent / "definitions"
DEFAULT_PATH = DEFINITIONS / "2307.yaml"  # SURVEY_DEFINITION's default
_KINDS = (KIND_SINGLE, KIND_MULTI, KIND_TEXT, KIND_YEARMONTH)
_DASHES = "‐‑‒–—―−－ー"
# Reachability is decided by trying answers; this bounds the search for odd definitions.
_REACH_LIMIT = 200_000
# An Excel cell holds at most 32,767 characters; a free-text answer is written into one.
_CELL_LIMIT = 32_767


@dataclass
class Status:
    answered: list[str]
    unanswered: list[str]
    not_applicable: list[str]
    info_missing: bool
    unanswered_flag: bool
    # Items that may still apply once an earlier, unanswered item is answered
    # (neither 対象外 nor askable yet). Shown as empty, never as 対象外.
    pending: list[str] = field(default_factory=list)
    # Answered items put under review (要確認) and not yet kept or answered anew.
    under_review: list[str] = field(default_factory=list)


@dataclass
class Changes:
    now_not_applicable: list[str]  # applied before, not now: 対象外, or waiting on an earlier answer
    now_applicable: list[str]
    # Of now_not_applicable, those that may apply again once an earlier item is answered.
    now_waiting: list[str] = field(default_factory=list)

    @property
    def now_excluded(self) -> list[str]:
        """Applied before, 対象外 now."""
        return [i for i in self.now_not_applicable if i not in self.now_waiting]


@dataclass(frozen=True)
class _Substitution:
    org: str
    before: str
    after: str
    note: str = ""  # shown with an item whose wording it changed


class Survey:
    def __init__(
        self,
        items: tuple[Item, ...],
        rules: dict[str, Node],
        glossary: dict[str, str],
        doubt_rule: str,
        reminder_texts: dict[str, str],
        substitution: _Substitution | None,
        doubt_parts: tuple[str, ...] = (),
        rule_words: dict[str, tuple[Quote, ...]] | None = None,
        risk_patterns: tuple[tuple[RiskPattern, Node], ...] = (),
        known_causes: str = "",
        *,
        orgs: Organisations,
        texts: SurveyTexts,
        layout: Layout,
        notes: tuple[tuple[Note, Node], ...] = (),
        agreement: Agreement | None = None,
        block_name: str = "",
    ) -> None:
        self.items = items
        self._by_id = {item.id: item for item in items}
        self._order = {item.id: index for index, item in enumerate(items)}
        self._rules = rules  # item id -> full rule (block ANDed in)
        self.glossary = glossary
        self.doubt_rule = doubt_rule
        self.doubt_parts = doubt_parts or (doubt_rule,)  # its paragraphs, for 迷っている
        self._reminders = reminder_texts  # note id -> text (tests name them)
        self._substitution = substitution
        self._notes = notes
        self.orgs = orgs
        self.texts = texts
        self.layout = layout
        self.agreement = agreement
        self.block_name = block_name  # how the desk names the block in a sentence: Q1〜Q12
        self._known_causes = known_causes
        self._aliases = self._build_aliases()
        self._rule_words = rule_words or {}
        self._risks = risk_patterns

    # -- items --------------------------------------------------------------

    def item(self, item_id: str) -> Item:
        return self._by_id[item_id]

    def _build_aliases(self) -> dict[str, str]:
        aliases: dict[str, str] = {}
        for item in self.items:
            for name in (item.id, item.heading, item.id.replace("_", "")):
                aliases[_alias_key(name)] = item.id
        return aliases

    def resolve_item_id(self, text: str) -> str | None:
        """"Q7-2", "q7-2", "７－２", "Q2 予定年月" -> the item id, or None."""
        return self._aliases.get(_alias_key(text))

    # -- applicability ------------------------------------------------------

    def _applicability(self, org_type: str | None, answers: Mapping[str, Any]) -> dict[str, Tri]:
        """Three-valued applicability of every item, computed in asking order."""
        result: dict[str, Tri] = {}

        def lookup(item_id: str) -> tuple[Tri, Any]:
            return result[item_id], answers.get(item_id)

        ctx = Context(org_type, lookup)
        for item in self.items:
            result[item.id] = self._rules[item.id].evaluate(ctx)
        return result

    def applicability(self, org_type: str | None, answers: Mapping[str, Any]) -> dict[str, Tri]:
        """Every item's applicability at once: True, False (対象外) or None (may still apply)."""
        return self._applicability(org_type, answers)

    def evaluate(
        self,
        rule: Node,
        org_type: str | None,
        answers: Mapping[str, Any],
        flags: Mapping[str, Tri] | None = None,
    ) -> Tri:
        """A rule in the definition's language on one response (answers of 対象外 items do
        not count, as in the skip rules); `flags` reuses an applicability() already computed."""
        known = self._applicability(org_type, answers) if flags is None else flags
        return rule.evaluate(Context(org_type, lambda item_id: (known[item_id], answers.get(item_id))))

    # -- the desk: rules in the survey's words, risk patterns -------------------

    def rule_words(self, key: str) -> tuple[Quote, ...]:
        """The seed's words for an item's rule or a named check (see RULE_WORD_CHECKS)."""
        return self._rule_words.get(key, ())

    @property
    def risk_patterns(self) -> tuple[RiskPattern, ...]:
        return tuple(pattern for pattern, _ in self._risks)

    def pattern_items(self, pattern: RiskPattern) -> list[str]:
        """The items a pattern looks at, in asking order (to show the answers it rests on)."""
        rule = next(rule for p, rule in self._risks if p.id == pattern.id)
        return sorted(rule.refs(), key=self._order.__getitem__)

    def matching_patterns(
        self,
        org_type: str | None,
        answers: Mapping[str, Any],
        flags: Mapping[str, Tri] | None = None,
    ) -> list[RiskPattern]:
        """The patterns this response shows (a pattern that waits for an answer does not)."""
        known = self._applicability(org_type, answers) if flags is None else flags
        return [p for p, rule in self._risks if self.evaluate(rule, org_type, answers, known) is True]

    def is_applicable(self, item_id: str, org_type: str | None, answers: Mapping[str, Any]) -> bool:
        self.item(item_id)
        return self._applicability(org_type, answers)[item_id] is True

    def applicable_items(self, org_type: str | None, answers: Mapping[str, Any]) -> list[Item]:
        flags = self._applicability(org_type, answers)
        return [item for item in self.items if flags[item.id] is True]

    def _has_answer(
        self, item: Item, answers: Mapping[str, Any], notes: Mapping[str, str] | None
    ) -> bool:
        value = answers.get(item.id)
        if value is None or value == "":
            return False
        if isinstance(value, list) and not value:
            # [] is "neither applies", valid only where allowed (and, when notes are
            # known, only when the note records the user's confirmation).
            return item.allow_none and (notes is None or notes.get(item.id) == NOTE_NONE)
        return True

    def next_item(
        self,
        org_type: str | None,
        answers: Mapping[str, Any],
        notes: Mapping[str, str] | None = None,
        under_review: Collection[str] = (),
    ) -> Item | None:
        """The first applicable item without an answer, or with one under review (要確認);
        None when all is answered."""
        for item in self.applicable_items(org_type, answers):
            if item.id in under_review or not self._has_answer(item, answers, notes):
                return item
        return None

    def previous_item(
        self, item_id: str, org_type: str | None, answers: Mapping[str, Any]
    ) -> Item | None:
        """The applicable item asked before `item_id`, or None at the start."""
        position = self._order[item_id]
        before = [i for i in self.applicable_items(org_type, answers) if self._order[i.id] < position]
        return before[-1] if before else None

    def progress(
        self, item_id: str, org_type: str | None, answers: Mapping[str, Any]
    ) -> tuple[int, int]:
        """(position, total): total counts items that apply or may still apply."""
        flags = self._applicability(org_type, answers)
        counted = [item.id for item in self.items if flags[item.id] is not False]
        position = self._order[item_id]
        done = sum(1 for i in counted if self._order[i] < position)
        here = 1 if flags[item_id] is not False else 0
        return done + here, len(counted)

    # -- answers ------------------------------------------------------------

    def parse_answer(self, item_id: str, text: str) -> Parsed:
        return answer_parsing.parse(self.item(item_id), text)

    def format_value(self, item_id: str, value: Any) -> str:
        """An answer as shown and exported: "②定めていない。", "①③", the text."""
        item = self.item(item_id)
        if value is None:
            return ""
        if item.kind == KIND_SINGLE:
            return item.option(int(value)).label
        if item.kind == KIND_MULTI:
            if not value:
                return msg.NONE_VALUE
            return "".join(circled(int(n)) for n in value)
        return str(value)

    def describe_value(self, item_id: str, value: Any, separator: str = "　") -> str:
        """An answer as the chat shows it: as format_value, but a multi-select's options with
        their wording (「①住基ネットの利用…」), so that a reader need not look them up. The
        labels end in 。 or not as the seed writes them: a space keeps them apart either way."""
        item = self.item(item_id)
        if item.kind == KIND_MULTI and value:
            return separator.join(item.option(int(n)).label for n in value)
        return self.format_value(item_id, value)

    def status(
        self,
        org_type: str | None,
        answers: Mapping[str, Any],
        respondent: Mapping[str, str],
        notes: Mapping[str, str] | None = None,
        under_review: Collection[str] = (),
    ) -> Status:
        flags = self._applicability(org_type, answers)
        notes = notes or {}
        answered, unanswered, not_applicable, pending, reviewed = [], [], [], [], []
        for item in self.items:
            flag = flags[item.id]
            if flag is False:
                not_applicable.append(item.id)
            elif flag is None:
                pending.append(item.id)
            elif self._has_answer(item, answers, notes):
                answered.append(item.id)
                if item.id in under_review:
                    reviewed.append(item.id)
            else:
                unanswered.append(item.id)
        info_missing = any(not str(respondent.get(key) or "").strip() for key, _ in RESPONDENT_FIELDS)
        return Status(
            answered=answered,
            unanswered=unanswered,
            not_applicable=not_applicable,
            info_missing=info_missing,
            unanswered_flag=bool(unanswered or pending),
            pending=pending,
            under_review=reviewed,
        )

    def review_after_change(
        self,
        item_id: str,
        old: Any,
        new: Any,
        org_type: str | None,
        answers: Mapping[str, Any],
        notes: Mapping[str, str] | None = None,
    ) -> list[str]:
        """Items to put under review (要確認) because `item_id` changed from `old` to `new`:
        when the item declares `review_later` and both answers are among its options,
        every later item that has an answer and may still apply, in survey order."""
        between = self.item(item_id).review_later_between
        if old == new or old not in between or new not in between:
            return []
        flags = self._applicability(org_type, answers)
        position = self._order[item_id]
        return [
            item.id
            for item in self.items
            if self._order[item.id] > position
            and flags[item.id] is not False
            and self._has_answer(item, answers, notes)
        ]

    def deciding_item(
        self,
        item_id: str,
        org_type: str | None,
        answers: Mapping[str, Any],
        notes: Mapping[str, str] | None = None,
    ) -> str | None:
        """While whether `item_id` applies waits on an unanswered item (a 構成市町村's 1-1
        before Q13), the first such item in survey order; None once it is decided."""
        flags = self._applicability(org_type, answers)
        if flags[item_id] is not None:
            return None
        closure: set[str] = set()
        todo = list(self._rules[item_id].refs())
        while todo:
            ref = todo.pop()
            if ref not in closure:
                closure.add(ref)
                todo.extend(self._rules[ref].refs())
        for ref in sorted(closure, key=self._order.__getitem__):
            if flags[ref] is True and not self._has_answer(self.item(ref), answers, notes):
                return ref
        return None

    def open_items(self, status: Status) -> list[str]:
        """Items still to answer (unanswered, or waiting on an earlier answer), in survey order."""
        waiting = set(status.unanswered) | set(status.pending)
        return [item.id for item in self.items if item.id in waiting]

    def changes(
        self,
        org_type: str | None,
        before: Mapping[str, Any],
        after: Mapping[str, Any],
        before_org: str | None = None,
    ) -> Changes:
        """Which items an edit took out of (or brought into) the applicable set;
        `before_org`: the 組織区分 before the edit, when the edit changed it."""
        was = self._applicability(before_org or org_type, before)
        now = self._applicability(org_type, after)
        return Changes(
            now_not_applicable=[i.id for i in self.items if was[i.id] is True and now[i.id] is not True],
            now_applicable=[i.id for i in self.items if now[i.id] is True and was[i.id] is not True],
            now_waiting=[i.id for i in self.items if was[i.id] is True and now[i.id] is None],
        )

    # -- texts --------------------------------------------------------------

    def _substitutes(self, org_type: str | None) -> bool:
        return self._substitution is not None and org_type == self._substitution.org

    def _substituted(self, text: str, org_type: str | None) -> str:
        if not self._substitutes(org_type):
            return text
        assert self._substitution is not None
        return text.replace(self._substitution.before, self._substitution.after)

    def prompt_text(self, item_id: str, org_type: str | None) -> str:
        """The question-list wording, with the 広域連合 読み替え applied."""
        return self._substituted(self.item(item_id).prompt, org_type)

    def options_for(self, item_id: str, org_type: str | None) -> tuple[Option, ...]:
        """The options as shown to this respondent (読み替え applied)."""
        return tuple(
            replace(opt, text=self._substituted(opt.text, org_type))
            for opt in self.item(item_id).options
        )

    def is_substituted(self, item_id: str, org_type: str | None) -> bool:
        item = self.item(item_id)
        if not self._substitutes(org_type):
            return False
        assert self._substitution is not None
        texts = [item.prompt, *(o.text for o in item.options)]
        return any(self._substitution.before in t for t in texts)

    def reminders(self, item_id: str, org_type: str | None, answers: Mapping[str, Any]) -> list[str]:
        """Notes to show with this item (the definition's `notes` whose rule holds now, in
        their order), then the 読み替え notice where the wording was substituted."""
        self.item(item_id)
        position = self._order[item_id]
        placed = [
            (note, rule) for note, rule in self._notes
            if item_id in note.items or (note.after is not None and self._order[note.after] < position)
        ]
        found = self._holding(placed, org_type, answers)
        if self.is_substituted(item_id, org_type):
            assert self._substitution is not None
            found.append(self._substitution.note)
        return [text for text in found if text]

    def finish_notes(self, org_type: str | None, answers: Mapping[str, Any]) -> list[str]:
        """Notes the finished answer carries (`at: finish`): what the sheet cannot say, such
        as an attachment the survey asks for."""
        return self._holding([(n, r) for n, r in self._notes if n.at_finish], org_type, answers)

    def _holding(
        self, notes: list[tuple[Note, Node]], org_type: str | None, answers: Mapping[str, Any]
    ) -> list[str]:
        """The texts of the notes whose rule holds (applicability computed once, if needed)."""
        flags: Mapping[str, Tri] | None = None
        texts = []
        for note, rule in notes:
            if not isinstance(rule, TrueNode):
                flags = flags if flags is not None else self._applicability(org_type, answers)
                if self.evaluate(rule, org_type, answers, flags) is not True:
                    continue
            texts.append(note.text)
        return texts

    @property
    def agreed_item(self) -> str | None:
        """The item organisations must agree on (`agreement:`), if the survey has one."""
        return self.agreement.item if self.agreement else None

    @property
    def agreed_heading(self) -> str:
        """Its heading (Q13), or '' without an agreement."""
        return self.item(self.agreement.item).heading if self.agreement else ""

    def block_span(self) -> str:
        """The block's items from first to last on the sheet: `Q1-1〜Q12`."""
        block = [item for item in sheet_order(self.items) if item.in_block and not item.parent]
        return f"{block[0].heading}〜{block[-1].heading}" if block else ""

    def explain(self, item_id: str) -> list[tuple[str, str]]:
        """(term, explanation) pairs for 説明: first why the item matters (with the Digital
        Agency's known causes of wrong links, quoted), then the glossary of its terms."""
        item = self.item(item_id)
        pairs = [(term, self.glossary[term]) for term in item.terms]
        if item.why:
            pairs.insert(0, (msg.WHY_HEADING, "\n\n".join(filter(None, (item.why, self._known_causes)))))
        return pairs


def _alias_key(text: str) -> str:
    key = unicodedata.normalize("NFKC", text or "").lower()
    key = re.sub(r"\s+", "", key)
    key = re.sub(f"[{_DASHES}]", "-", key)
    return key[1:] if key.startswith("q") else key


# -- loading -------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def _default_survey() -> Survey:
    return _load(DEFAULT_PATH)


def load_survey(path: Path | None = None) -> Survey:
    """The survey from definition.yaml (cached) or from `path` (read every call)."""
    if path is None:
        return _default_survey()
    return _load(Path(path))


def _load(path: Path) -> Survey:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DefinitionError(f"{path.name}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise DefinitionError(f"{path.name}: needs a list of items")
    return _build(data)


def _build_item(raw: Any, index: int, glossary: Mapping[str, str]) -> Item:
    if not isinstance(raw, dict) or not raw.get("id"):
        raise DefinitionError(f"item #{index + 1}: needs an id")
    item_id = str(raw["id"])
    where = f"item {item_id}"
    kind = raw.get("kind")
    if kind not in _KINDS:
        raise DefinitionError(f"{where}: kind must be one of {', '.join(_KINDS)}")
    raw_options = raw.get("options") or []
    if kind in (KIND_SINGLE, KIND_MULTI) and len(raw_options) < 2:
        raise DefinitionError(f"{where}: a choice needs at least two options")
    if kind in (KIND_TEXT, KIND_YEARMONTH) and raw_options:
        raise DefinitionError(f"{where}: a {kind} item has no options")
    options = []
    for number, text in enumerate(raw_options, start=1):
        if not isinstance(text, str) or not text.strip():
            raise DefinitionError(f"{where}: option {number} must be a non-empty text")
        options.append(Option(number, text))
    terms = tuple(raw.get("terms") or ())
    for term in terms:
        if term not in glossary:
            raise DefinitionError(f"{where}: term {term!r} is not in the glossary")
    cautious_option = raw.get("cautious_option")
    if cautious_option is not None and cautious_option not in range(1, len(options) + 1):
        raise DefinitionError(f"{where}: cautious_option {cautious_option} is not an option")
    review_between, review_reason = _review_later(raw.get("review_later"), where, {o.number for o in options}, kind)
    max_length = raw.get("max_length")
    if kind in (KIND_TEXT, KIND_YEARMONTH):
        if not isinstance(max_length, int) or isinstance(max_length, bool) or not 0 < max_length <= _CELL_LIMIT:
            raise DefinitionError(f"{where}: a {kind} item needs max_length, 1 to {_CELL_LIMIT} characters")
    elif max_length is not None:
        raise DefinitionError(f"{where}: max_length only fits a text or yearmonth item")
    sheet_options = tuple(raw.get("sheet_options") or ())
    if sheet_options and (
        len(sheet_options) != len(options) or not all(isinstance(t, str) and t.strip() for t in sheet_options)
    ):
        raise DefinitionError(f"{where}: sheet_options must give one non-empty text per option")
    on_sheet = raw.get("on_sheet", True)
    if not isinstance(on_sheet, bool):
        raise DefinitionError(f"{where}: on_sheet must be true or false")
    min_choices = int(raw.get("min_choices") or 0)
    allow_none = bool(raw.get("allow_none"))
    if (min_choices or allow_none) and kind != KIND_MULTI:
        raise DefinitionError(f"{where}: min_choices / allow_none only fit a multi item")
    if min_choices > len(options):
        raise DefinitionError(f"{where}: min_choices {min_choices} exceeds the options")
    return Item(
        id=item_id,
        kind=kind,
        heading=definition_text(raw, "heading", where),
        prompt=definition_text(raw, "prompt", where),
        sheet_text=definition_text(raw, "sheet_text", where, required=on_sheet),
        options=tuple(options),
        notes=tuple(raw.get("notes") or ()),
        parent=str(raw["parent"]) if raw.get("parent") is not None else None,
        relevant=definition_text(raw, "relevant", where, required=False),
        in_block=bool(raw.get("block")),
        min_choices=min_choices,
        allow_none=allow_none,
        cautious=definition_text(raw, "cautious", where, required=False),
        cautious_option=cautious_option,
        terms=terms,
        review_later_between=review_between,
        review_later_reason=review_reason,
        max_length=max_length,
        sheet_options=sheet_options,
        on_sheet=on_sheet,
        why=definition_text(raw, "why", where, required=False),
    )


def _review_later(raw: Any, where: str, numbers: set[int], kind: str) -> tuple[tuple[int, ...], str]:
    """`review_later: {between: [1, 2], reason: …}` -> ((1, 2), reason)."""
    if raw is None:
        return (), ""
    if kind != KIND_SINGLE or not isinstance(raw, dict):
        raise DefinitionError(f"{where}: review_later needs a single-choice item and between/reason")
    between = raw.get("between")
    if not isinstance(between, list) or len(between) < 2 or not all(isinstance(n, int) for n in between):
        raise DefinitionError(f"{where}: review_later.between must list at least two option numbers")
    for number in between:
        if number not in numbers:
            raise DefinitionError(f"{where}: review_later.between: no option {number}")
    return tuple(between), definition_text(raw, "reason", f"{where} review_later")


def _check_rule(rule: Node, item: Item, order: Mapping[str, int], by_id: Mapping[str, Item]) -> None:
    where = f"item {item.id}"
    _check_refs(rule, where, by_id)
    for node in walk(rule):
        if isinstance(node, (Compare, Applies)) and order[node.item_id] >= order[item.id]:
            raise DefinitionError(
                f"{where}: its rule refers to Q{node.item_id}, which is not asked before it"
            )


def _check_refs(rule: Node, where: str, by_id: Mapping[str, Item]) -> None:
    """Every item a rule names exists, and every comparison fits the item's options."""
    for node in walk(rule):
        if not isinstance(node, (Compare, Applies)):
            continue
        ref = node.item_id
        if ref not in by_id:
            raise DefinitionError(f"{where}: its rule refers to unknown item Q{ref}")
        if isinstance(node, Compare):
            target = by_id[ref]
            if target.kind not in (KIND_SINGLE, KIND_MULTI):
                raise DefinitionError(f"{where}: Q{ref} is free text and has no options")
            if node.op == "has" and target.kind != KIND_MULTI:
                raise DefinitionError(f"{where}: 'has' needs a multi-select item, Q{ref} is single")
            if node.op != "has" and target.kind == KIND_MULTI:
                raise DefinitionError(f"{where}: Q{ref} is multi-select; use 'has'")
            numbers = {o.number for o in target.options}
            for number in node.numbers:
                if number not in numbers:
                    raise DefinitionError(f"{where}: Q{ref} has no option {number}")


def _parse(text: str, where: str, names: Mapping[str, str]) -> Node:
    try:
        return parse_rule(text, names)
    except RuleSyntaxError as exc:
        raise DefinitionError(f"{where}: {exc}") from exc


def _value_choices(item: Item) -> list[Any]:
    numbers = [o.number for o in item.options]
    if item.kind == KIND_SINGLE:
        return numbers
    low = 0 if item.allow_none else max(item.min_choices, 1)
    return [
        list(combo)
        for size in range(low, len(numbers) + 1)
        for combo in itertools.combinations(numbers, size)
    ]


def _check_reachable(survey: Survey) -> None:
    """Every item must apply for some respondent and some earlier answers."""
    for item in survey.items:
        rule = survey._rules[item.id]
        closure: set[str] = set()
        todo = list(rule.refs())
        while todo:
            ref = todo.pop()
            if ref not in closure:
                closure.add(ref)
                todo.extend(survey._rules[ref].refs())
        choice_items = [survey.item(r) for r in sorted(closure, key=survey._order.get)
                        if survey.item(r).kind in (KIND_SINGLE, KIND_MULTI)]
        domains = [_value_choices(i) for i in choice_items]
        size = len(survey.orgs.types)
        for domain in domains:
            size *= len(domain)
        if size > _REACH_LIMIT:
            continue  # too many combinations to try; the rule checks above still hold
        reached = False
        for org in survey.orgs.labels:
            for values in itertools.product(*domains):
                answers = {i.id: v for i, v in zip(choice_items, values)}
                if survey._applicability(org, answers)[item.id] is True:
                    reached = True
                    break
            if reached:
                break
        if not reached:
            raise DefinitionError(f"item {item.id}: no respondent and no answers make it apply")


def _build(data: Mapping[str, Any]) -> Survey:
    orgs = build_organisations(data.get("organisations"))
    names = orgs.rule_names()
    glossary = {str(k): str(v) for k, v in (data.get("glossary") or {}).items()}
    items: list[Item] = []
    for index, raw in enumerate(data["items"]):
        item = _build_item(raw, index, glossary)
        if any(existing.id == item.id for existing in items):
            raise DefinitionError(f"item {item.id}: defined twice")
        items.append(item)
    by_id = {item.id: item for item in items}
    order = {item.id: index for index, item in enumerate(items)}
    for item in items:
        if item.parent is not None:
            if item.parent not in by_id:
                raise DefinitionError(f"item {item.id}: parent {item.parent} is not an item")
            if order[item.parent] >= order[item.id]:
                raise DefinitionError(f"item {item.id}: must come after its parent {item.parent}")

    block = data.get("block") or {}
    block_rule = _parse(str(block.get("relevant") or ""), "block", names)
    rules: dict[str, Node] = {}
    for item in items:
        own = _parse(item.relevant, f"item {item.id}", names)
        _check_rule(own, item, order, by_id)
        if item.in_block:
            _check_rule(block_rule, item, order, by_id)
            if isinstance(own, TrueNode):
                rules[item.id] = block_rule
            else:
                rules[item.id] = And((block_rule, own))
        else:
            rules[item.id] = own

    doubt = data.get("doubt_rule") or {}
    quote = str(doubt.get("quote") or "")
    # The introduction, the quoted rule and the bot's reading: separate paragraphs.
    doubt_parts = tuple(
        part
        for part in (
            str(doubt.get("intro") or ""),
            msg.DOUBT_QUOTE.format(quote=quote) if quote else "",
            str(doubt.get("reading") or ""),
        )
        if part
    )
    substitution = _build_substitution(data.get("substitution"), orgs)
    notes = _build_notes(data.get("notes"), by_id, names)
    reminder_texts = {note.id: note.text for note, _ in notes}
    if substitution is not None:
        reminder_texts[_SUBSTITUTED] = substitution.note
    known_causes = _known_causes(data.get("known_causes"))
    if known_causes:
        glossary[msg.KNOWN_CAUSES_TERM] = known_causes
    for item in items:
        if item.why and not known_causes:
            raise DefinitionError(f"item {item.id}: why needs the known_causes it quotes")
    texts = build_texts(data.get("survey"), data.get("help"), items, glossary)
    layout = build_layout(
        data.get("workbook"), items, name=texts.name, title=texts.title, system=texts.system,
        org_sheet_labels=[org.sheet_label for org in orgs.types],
    )
    survey = Survey(
        items=tuple(items),
        rules=rules,
        glossary=glossary,
        doubt_rule="\n".join(doubt_parts),
        doubt_parts=doubt_parts,
        reminder_texts=reminder_texts,
        substitution=substitution,
        rule_words=_build_rule_words(data.get("rule_words"), by_id),
        risk_patterns=_build_risks(data.get("risk_patterns"), by_id, names),
        known_causes=known_causes,
        orgs=orgs,
        texts=texts,
        layout=layout,
        notes=notes,
        agreement=_build_agreement(data.get("agreement"), by_id, orgs),
        block_name=definition_text(block, "name", "block", required=False),
    )
    _check_reachable(survey)
    return survey


# The 読み替え notice's key among the notes (Survey._reminders).
_SUBSTITUTED = "substituted"


def _build_substitution(raw: Any, orgs: Organisations) -> _Substitution | None:
    """`substitution: {org, from, to, note}`: one organisation type reads a phrase otherwise."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise DefinitionError("substitution: needs org, from, to and note")
    org = orgs.by_name(str(raw.get("org")))
    if org is None:
        raise DefinitionError(f"substitution: unknown org {raw.get('org')!r}")
    return _Substitution(
        org=org.label, before=definition_text(raw, "from", "substitution"), after=definition_text(raw, "to", "substitution"),
        note=definition_text(raw, "note", "substitution"),
    )


def _build_notes(raw: Any, by_id: Mapping[str, Item], names: Mapping[str, str]) -> tuple[tuple[Note, Node], ...]:
    """`notes:` -> (Note, its parsed rule); each shown with `items`, `after` an item, or
    `at: finish`, and only while its `relevant` holds."""
    notes: list[tuple[Note, Node]] = []
    for where, entry in _identified(raw, "notes", "note"):
        if str(entry["id"]) == _SUBSTITUTED:
            raise DefinitionError(f"{where}: the id {_SUBSTITUTED} names the 読み替え notice")
        places = [key for key in ("items", "after", "at") if entry.get(key) is not None]
        if len(places) != 1:
            raise DefinitionError(f"{where}: needs one of items, after or at: finish")
        shown_with = [str(i) for i in entry.get("items") or []]
        after = str(entry["after"]) if entry.get("after") is not None else None
        if places == ["items"] and not shown_with:
            raise DefinitionError(f"{where}: items must list item ids")
        if places == ["at"] and entry["at"] != "finish":
            raise DefinitionError(f"{where}: at may only be finish")
        for item_id in [*shown_with, *([after] if after else [])]:
            if item_id not in by_id:
                raise DefinitionError(f"{where}: unknown item {item_id}")
        note = Note(
            id=str(entry["id"]), text=definition_text(entry, "text", where), items=tuple(shown_with), after=after,
            at_finish=places == ["at"], relevant=definition_text(entry, "relevant", where, required=False),
        )
        rule = _parse(note.relevant, where, names)
        _check_refs(rule, where, by_id)
        notes.append((note, rule))
    return tuple(notes)


def _identified(raw: Any, section: str, noun: str) -> list[tuple[str, dict[str, Any]]]:
    """The entries of a list section, each with an id given once, as (where, entry)."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise DefinitionError(f"{section}: needs a list of {noun}s")
    found: list[tuple[str, dict[str, Any]]] = []
    for index, entry in enumerate(raw):
        if not isinstance(entry, dict) or not entry.get("id"):
            raise DefinitionError(f"{noun} #{index + 1}: needs an id")
        where = f"{noun} {entry['id']}"
        if any(str(other["id"]) == str(entry["id"]) for _, other in found):
            raise DefinitionError(f"{where}: defined twice")
        found.append((where, entry))
    return found


def _build_agreement(raw: Any, by_id: Mapping[str, Item], orgs: Organisations) -> Agreement | None:
    """`agreement: {item, between: [member type, union type]}`: the item both must answer
    alike. A survey with a member type has one (it is why a member names its union)."""
    member, union = orgs.with_role(ROLE_MEMBER), orgs.with_role(ROLE_UNION)
    if raw is None:
        if member is not None:
            raise DefinitionError(f"agreement: organisation {member.name} names its union for an agreement; declare it")
        return None
    if not isinstance(raw, dict) or str(raw.get("item")) not in by_id:
        raise DefinitionError(f"agreement: needs an item of the survey (item: {raw.get('item') if isinstance(raw, dict) else raw})")
    between = raw.get("between")
    if member is None or union is None or not isinstance(between, list) or sorted(map(str, between)) != sorted([member.name, union.name]):
        raise DefinitionError("agreement: between must name the member and the union organisation types")
    return Agreement(item=str(raw["item"]), member=member.label, union=union.label)


# Checks of the desk (bot/survey/checks.py) that quote the seed besides the items' own rules.
RULE_WORD_CHECKS: tuple[str, ...] = (
    "block", "answer", "choice", "multi", "yearmonth", "org_name", "kouiki", "municipality",
    "title", "respondent", "flags", "duplicate",
)


def _build_rule_words(raw: Any, by_id: Mapping[str, Item]) -> dict[str, tuple[Quote, ...]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise DefinitionError("rule_words: needs a mapping of item ids and checks to quotes")
    words: dict[str, tuple[Quote, ...]] = {}
    for key, entries in raw.items():
        key = str(key)
        where = f"rule_words {key}"
        if key not in by_id and key not in RULE_WORD_CHECKS:
            raise DefinitionError(f"{where}: neither an item nor a check ({', '.join(RULE_WORD_CHECKS)})")
        if not isinstance(entries, list) or not entries:
            raise DefinitionError(f"{where}: needs a list of quotes")
        quotes = []
        for entry in entries:
            entry = {"quote": entry} if isinstance(entry, str) else entry
            if not isinstance(entry, dict) or not isinstance(entry.get("quote"), str) or not entry["quote"].strip():
                raise DefinitionError(f"{where}: every entry needs a quote")
            item_id = str(entry["item"]) if entry.get("item") is not None else None
            option = entry.get("option")
            if item_id is not None:
                if item_id not in by_id:
                    raise DefinitionError(f"{where}: unknown item Q{item_id}")
                item = by_id[item_id]
                if option is not None:
                    if option not in {o.number for o in item.options}:
                        raise DefinitionError(f"{where}: Q{item_id} has no option {option}")
                    if entry["quote"] not in item.option(option).text:
                        raise DefinitionError(f"{where}: the quote is not Q{item_id} {circled(option)}'s wording")
            elif option is not None:
                raise DefinitionError(f"{where}: an option needs its item")
            quotes.append(Quote(text=entry["quote"], item=item_id, option=option))
        words[key] = tuple(quotes)
    return words


def _build_risks(
    raw: Any, by_id: Mapping[str, Item], names: Mapping[str, str]
) -> tuple[tuple[RiskPattern, Node], ...]:
    patterns: list[tuple[RiskPattern, Node]] = []
    for where, entry in _identified(raw, "risk_patterns", "risk pattern"):
        if entry.get("kind") not in (RISK, SAFEGUARD):
            raise DefinitionError(f"{where}: kind must be {RISK} or {SAFEGUARD}")
        pattern = RiskPattern(
            id=str(entry["id"]),
            kind=str(entry["kind"]),
            title=definition_text(entry, "title", where),
            when=definition_text(entry, "when", where),
            seed=definition_text(entry, "seed", where),
            reading=definition_text(entry, "reading", where),
        )
        rule = _parse(pattern.when, where, names)
        _check_refs(rule, where, by_id)
        patterns.append((pattern, rule))
    return tuple(patterns)
def _known_causes(raw: Any) -> str:
    """The Digital Agency's known causes of wrong links: its introduction, then each quoted."""
    if not raw:
        return ""
    quotes = raw.get("quotes") if isinstance(raw, dict) else None
    if not isinstance(quotes, list) or not quotes or not all(isinstance(q, str) and q.strip() for q in quotes):
        raise DefinitionError("known_causes: needs an intro and a list of quotes")
    intro = definition_text(raw, "intro", "known_causes")
    return "\n\n".join([intro, *(msg.DOUBT_QUOTE.format(quote=quote) for quote in quotes)])
