"""Delivering the answer workbook: a download link (group chats, channels, declined
consent) or Teams' file consent / file info cards (personal chat)."""
from __future__ import annotations

from typing import Any

from bot.messages import cards as msg

from .common import action_set, adaptive_card, heading_block, text_block

FILE_CONSENT_CONTENT_TYPE = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO_CONTENT_TYPE = "application/vnd.microsoft.teams.card.file.info"


def download_link_card(file_name: str, url: str, note: str) -> dict[str, Any]:
    body: list[dict[str, Any]] = [heading_block(msg.DOWNLOAD_TITLE), text_block(file_name, weight="Bolder")]
    if note:
        body.append(text_block(note))
    body.append(action_set([{"type": "Action.OpenUrl", "title": msg.DOWNLOAD_BUTTON, "url": url}]))
    return adaptive_card(body, fallback_text=f"{msg.DOWNLOAD_TITLE}: {url}")


def file_consent_card(file_name: str, size: int, context: dict[str, Any]) -> dict[str, Any]:
    """Shape of botbuilder.schema.teams.FileConsentCard; Teams returns `context` in the
    fileConsent/invoke either way, so the bot knows which file was accepted or declined."""
    return {
        "contentType": FILE_CONSENT_CONTENT_TYPE,
        "name": file_name,
        "content": {
            "description": msg.FILE_CONSENT_DESCRIPTION.format(file_name=file_name),
            "sizeInBytes": size,
            "acceptContext": dict(context),
            "declineContext": dict(context),
        },
    }


def file_info_card(file_name: str, unique_id: str, file_type: str, content_url: str) -> dict[str, Any]:
    """Sent after the upload; the values come from the invoke's uploadInfo."""
    return {
        "contentType": FILE_INFO_CONTENT_TYPE,
        "name": file_name,
        "contentUrl": content_url,
        "content": {"uniqueId": unique_id, "fileType": file_type},
    }
