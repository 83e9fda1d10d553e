"""Inputs shared by the card tests: items of every kind, and one sample of every builder.

The survey's own items are added when the engine can load them, so the real wording
(the longest notes and options) is laid out too.
"""
from __future__ import annotations

import functools
import json
from datetime import datetime, timedelta, timezone
from collections.abc import Callable, Iterator
from typing import Any

from bot import cards
from bot.survey import model

LONG = "住所地特例に係る各種届出の契機に再度紐付けを実施している" * 12  # ~350 characters
# 組織区分 as a definition gives them (the longest label included).
ORG_TYPES = ("市区町村", "市区町村（広域連合等の構成市町村）", "広域連合等", "都道府県")


def _options(*texts: str) -> tuple[model.Option, ...]:
    return tuple(model.Option(i, t) for i, t in enumerate(texts, start=1))


def _item(item_id: str, kind: str, options: tuple[model.Option, ...] = (), **extra: Any) -> model.Item:
    return model.Item(
        id=item_id,
        kind=kind,
        heading=extra.pop("heading", f"Q{item_id}"),
        prompt=extra.pop("prompt", f"{item_id} の問い。"),
        sheet_text="",
        options=options,
        **extra,
    )


# Built by hand so the table does not depend on the definition: one row per kind and edge.
SYNTHETIC_ITEMS: tuple[model.Item, ...] = (
    _item("3", model.KIND_SINGLE, _options("求めている。", "求めていない。（Q6へ）")),
    _item("9", model.KIND_SINGLE, _options(LONG, LONG + "。", "その他", "（" + LONG + "）")),
    _item("12", model.KIND_SINGLE, _options(*(f"選択肢{n}" for n in range(1, 11))), prompt=LONG, notes=(LONG, LONG)),
    _item("6", model.KIND_MULTI, _options("住基ネットの利用（J-LIS照会）により確認している。", "組織内の住基システム等により確認している。"), allow_none=True),
    _item("7-4", model.KIND_MULTI, _options("漢字氏名", "カナ氏名", "生年月日", "性別", "住所"), min_choices=1),
    _item("13", model.KIND_MULTI, _options(LONG, LONG, LONG), min_choices=1, notes=(LONG,)),
    _item("2_予定年月", model.KIND_YEARMONTH, heading="Q2 予定年月", parent="2"),
    _item("8-1_概要", model.KIND_TEXT, heading="Q8-1 概要", parent="8-1", prompt=LONG),
)


@functools.lru_cache(maxsize=1)
def survey_items() -> tuple[model.Item, ...]:
    """The definition's items, or none while the engine cannot be imported."""
    try:
        from bot.survey.engine import load_survey
    except ImportError:
        return ()
    return tuple(load_survey().items)


def all_items() -> tuple[model.Item, ...]:
    return SYNTHETIC_ITEMS + survey_items()


def question_cases() -> Iterator[tuple[str, model.Item, dict[str, Any]]]:
    """(id, item, question_card kwargs): every item with and without reminders / current."""
    for item in all_items():
        base = {"prompt": item.prompt, "position": (5, 14)}
        yield f"{item.id}-plain", item, {**base, "reminders": []}
        yield f"{item.id}-full", item, {
            **base,
            "position": (14, 14),
            "reminders": ["住登外者についてお答えください。", LONG],
            "current": "①③" if item.options else "2023年9月",
        }
        yield f"{item.id}-under-review", item, {
            **base,
            "reminders": [LONG],
            "current": "①③" if item.options else LONG,
            "review_note": "要確認: Q1-1の回答を変えたため、この回答が今の対象者に合っているか確かめてください。",
        }


def question_attachment(item: model.Item, kwargs: dict[str, Any]) -> dict[str, Any]:
    return cards.question_card(item, **kwargs)


ACTIONS = [("確認依頼", "request"), ("出力", "export"), ("修正", "edit", "Q7-2")]  # (title, command id[, arg])


TEXT_LIMIT = 2000  # the longest free text of a synthetic item (real items declare max_length)


def _review_rows(value: str) -> list[tuple[str, str, str]]:
    rows = [(item.heading, value, "") for item in all_items()]
    rows += [("Q1-2", "②上記機能を導入していない", "対象外"), ("Q4", "", "未回答"), ("Q5", "", ""),
             ("Q6", "①②", "要確認")]
    return rows


def worst_review_rows() -> list[tuple[str, str, str]]:
    """The largest summary the survey can produce: every single choice at its longest
    option, every multi-select with all options, every free text at the limit."""
    rows = []
    for item in survey_items() or SYNTHETIC_ITEMS:
        if item.kind == model.KIND_SINGLE:
            value = max((o.label for o in item.options), key=len)
        elif item.kind == model.KIND_MULTI:
            value = "".join(model.circled(o.number) for o in item.options)
        else:
            value = "記" * (item.max_length or TEXT_LIMIT)
        rows.append((item.heading, value, ""))
    return rows


# One call of every Adaptive builder per row: (id, thunk returning the attachment).
OTHER_CARDS: tuple[tuple[str, Callable[[], dict[str, Any]]], ...] = (
    ("field", lambda: cards.field_card("org_name", "組織名", "例：14神奈川県相模原市", None, (2, 8))),
    ("field-current", lambda: cards.field_card("phone", "電話番号", LONG, "03-1234-5678", (7, 8))),
    ("field-empty-hint", lambda: cards.field_card("email", "メールアドレス", "", "", (8, 8))),
    ("org-type", lambda: cards.org_type_card("組織区分を選んでください。", None, (1, 8), ORG_TYPES)),
    ("respondent-form", lambda: cards.respondent_form_card({}, ORG_TYPES)),
    ("respondent-form-filled", lambda: cards.respondent_form_card(
        {key: "長" * 100 for key, _ in model.RESPONDENT_FIELDS} | {"org_type": "広域連合等"}, ORG_TYPES)),
    ("org-type-current", lambda: cards.org_type_card("", "広域連合等", (1, 8), ORG_TYPES)),
    ("union", lambda: cards.union_card("所属する広域連合等", [LONG, "神奈川県の広域連合等"],
                                       [f"14神奈川県{n}広域連合" for n in range(30)], "14神奈川県0広域連合",
                                       "入力も可", "広域連合等の名称", "例: 介護保険広域連合", "登録する")),
    ("union-none-known", lambda: cards.union_card("所属する広域連合等", ["説明"], [], None, "入力", "名称", "", "登録")),
    ("confirm", lambda: cards.confirm_card("Q6は「該当なし」でよいですか。", "none_6")),
    ("confirm-titles", lambda: cards.confirm_card(LONG, "title_check", "このまま登録", "入力し直す")),
    ("review", lambda: cards.review_card(
        [("組織区分", "市区町村"), ("組織名", "14神奈川県相模原市"), ("電話番号", "")],
        _review_rows("②定めていない。"),
        ["未回答: 2問", "確認: 未確認"],
        ACTIONS,
    )),
    ("review-long", lambda: cards.review_card(
        [(label, "長" * 100) for _, label in model.RESPONDENT_FIELDS], worst_review_rows(), [LONG], ACTIONS,
    )),
    ("review-empty", lambda: cards.review_card([], [], [], [])),
    ("review-under-review", lambda: cards.review_card(
        [(label, "値") for _, label in model.RESPONDENT_FIELDS],
        [(row[0], row[1], "要確認") for row in worst_review_rows()],
        ["要確認あり（Q2、Q3）", LONG],
        ACTIONS,
    )),
    ("status", lambda: cards.status_card(["回答済み: 10問", "未回答: 4問", "対象外: Q4, Q5"], [("再開", "resume")])),
    ("status-no-actions", lambda: cards.status_card([], [])),
    ("help", lambda: cards.help_card("できること", [("開始", "回答を始めます"), ("住所比較 A / B", LONG)])),
    ("help-sections", lambda: cards.help_card(
        "使い方", [("開始", "回答を始めます")],
        [("留意点", ["「" + LONG + "」", "このボットでは…"]), ("問い合わせ先", [("厚生労働省", "電 話：03-5253-1111（内線：2164）")])],
    )),
    ("explain", lambda: cards.explain_card("Q7-1 の用語", [("完全一致", LONG), ("住所表記のゆれ", "例")])),
    ("explain-rule", lambda: cards.explain_card("Q7-1 迷っている", [], LONG)),
    ("explain-back", lambda: cards.explain_card("Q7-1の用語", [("完全一致", LONG)], actions=[("質問に戻る", "question")])),
    ("message", lambda: cards.message_card("お知らせ", ["一行目", LONG])),
    ("message-actions", lambda: cards.message_card("共有", ["コード: ABCD-EFGH"], [("ヘルプ", "help")])),
    ("resume", lambda: cards.resume_card("18問中 9問回答済み", "Q7-2")),
    ("import-offer", lambda: cards.import_offer_card(
        "回答シートの取込", ["「a.xlsx」の「回答シート」を読み取りました。", "回答者情報 8項目、回答 14問を取り込めます。"],
        [], ["「取り込む」と、ファイルの回答を記録します。"],
        [("取り込む", "import_accept", "0a1b2c3d"), ("取り込まない", "import_cancel", "0a1b2c3d")],
    )),
    ("import-offer-worst", lambda: cards.import_offer_card(
        "回答シートの取込", ["「" + "長" * 120 + ".xlsx」の「回答シート」を読み取りました。", "回答者情報 8項目、回答 19問を取り込めます。"],
        [("取り込めないもの（45件）", [f"・Q{n}「{'値' * 40}」: {LONG[:200]}" for n in range(10)] + ["ほか35件"]),
         ("今の回答と違う項目（27件）", [f"・Q{n}: {'旧' * 40} → {'新' * 40}" for n in range(27)])],
        ["空欄に入る項目（19件）: " + "、".join(f"Q{n}" for n in range(19)), LONG[:300], LONG[:300], LONG[:200]],
        [("ファイルの回答にする", "import_take", "0a1b2c3d"), ("空欄だけ埋める", "import_gaps", "0a1b2c3d"),
         ("取り込まない", "import_cancel", "0a1b2c3d")],
    )),
    ("download", lambda: cards.download_link_card("2307_14神奈川県相模原市.xlsx", "https://bot.example.jp/files/abc", "有効期限は24時間です。")),
    ("download-no-note", lambda: cards.download_link_card("a.xlsx", "https://bot.example.jp/files/x", "")),
)


def _orgs() -> Any:
    """ORG_TYPES as a definition declares them (municipality, member, union, prefecture)."""
    from bot.survey.organisations import Organisations, OrgType

    roles = (model.ROLE_MUNICIPALITY, model.ROLE_MEMBER, model.ROLE_UNION, model.ROLE_PREFECTURE)
    return Organisations(OrgType(label, label, role, label) for label, role in zip(ORG_TYPES, roles))


def _progress(statuses: int, per_status: int, long_names: bool) -> dict[str, Any]:
    """進捗 for 北海道 (179 municipalities): `per_status` organisations in each of the first
    `statuses` statuses, named as long as real ones get."""
    from bot.dialogs.desk_effects import progress_card
    from bot.export.list_sheets.progress import STATUS_ORDER, Progress, ProgressRow

    rows = []
    for status in STATUS_ORDER[:statuses]:
        for n in range(per_status):
            name = f"01北海道{'後志広域連合介護保険事務組合' * 2 if long_names else '札幌市'}{n}"
            progress = Progress(status, 12, 30, "2023-07-10 14:05", ORG_TYPES[2] if long_names else ORG_TYPES[0])
            rows.append(ProgressRow("", name, progress.org_type, progress, "全国地方公共団体コードにない名前です" if n % 2 else ""))
    deadline = datetime(2023, 7, 14, 17, 0, tzinfo=timezone(timedelta(hours=9))) if statuses > 1 else None
    return progress_card("01", rows, deadline, _orgs())


def _risks(count: int) -> dict[str, Any]:
    """The risk card of 集計 with every pattern of the definition found `count` times or more."""
    from bot.delivery.collect import risk_card
    from bot.export.list_sheets.attention import PatternSummary
    from bot.survey.engine import load_survey

    return risk_card([PatternSummary(p, count * (n + 1)) for n, p in enumerate(load_survey().risk_patterns)])


DESK_CARDS: tuple[tuple[str, Callable[[], dict[str, Any]]], ...] = (
    ("progress-hokkaido-not-started", lambda: _progress(1, 179, False)),
    ("progress-every-status-long-names", lambda: _progress(5, 60, True)),
    ("progress-empty", lambda: _progress(0, 0, False)),
    ("risks", lambda: _risks(3)),
    ("risks-none", lambda: _risks(0)),
)


def adaptive_attachments() -> Iterator[tuple[str, dict[str, Any]]]:
    for case_id, item, kwargs in question_cases():
        yield f"question-{case_id}", question_attachment(item, kwargs)
    for case_id, build in OTHER_CARDS + DESK_CARDS:
        yield case_id, build()


def walk(node: Any) -> Iterator[dict[str, Any]]:
    """Every dict in a card, depth first (elements, actions, choices, facts …)."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def size_in_bytes(attachment: dict[str, Any]) -> int:
    return len(json.dumps(attachment, ensure_ascii=False).encode("utf-8"))
