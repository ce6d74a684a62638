"""Bytes to text: BOMs, strict UTF-8, declared charsets, then charset-normalizer.

The order, and why:

1. **Refuse early**: empty input, input over ``config.max_input_bytes``, and
   binary input raise :class:`~newsclean.InputError` with a stable ``reason``.
   Binary is decided by a known magic number (PNG, PDF, ZIP, gzip ...) or by
   the *share* of control bytes (NUL and C0 controls other than tab, newlines,
   form feed and ESC): random or compressed data has about 10 %, while a
   newswire story with a handful of transmission codes (SOH, STX, ETX ...)
   has well under 1 %.  Such text is decoded, and its control characters are
   stripped from the result (tab, CR and LF kept; VT and FF become a newline).
2. **BOM**: UTF-8, UTF-16 and UTF-32 byte-order marks are authoritative (the
   HTML standard ranks them above every declaration).
3. **Strict UTF-8**: text that decodes as UTF-8 without a single error is
   UTF-8, whatever it declares.  Non-ASCII text in another encoding almost
   never happens to be valid UTF-8, while pages that declare ``gb2312`` but
   were re-saved as UTF-8 are common.  A sequence cut off at the very end (a
   truncated download) is dropped rather than sending the page to guessing,
   and so is UTF-8 with a few corrupt bytes: at least 20 valid multi-byte
   characters and at most one broken spot per hundred of them (one at
   least) are UTF-8
   with a replacement character for each broken one (:func:`_nearly_utf8`);
   guessing read such a page as a single-byte charset, garbling all of it.
4. **Declared charsets**: ``declared`` (an HTTP or WARC header), then
   ``<meta charset>`` / ``http-equiv`` / ``<?xml encoding?>`` in the first
   4 KB.  Labels map to the WHATWG supersets (gb2312 and gbk -> gb18030,
   big5 -> big5hkscs, shift_jis -> cp932, latin-1 -> cp1252); a label must
   decode strictly to be believed.
   A declared *single-byte* charset (windows-1252, iso-8859-x, koi8 ...)
   decodes almost any bytes, so it is checked for plausibility: when its text
   scores as mess (charset-normalizer's ``mess_ratio``, the "ÑÌÌ¨" of GBK
   read as Latin-1), the guess of step 6 wins if it reads cleaner.
5. **Nearly UTF-8**: when no declared charset decodes the bytes, UTF-8 with
   a few corrupt bytes (at least 20 valid multi-byte characters and at most
   one broken spot per hundred of them, one at least) is UTF-8 with a
   replacement character for each broken spot (:func:`_nearly_utf8`):
   guessing read such a page as a single-byte charset, garbling all of it.
   A declaration comes first: a UTF-8 template around a Latin-1 article,
   on a page that declares iso-8859-1, is the declared charset's.
6. **Guess** from the bytes, only among the charsets web pages use
   (:data:`_WEB_PRIOR`; a page in a rarer one must declare it).
   charset-normalizer's guess stands for multi-byte charsets and for
   Cyrillic, Greek, Arabic, Hebrew and Thai ones.  Between Latin-script
   single-byte charsets its scores are noise on short texts (French in
   windows-1250 scores as well as in windows-1252: ``trčs`` for ``très``),
   so every Latin-script reading is ranked by the letters one language
   accounts for (:mod:`newsclean.alphabets`), then by mess, then by share of
   the web (``naïve`` is cp1252, not cp1257).  A reading that leaves a fifth
   of its letters unexplained is not a guess.
   charset-normalizer only considers codecs that decode *every* byte, so a
   GBK page with one corrupt byte pair comes back as a Cyrillic single-byte
   charset (cp1251: its letters fill the same byte range as GBK's).  A
   single-byte reading that scores as mess therefore gives way to an East
   Asian multi-byte reading (:data:`_MULTIBYTE`) that loses at most 1 % of
   its characters and does not score as mess; real Cyrillic text read as GBK
   loses about a fifth (every odd-length word ends in a broken pair).
7. **Last resort**: UTF-8 or the declared charset with replacement characters,
   if fewer than 1 % of the characters are lost, then the multi-byte reading
   of step 6 (charset-normalizer has no guess at all for a page of Chinese
   text with one broken pair); otherwise ``undecodable``.
"""

from __future__ import annotations

import codecs
import dataclasses
import functools
import importlib
import itertools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newsclean.alphabets import Fit, is_latin_script, letter_fit
from newsclean.article import EncodingDoubt
from newsclean.config import Config, resolve_config
from newsclean.errors import InputError
from newsclean.limits import utf8_size_over

if TYPE_CHECKING:
    from charset_normalizer.models import CharsetMatch


@dataclass(frozen=True)
class Decoded:
    """Decoded text and the codec that produced it (a Python codec name, e.g. ``gb18030``).

    ``alternatives``: the other charsets whose readings of the bytes scored as
    well as this one but read differently (a guess among ties: a headline of
    a few GBK characters reads as well in Shift_JIS and EUC-KR).  Such a text
    may be misread; ``check --fix`` never writes it back, and the Article
    cleaned from it carries the doubt (:attr:`doubt`).
    """

    text: str
    encoding: str
    alternatives: tuple[str, ...] = ()

    @property
    def doubt(self) -> EncodingDoubt | None:
        """The doubt an Article records about this reading, None when it was no guess among ties."""
        return EncodingDoubt(self.encoding, self.alternatives) if self.alternatives else None


#: Magic numbers of formats that are certainly not text, with a readable name.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"%PDF-", "PDF document"),
    (b"PK\x03\x04", "ZIP archive (or docx/xlsx/epub)"),
    (b"\x1f\x8b", "gzip-compressed data; decompress it first"),
    (b"BZh", "bzip2-compressed data; decompress it first"),
    (b"\xfd7zXZ\x00", "xz-compressed data; decompress it first"),
    (b"\x28\xb5\x2f\xfd", "zstd-compressed data; decompress it first"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\xca\xfe\xba\xbe", "Java class or Mach-O binary"),
    (b"OggS", "Ogg media"),
    (b"ID3", "MP3 audio"),
    (b"fLaC", "FLAC audio"),
    (b"wOFF", "WOFF font"),
    (b"wOF2", "WOFF2 font"),
    (b"SQLite format 3\x00", "SQLite database"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its little-endian BOM starts with the UTF-16 one.
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: WHATWG-style supersets: a page labelled gb2312 is decoded as gb18030, etc.
_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "latin_1": "cp1252",
    "iso8859_1": "cp1252",
    "ascii": "cp1252",
    "iso8859_9": "cp1254",
    "tis_620": "cp874",
    "iso8859_11": "cp874",
}
#: Labels Python does not know but browsers do.
_LABEL_ALIASES = {
    "x-gbk": "gbk",
    "x-sjis": "shift_jis",
    "windows-31j": "cp932",
    "ms_kanji": "cp932",
    "x-euc-jp": "euc_jp",
    "ks_c_5601-1987": "cp949",
    "x-big5": "big5",
    "unicode": "utf-16",
}

_SNIFF_BYTES = 4096
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*(?:["']\s*)?([A-Za-z0-9_.:\-]{1,40})""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.\-]{1,40})""")
#: Bytes that text does not use: NUL and the C0 controls other than tab,
#: newlines, VT/FF and ESC (ISO-2022 encodings are full of ESC).
_BINARY_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
#: Random or compressed data has ~10.5 % such bytes (27 of 256 values); text
#: with a few transmission codes well under 1 %.  Between the two: binary.
_MAX_CONTROL_SHARE = 0.05
_MIN_CONTROLS = 8  # a very short text may carry a few codes and still be text
#: Control characters stripped from decoded text: every C0 control but tab,
#: LF and CR, and DEL.  VT and FF break lines, so they become newlines.
# U+2028/U+2029 with VT and FF: the line breaks normalize() splits at, which
# the detector's lines must split at too (one pipeline: text scraped from JSON
# or JavaScript carries them, and clean() had joined what normalize() split).
_STRIP_CONTROLS = {c: None for c in [*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F]} | {
    0x0B: "\n",
    0x0C: "\n",
    0x2028: "\n",
    0x2029: "\n",
}
_C0 = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f"  # the C0 controls and DEL of _STRIP_CONTROLS
_HAS_CONTROL = re.compile(f"[{_C0}\u2028\u2029]")
# the same without the two separators, for a JSON container (decode_bytes)
_STRIP_C0 = {c: v for c, v in _STRIP_CONTROLS.items() if c < 0x80}
_HAS_C0 = re.compile(f"[{_C0}]")
_MAX_LOSS = 0.01
#: Controls, unassigned and private-use characters a UTF-16 reading may hold (see
#: :func:`utf16_reading`): text has none, random bytes read as UTF-16 a tenth.
_UTF16_NOISE = 0.02
#: Valid multi-byte characters, and broken sequences per valid one at most, that
#: make bytes that are not strict UTF-8 a UTF-8 text with a few corrupt bytes.
NEARLY_UTF8_MIN, NEARLY_UTF8_LOSS = 20, 0.01
_REPLACED_RUN = re.compile("\ufffd+")
#: A Greek final sigma followed by a letter: never in Greek spelling.
_GREEK_MISREAD = re.compile(r"ς[^\W\d_]")
#: The multi-byte codecs tried when a single-byte reading is mess (step 6),
#: in the order of :data:`_WEB_PRIOR`; the fewest lost characters wins.
_MULTIBYTE = ("euc_jp", "cp932", "gb18030", "cp949", "big5hkscs")
_NONBLANK = re.compile(r"\S")
#: charset-normalizer's own cut-off: text scoring above it reads as mess.
_MESS = 0.2
_MESS_SAMPLE = 4000  # characters, from the first non-ASCII one
_NON_ASCII = re.compile("[^\x00-\x7f]")
_HIGH_BYTE = re.compile(b"[\x80-\xff]")
#: Bytes from the first non-ASCII one on that single-byte readings are ranked by.
_GUESS_SAMPLE = 8192
#: The charsets a guess from bytes alone may name, in the order of their share
#: of web pages (W3Techs, "Usage statistics of character encodings for
#: websites"), then the other legacy charsets of the same scripts that the
#: WHATWG Encoding Standard keeps.  Left out: the standard's DOS and Mac code
#: pages and its rarely used ISO-8859 parts (Latin-3, -4, -6, -8, -10) and
#: windows-1258.  Each of those reads text in a common charset as plausible
#: letters (mac-latin2 reads French ``é`` as ``ť``, Latin-6 reads Slovak
#: ``ľ`` as ``ž``), and a page in one of them must declare it.  The order
#: breaks ties between equally plausible readings.
_WEB_PRIOR = (
    "cp1252",
    "cp1251",
    "euc_jp",
    "cp932",
    "gb18030",
    "cp949",
    "cp1250",
    "big5hkscs",
    "iso8859_2",
    "cp1256",
    "cp1254",
    "iso8859_15",
    "cp874",
    "koi8_r",
    "cp1253",
    "cp1255",
    "cp1257",
    "iso8859_7",
    "iso8859_5",
    "koi8_u",
    "iso8859_13",
    "iso8859_8",
    "iso8859_6",
)
#: The single-byte ones, whose Latin-script readings :func:`_latin_guess` ranks;
#: latin-1 last, for windows-1252 text with a byte it leaves undefined.
_SINGLE_BYTE_GUESSES = (*(c for c in _WEB_PRIOR if c not in _MULTIBYTE), "latin_1")
#: What charset-normalizer may name: the above and the names it gives their
#: subsets (it reports a GBK page as ``gbk``, a windows-1254 one as ``iso8859_9``).
_GUESSABLE = (
    *_WEB_PRIOR,
    *("ascii", "utf_8", "latin_1", "iso8859_9", "iso8859_11", "tis_620"),
    *("gb2312", "gbk", "big5", "cp950", "shift_jis", "iso2022_jp", "euc_kr"),
)


def decode_bytes(
    data: bytes,
    path: str | None = None,
    config: Config | None = None,
    *,
    declared: str | None = None,
    container: bool = False,
) -> Decoded:
    """Decode one document's bytes; raise :class:`InputError` when they are not text.

    ``container``: the bytes are a JSON/JSONL file of documents, whose strings
    may hold a raw U+2028 or U+2029 (legal in JSON): they stay, for each
    record's text to break (a line break there would split a JSONL record).

    ``declared`` is a charset from outside the bytes (an HTTP ``Content-Type``
    or WARC header; a bare label or the whole header value); it outranks ``<meta charset>`` but not a BOM or valid UTF-8.
    ``InputError.reason`` is one of ``empty``, ``too-large``, ``binary``,
    ``undecodable``; the message names ``path``.
    """
    cfg = resolve_config(config)
    decoded = _decode(data, path, cfg, declared)
    return dataclasses.replace(decoded, text=strip_controls(decoded.text, container))


def decode_input(
    raw: object, config: Config | None = None, path: str | None = None
) -> tuple[str, EncodingDoubt | None]:
    """The text of one input of any accepted type, checked like bytes are, and
    the doubt about the charset it was read in (None: no doubt).

    bytes, bytearray and memoryview are decoded (:func:`decode_bytes`); a
    :class:`Decoded` (bytes a caller decoded already, e.g. with a ``declared``
    charset) is taken as it is; a ``str`` is measured in UTF-8 against
    ``max_input_bytes`` and loses its control characters too, so the same
    page gives the same text either way.  Every entry point reads its input
    here, so each records the same doubt for the same bytes.
    Empty or whitespace-only input raises ``InputError(reason="empty")``.
    """
    cfg = resolve_config(config)
    doubt: EncodingDoubt | None = None
    if isinstance(raw, Decoded):
        # checked as a str: the caller may have built it, or decoded it under another config
        doubt = raw.doubt
        raw = raw.text
    if isinstance(raw, memoryview | bytearray):
        size = raw.nbytes if isinstance(raw, memoryview) else len(raw)
        _refuse_size(size, cfg.max_input_bytes, path)  # before the copy below
        raw = bytes(raw)
    if isinstance(raw, bytes):
        decoded = decode_bytes(raw, path, cfg)
        text, doubt = decoded.text, decoded.doubt
    elif isinstance(raw, str):
        _refuse_size(utf8_size_over(raw, cfg.max_input_bytes), cfg.max_input_bytes, path)
        text = strip_controls(raw)
    else:
        raise TypeError(
            f"expected str or bytes (or bytearray, memoryview, Decoded), not {type(raw).__name__}"
        )
    if not _NONBLANK.search(text):
        raise InputError("empty", "the input is empty or only whitespace", path)
    return text, doubt


def _refuse_size(size: int | None, limit: int, path: str | None) -> None:
    if size is not None and size > limit:
        raise InputError(
            "too-large",
            f"{size} bytes is over max_input_bytes={limit}; raise max_input_bytes to accept it",
            path,
        )


def strip_controls(text: str, keep_separators: bool = False) -> str:
    """``text`` without C0 control characters and DEL (tab, LF, CR kept; VT, FF,
    U+2028 and U+2029 -> LF; the last two kept if ``keep_separators``)."""
    if keep_separators:
        return text.translate(_STRIP_C0) if _HAS_C0.search(text) else text
    return text.translate(_STRIP_CONTROLS) if _HAS_CONTROL.search(text) else text


def _decode(data: bytes, path: str | None, cfg: Config, declared: str | None) -> Decoded:
    if not data:
        raise InputError("empty", "the input has no bytes", path)
    _refuse_size(len(data), cfg.max_input_bytes, path)
    bom = _bom_decode(data)
    if bom is not None:
        return bom
    _refuse_binary(data, path)

    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            return Decoded(data[: exc.start].decode("utf-8"), "utf-8")  # truncated download

    labels = [declared, *_sniff_labels(data[:_SNIFF_BYTES])]
    candidates = _dedupe(c for c in map(_codec_for, labels) if c and c != "utf-8")
    for codec in candidates:
        try:
            text = data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        if _single_byte(codec) and _messy(text):
            # A single-byte label decodes anything: GBK read as Latin-1.
            other = _guess(data)
            if other is not None and other.encoding != codec and not _messy(other.text):
                return other
            return _multibyte_reading(data) or Decoded(text, codec)
        return Decoded(text, codec)

    # after a declared charset (a UTF-8 template around a Latin-1 article, the
    # page declaring iso-8859-1, is the declaration's), before any guess
    nearly = _nearly_utf8(data)
    if nearly is not None:
        return nearly

    guessed = _guess(data)
    if guessed is not None:
        if _single_byte(guessed.encoding) and _messy(guessed.text):
            return _multibyte_reading(data) or guessed
        return guessed

    for codec in ["utf-8", *candidates]:
        text = data.decode(codec, errors="replace")
        if text.count("\ufffd") <= _MAX_LOSS * len(text):
            return Decoded(text, codec)
    multibyte = _multibyte_reading(data)
    if multibyte is not None:
        return multibyte
    _refuse_utf16(data, path)
    raise InputError(
        "undecodable",
        "no charset decodes these bytes (tried UTF-8"
        + "".join(f", {c}" for c in candidates)
        + " and charset-normalizer); pass declared=... if you know the encoding",
        path,
    )


def _nearly_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few corrupt bytes (a bad sector, a byte flipped in transit,
    a stray Latin-1 character pasted into a UTF-8 page), read as UTF-8 with a
    replacement character for each: guessing would decode the whole page in a
    single-byte charset and garble every other character of it.  Legacy text
    almost never forms valid UTF-8 sequences by chance (a lead byte must be
    followed by exactly its count of continuation bytes), so at least
    NEARLY_UTF8_MIN valid multi-byte characters with at most NEARLY_UTF8_LOSS
    of a broken spot for each of them (one at least) say UTF-8."""
    text = data.decode("utf-8", errors="replace")
    own = data.count("\ufffd".encode())  # U+FFFD the input already held
    lost = text.count("\ufffd") - own
    valid = len(text) - len(text.encode("ascii", "ignore")) - lost
    # one corrupt byte inside a character gives a run of replacement
    # characters (the lead, the byte, each stray continuation byte): one spot
    spots = len(_REPLACED_RUN.findall(text)) - own
    if lost > 0 and valid >= NEARLY_UTF8_MIN and spots <= max(1, NEARLY_UTF8_LOSS * valid):
        return Decoded(text, "utf-8")
    return None


def _bom_decode(data: bytes) -> Decoded | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            try:
                text = body.decode(codec)
            except UnicodeDecodeError:
                text = body.decode(codec, errors="replace")
            name = codec.replace("-le", "").replace("-be", "")
            return Decoded(text, name)
    return None


def _refuse_binary(data: bytes, path: str | None) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError("binary", f"{what}, not text or HTML", path)
    controls = len(data) - len(data.translate(None, _BINARY_BYTES))
    if controls <= max(_MIN_CONTROLS, _MAX_CONTROL_SHARE * len(data)):
        return
    _refuse_utf16(data, path)  # a clearer reason than the count, for a text in UTF-16
    nuls = data.count(b"\x00")
    if 2 * nuls >= controls:
        raise InputError(
            "binary",
            f"{nuls} NUL bytes in {len(data)}: this is not a text or HTML file "
            "(UTF-16 without a BOM is not supported)",
            path,
        )
    raise InputError("binary", f"{controls} control bytes in {len(data)}", path)


def _refuse_utf16(data: bytes, path: str | None) -> None:
    """Raise ``undecodable`` naming the byte order when bytes refused as binary or
    undecodable read as UTF-16 text (:func:`utf16_reading`): the user learns what
    the file is and how to convert it, not "21 control bytes in 232"."""
    order = utf16_reading(data)
    if order is not None:
        raise InputError(
            "undecodable",
            f"the bytes read as {order} text without a byte-order mark, which is not "
            f"decoded (nothing in them says UTF-16); convert the file to UTF-8 "
            f"(iconv -f {order} -t UTF-8) or save it with a BOM",
            path,
        )


def utf16_reading(data: bytes) -> str | None:
    """``"UTF-16LE"`` or ``"UTF-16BE"`` when ``data`` (without a BOM) reads as text
    in that byte order, else None.

    Only to explain a refusal, never to decode: BOM-less UTF-16 is not told from
    binary with certainty, and its wrong byte order often reads as CJK too.  A
    reading counts when its first :data:`_SNIFF_BYTES` decode strictly (random
    data soon breaks a surrogate pair) and at most :data:`_UTF16_NOISE` of its
    characters are controls, unassigned or private-use (random data reads as a
    tenth of them or more).  English, Russian, Chinese in either byte order:

    >>> [utf16_reading(t.encode(c)) for t, c in [("Good morning.", "utf-16-le"),
    ...     ("Доброе утро.", "utf-16-le"), ("记者从市住房和城乡建设局获悉。", "utf-16-be")]]
    ['UTF-16LE', 'UTF-16LE', 'UTF-16BE']
    >>> utf16_reading(bytes(range(256)) * 4), utf16_reading(b"\\x07\\x00\\x00\\x00" * 64)
    (None, None)
    """
    sample = data[: min(len(data), _SNIFF_BYTES) // 2 * 2]
    if len(sample) < 8:
        return None
    best: tuple[tuple[float, float, int], str] | None = None
    for codec, name in (("utf-16-le", "UTF-16LE"), ("utf-16-be", "UTF-16BE")):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError as exc:
            if exc.start < len(sample) - 2:
                continue
            text = sample[: exc.start].decode(codec)  # a pair cut by the sample's end
        noise = sum(1 for c in text if _noise(c)) / max(1, len(text))
        if noise > _UTF16_NOISE:
            continue
        # Chinese read in the wrong order is Hangul, Yi and ideographs mixed: the
        # order whose letters keep to one script wins; English read in the wrong
        # order is all ideographs (one script too): then the order giving ASCII
        # (spaces, digits, newlines) wins.
        score = (-noise, _one_script_share(text), sum(1 for c in text if c < "\x80"))
        if best is None or score > best[0]:
            best = (score, name)
    return None if best is None else best[1]


def _one_script_share(text: str) -> float:
    """The share of ``text``'s letters in its commonest script (the first word of
    a letter's Unicode name: ``CJK``, ``HANGUL``, ``LATIN``, ``CYRILLIC``; kana
    count as ``CJK``, since Japanese mixes them with kanji)."""
    scripts: dict[str, int] = {}
    for c in text:
        if c.isalpha():
            word = unicodedata.name(c, "?").split(" ", 1)[0]
            word = "CJK" if word in ("HIRAGANA", "KATAKANA") else word
            scripts[word] = scripts.get(word, 0) + 1
    return max(scripts.values()) / sum(scripts.values()) if scripts else 0.0


def _noise(c: str) -> bool:
    """A character text does not hold: a control (but whitespace), unassigned or private use."""
    cat = unicodedata.category(c)
    return (cat == "Cc" and c not in "\t\n\r\x0b\x0c") or cat in ("Cn", "Co", "Cs")


def _sniff_labels(head: bytes) -> list[str]:
    labels = []
    m = _XML_ENCODING.match(head.lstrip())
    if m:
        labels.append(m.group(1).decode("ascii"))
    m = _META_CHARSET.search(head)
    if m:
        labels.append(m.group(1).decode("ascii"))
    return labels


def _codec_for(label: str | None) -> str | None:
    """The Python codec to use for a charset label, upgraded to its superset; None if unknown."""
    if not label:
        return None
    label = label.lower()
    if "charset=" in label:  # a whole Content-Type header: "text/html; charset=GBK"
        label = label.split("charset=", 1)[1].split(";", 1)[0]
    label = label.strip().strip("\"'").strip()
    label = _LABEL_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    name = name.replace("-", "_")
    name = _SUPERSETS.get(name, name)
    return codecs.lookup(name).name


def _guess(data: bytes) -> Decoded | None:
    """charset-normalizer's guess among :data:`_GUESSABLE`; when that reads
    Latin script in a single-byte charset, or there is none, the likeliest
    Latin-script reading (:func:`_latin_guess`) if one is not mess."""
    from charset_normalizer import from_bytes

    matches = [m for m in from_bytes(data, cp_isolation=list(_GUESSABLE)) if m.encoding]
    # Greek writes its final sigma at a word's end only: a reading with one
    # inside a word is another script's bytes (a short Russian sentence in
    # windows-1251 scores best as windows-1253)
    while len(matches) > 1 and _GREEK_MISREAD.search(str(matches[0])):
        matches.pop(0)
    best = _best_match(data, matches) if matches else None
    if best is None or (_single_byte(best.encoding) and is_latin_script(best.text)):
        return _latin_guess(data) or best
    return best


def _best_match(data: bytes, matches: list[CharsetMatch]) -> Decoded:
    """charset-normalizer's first match; among matches it scores the same,
    the charset more common on the web."""
    best = matches[0]
    ties = [
        m
        for m in matches
        if abs(m.chaos - best.chaos) < 0.01 and abs(m.coherence - best.coherence) < 0.01
    ]
    match = min(ties, key=lambda m: _prior(_codec_for(m.encoding) or m.encoding))
    codec = _codec_for(match.encoding) or match.encoding
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        text, codec = str(match), match.encoding
    # A tie naming a subset of the chosen charset (gb2312 for gb18030) is no
    # alternative: read in the charset newsclean uses for it, it gives ``text``,
    # though charset-normalizer's own reading differs in a mapping or two (GB2312
    # reads the em dash of "——" as U+2015), which flagged long GBK pages.
    codecs_of = ((m, _codec_for(m.encoding) or m.encoding) for m in ties)
    others = (other for m, other in codecs_of if other != codec and str(m) != text)
    return Decoded(text, codec, tuple(_dedupe(others)))


def _latin_guess(data: bytes) -> Decoded | None:
    """The likeliest Latin-script reading of ``data`` in a single-byte charset
    of :data:`_SINGLE_BYTE_GUESSES`, or None when every such reading is mess
    or leaves a fifth of its letters unexplained.

    charset-normalizer's scores do not tell these apart on short texts (French
    in windows-1250 scores as well as in windows-1252) and it drops some
    charsets as too similar to one that failed (Polish in ISO-8859-2), so
    every reading is ranked here: by the letters one language accounts for
    (:func:`~newsclean.alphabets.letter_fit`), then by mess, then by share of
    the web.  Other scripts are left to charset-normalizer, whose mess and
    letter-frequency scores tell KOI8-R from windows-1251 (both read Russian
    bytes as Cyrillic letters).
    """
    first = _HIGH_BYTE.search(data)
    if first is None:
        return None
    # Ranked on a sample (one byte is one character), decoded whole once.
    start = max(first.start() - 1, 0)
    readings = _latin_readings(data[start : start + _GUESS_SAMPLE])
    fits = sorted(((letter_fit(text), text, codec) for text, codec in readings.items()), key=_fit)
    for fit, group in itertools.groupby(fits, key=_fit):
        if fit.unexplained >= _MESS:
            break  # no language writes these letters: GBK read as Latin-7
        # mess in hundredths: finer differences are noise
        for mess, _, codec in sorted((round(_mess(t), 2), _prior(c), c) for _, t, c in group):
            if mess >= _MESS:
                break
            try:
                return Decoded(data.decode(codec), codecs.lookup(codec).name)
            except UnicodeDecodeError:
                continue  # a byte past the sample that this charset leaves undefined
    return None


def _latin_readings(sample: bytes) -> dict[str, str]:
    """Each distinct Latin-script reading of ``sample``, with the most common
    charset that gives it (German reads the same in windows-1250 as in 1252)."""
    readings: dict[str, str] = {}
    for codec in _SINGLE_BYTE_GUESSES:
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        if text not in readings and is_latin_script(text):
            readings[text] = codec
    return readings


def _fit(reading: tuple[Fit, str, str]) -> Fit:
    return reading[0]


def _multibyte_reading(data: bytes) -> Decoded | None:
    """The East Asian multi-byte reading of ``data`` that loses the fewest
    characters, if it loses at most ``_MAX_LOSS`` of them and is not mess
    (step 6: a GBK page with a corrupt byte pair, which charset-normalizer
    leaves out of its guesses)."""
    best: tuple[int, Decoded] | None = None
    for codec in _MULTIBYTE:
        text = data.decode(codec, errors="replace")
        lost = text.count("\ufffd")
        if lost <= _MAX_LOSS * len(text) and (best is None or lost < best[0]):
            best = (lost, Decoded(text, codec))
    return best[1] if best is not None and not _messy(best[1].text) else None


def _prior(codec: str) -> int:
    name = codec.replace("-", "_")
    return _WEB_PRIOR.index(name) if name in _WEB_PRIOR else len(_WEB_PRIOR)


@functools.lru_cache(maxsize=64)
def _single_byte(codec: str) -> bool:
    """A charmap codec (one byte, one character): it decodes nearly any bytes."""
    name = codecs.lookup(codec).name.replace("-", "_")
    if name in ("latin_1", "iso8859_1"):
        return True
    try:
        module = importlib.import_module(f"encodings.{name}")
    except ImportError:
        return False
    return isinstance(getattr(module, "decoding_table", None), str)


def _messy(text: str) -> bool:
    """charset-normalizer reads the non-ASCII part of ``text`` as mess."""
    return _mess(text) >= _MESS


def _mess(text: str) -> float:
    """charset-normalizer's mess ratio of the non-ASCII part of ``text``
    (a sample of it), at most :data:`_MESS`."""
    from charset_normalizer.md import mess_ratio

    first = _NON_ASCII.search(text)
    if first is None:
        return 0.0
    sample = text[first.start() : first.start() + _MESS_SAMPLE]
    return min(mess_ratio(sample, _MESS), _MESS)


def _dedupe(items: Iterable[str | None]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item and item not in seen:
            seen.append(item)
    return seen
