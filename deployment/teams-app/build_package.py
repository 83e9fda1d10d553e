"""Build the Teams app package (the zip to sideload or upload to the Teams admin center).

The committed manifest.json is a template that validates on its own: its ids are dummy
GUIDs (the schema insists on the GUID pattern, so `${{...}}` placeholders would not
validate). This script puts the real values from the environment in their place:

    TEAMS_APP_ID      the Teams app id (a GUID you keep for every later version)
    MICROSOFT_APP_ID  the Azure Bot's Microsoft App ID (the bot's id)
    BOT_DOMAIN        the bot's host name, e.g. mn2307.example.lg.jp
                      (if unset, taken from BOT_PUBLIC_URL)
    APP_VERSION       optional, semver; defaults to the template's version
    DEVELOPER_WEBSITE_URL, PRIVACY_URL, TERMS_OF_USE_URL
                      your organisation's pages (https), shown in Teams' app details.
                      The template's example.lg.jp pages are refused unless
                      --example-urls says a trial package is intended.

    python deployment/teams-app/build_package.py [--out path/to/app.zip] [--example-urls]
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import re
import sys
import zipfile
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

SOURCE_DIR = Path(__file__).resolve().parent
DEFAULT_OUT = SOURCE_DIR / "mn2307-teams-app.zip"
ICONS = ("color.png", "outline.png")

_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_SEMVER = re.compile(r"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)$")
_HOST = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$")
# manifest "developer" field -> the setting that replaces the template's page.
DEVELOPER_URLS = {"websiteUrl": "DEVELOPER_WEBSITE_URL", "privacyUrl": "PRIVACY_URL", "termsOfUseUrl": "TERMS_OF_USE_URL"}
EXAMPLE_DOMAIN = "example.lg.jp"
# A fixed timestamp keeps the zip byte-identical for identical inputs.
_ZIP_TIME = (2023, 7, 1, 0, 0, 0)


class PackageError(ValueError):
    """A setting is missing or malformed; the message names it."""


def _guid(env: Mapping[str, str], name: str) -> str:
    value = env.get(name, "").strip()
    if not value:
        raise PackageError(f"{name} is not set")
    if not _GUID.match(value):
        raise PackageError(f"{name} must be a GUID, got {value!r}")
    return value


def _domain(env: Mapping[str, str]) -> str:
    value = env.get("BOT_DOMAIN", "").strip()
    if not value:
        value = urlsplit(env.get("BOT_PUBLIC_URL", "").strip()).hostname or ""
    if not value:
        raise PackageError("BOT_DOMAIN (or BOT_PUBLIC_URL) is not set")
    if not _HOST.match(value):
        raise PackageError(f"BOT_DOMAIN must be a bare host name (no scheme, port or path), got {value!r}")
    return value.lower()


def load_template(source_dir: Path = SOURCE_DIR) -> dict:
    return json.loads((source_dir / "manifest.json").read_text(encoding="utf-8"))


def _developer_urls(developer: dict, env: Mapping[str, str], example_urls: bool) -> None:
    for field, name in DEVELOPER_URLS.items():
        value = env.get(name, "").strip()
        if value:
            if not value.lower().startswith("https://") or not urlsplit(value).hostname:
                raise PackageError(f"{name} must be an https:// URL, got {value!r}")
            developer[field] = value
    left = [DEVELOPER_URLS[f] for f in DEVELOPER_URLS if (urlsplit(developer.get(f, "")).hostname or "").endswith(EXAMPLE_DOMAIN)]
    if left and not example_urls:
        raise PackageError(
            f"the app's developer pages still point at {EXAMPLE_DOMAIN}: set {', '.join(left)} to your "
            "organisation's pages, or pass --example-urls if a trial package is intended"
        )


def render_manifest(template: Mapping, env: Mapping[str, str], example_urls: bool = False) -> dict:
    """The template with the app id, bot id, domain, developer pages and (optionally)
    version from env. `example_urls`: the template's example.lg.jp pages are intended."""
    manifest = copy.deepcopy(dict(template))
    _developer_urls(manifest.setdefault("developer", {}), env, example_urls)
    manifest["id"] = _guid(env, "TEAMS_APP_ID")
    bot_id = _guid(env, "MICROSOFT_APP_ID")
    for bot in manifest.get("bots", []):
        bot["botId"] = bot_id
    manifest["validDomains"] = [_domain(env)]
    version = env.get("APP_VERSION", "").strip()
    if version:
        if not _SEMVER.match(version):
            raise PackageError(f"APP_VERSION must be semver like 1.0.1, got {version!r}")
        manifest["version"] = version
    return manifest


def build_package(
    env: Mapping[str, str], out: Path = DEFAULT_OUT, source_dir: Path = SOURCE_DIR, example_urls: bool = False
) -> Path:
    """Write the zip (manifest.json and the two icons at its root, as Teams requires)."""
    manifest = render_manifest(load_template(source_dir), env, example_urls)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        body = json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
        zf.writestr(zipfile.ZipInfo("manifest.json", _ZIP_TIME), body.encode("utf-8"), zipfile.ZIP_DEFLATED)
        for name in ICONS:
            zf.writestr(zipfile.ZipInfo(name, _ZIP_TIME), (source_dir / name).read_bytes(), zipfile.ZIP_DEFLATED)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the zip")
    parser.add_argument(
        "--example-urls", action="store_true", help="accept the template's example.lg.jp developer pages (a trial package)"
    )
    args = parser.parse_args(argv)
    try:
        path = build_package(os.environ, args.out, example_urls=args.example_urls)
    except PackageError as err:
        print(f"build_package: {err}", file=sys.stderr)
        return 2
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
