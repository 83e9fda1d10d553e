"""The skip-rule language of a survey definition (bot/survey/definitions/*.yaml).

A rule is parsed once, when the survey is loaded, into a small tree. Grammar::

    expr   := term ("or" term)*
    term   := factor ("and" factor)*
    factor := "not" factor | "(" expr ")" | atom
    atom   := REF "==" N | REF "!=" N | REF "has" N | REF "in" "[" N, ... "]"
            | "org" "in" "[" ORG, ... "]" | "applies" "(" REF ")" | "true"
    REF    := "Q" item id  (Q3, Q7-2, Q2_予定年月)
    ORG    := the name of one of the definition's organisation types (organisations:)

Evaluation is three-valued (True / False / None = not known yet), because a rule may
look at an item that applies but has no answer yet; such an item is "not applicable
yet", and the asking order reaches the unanswered item first. An item that does not
apply has no answer as far as rules are concerned, even if an old answer is kept.
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional

Tri = Optional[bool]


class RuleSyntaxError(ValueError):
    """A rule that does not parse; the loader turns it into a DefinitionError."""


# The evaluation context: what a rule may ask about the response being checked.
@dataclass(frozen=True)
class Context:
    org_type: str | None
    # item id -> (applicability, answer or None); None applicability = not known yet
    lookup: Callable[[str], tuple[Tri, Any]]


class Node(ABC):
    @abstractmethod
    def evaluate(self, ctx: Context) -> Tri:
        """True, False, or None while an item it depends on is unanswered."""

    def refs(self) -> set[str]:
        """Item ids this rule looks at."""
        return set()


@dataclass(frozen=True)
class TrueNode(Node):
    def evaluate(self, ctx: Context) -> Tri:
        return True


@dataclass(frozen=True)
class Not(Node):
    operand: Node

    def evaluate(self, ctx: Context) -> Tri:
        value = self.operand.evaluate(ctx)
        return None if value is None else not value

    def refs(self) -> set[str]:
        return self.operand.refs()


@dataclass(frozen=True)
class _Junction(Node):
    """and / or in three-valued logic: the deciding value wins, else unknown beats the rest."""

    operands: tuple[Node, ...]
    decisive = False  # and: one False decides; or: one True

    def evaluate(self, ctx: Context) -> Tri:
        result: Tri = not self.decisive
        for operand in self.operands:
            value = operand.evaluate(ctx)
            if value is self.decisive:
                return self.decisive
            if value is None:
                result = None
        return result

    def refs(self) -> set[str]:
        return set().union(*(o.refs() for o in self.operands))


@dataclass(frozen=True)
class And(_Junction):
    decisive = False


@dataclass(frozen=True)
class Or(_Junction):
    decisive = True


@dataclass(frozen=True)
class OrgIn(Node):
    orgs: frozenset[str]

    def evaluate(self, ctx: Context) -> Tri:
        if not ctx.org_type:
            return None
        return ctx.org_type in self.orgs


@dataclass(frozen=True)
class Applies(Node):
    item_id: str

    def evaluate(self, ctx: Context) -> Tri:
        return ctx.lookup(self.item_id)[0]

    def refs(self) -> set[str]:
        return {self.item_id}


@dataclass(frozen=True)
class Compare(Node):
    """`op` is one of ==, !=, has, in; `numbers` the option numbers on the right."""

    item_id: str
    op: str
    numbers: tuple[int, ...]

    def evaluate(self, ctx: Context) -> Tri:
        applies, answer = ctx.lookup(self.item_id)
        if applies is False:
            return False  # 対象外: any old answer does not count
        if answer is None or answer == "" or applies is None:
            return None
        if self.op == "has":
            return isinstance(answer, list) and self.numbers[0] in answer
        if self.op == "==":
            return answer == self.numbers[0]
        if self.op == "!=":
            return answer != self.numbers[0]
        return answer in self.numbers  # "in"

    def refs(self) -> set[str]:
        return {self.item_id}


_TOKEN = re.compile(
    r"\s*(?:(?P<ref>Q[0-9]+(?:-[0-9]+)?(?:_[^\s()\[\],]+)?)"
    r"|(?P<op>==|!=)"
    r"|(?P<punct>[()\[\],])"
    r"|(?P<num>[0-9]+)"
    r"|(?P<word>[^\s()\[\],=!]+))"
)


def _tokenize(text: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            raise RuleSyntaxError(f"unreadable at {text[pos:]!r}")
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(kind)))
        pos = match.end()
        while pos < len(text) and text[pos].isspace():
            pos += 1
    return tokens


class _Parser:
    def __init__(self, text: str, orgs: Mapping[str, str]) -> None:
        self.text = text
        self.orgs = orgs
        self.tokens = _tokenize(text)
        self.pos = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, value: str | None = None, kind: str | None = None) -> str:
        token = self.peek()
        if token is None:
            raise RuleSyntaxError(f"unexpected end of rule {self.text!r}")
        if (value is not None and token[1] != value) or (kind is not None and token[0] != kind):
            want = value or kind
            raise RuleSyntaxError(f"expected {want!r}, found {token[1]!r} in {self.text!r}")
        self.pos += 1
        return token[1]

    def at(self, value: str) -> bool:
        token = self.peek()
        return token is not None and token[1] == value

    def parse(self) -> Node:
        node = self.expr()
        if self.peek() is not None:
            raise RuleSyntaxError(f"unexpected {self.peek()[1]!r} in {self.text!r}")  # type: ignore[index]
        return node

    def expr(self) -> Node:
        operands = [self.term()]
        while self.at("or"):
            self.take("or")
            operands.append(self.term())
        return operands[0] if len(operands) == 1 else Or(tuple(operands))

    def term(self) -> Node:
        operands = [self.factor()]
        while self.at("and"):
            self.take("and")
            operands.append(self.factor())
        return operands[0] if len(operands) == 1 else And(tuple(operands))

    def factor(self) -> Node:
        if self.at("not"):
            self.take("not")
            return Not(self.factor())
        if self.at("("):
            self.take("(")
            node = self.expr()
            self.take(")")
            return node
        return self.atom()

    def bracketed(self, kind: str) -> list[str]:
        self.take("[")
        values = [self.take(kind=kind)]
        while self.at(","):
            self.take(",")
            values.append(self.take(kind=kind))
        self.take("]")
        return values

    def atom(self) -> Node:
        token = self.peek()
        if token is None:
            raise RuleSyntaxError(f"unexpected end of rule {self.text!r}")
        kind, value = token
        if value == "true":
            self.take()
            return TrueNode()
        if value == "org":
            self.take()
            self.take("in")
            names = self.bracketed("word")
            unknown = [n for n in names if n not in self.orgs]
            if unknown:
                raise RuleSyntaxError(f"unknown org {unknown[0]!r}")
            return OrgIn(frozenset(self.orgs[n] for n in names))
        if value == "applies":
            self.take()
            self.take("(")
            ref = self.take(kind="ref")
            self.take(")")
            return Applies(ref[1:])
        if kind == "ref":
            self.take()
            op_token = self.peek()
            if op_token is None:
                raise RuleSyntaxError(f"missing operator after {value!r}")
            op = self.take()
            if op in ("==", "!=", "has"):
                return Compare(value[1:], op, (int(self.take(kind="num")),))
            if op == "in":
                return Compare(value[1:], "in", tuple(int(n) for n in self.bracketed("num")))
            raise RuleSyntaxError(f"unknown operator {op!r} after {value!r}")
        raise RuleSyntaxError(f"unexpected {value!r} in {self.text!r}")


def parse_rule(text: str, orgs: Mapping[str, str] | None = None) -> Node:
    """Parse a rule; an empty rule always holds. `orgs`: the names `org in [...]` may use,
    each with the stored 組織区分 it stands for (Organisations.rule_names())."""
    if not text or not text.strip():
        return TrueNode()
    return _Parser(text, orgs or {}).parse()


def walk(node: Node):
    """Every node of a rule tree, the root first."""
    yield node
    if isinstance(node, Not):
        yield from walk(node.operand)
    elif isinstance(node, (And, Or)):
        for operand in node.operands:
            yield from walk(operand)
