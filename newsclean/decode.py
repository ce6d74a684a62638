"""Bytes to text: BOMs, <meta charset>, charset-normalizer; binary input refused.

PLACEHOLDER (foundation helper replaces): contract is ``decode_bytes(data, path=None,
config=None) -> Decoded(text, encoding)``, raising InputError for binary/undecodable/empty.
"""

from __future__ import annotations

from dataclasses import dataclass

from newsclean.errors import InputError


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def decode_bytes(data: bytes, path: str | None = None) -> Decoded:
    if not data:
        raise InputError("empty", "the input has no bytes", path)
    if b"\x00" in data[:4096]:
        raise InputError("binary", "NUL bytes: this is not a text or HTML file", path)
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError as exc:
        raise InputError("undecodable", str(exc), path) from exc
