"""Text normalization shared by reading and gold building: what offsets index."""

from __future__ import annotations

import hashlib
import unicodedata


def normalize_text(text: str) -> str:
    """Drop a BOM, turn CRLF/CR into LF and apply NFC, as ANNOTATION.md §1 requires."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def text_sha256(text: str) -> str:
    """SHA-256 of the UTF-8 bytes of already normalized text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
