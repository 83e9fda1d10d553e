"""The desk's checks: every answer, from the chat or from a file, through the same engine.

Pure: a response (AnswerRecord) and the cells its list row shows (the 一覧用 columns, keyed
by header: `"3"`, `"7-4_②"`, `"組織名"`, `"未回答"` …) go in; findings come out, each with
the rule in the survey's words (the definition's `rule_words`). Skip rules are never
re-implemented here: applicability comes from the engine, the 回答者情報 rules from
respondent.py, the answer shapes from the engine's parsers.

For the bot's own answers the cells are `row_for()` of the record, so a stale answer of an
item that no longer applies (kept in history, exported as 対象外) is not a finding; for a
file they are what the file shows.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from bot.messages import checks as msg
from bot.messages import export as export_msg
from bot.messages import respondent as respondent_msg
from bot.survey.engine import Survey
from bot.survey.layout import item_columns
from bot.survey.model import (
    KIND_MULTI,
    KIND_SINGLE,
    KIND_YEARMONTH,
    RESPONDENT_FIELDS,
    RESPONDENT_LABELS,
    ROLE_MEMBER,
    ROLE_MUNICIPALITY,
    ROLE_UNION,
    AnswerRecord,
    Item,
    circled,
)
from bot.survey.listed_org import place, union_name_problem
from bot.survey.prefectures import prefecture_code_of_org, prefecture_name
from bot.survey.respondent import KOUIKI, parse_field

# Kinds of finding (what a count or a test names).
KIND_NOT_APPLICABLE = "not_applicable"  # answered although the skip rules make it 対象外
KIND_UNANSWERED = "unanswered"  # applies, no answer
KIND_VALUE = "value"  # not an option, two marks on a single choice, not a year-month …
KIND_ORG_NAME = "org_name"  # 組織名 not in the seed's format
KIND_PREFECTURE = "prefecture"  # another prefecture's code, or a city that is not in it
KIND_TITLE = "title"  # 回答責任者役職 below 課長級 (or unclear)
KIND_RESPONDENT = "respondent"  # another 回答者情報 field empty or invalid
KIND_FLAGS = "flags"  # 情報未入力 / 未回答 disagree with the row
KIND_DUPLICATE = "duplicate"  # two rows for one organisation

INFO_FLAG = export_msg.INFO_FLAG_HEADER
UNANSWERED_FLAG = export_msg.UNANSWERED_FLAG_HEADER
_MARKED_NA = export_msg.NOT_APPLICABLE


@dataclass(frozen=True)
class Problem:
    """A value the reader could not take: where (a 一覧用 header), what, why (Japanese)."""

    item: str
    value: str
    reason: str
    kind: str = KIND_VALUE


@dataclass(frozen=True)
class Finding:
    org: str  # 組織名 as the row shows it
    source: str  # msg.FROM_BOT, or the file's name
    item: str  # "Q7-4", "組織名", "Q1-1〜Q12" …
    value: str  # the value found
    problem: str
    rule: str  # the survey's words
    kind: str
    severity: str  # msg.FIX / msg.CHECK
    headers: tuple[str, ...] = ()  # the 一覧用 columns concerned (to mark them in the list)


@dataclass
class Entry:
    """One row of the prefecture's list, before checking."""

    record: AnswerRecord
    cells: dict[str, str]  # 一覧用 header -> text, as the list shows it
    source: str = msg.FROM_BOT
    updated: str = ""  # sortable time text; of two rows for one organisation the later is kept
    problems: tuple[Problem, ...] = ()  # what the reader could not take

    @property
    def org(self) -> str:
        return self.cells.get(RESPONDENT_LABELS["org_name"], "") or self.record.respondent.get("org_name", "")


@dataclass
class Checked:
    kept: list[Entry]  # one per organisation, in input order
    findings: list[Finding]

    def by_org(self) -> dict[str, list[Finding]]:
        grouped: dict[str, list[Finding]] = {}
        for finding in self.findings:
            grouped.setdefault(finding.org, []).append(finding)
        return grouped

    def counts(self) -> Counter[str]:
        return Counter(f.kind for f in self.findings)


# --- the survey's words -------------------------------------------------------------------


def rule_text(survey: Survey, key: str, answers: Mapping[str, Any] | None = None) -> str:
    """The quotes for `key`; where a quote names an answer, only those the answers hold."""
    quotes = survey.rule_words(key)
    if answers is not None:
        in_force = [q for q in quotes if q.item is not None and _holds(answers.get(q.item), q.option)]
        unplaced = [q for q in quotes if q.item is None]
        quotes = tuple(unplaced + in_force) if in_force or unplaced else quotes
    return msg.QUOTE_SEPARATOR.join(
        msg.QUOTE_AT.format(place=q.place, text=q.text) if q.place else msg.QUOTE.format(text=q.text)
        for q in quotes
    )


def _holds(answer: Any, option: int | None) -> bool:
    if option is None:
        return answer is not None
    return answer == option or (isinstance(answer, list) and option in answer)


def _item_rule(survey: Survey, item: Item, answers: Mapping[str, Any]) -> str:
    key = item.id if survey.rule_words(item.id) else (item.parent or "")
    words = rule_text(survey, key, answers) if key and survey.rule_words(key) else ""
    return words or rule_text(survey, "answer")


def _unanswered_rule(survey: Survey, item: Item) -> str:
    """An item that applies must be answered: its own condition (【…】) and the notice's words."""
    own = [q for q in survey.rule_words(item.id) if q.item is None]
    return msg.QUOTE_SEPARATOR.join([*(msg.QUOTE.format(text=q.text) for q in own), rule_text(survey, "answer")])


def not_applicable_rule(survey: Survey, item: Item, flags: Mapping[str, Any], answers: Mapping[str, Any]) -> str:
    """Why an item is 対象外, in the survey's words: the block's rule when the whole block is
    out (Q13), else the item's own."""
    if item.in_block and all(flags[i.id] is False for i in survey.items if i.in_block):
        return rule_text(survey, "block")
    return _item_rule(survey, item, answers)


def _value_rule(survey: Survey, item: Item | None) -> str:
    if item is None:
        return rule_text(survey, "choice")
    if item.kind == KIND_MULTI:
        return rule_text(survey, "multi")
    if item.kind == KIND_SINGLE:
        return rule_text(survey, "choice")
    if item.kind == KIND_YEARMONTH:
        return rule_text(survey, "yearmonth")
    return _item_rule(survey, item, {})


# --- cells of an item (bot/survey/layout.item_columns) -------------------------------------


def _shown(cells: Mapping[str, str], item: Item) -> list[str]:
    return [cells.get(c, "").strip() for c in item_columns(item)]


def _shown_text(item: Item, shown: list[str]) -> str:
    if item.kind == KIND_MULTI:
        return "".join(circled(o.number) for o, v in zip(item.options, shown) if v and v != _MARKED_NA) or "、".join(
            v for v in shown if v
        )
    return shown[0]


def _heading(item: Item) -> str:
    return item.heading


# --- one response -------------------------------------------------------------------------


def check_entry(survey: Survey, entry: Entry, prefecture_code: str | None = None) -> list[Finding]:
    """Every finding for one row of the list."""
    record = entry.record
    org_type = record.org_type
    answers = record.answers
    flags = survey.applicability(org_type, answers)
    status = survey.status(org_type, answers, record.respondent, record.notes)
    findings: list[Finding] = []

    def add(
        item: str, value: str, problem: str, rule: str, kind: str, severity: str = msg.FIX,
        headers: tuple[str, ...] = (),
    ) -> None:
        findings.append(Finding(entry.org, entry.source, item, value, problem, rule, kind, severity, headers))

    problem_headers = {p.item for p in entry.problems}
    for problem in entry.problems:
        item = _item_of_header(survey, problem.item)
        label = _heading(item) if item else problem.item
        rule = _value_rule(survey, item) if problem.kind == KIND_VALUE else _respondent_rule(survey, problem.kind)
        add(label, problem.value, problem.reason, rule, problem.kind, headers=(problem.item,))

    _check_not_applicable(survey, entry, flags, add)

    problem_items = {i.id for i in survey.items if set(item_columns(i)) & problem_headers}
    for item_id in status.unanswered:
        if item_id in problem_items:
            continue
        item = survey.item(item_id)
        shown = _shown(entry.cells, item)
        marked_na = shown and all(v == _MARKED_NA for v in shown)
        problem = msg.MARKED_NOT_APPLICABLE if marked_na else msg.UNANSWERED
        add(_heading(item), _MARKED_NA if marked_na else "", problem, _unanswered_rule(survey, item), KIND_UNANSWERED,
            headers=tuple(item_columns(item)))

    findings.extend(_respondent_findings(survey, entry, prefecture_code, problem_headers))
    findings.extend(_flag_findings(survey, entry, status, problem_items, problem_headers))
    return findings


def _item_of_header(survey: Survey, header: str) -> Item | None:
    base = re.sub(r"_[①-⑩]$", "", header)
    try:
        return survey.item(base)
    except KeyError:
        return None


def _respondent_rule(survey: Survey, kind: str) -> str:
    key = {KIND_ORG_NAME: "org_name", KIND_TITLE: "title", KIND_PREFECTURE: "municipality"}.get(kind, "respondent")
    return rule_text(survey, key)


def _check_not_applicable(survey: Survey, entry: Entry, flags: Mapping[str, Any], add: Any) -> None:
    answers = entry.record.answers
    block = [i for i in survey.items if i.in_block]
    block_out = bool(block) and all(flags[i.id] is False for i in block)
    in_block_answered = 0
    for item in survey.items:
        if flags[item.id] is not False:
            continue
        shown = _shown(entry.cells, item)
        if not any(v and v != _MARKED_NA for v in shown):
            continue
        if block_out and item.in_block:
            in_block_answered += 1
            continue
        add(_heading(item), _shown_text(item, shown), msg.NOT_APPLICABLE_ANSWERED,
            not_applicable_rule(survey, item, flags, answers), KIND_NOT_APPLICABLE, headers=tuple(item_columns(item)))
    if in_block_answered:
        headers = tuple(h for i in block for h in item_columns(i))
        add(survey.block_span(), "",
            msg.BLOCK_NOT_APPLICABLE_ANSWERED.format(block=survey.block_name or survey.block_span(), count=in_block_answered),
            rule_text(survey, "block"), KIND_NOT_APPLICABLE, headers=headers)


def _respondent_findings(
    survey: Survey, entry: Entry, prefecture_code: str | None, problem_headers: set[str]
) -> list[Finding]:
    record = entry.record
    found: list[Finding] = []

    def add(label: str, value: str, problem: str, kind: str, severity: str = msg.FIX) -> None:
        found.append(Finding(entry.org, entry.source, label, value, problem, _respondent_rule(survey, kind), kind,
                             severity, (label,)))

    for key, label in RESPONDENT_FIELDS:
        if label in problem_headers:
            continue
        value = (record.respondent.get(key) or "").strip()
        if not value:
            add(label, entry.cells.get(label, ""), msg.EMPTY_FIELD, KIND_RESPONDENT)
            continue
        if key == "org_type":
            continue
        if key == "org_name":
            found.extend(org_name_findings(survey, entry, value, prefecture_code))
            continue
        result = parse_field(key, value, record.org_type, survey.orgs)
        if key == "title" and not result.ok:
            add(label, value, msg.TITLE_BELOW, KIND_TITLE, msg.FIX)  # refused: below 課長級
        elif not result.ok:
            add(label, value, result.error, KIND_RESPONDENT)
        elif key == "title" and result.confirm:
            add(label, value, msg.TITLE_UNSURE, KIND_TITLE, msg.CHECK)
    return found


def org_name_findings(
    survey: Survey, entry: Entry, value: str, prefecture_code: str | None
) -> list[Finding]:
    """組織名 in the seed's format, of this prefecture, and (for a municipality) in its list."""
    org_type = entry.record.org_type
    label = RESPONDENT_LABELS["org_name"]
    found: list[Finding] = []

    def add(problem: str, kind: str, rule_key: str) -> None:
        found.append(Finding(entry.org, entry.source, label, value, problem, rule_text(survey, rule_key), kind, msg.FIX,
                             (label,)))

    result = parse_field("org_name", value, _known_org(survey, org_type), survey.orgs)
    if not result.ok:
        add(result.error, KIND_ORG_NAME, "org_name")
        return found
    if result.value != value:
        notes = result.confirm.replace(respondent_msg.ORG_NAME_CONFIRM.format(value=result.value), "")
        rule_key = "kouiki" if result.value.endswith(KOUIKI) and not value.endswith(KOUIKI) else "org_name"
        add(msg.ORG_NAME_FORM.format(value=result.value, notes=notes), KIND_ORG_NAME, rule_key)
    code = prefecture_code_of_org(result.value)
    if prefecture_code and code != prefecture_code:
        add(msg.OTHER_PREFECTURE.format(prefecture=prefecture_name(prefecture_code) or prefecture_code),
            KIND_PREFECTURE, "municipality")
        return found
    if survey.orgs.role(org_type) in (ROLE_MUNICIPALITY, ROLE_MEMBER) and code:
        found.extend(_municipality_findings(survey, entry, result.value, code))
    elif survey.orgs.role(org_type) == ROLE_UNION and (problem := union_name_problem(result.value)):
        add(problem, KIND_ORG_NAME, "org_name")
    return found


def _municipality_findings(survey: Survey, entry: Entry, value: str, code: str) -> list[Finding]:
    placement = place(value, code)
    if placement.listed is not None:
        return []
    name, body = prefecture_name(code) or "", placement.body
    if placement.elsewhere:
        problem = msg.NOT_IN_PREFECTURE_ELSEWHERE.format(
            name=body, prefecture=name, elsewhere=msg.PLACE_SEPARATOR.join(m.prefecture for m in placement.elsewhere)
        )
    else:
        problem = msg.NOT_IN_PREFECTURE.format(name=body, prefecture=name)
    label = RESPONDENT_LABELS["org_name"]
    return [Finding(entry.org, entry.source, label, value, problem, rule_text(survey, "municipality"),
                    KIND_PREFECTURE, msg.FIX, (label,))]


def _flag_findings(
    survey: Survey, entry: Entry, status: Any, problem_items: set[str], problem_headers: set[str]
) -> list[Finding]:
    if entry.source == msg.FROM_BOT:
        return []  # the bot computes both flags from the same status: they cannot disagree
    missing_fields = [
        label for key, label in RESPONDENT_FIELDS
        if not (entry.record.respondent.get(key) or "").strip() and label not in problem_headers
    ]
    unanswered = [survey.item(i).heading for i in [*status.unanswered, *status.pending] if i not in problem_items]
    found = []
    for flag, text, actual in (
        (INFO_FLAG, export_msg.INFO_MISSING, missing_fields),
        (UNANSWERED_FLAG, export_msg.UNANSWERED, unanswered),
    ):
        shown = entry.cells.get(flag, "").strip()
        if bool(shown) == bool(actual):
            continue
        detail = msg.FLAG_SHOULD_BE_SET.format(items="、".join(actual)) if actual else msg.FLAG_SHOULD_BE_EMPTY
        found.append(Finding(entry.org, entry.source, flag, shown, msg.FLAG_DISAGREES.format(flag=text, actual=detail),
                             rule_text(survey, "flags"), KIND_FLAGS, msg.CHECK, (flag,)))
    return found


# --- the list ------------------------------------------------------------------------------


def _known_org(survey: Survey, org_type: str | None) -> str | None:
    """The 組織区分 to read a 組織名 by: the row's own, or a 市区町村's when the row's is unknown."""
    return org_type if survey.orgs.get(org_type) else survey.orgs.label_of(ROLE_MUNICIPALITY)


def org_key(survey: Survey, entry: Entry) -> str:
    """Two rows are one organisation when their 組織名 reads the same (in the seed's format)."""
    value = entry.org
    result = parse_field("org_name", value, _known_org(survey, entry.record.org_type), survey.orgs)
    text = result.value if result.ok else value
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def check_entries(survey: Survey, entries: Sequence[Entry], prefecture_code: str | None = None) -> Checked:
    """Check every row; of two rows for one organisation keep the newer (both named)."""
    groups: dict[str, list[int]] = {}
    for index, entry in enumerate(entries):
        groups.setdefault(org_key(survey, entry) or f"#{index}", []).append(index)
    kept_indexes: set[int] = set()
    duplicate_findings: dict[int, Finding] = {}
    for indexes in groups.values():
        newest = max(indexes, key=lambda i: (entries[i].updated, i))
        kept_indexes.add(newest)
        if len(indexes) > 1:
            kept = entries[newest]
            dropped = [entries[i] for i in indexes if i != newest]
            duplicate_findings[newest] = Finding(
                kept.org, kept.source, RESPONDENT_LABELS["org_name"],
                msg.SOURCE_SEPARATOR.join(entries[i].source for i in indexes),
                msg.DUPLICATE.format(
                    count=len(indexes), kept=kept.source,
                    dropped=msg.SOURCE_SEPARATOR.join(e.source for e in dropped),
                ),
                rule_text(survey, "duplicate"), KIND_DUPLICATE, msg.CHECK, (RESPONDENT_LABELS["org_name"],),
            )
    kept = [entries[i] for i in sorted(kept_indexes)]
    findings: list[Finding] = []
    for index in sorted(kept_indexes):
        if index in duplicate_findings:
            findings.append(duplicate_findings[index])
        findings.extend(check_entry(survey, entries[index], prefecture_code))
    findings.sort(key=lambda f: f.org)
    return Checked(kept=kept, findings=findings)


def not_applicable_values(survey: Survey, record: AnswerRecord) -> list[str]:
    """Items that hold an answer although the skip rules make them 対象外 (an import drops them)."""
    flags = survey.applicability(record.org_type, record.answers)
    return [
        item.id for item in survey.items
        if flags[item.id] is False and record.answers.get(item.id) not in (None, "", [])
    ]
