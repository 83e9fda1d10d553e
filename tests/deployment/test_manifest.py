"""The Teams app manifest, its icons and the package build, checked offline.

The manifest schema is ../shared/schemas/teams-manifest-1.29.schema.json (draft-04); the
commands are checked against the bot's own command words, and against the spec where
../shared is present.
"""
from __future__ import annotations

import copy
import importlib.util
import json
import re
import struct
import zipfile
import zlib
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import jsonschema
import pytest
from jsonschema import Draft4Validator, Draft6Validator

from bot.dialogs.inputs import read_input
from tests.shared_refs import shared_file

REPO = Path(__file__).resolve().parents[2]
APP_DIR = REPO / "deployment" / "teams-app"
SCHEMA = "schemas/teams-manifest-1.29.schema.json"
CONVERSATION_SPEC = "spec/conversation.md"

# Limits Teams enforces for bot commands, stricter than the schema's maxLength.
COMMAND_TITLE_MAX = 32
COMMAND_DESCRIPTION_MAX = 128
COMMANDS_PER_LIST_MAX = 12  # the schema's maxItems, and what Teams shows per scope

# Commands that every scope's menu offers (conversation.md, "Commands").
MENU_COMMANDS = ("開始", "再開", "ヘルプ", "説明", "迷っている", "戻る", "状況", "中断", "出力", "確認依頼", "共有", "集計")

TEST_ENV = {
    "TEAMS_APP_ID": "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
    "MICROSOFT_APP_ID": "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
    "BOT_DOMAIN": "mn2307.example.lg.jp",
    "DEVELOPER_WEBSITE_URL": "https://www.pref.example.jp/mn2307",
    "PRIVACY_URL": "https://www.pref.example.jp/mn2307/privacy",
    "TERMS_OF_USE_URL": "https://www.pref.example.jp/mn2307/terms",
}
TEMPLATE_PAGES = {"DEVELOPER_WEBSITE_URL": "", "PRIVACY_URL": "", "TERMS_OF_USE_URL": ""}


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(shared_file(SCHEMA).read_text(encoding="utf-8"))
    # No check_schema: the schema carries `\p{L}` patterns (Excel custom-function names
    # under `extensions`) that Python's `re` cannot compile. jsonschema compiles a
    # pattern only when an instance reaches it, and a bot-only manifest never does.
    # The schema declares draft-04 but uses draft-06 `const` (manifestVersion "1.29");
    # Draft4Validator would ignore it, so borrow draft-06's `const` check.
    validator_class = jsonschema.validators.extend(
        Draft4Validator, {"const": Draft6Validator.VALIDATORS["const"]}
    )
    return validator_class(schema)


def _schema_errors(manifest: dict) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in _validator().iter_errors(manifest)]


def _template() -> dict:
    return json.loads((APP_DIR / "manifest.json").read_text(encoding="utf-8"))


def _load_build_module() -> ModuleType:
    # deployment/teams-app is not an importable package name (hyphen), so load by path.
    spec = importlib.util.spec_from_file_location("mn2307_build_package", APP_DIR / "build_package.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def build() -> ModuleType:
    return _load_build_module()


@pytest.fixture(scope="module")
def package(build: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build.build_package(TEST_ENV, tmp_path_factory.mktemp("pkg") / "app.zip")


# --- schema -------------------------------------------------------------------


def test_template_manifest_validates() -> None:
    assert _schema_errors(_template()) == []


def test_packaged_manifest_validates_and_carries_the_settings(package: Path) -> None:
    with zipfile.ZipFile(package) as zf:
        assert sorted(zf.namelist()) == ["color.png", "manifest.json", "outline.png"]
        manifest = json.loads(zf.read("manifest.json").decode("utf-8"))
        for icon in ("color.png", "outline.png"):
            assert zf.read(icon) == (APP_DIR / icon).read_bytes()
    assert _schema_errors(manifest) == []
    assert manifest["id"] == TEST_ENV["TEAMS_APP_ID"]
    assert [bot["botId"] for bot in manifest["bots"]] == [TEST_ENV["MICROSOFT_APP_ID"]]
    assert manifest["validDomains"] == [TEST_ENV["BOT_DOMAIN"]]


def _set(manifest: dict, path: str, value: object) -> None:
    *parents, last = [int(p) if p.isdigit() else p for p in path.split("/")]
    target = manifest
    for key in parents:
        target = target[key]
    if value is _DELETE:
        del target[last]
    else:
        target[last] = value


_DELETE = object()


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("id", "${{TEAMS_APP_ID}}", "does not match"),
        ("bots/0/botId", "${{BOT_ID}}", "does not match"),
        ("manifestVersion", "1.28", "1.29"),
        ("name/short", "あ" * 31, "too long"),
        ("description/full", "あ" * 4001, "too long"),
        ("developer/privacyUrl", "example.lg.jp/privacy", "does not match"),
        ("developer/websiteUrl", _DELETE, "is a required property"),
        ("accentColor", "blue", "does not match"),
        ("bots/0/scopes", ["personal", "channel"], "is not one of"),
        ("bots/0/supportsFile", True, "Additional properties"),
    ],
)
def test_broken_manifest_is_rejected(path: str, value: object, expected: str) -> None:
    manifest = copy.deepcopy(_template())
    _set(manifest, path, value)
    errors = _schema_errors(manifest)
    assert any(expected in e for e in errors), errors


# --- bot and commands ---------------------------------------------------------


def test_bot_handles_files_in_every_scope() -> None:
    (bot,) = _template()["bots"]
    # The FileConsentCard flow in personal chats works only with supportsFiles.
    assert bot["supportsFiles"] is True
    assert sorted(bot["scopes"]) == ["groupChat", "personal", "team"]


def _command_lists() -> list[dict]:
    return _template()["bots"][0]["commandLists"]


def _all_commands() -> list[tuple[str, dict]]:
    return [("+".join(cl["scopes"]), c) for cl in _command_lists() for c in cl["commands"]]


@lru_cache(maxsize=1)
def _spec_commands() -> frozenset[str]:
    words = set()
    for line in shared_file(CONVERSATION_SPEC).read_text(encoding="utf-8").splitlines():
        cell = line.split("|")[1].strip() if line.startswith("| `") else ""
        words.update(re.findall(r"`([^` ]+)", cell))
    return frozenset(words)


@pytest.mark.parametrize(("scopes", "command"), _all_commands(), ids=lambda v: v if isinstance(v, str) else v["title"])
def test_command_fits_teams_limits_and_the_bot_knows_it(scopes: str, command: dict) -> None:
    assert 0 < len(command["title"]) <= COMMAND_TITLE_MAX
    assert 0 < len(command.get("description", "")) <= COMMAND_DESCRIPTION_MAX
    # Teams sends the title as the message text, so the bot must read it as a command.
    assert read_input(command["title"], None).command is not None


@pytest.mark.parametrize(("scopes", "command"), _all_commands(), ids=lambda v: v if isinstance(v, str) else v["title"])
def test_command_is_one_the_spec_names(scopes: str, command: dict) -> None:
    assert command["title"] in _spec_commands()


@pytest.mark.parametrize("scope", ["personal", "groupChat", "team"])
def test_each_scope_has_one_menu_with_the_survey_commands(scope: str) -> None:
    lists = [cl for cl in _command_lists() if scope in cl["scopes"]]
    assert len(lists) == 1
    titles = [c["title"] for c in lists[0]["commands"]]
    assert len(titles) <= COMMANDS_PER_LIST_MAX
    assert len(set(titles)) == len(titles)
    assert set(MENU_COMMANDS) <= set(titles)


@pytest.mark.parametrize(
    ("field", "limit"),
    [("name/short", 30), ("name/full", 100), ("description/short", 80), ("description/full", 4000), ("developer/name", 32)],
)
def test_japanese_names_within_limits(field: str, limit: int) -> None:
    section, key = field.split("/")
    value = _template()[section][key]
    assert 0 < len(value) <= limit
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", value), "name and description are in Japanese"


# --- icons --------------------------------------------------------------------


def _png(path: Path) -> tuple[int, int, list[list[tuple[int, ...]]]]:
    """(width, height, RGBA rows) of an 8-bit RGBA PNG, any filter type."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        header = body if kind == b"IHDR" else header
        idat += body if kind == b"IDAT" else b""
        pos += 12 + length
    width, height, depth, color_type, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert (depth, color_type, interlace) == (8, 6, 0), "icons are 8-bit RGBA, not interlaced"
    raw, stride, bpp = zlib.decompress(idat), width * 4, 4
    rows, prev = [], bytearray(stride)
    for y in range(height):
        kind, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            paeth = a if pa <= pb and pa <= pc else b if pb <= pc else c
            line[i] = (line[i] + (0, a, b, (a + b) // 2, paeth)[kind]) & 0xFF
        rows.append([tuple(line[x : x + 4]) for x in range(0, stride, 4)])
        prev = line
    return width, height, rows


@pytest.mark.parametrize(("icon", "size"), [("color", 192), ("outline", 32)])
def test_icon_size_matches_manifest(icon: str, size: int) -> None:
    path = APP_DIR / _template()["icons"][icon]
    width, height, _ = _png(path)
    assert (width, height) == (size, size)


def test_outline_icon_is_white_on_transparent() -> None:
    _, _, rows = _png(APP_DIR / "outline.png")
    pixels = [p for row in rows for p in row]
    assert all(p[3] == 0 or p[:3] == (255, 255, 255) for p in pixels)
    assert any(p[3] == 0 for p in pixels) and any(p[3] == 255 for p in pixels)


# --- build_package settings ---------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"TEAMS_APP_ID": ""}, "TEAMS_APP_ID is not set"),
        ({"TEAMS_APP_ID": "my-app"}, "TEAMS_APP_ID must be a GUID"),
        ({"MICROSOFT_APP_ID": "${{BOT_ID}}"}, "MICROSOFT_APP_ID must be a GUID"),
        ({"BOT_DOMAIN": ""}, "BOT_DOMAIN (or BOT_PUBLIC_URL) is not set"),
        ({"BOT_DOMAIN": "https://mn2307.example.lg.jp/"}, "bare host name"),
        ({"APP_VERSION": "1.0"}, "APP_VERSION must be semver"),
        (TEMPLATE_PAGES, "still point at example.lg.jp: set DEVELOPER_WEBSITE_URL, PRIVACY_URL, TERMS_OF_USE_URL"),
        ({"PRIVACY_URL": ""}, "still point at example.lg.jp: set PRIVACY_URL to"),
        ({"TERMS_OF_USE_URL": "https://example.lg.jp/terms"}, "set TERMS_OF_USE_URL to"),
        ({"PRIVACY_URL": "http://www.pref.example.jp/privacy"}, "PRIVACY_URL must be an https:// URL"),
    ],
)
def test_build_refuses_bad_settings(build: ModuleType, tmp_path: Path, change: dict, message: str) -> None:
    env = {**TEST_ENV, **change}
    with pytest.raises(build.PackageError, match=re.escape(message)):
        build.build_package(env, tmp_path / "app.zip")
    assert not (tmp_path / "app.zip").exists()


@pytest.mark.parametrize(
    ("extra", "field", "expected"),
    [
        ({"BOT_DOMAIN": "", "BOT_PUBLIC_URL": "https://Bot.Example.lg.jp:8443/base"}, "validDomains", ["bot.example.lg.jp"]),
        ({"APP_VERSION": "1.2.3"}, "version", "1.2.3"),
        ({}, "version", "1.0.0"),
        ({}, "developer", {**_template()["developer"], "websiteUrl": TEST_ENV["DEVELOPER_WEBSITE_URL"],
                           "privacyUrl": TEST_ENV["PRIVACY_URL"], "termsOfUseUrl": TEST_ENV["TERMS_OF_USE_URL"]}),
    ],
)
def test_build_takes_optional_settings(build: ModuleType, extra: dict, field: str, expected: object) -> None:
    manifest = build.render_manifest(_template(), {**TEST_ENV, **extra})
    assert manifest[field] == expected
    assert _schema_errors(manifest) == []


def test_example_pages_only_when_said_to_be_intended(
    build: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name, value in {**TEST_ENV, **TEMPLATE_PAGES}.items():
        monkeypatch.setenv(name, value)
    assert build.main(["--out", str(tmp_path / "refused.zip")]) == 2
    assert "still point at example.lg.jp" in capsys.readouterr().err
    assert not (tmp_path / "refused.zip").exists()
    assert build.main(["--out", str(tmp_path / "trial.zip"), "--example-urls"]) == 0
    with zipfile.ZipFile(tmp_path / "trial.zip") as zf:
        developer = json.loads(zf.read("manifest.json"))["developer"]
    assert developer == _template()["developer"]


def test_build_is_reproducible(build: ModuleType, package: Path, tmp_path: Path) -> None:
    again = build.build_package(TEST_ENV, tmp_path / "again.zip")
    assert again.read_bytes() == package.read_bytes()
