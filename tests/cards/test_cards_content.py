"""What the cards say and send: labels, wording, the submit data contract, size."""
from __future__ import annotations

from typing import Any

import pytest

from bot import cards
from bot.cards.common import short_title
from bot.messages import conversation as conversation_msg
from bot.survey import model

from . import (
    ORG_TYPES,
    SYNTHETIC_ITEMS,
    adaptive_attachments,
    all_items,
    question_attachment,
    question_cases,
    size_in_bytes,
    survey_items,
    worst_review_rows,
    walk,
)

ATTACHMENTS = list(adaptive_attachments())
CASES = list(question_cases())
TEAMS_LIMIT = 28 * 1024
# Every word the conversation takes as a command (a button must call one of them).
COMMANDS = {word for words in conversation_msg.COMMAND_WORDS.values() for word in words}


def _by_kind(kind: str) -> list[model.Item]:
    return [item for item in all_items() if item.kind == kind]


def _ids(items: list[model.Item]) -> list[str]:
    return [f"{n}-{item.id}" for n, item in enumerate(items)]


def _of_type(attachment: dict[str, Any], type_: str) -> list[dict[str, Any]]:
    return [node for node in walk(attachment["content"]) if node.get("type") == type_]


def _texts(attachment: dict[str, Any]) -> list[str]:
    return [block["text"] for block in _of_type(attachment, "TextBlock")]


def _submits(attachment: dict[str, Any]) -> list[dict[str, Any]]:
    return _of_type(attachment, "Action.Submit")


def _question(item: model.Item, **kwargs: Any) -> dict[str, Any]:
    args = {"prompt": item.prompt, "position": (5, 14), "reminders": [], **kwargs}
    return question_attachment(item, args)


# The contract the conversation reads (activity.value), one row per action kind.
CONTRACT: dict[str, tuple[set[str], set[str]]] = {
    "answer": ({"action", "item"}, {"value"}),
    "field": ({"action", "field"}, {"value"}),
    "command": ({"action", "command"}, {"arg"}),
    "confirm": ({"action", "topic", "answer"}, set()),
    "respondent_form": ({"action"}, set()),
    "keep": ({"action", "item"}, set()),  # 要確認: keep the stored answer
    "union": ({"action"}, {"value"}),  # a 構成市町村's 広域連合等: a known one, or the typed input  # the inputs, named by field key, are merged in by Teams
}


def _contract_problem(data: dict[str, Any]) -> str | None:
    if data.get("action") not in CONTRACT:
        return f"unknown action {data.get('action')!r}"
    required, optional = CONTRACT[data["action"]]
    if not required <= data.keys() or not data.keys() <= required | optional:
        return f"keys {sorted(data)}"
    if not all(isinstance(v, str) for v in data.values()):
        return "non-string value"
    if data["action"] == "command" and data["command"] not in COMMANDS:
        return f"command {data['command']!r}"
    if data["action"] == "confirm" and data["answer"] not in ("yes", "no"):
        return f"answer {data['answer']!r}"
    if data["action"] == "field" and data["field"] not in model.RESPONDENT_LABELS:
        return f"field {data['field']!r}"
    return None


@pytest.mark.parametrize(
    "data, ok",
    [
        ({"action": "answer", "item": "7-2", "value": "2"}, True),
        ({"action": "answer", "item": "7-2"}, True),
        ({"action": "answer", "value": "2"}, False),
        ({"action": "command", "command": "戻る"}, True),
        ({"action": "command", "command": "修正", "arg": "Q7-2"}, True),
        ({"action": "command", "command": "back"}, False),
        ({"action": "command", "command": "まとめて入力"}, True),
        ({"action": "respondent_form"}, True),
        ({"action": "respondent_form", "value": "x"}, False),
        ({"action": "confirm", "topic": "t", "answer": "はい"}, False),
        ({"action": "field", "field": "org_name"}, True),
        ({"action": "field", "field": "name"}, False),
        ({"action": "answer", "item": "3", "value": 2}, False),
        ({"action": "submit"}, False),
    ],
)
def test_contract_checker(data: dict[str, Any], ok: bool) -> None:
    assert (_contract_problem(data) is None) == ok


@pytest.mark.parametrize("attachment", [a for _, a in ATTACHMENTS], ids=[i for i, _ in ATTACHMENTS])
def test_card_follows_teams_rules(attachment: dict[str, Any]) -> None:
    nodes = list(walk(attachment["content"]))
    inputs = [n for n in nodes if str(n.get("type", "")).startswith("Input.")]
    assert all(n.get("label") for n in inputs), "every input needs a label"
    # One input named "value", or (the 回答者情報 form) one per field, named by its key.
    assert all(n["id"] == "value" for n in inputs) or [n["id"] for n in inputs] == list(model.RESPONDENT_LABELS)
    assert all(n["wrap"] is True for n in nodes if n.get("type") == "TextBlock")
    action_types = {n["type"] for n in nodes if str(n.get("type", "")).startswith("Action.")}
    assert action_types <= {"Action.Submit", "Action.OpenUrl", "Action.ToggleVisibility"}
    # A section button opens an element of this card; ids are unique.
    ids = [n["id"] for n in nodes if "id" in n and not str(n.get("type", "")).startswith("Input.")]
    assert len(ids) == len(set(ids))
    for toggle in (n for n in nodes if n.get("type") == "Action.ToggleVisibility"):
        assert toggle["title"] and toggle["targetElements"] and set(toggle["targetElements"]) <= set(ids)
    problems = [(s["data"], _contract_problem(s["data"])) for s in _submits(attachment)]
    assert [p for p in problems if p[1]] == []
    assert all(s["title"] for s in _submits(attachment))
    assert size_in_bytes(attachment) < TEAMS_LIMIT


@pytest.mark.parametrize("item, kwargs", [(i, k) for _, i, k in CASES], ids=[c for c, _, _ in CASES])
def test_question_card_shows_everything(item: model.Item, kwargs: dict[str, Any]) -> None:
    attachment = question_attachment(item, kwargs)
    body = attachment["content"]["body"]
    assert body[0]["text"] == item.heading and body[0]["weight"] == "Bolder"
    texts = _texts(attachment)
    assert kwargs["prompt"] in texts
    for expected in (*item.notes, *(o.label for o in item.options), *kwargs["reminders"]):
        assert expected in texts
    assert f"{kwargs['position'][0]} / {kwargs['position'][1]}" in texts
    current = kwargs.get("current")
    assert (f"現在の回答: {current}" in texts) == (current is not None)
    commands = [s["data"]["command"] for s in _submits(attachment) if s["data"]["action"] == "command"]
    assert commands == ["戻る", "説明", "迷っている", "状況", "中断"]


@pytest.mark.parametrize("item", _by_kind(model.KIND_SINGLE), ids=_ids(_by_kind(model.KIND_SINGLE)))
def test_single_choice_has_one_button_per_option(item: model.Item) -> None:
    attachment = _question(item)
    answers = [s for s in _submits(attachment) if s["data"]["action"] == "answer"]
    assert [s["data"] for s in answers] == [
        {"action": "answer", "item": item.id, "value": str(o.number)} for o in item.options
    ]
    titles = [s["title"] for s in answers]
    assert [t[0] for t in titles] == [model.circled(o.number) for o in item.options]
    assert all(len(t) <= 26 for t in titles)
    assert len(set(titles)) == len(titles), "two options would look alike"
    assert not _of_type(attachment, "Input.ChoiceSet") and not _of_type(attachment, "Input.Text")


@pytest.mark.parametrize("item", _by_kind(model.KIND_MULTI), ids=_ids(_by_kind(model.KIND_MULTI)))
def test_multi_select_has_expanded_choice_set(item: model.Item) -> None:
    attachment = _question(item)
    (choice_set,) = _of_type(attachment, "Input.ChoiceSet")
    assert choice_set["id"] == "value"
    assert choice_set["isMultiSelect"] is True and choice_set["style"] == "expanded"
    assert [c["value"] for c in choice_set["choices"]] == [str(o.number) for o in item.options]
    assert all(c["title"].startswith(model.circled(int(c["value"]))) for c in choice_set["choices"])
    answers = [s for s in _submits(attachment) if s["data"]["action"] == "answer"]
    assert answers[0]["data"] == {"action": "answer", "item": item.id}
    assert answers[0].get("associatedInputs", "auto") == "auto"
    none_buttons = [s for s in answers if s["data"].get("value") == "なし"]
    assert len(none_buttons) == (1 if item.allow_none else 0)
    for button in none_buttons:
        assert button["title"] == "該当なし"
        # The input "value" would overwrite the button's value if Teams merged it in.
        assert button["associatedInputs"] == "none"
    assert len(answers) == 1 + len(none_buttons)


TEXT_ITEMS = _by_kind(model.KIND_TEXT) + _by_kind(model.KIND_YEARMONTH)


@pytest.mark.parametrize("item", TEXT_ITEMS, ids=_ids(TEXT_ITEMS))
def test_text_items_have_text_input(item: model.Item) -> None:
    attachment = _question(item, current="令和5年9月")
    (text_input,) = _of_type(attachment, "Input.Text")
    assert text_input["id"] == "value"
    assert text_input["value"] == "令和5年9月"
    assert text_input["isMultiline"] is (item.kind == model.KIND_TEXT)
    if item.kind == model.KIND_YEARMONTH:
        assert "2023年9月" in text_input["placeholder"] and "令和5年9月" in text_input["placeholder"]
    answers = [s["data"] for s in _submits(attachment) if s["data"]["action"] == "answer"]
    assert answers == [{"action": "answer", "item": item.id}]


def test_items_of_the_survey_are_covered() -> None:
    # Without the engine only the synthetic rows run; with it, all 21 items must be seen.
    from bot.survey.engine import load_survey

    ids = {item.id for item in all_items()}
    assert {item.id for item in load_survey().items} <= ids


def test_substituted_options_are_shown_and_used() -> None:
    item = SYNTHETIC_ITEMS[3]  # 6
    shown = (item.options[0], model.Option(2, "構成市町村への照会等により確認している。"))
    attachment = cards.question_card(item, item.prompt, (1, 2), [], options=shown)
    texts = _texts(attachment)
    assert "②構成市町村への照会等により確認している。" in texts
    assert "②組織内の住基システム等により確認している。" not in texts


def test_command_buttons_send_no_inputs() -> None:
    attachment = _question(TEXT_ITEMS[0])
    commands = [s for s in _submits(attachment) if s["data"]["action"] == "command"]
    assert commands and all(s["associatedInputs"] == "none" for s in commands)


def test_largest_question_card_fits_teams() -> None:
    sizes = [size_in_bytes(question_attachment(item, kwargs)) for _, item, kwargs in CASES]
    assert max(sizes) < TEAMS_LIMIT


def test_unknown_kind_is_refused() -> None:
    item = model.Item(id="x", kind="slider", heading="Qx", prompt="?", sheet_text="")
    with pytest.raises(ValueError, match="slider"):
        _question(item)


@pytest.mark.parametrize(
    "label, expected",
    [
        ("①求めている。", "①求めている"),
        ("②求めていない。（Q6へ）", "②求めていない"),
        ("⑤住所", "⑤住所"),
        ("②事例はある。原因も特定されており、改善されている(概要を添付してください。)", "②事例はある。原因も特定されており、改善されている"),
        (
            "①該当の機能を導入している（Q2以降は上記以外の者（住登外者等）に対する調査としてご回答ください。）。",
            "①該当の機能を導入している",
        ),
        (
            "①組織で定めた別途の方法（※）に基づき対応している。（別途の方法の概要（マニュアルの有無、別途の方法で特定した場合の確認方法等）を記載のうえ補足資料があれば提出をお願いします。)",
            "①組織で定めた別途の方法に基づき対応している",
        ),
        ("③" + "あ" * 60, "③" + "あ" * 24 + "…"),
        ("（" + "い" * 50 + "）", "（" + "い" * 24 + "…"),
    ],
)
def test_short_title(label: str, expected: str) -> None:
    assert short_title(label) == expected


def test_org_type_card_has_one_button_per_org_type() -> None:
    attachment = cards.org_type_card("選んでください。", None, (1, 8), ORG_TYPES)
    assert attachment["content"]["body"][0]["text"] == "組織区分"
    data = [s["data"] for s in _submits(attachment) if s["data"]["action"] == "field"]
    assert data == [{"action": "field", "field": "org_type", "value": org} for org in ORG_TYPES]
    assert [s["title"] for s in _submits(attachment)][:4] == list(ORG_TYPES)


@pytest.mark.parametrize("key, label", model.RESPONDENT_FIELDS[1:])
def test_field_card(key: str, label: str) -> None:
    attachment = cards.field_card(key, label, "ヒント", "旧い値", (3, 8))
    assert attachment["content"]["body"][0]["text"] == label
    (text_input,) = _of_type(attachment, "Input.Text")
    assert text_input["label"] == label and text_input["value"] == "旧い値"
    fields = [s["data"] for s in _submits(attachment) if s["data"]["action"] == "field"]
    assert fields == [{"action": "field", "field": key}]
    assert "3 / 8" in _texts(attachment) and "現在の値: 旧い値" in _texts(attachment)


@pytest.mark.parametrize(
    "args, titles",
    [
        (("よいですか。", "none_6"), ["はい", "いいえ"]),
        (("登録しますか。", "title", "登録する", "やめる"), ["登録する", "やめる"]),
    ],
)
def test_confirm_card(args: tuple[str, ...], titles: list[str]) -> None:
    attachment = cards.confirm_card(*args)
    submits = _submits(attachment)
    assert [s["title"] for s in submits] == titles
    assert [s["data"] for s in submits] == [
        {"action": "confirm", "topic": args[1], "answer": "yes"},
        {"action": "confirm", "topic": args[1], "answer": "no"},
    ]
    assert args[0] in _texts(attachment)


REVIEW_ROWS = [("Q1-1", "①該当の機能を導入している", ""), ("Q1-2", "②…", "対象外"), ("Q4", "", "未回答"), ("Q5", "", "")]


@pytest.mark.parametrize(
    "row, shown, hidden",
    [
        (REVIEW_ROWS[0], "①該当の機能を導入している", None),
        (REVIEW_ROWS[1], "対象外", "②…"),  # a kept history value is never shown
        (REVIEW_ROWS[2], "未回答", None),
        (REVIEW_ROWS[3], "未回答", None),  # no value and no state is still unanswered
    ],
)
def test_review_row(row: tuple[str, str, str], shown: str, hidden: str | None) -> None:
    attachment = cards.review_card([], [row], [], [])
    (column_set,) = _of_type(attachment, "ColumnSet")
    heading, value = (col["items"][0]["text"] for col in column_set["columns"])
    assert heading == row[0] and value == shown
    if hidden:
        assert hidden not in _texts(attachment)


def test_review_card_lists_everything() -> None:
    respondent = [(label, f"値{n}") for n, (_, label) in enumerate(model.RESPONDENT_FIELDS)]
    rows = worst_review_rows()
    attachment = cards.review_card(respondent, rows, ["未回答: 0問"], [("確認依頼", "request")])
    facts = [f for n in _of_type(attachment, "FactSet") for f in n["facts"]]
    assert facts == [{"title": t, "value": v} for t, v in respondent]
    assert len(_of_type(attachment, "ColumnSet")) == len(rows)
    assert "未回答: 0問" in _texts(attachment)
    assert [s["data"] for s in _submits(attachment)] == [{"action": "command", "command": "確認依頼"}]
    assert size_in_bytes(attachment) < TEAMS_LIMIT


def test_resume_card() -> None:
    attachment = cards.resume_card("18問中 9問回答済み", "Q7-2")
    assert "18問中 9問回答済み" in _texts(attachment) and "次の問い: Q7-2" in _texts(attachment)
    assert [s["data"]["command"] for s in _submits(attachment)] == ["再開", "ヘルプ"]


def test_explain_card_shows_terms_and_rule() -> None:
    attachment = cards.explain_card("Q7-1 の用語", [("完全一致", "説明文")], "迷ったら②")
    assert ["Q7-1 の用語", "完全一致", "説明文", "迷ったときは", "迷ったら②"] == _texts(attachment)
    assert cards.explain_card("h", [("a", "b")])["content"]["body"][-1]["text"] == "b"


def test_help_and_message_cards() -> None:
    help_facts = _of_type(cards.help_card("できること", [("開始", "始めます")]), "FactSet")
    assert help_facts[0]["facts"] == [{"title": "開始", "value": "始めます"}]
    message = cards.message_card("共有", ["コード: ABCD-EFGH"], [("修正", "edit", "Q3")])
    assert _texts(message) == ["共有", "コード: ABCD-EFGH"]
    assert _submits(message)[0]["data"] == {"action": "command", "command": "修正", "arg": "Q3"}


def test_download_link_card() -> None:
    attachment = cards.download_link_card("a.xlsx", "https://bot.example.jp/files/t", "24時間有効")
    (open_url,) = _of_type(attachment, "Action.OpenUrl")
    assert open_url["url"] == "https://bot.example.jp/files/t"
    assert {"a.xlsx", "24時間有効"} <= set(_texts(attachment))


# --- 一覧 on a phone: sections the user opens ------------------------------------------------

def _sections(attachment: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(toggle title, the container it opens), in order."""
    containers = {n["id"]: n for n in walk(attachment["content"]) if n.get("type") == "Container" and "id" in n}
    return [(t["title"], containers[t["targetElements"][0]]) for t in _of_type(attachment, "Action.ToggleVisibility")]


def _headings_in(section: dict[str, Any]) -> list[str]:
    return [n["columns"][0]["items"][0]["text"] for n in walk(section) if n.get("type") == "ColumnSet"]


def test_review_is_in_sections_closed_unless_something_is_to_do() -> None:
    survey_rows = [(item.heading, "①", "") for item in survey_items()]
    rows = [(h, "", "未回答") if h == "Q9" else (h, v, "要確認") if h == "Q2" else (h, v, s) for h, v, s in survey_rows]
    respondent = [(label, "値") for _, label in model.RESPONDENT_FIELDS]
    sections = _sections(cards.review_card(respondent, rows, ["要確認あり（Q2）"], []))
    titles = [title for title, _ in sections]
    assert titles[0] == "回答者情報"
    assert titles[1:] == ["Q13〜Q3（要対応 1）", "Q4〜Q7-3", "Q7-4〜Q9（要対応 1）", "Q10〜Q12"]
    opened = {title: section["isVisible"] for title, section in sections}
    assert opened == {"回答者情報": False, "Q13〜Q3（要対応 1）": True, "Q4〜Q7-3": False,
                      "Q7-4〜Q9（要対応 1）": True, "Q10〜Q12": False}
    # Every item in exactly one section, in order; a sub-item never parted from its item.
    assert [h for _, s in sections[1:] for h in _headings_in(s)] == [h for h, _, _ in rows]
    for _, section in sections[1:]:
        headings = _headings_in(section)
        assert not headings[0].endswith(("予定年月", "概要")), headings
        assert len(headings) <= 6


def test_missing_respondent_fields_open_their_section() -> None:
    respondent = [(label, "") for _, label in model.RESPONDENT_FIELDS]
    (title, section), = _sections(cards.review_card(respondent, [], [], []))
    assert title == "回答者情報" and section["isVisible"] is True


@pytest.mark.parametrize(
    "row, shown",
    [
        (("Q3", "②求めていない。（Q6へ）", "要確認"), ["要確認", "②求めていない。（Q6へ）"]),
        (("Q3", "②求めていない。（Q6へ）", ""), ["②求めていない。（Q6へ）"]),
    ],
)
def test_review_row_under_review_shows_mark_and_value(row: tuple[str, str, str], shown: list[str]) -> None:
    (column_set,) = _of_type(cards.review_card([], [row], [], []), "ColumnSet")
    assert [b["text"] for b in column_set["columns"][1]["items"]] == shown


@pytest.mark.parametrize("item", all_items(), ids=_ids(list(all_items())))
def test_question_under_review_offers_to_keep_the_stored_answer(item: model.Item) -> None:
    note = "要確認: Q1-1の回答を変えたため、この回答が今の対象者に合っているか確かめてください。"
    attachment = _question(item, current="①", review_note=note)
    texts = _texts(attachment)
    assert note in texts and texts.index(note) < texts.index("現在の回答: ①")
    keep = [s for s in _submits(attachment) if s["data"]["action"] == "keep"]
    assert [(s["title"], s["data"]) for s in keep] == [("このままにする", {"action": "keep", "item": item.id})]
    assert keep[0]["associatedInputs"] == "none"  # a half-typed new answer must not ride along
    plain = _question(item, current="①")
    assert not [s for s in _submits(plain) if s["data"]["action"] == "keep"]


def test_union_card_offers_the_known_ones_and_a_typed_name() -> None:
    known = ["14神奈川県足柄上広域連合", "14神奈川県湘南広域連合"]
    attachment = cards.union_card("所属する広域連合等", ["説明"], known, "14神奈川県足柄上広域連合", "入力も可",
                                  "広域連合等の名称", "例", "登録する")
    submits = [s for s in _submits(attachment) if s["data"]["action"] == "union"]
    assert [(s["title"], s["data"]) for s in submits] == [
        ("1. 14神奈川県足柄上広域連合", {"action": "union", "value": known[0]}),
        ("2. 14神奈川県湘南広域連合", {"action": "union", "value": known[1]}),
        ("登録する", {"action": "union"}),
    ]
    assert all(s["associatedInputs"] == "none" for s in submits[:2])  # a half-typed name must not override
    (text_input,) = _of_type(attachment, "Input.Text")
    assert text_input["label"] == "広域連合等の名称" and text_input["id"] == "value"
    assert "現在の値: 14神奈川県足柄上広域連合" in _texts(attachment)


def test_import_offer_buttons_are_words_that_can_be_typed() -> None:
    """Each choice sends its own title as the command word (typed, it does the same) and
    the offer's id, so a click on an older offer's card is told apart."""
    buttons = [("ファイルの回答にする", "import_take", "ab12"), ("空欄だけ埋める", "import_gaps", "ab12"),
               ("取り込まない", "import_cancel", "ab12")]
    attachment = cards.import_offer_card("取込", ["読み取りました。"], [("違う項目（1件）", ["・Q2: ① → ③"])], ["選んでください。"], buttons)
    assert _texts(attachment) == ["取込", "読み取りました。", "違う項目（1件）", "・Q2: ① → ③", "選んでください。"]
    sent = [s["data"] for s in _submits(attachment)]
    assert sent == [{"action": "command", "command": title, "arg": "ab12"} for title, _, _ in buttons]
    assert {d["command"] for d in sent} <= COMMANDS
