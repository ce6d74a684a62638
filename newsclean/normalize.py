"""Text normalization: make scraped text consistent without changing what it says.

Two entry points share one pipeline:

* :func:`normalize_line` -- one line in, one line out (the chrome detector calls
  it on every line, so it is the hot path);
* :func:`normalize` -- a whole text: every non-empty line stays a line, leading
  and trailing spaces go, runs of blank lines become exactly one blank line.

Both are idempotent.  The steps, in order, and why each is there:

1. **Invisible junk**: C0/C1 control characters (except the newline), zero-width
   spaces, BOMs, soft hyphens and bidi embedding controls are removed (the ones
   that can be bytes of mojibake only after repair has seen them).  ZWJ/ZWNJ
   are removed only next to ASCII or CJK, where they are scraper debris;
   between emoji or in Persian/Indic words they carry meaning.  That check
   runs after NFC (step 4), which runs again where a removed joiner stood
   between a letter and its combining mark.
2. **Repair** (``config.fix_mojibake``), only on lines that show a symptom
   (a cheap regex; ftfy itself runs at ~1 MB/s, far below our budget):
   HTML entities ending in ``;`` are unescaped until none is left (scrapers
   double-escape: ``&amp;quot;``), then :func:`ftfy.fix_text` with
   :data:`FTFY_OPTIONS` fixes mojibake.
3. **Spaces**: tab, NBSP, ideographic space and the other Unicode spaces become
   ``" "``; runs collapse.
4. **NFC**, never NFKC: NFKC would turn ``10³`` into ``103`` and full-width
   CJK punctuation into ASCII.
5. **CJK rules** (only on lines that contain CJK): punctuation width by
   ``config.punctuation``, no spaces next to full-width punctuation,
   letter-spaced runs joined; see :func:`_cjk_rules`.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from newsclean.config import Config, resolve_config
from newsclean.errors import require_text

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from newsclean.config import ConfigOverrides

# --- character classes ------------------------------------------------------------

#: Han ideographs (BMP, compatibility, supplementary planes), kana, bopomofo,
#: iteration marks, full-width Latin and half-width katakana.  Hangul is left out
#: on purpose: Korean is written with ASCII punctuation and spaces.
_CJK_LETTERS = (
    "\u3005-\u3007\u3021-\u3029\u3038-\u303c\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf"
    "\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff21-\uff3a\uff41-\uff5a"
    "\uff66-\uff9d\U00020000-\U0003134f"
)
#: Ideographs and kana only: the characters that letter-spacing artifacts space out.
_IDEOGRAPHS = (
    "\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
)
_IS_CJK = re.compile(f"[{_CJK_LETTERS}]")
#: Anything that makes the CJK rules worth running (letters, CJK and full-width punctuation).
_ANY_CJK = re.compile(f"[{_CJK_LETTERS}\u3000-\u303f\uff00-\uffef]")

#: Full-width punctuation that carries its own spacing; spaces next to it are
#: scraper artifacts (``企业 , 复工 。`` -> ``企业，复工。``).  Curly quotes and the
#: ellipsis are not here because English uses them too.
_FW_PUNCT = "，。、；：？！（）《》〈〉「」『』【】〔〕〖〗"
# Both branches start with the literal space, so the scan runs at C speed.
_SPACE_AROUND_FW = re.compile(f" (?:(?=[{_FW_PUNCT}])|(?<=[{_FW_PUNCT}] ))")

_TO_FULL = {",": "，", "!": "！", "?": "？", ":": "：", ";": "；", "(": "（", ")": "）"}
_TO_HALF = {v: k for k, v in _TO_FULL.items()}

# --- repair (entities and mojibake) ------------------------------------------------

#: Symptoms that a line needs repair.  UTF-8 read as Latin-1/cp1252 shows as a
#: lead byte (Â..ô) followed by a continuation byte (U+0080..U+00BF or its
#: cp1252 twin such as € ” ™); plus entities, C1 controls, terminal escapes,
#: surrogates and Latin ligatures, which ftfy's other fixers handle.
_CP1252_CONT = "\u20ac\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u017d\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u017e\u0178"
_MOJIBAKE_PAIR = re.compile(f"[\u00c2-\u00f4][\u0080-\u00bf{_CP1252_CONT}]")
_REPAIR_FIRST = re.compile("[\x1b\u0080-\u00ff\ud800-\udfff\ufb00-\ufb06]")
_REPAIR_SPECIAL = re.compile("[\u0080-\u009f\x1b\ud800-\udfff\ufb00-\ufb06]")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ENTITY_TAIL = re.compile(r"&#?[A-Za-z0-9]{1,31}\Z")

# --- whitespace, line breaks, junk ---------------------------------------------------

#: What counts as a line break.  U+0085 (NEL) is not one: in Latin-1 mojibake it
#: is a UTF-8 continuation byte, and ftfy maps it to "…" like HTML5 does.
_LINE_BREAK = re.compile("\r\n?|[\v\f\u2028\u2029]")  # \n itself needs no work
_BREAK_IN_LINE = re.compile("[\n\r\v\f\u2028\u2029]")
_BREAK_IN_LINE_NOT_LF = re.compile("[\r\v\f\u2028\u2029]")
#: Removed before the repair step: never part of mojibake.
_HARD_JUNK = re.compile(
    "[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f\u061c\u180e\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]"
)
#: Removed after repair: these can be bytes of mojibake (C1 controls, the soft
#: hyphen U+00AD is byte 0xAD), so ftfy must see them first.
_SOFT_JUNK = re.compile("[\x1b\u0080-\u009f\u00ad\ud800-\udfff]")
_SPACES = re.compile("[\t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Each alternative starts only where a run of joiners starts (the lookbehinds):
# otherwise a long run followed by another script was retried from each of its
# characters, quadratic (16,384 joiners took 2.5 s; bench/redos.py).  The
# matches are the same: a position inside a run never matched when its start
# did not.
_JOINER_NEAR_ASCII_OR_CJK = re.compile(
    f"(?<=[\x00-\x09\x0b-\x7f{_CJK_LETTERS}\u3000-\u303f\uff00-\uffef])[\u200c\u200d]+"
    "|(?<![\u200c\u200d])[\u200c\u200d]+"
    f"(?=[\x00-\x09\x0b-\x7f{_CJK_LETTERS}\u3000-\u303f\uff00-\uffef])"
    "|^[\u200c\u200d]+|(?<![\u200c\u200d])[\u200c\u200d]+$",
    re.MULTILINE,
)
_MULTI_SPACE = re.compile(" {2,}")
# Spaces around a line break.  The lookbehind starts a match only where a run
# of spaces starts (from inside a long run that never reaches a newline each
# start would scan it to its end: quadratic); a match's trailing spaces are
# greedy, so the next match can only start on the newline itself.
_EDGE_SPACE = re.compile("(?<! ) *\n *|\n *")
_BLANK_RUN = re.compile("\n{3,}")

# --- CJK context ---------------------------------------------------------------------

_LETTER = re.compile(r"[^\W\d_]")
#: The last letter of a span (searched with its end as ``endpos``): the letter
#: that only non-letters follow.  Not ``.*(letter)``, which a search would try
#: from every start of a letterless line, each scanning it to its end.
_LAST_LETTER = re.compile(r"([^\W\d_])(?=[\W\d_]*$)")
_HALF_PUNCT = re.compile(r"[,!?:;]")
#: The marks each width policy converts (a line without one is left as it is).
_HALF_MARK = re.compile(r"[,!?:;()]")
_FULL_MARK = re.compile("[，！？：；（）]")
#: An innermost bracket pair on one line, either width on either side.
_PAIR = re.compile("[(（][^()（）\n]*[)）]")
#: Letter-spacing artifact: three or more single ideographs separated by single
#: spaces (``复 工 复 产``).  Two-character runs (``记者 苑菲菲``) are words.
_SPACED_LETTERS = re.compile(
    f"(?<![{_IDEOGRAPHS}])[{_IDEOGRAPHS}](?: [{_IDEOGRAPHS}](?![{_IDEOGRAPHS}])){{2,}}"
)
_SPACED_HINT = re.compile(f" [{_IDEOGRAPHS}] [{_IDEOGRAPHS}]")
_URL_HINT = re.compile(r"://|www\.|@")
# URLs and IRIs (RFC 3986/3987) in running text.  A URL character is anything
# but whitespace, the characters RFC 3986 excludes (<>"{}|\^`) and the
# punctuation of prose: general punctuation (quotes, dashes, ellipsis), CJK
# and full-width punctuation -- those end a URL however it is written.
_PROSE_PUNCT = (
    "\u2000-\u206f\u3000-\u303f\ufe10-\ufe6f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
)
_NOT_URL = f'\\s<>"{{}}|\\\\^`{_PROSE_PUNCT}'
_URL_CHAR = f"[^{_NOT_URL}]"
#: Host, port and user: no sub-delimiter or bracket (none occurs in a real
#: host), so ``例子.中国,谢谢`` ends at the comma.
_HOST_CHAR = f"[^{_NOT_URL}/?#,;!()\\[\\]'*]"
_ASCII_URL_CHAR = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%()]"
_NON_ASCII_URL_CHAR = f"[^\\x00-\\x7f\u0085\u00a0\u1680{_PROSE_PUNCT}]"
#: The path goes on past ASCII into other scripts (``/wiki/北京``, ``?wd=复工,复产``)
#: only right after a delimiter: ``/1.html,记者`` and ``/x记者`` are a URL and
#: then prose, as they were before IRIs were recognised.
_PATH = f"(?:[/?#]{_ASCII_URL_CHAR}*+(?:(?<=[/=?#&\\-_+~(]){_NON_ASCII_URL_CHAR}{_URL_CHAR}*+)?)?"
# Every quantifier is possessive and none is nested, so a match never
# backtracks; the e-mail branch starts only where a run of its characters
# starts, so a long run without "@" is scanned once, not once per position.
_URL = re.compile(
    f"(?:https?|ftp)://{_HOST_CHAR}++{_PATH}"
    f"|www\\.{_HOST_CHAR}++{_PATH}"
    f"|mailto:{_HOST_CHAR}++(?:\\?{_ASCII_URL_CHAR}*+)?"
    r"|(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]++@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}"
    # one glued on after a top-level domain ("a@b.com-c@d.org") joins its span
    r"(?:[0-9._%+\-][A-Za-z0-9._%+\-]*@[A-Za-z0-9.\-]+\.[A-Za-z]{2,})*"
)
#: Sentence punctuation that ends a URL's span when it is the last character.
_URL_TRAILING = ".,;:!?"
_URL_BRACKET = re.compile(r"[()\[\]]")
_URL_MASK = "a"  # a Latin letter: the context around a URL is what it was


#: ftfy options, each chosen on purpose (README section "normalize" says why):
#: - unescape_html off: we unescape entities ourselves, only ``&name;`` forms and
#:   until none is left, so ``&copy=1`` in a URL survives and re-running is a no-op;
#: - fix_encoding on, restore_byte_a0 off: "Ã " + space is not guessed to be "à";
#:   we turn NBSP into a space anyway, so that guess would make a second run
#:   change text that the first run left alone;
#: - fix_character_width off: it turns full-width ，（１２） into ASCII;
#: - uncurl_quotes off: “” ‘’ are the correct quotes in Chinese and English;
#: - fix_line_breaks off: line structure is ours to keep; we split lines first;
#: - fix_latin_ligatures on: ﬁ -> fi changes no meaning and helps search;
#: - normalization NFC, like the rest of the pipeline; explain off (speed).
FTFY_OPTIONS: Mapping[str, Any] = MappingProxyType(
    {
        "unescape_html": False,
        "remove_terminal_escapes": True,
        "fix_encoding": True,
        "restore_byte_a0": False,
        "replace_lossy_sequences": True,
        "decode_inconsistent_utf8": True,
        "fix_c1_controls": True,
        "fix_latin_ligatures": True,
        "fix_character_width": False,
        "uncurl_quotes": False,
        "fix_line_breaks": False,
        "fix_surrogates": True,
        "remove_control_chars": True,
        "normalization": "NFC",
        "explain": False,
    }
)


@lru_cache(maxsize=1)
def _ftfy_config() -> Any:
    import ftfy

    return ftfy.TextFixerConfig(**FTFY_OPTIONS)


# --- public API ----------------------------------------------------------------------


def normalize_line(line: str, config: Config) -> str:
    """Normalize one line: the result has no newline and ``normalize_line`` of it is itself.

    Line-break characters inside ``line`` become spaces.
    """
    line, suspect = _normalize_block(_BREAK_IN_LINE.sub(" ", line), config)
    return _fixpoint(line, config) if suspect else line


def normalize_lines(lines: Sequence[str], config: Config) -> list[str]:
    """``[normalize_line(x, config) for x in lines]``, in one pass over the joined lines.

    Every step is line-local (none crosses a ``\n``), so the lines go through
    the pipeline together: a few regex scans per page instead of per paragraph.
    """
    text = "\n".join(lines)
    if not lines or text.count("\n") != len(lines) - 1:  # a line holds a \n: one by one
        return [normalize_line(line, config) for line in lines]
    text, suspect = _normalize_block(_BREAK_IN_LINE_NOT_LF.sub(" ", text), config)
    out = text.split("\n")
    # per line: the block strip only trimmed the ends of the whole text, and
    # only lines that still show a symptom can need the fixed-point loop
    return [_fixpoint(line.strip(" "), config) if suspect else line.strip(" ") for line in out]


def normalize(text: str, config: Config | None = None, **overrides: Unpack[ConfigOverrides]) -> str:
    """Normalize a text; idempotent.

    Lines are split at ``\\n``, ``\\r\\n``, ``\\r``, ``\\v``, ``\\f``, U+2028 and
    U+2029.  Each line is normalized like :func:`normalize_line`; indentation and
    trailing spaces are dropped, runs of blank lines become one blank line, and
    there are no blank lines at either end.

    >>> normalize("  企业 , 复工 。\\n\\n\\n\\n记者 苑菲菲")
    '企业，复工。\\n\\n记者 苑菲菲'
    """
    require_text(text, "normalize")
    cfg = resolve_config(config, overrides)
    text = _LINE_BREAK.sub("\n", text)
    text, suspect = _normalize_block(text, cfg)
    if suspect and _needs_repair(text):
        text = "\n".join(_fixpoint(line, cfg) for line in text.split("\n"))
    if " \n" in text or "\n " in text:
        text = _EDGE_SPACE.sub("\n", text)
    text = text.strip(" \n")
    return _BLANK_RUN.sub("\n\n", text) if "\n\n\n" in text else text


# --- the pipeline ---------------------------------------------------------------------


def _normalize_block(text: str, cfg: Config) -> tuple[str, bool]:
    """Every step on a text whose only line breaks are ``\\n``; no step crosses one.

    Also says whether the result may still need repair: true when repair ran
    or when a step after it removed or recomposed characters, which can join
    the halves of a mojibake sequence.  Clean text is never suspect, so the
    fixed-point check costs it nothing.
    """
    text = _HARD_JUNK.sub("", text)
    text = _SPACES.sub(" ", text)  # tab, ideographic space ... (NBSP after repair)
    suspect = False
    if cfg.fix_mojibake and _needs_repair(text):
        suspect = True
        text = "\n".join(
            _repair(line) if _needs_repair(line) else line for line in text.split("\n")
        )
    text, removed = _SOFT_JUNK.subn("", text)
    if "\u00a0" in text:
        text, removed = text.replace("\u00a0", " "), removed + 1
    if not unicodedata.is_normalized("NFC", text):
        text, removed = unicodedata.normalize("NFC", text), removed + 1
    if "\u200c" in text or "\u200d" in text:
        text, joiners = _JOINER_NEAR_ASCII_OR_CJK.subn("", text)
        removed += joiners
        # A joiner between a letter and its mark (e, ZWJ, U+0301) kept them
        # apart; without it they compose into one (é).  NFC still runs first:
        # it turns a joiner's neighbour into ASCII (U+212A KELVIN SIGN is K).
        if joiners and not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
    if "  " in text:
        text = _MULTI_SPACE.sub(" ", text)
    if _ANY_CJK.search(text):
        text = _cjk_rules(text, cfg.punctuation)
    return text.strip(" "), cfg.fix_mojibake and (suspect or removed > 0)


def _needs_repair(text: str) -> bool:
    # Searches that each start with a character class run at C speed; one
    # regex with three alternatives is ten times slower.
    if "&" in text and _ENTITY.search(text):
        return True
    if not _REPAIR_FIRST.search(text):
        return False
    return bool(_REPAIR_SPECIAL.search(text) or _MOJIBAKE_PAIR.search(text))


def _repair(line: str) -> str:
    """Entities, then mojibake, on one line; the result has no line break."""
    import ftfy

    for _ in range(8):  # double-escaped entities: &amp;amp;quot; takes three rounds
        unescaped = _ENTITY.sub(_unescape_entity, line)
        if unescaped == line:
            break
        line = unescaped
    line = ftfy.fix_text(line, config=_ftfy_config())
    line = _HARD_JUNK.sub("", line)
    return _BREAK_IN_LINE.sub(" ", _SPACES.sub(" ", line))


def _unescape_entity(m: re.Match[str]) -> str:
    return html.unescape(m.group())


def _fixpoint(text: str, cfg: Config) -> str:
    """Re-run lines that still look broken until they stop changing.

    Removing junk can join two halves of a mojibake sequence ("Ã\\u200b©"), so
    one pass is not always a fixed point; this loop makes normalize idempotent.
    It only runs on lines with a repair symptom, which clean text has none of.
    """
    if not cfg.fix_mojibake or not _needs_repair(text):
        return text
    for _ in range(4):
        again, _ = _normalize_block(text, cfg)
        if again == text:
            break
        text = again
    return text


# --- CJK rules -------------------------------------------------------------------------


def _cjk_rules(text: str, policy: str) -> str:
    """Punctuation width, spaces around full-width punctuation, letter-spacing.

    * ``policy="fullwidth"``: half-width ``, ! ? : ; ( )`` in CJK context become
      full-width, except inside URLs and e-mail addresses, in numbers
      (``1,867``), times (``14:51``) and entities (``&amp;``);
    * ``"halfwidth"``: the full-width ones become ASCII;
    * ``"keep"``: widths stay as they are.

    Then spaces next to full-width punctuation are removed and letter-spaced
    runs (``复 工 复 产``) are joined.  A single space between two CJK words or
    clauses (``防控不松 加快复工``) stays.
    """
    if policy == "fullwidth":
        text = _each_cjk_line(text, _HALF_MARK, _to_fullwidth)
    elif policy == "halfwidth":
        text = _each_cjk_line(text, _FULL_MARK, _to_halfwidth)
    # Both are line-local (a literal space each side; \n is no ideograph) and
    # only ever match on CJK lines: one scan of the whole text.
    text = _SPACE_AROUND_FW.sub("", text)
    if " " in text and _SPACED_HINT.search(text):
        text = _SPACED_LETTERS.sub(_join_letters, text)
    return text


def _each_cjk_line(text: str, mark: re.Pattern[str], fix: Callable[[str], str]) -> str:
    """``fix`` on each line of ``text`` with a CJK character and a ``mark``.

    ``fix`` reads its context within one line, and is the identity on a line
    without a mark, so most lines (a page's menus, English lines of a mixed
    text) skip it: a normalized page is thousands of lines, few with a mark.
    """
    if mark.search(text) is None:
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if mark.search(line) is not None and _ANY_CJK.search(line) is not None:
            lines[i] = fix(line)
    return "\n".join(lines)


def _join_letters(m: re.Match[str]) -> str:
    return m.group().replace(" ", "")


def _to_halfwidth(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        ch = m.group()
        # "&amp；" would become an entity that the next run unescapes.
        if ch == "；" and _ENTITY_TAIL.search(text, max(0, m.start() - 33), m.start()):
            return ch
        return _TO_HALF[ch]

    return _FULL_MARK.sub(repl, text)


def _to_fullwidth(text: str) -> str:
    """Half-width marks in CJK context become full-width; ``text`` is one line."""
    urls = _url_spans(text) if _URL_HINT.search(text) else []
    if urls:
        # Every step below replaces one character by one, so the URLs go back
        # where they were, untouched by any of them.
        masked = _splice(text, urls, lambda a, b: _URL_MASK * (b - a))
        return _splice(_fullwidth_marks(masked), urls, lambda a, b: text[a:b])
    return _fullwidth_marks(text)


def _fullwidth_marks(text: str) -> str:
    ctx = _Context(text)

    def pair(m: re.Match[str]) -> str:
        s = m.group()
        if s[0] == "（" and s[-1] == "）":
            return s
        left = ctx.letter_before(m.start())
        if left is None:
            ok = bool(_IS_CJK.search(s)) or ctx.cjk_after(m.end())
        elif _IS_CJK.match(left):
            ok = True
        else:  # Latin before: only "iPhone(苹果)很好", not "Group(Da Zhong)" or "Yantai (烟台) said"
            ok = bool(_IS_CJK.search(s)) and ctx.cjk_after(m.end())
        return "（" + s[1:-1] + "）" if ok else s

    if "(" in text or ")" in text:
        text = _PAIR.sub(pair, text)
        ctx = _Context(text)  # a second pass from the start over the new text
    # Most cases are punctuation right after a CJK letter: plain substitutions,
    # no Python callback.  Such a mark is never inside a URL, number or entity.
    for half, pattern, full in _AFTER_CJK:
        if half in text:
            text = pattern.sub(full, text)

    def single(m: re.Match[str]) -> str:
        ch, i = m.group(), m.start()
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch == "," and before.isdecimal() and _THOUSANDS.match(text, i + 1):
            return ch  # 1,867
        if ch == ":" and (
            (before.isdecimal() and after.isdecimal()) or text.startswith("//", i + 1)
        ):
            return ch  # 14:51, scheme://
        if ch == ";" and _ENTITY_TAIL.search(text, max(0, i - 33), i):
            return ch  # &nbsp; left alone when repair is off
        left = ctx.letter_before(i)
        if left is None:
            ok = ctx.cjk_after(i + 1)
        elif _IS_CJK.match(left) and not ctx.closed_since_letter():
            ok = True
        else:  # Latin before: "ESR,菜鸟" converts, "Hello, 世界" does not
            ok = bool(after) and bool(_IS_CJK.match(after))
        return _TO_FULL[ch] if ok else ch

    return _HALF_PUNCT.sub(single, text)


_THOUSANDS = re.compile(r"\d{3}(?!\d)")
# The literal comes first and the lookbehind after it, so the scan is a fast
# literal search instead of a lookbehind tried at every position.
_AFTER_CJK = tuple(
    (
        half,
        re.compile(re.escape(half) + f"(?<=[{_CJK_LETTERS}].)" + ("(?!//)" if half == ":" else "")),
        full,
    )
    for half, full in _TO_FULL.items()
    if half not in "()"
)


class _Context:
    """Nearest letters around positions of one line, asked in increasing order.

    Each query scans only the characters since the previous one, so a line of
    ten thousand digits and commas costs linear time, not quadratic.
    """

    __slots__ = ("_ahead", "_ahead_cjk", "_behind", "_behind_at", "_closed_at", "_scanned", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._scanned = 0  # letters left of here have been seen
        self._behind: str | None = None  # the last of them
        self._behind_at = -1  # and its position
        self._closed_at = -1  # position of the last half-width ")" or "]" seen
        self._ahead = -1  # position of the next letter found so far
        self._ahead_cjk = False

    def letter_before(self, i: int) -> str | None:
        """The nearest letter left of ``i`` (digits, spaces and punctuation skipped)."""
        if i > self._scanned:
            m = _LAST_LETTER.search(self.text, self._scanned, i)
            if m:
                self._behind, self._behind_at = m.group(1), m.start(1)
            close = max(
                self.text.rfind(")", self._scanned, i), self.text.rfind("]", self._scanned, i)
            )
            self._closed_at = max(self._closed_at, close)
            self._scanned = i
        return self._behind

    def closed_since_letter(self) -> bool:
        """Did a half-width ``)`` or ``]`` come after the letter ``letter_before`` found?

        A bracket left half-width marks a Latin context: in ``Dance (花前態舞)!!``
        the marks belong to the English sentence, not to the CJK inside.
        """
        return self._closed_at > self._behind_at

    def cjk_after(self, j: int) -> bool:
        """Is the nearest letter at or right of ``j`` a CJK one?"""
        if self._ahead < j:
            m = _LETTER.search(self.text, j)
            self._ahead = m.start() if m else len(self.text)
            self._ahead_cjk = bool(m and _IS_CJK.match(m.group()))
        return self._ahead_cjk


def _url_spans(text: str) -> list[tuple[int, int]]:
    return [_url_span(text, m.start(), m.end()) for m in _URL.finditer(text)]


def _url_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The URL within a match: cut at a closing bracket it did not open, then
    drop trailing sentence punctuation (``/北京(消歧义)`` keeps its ``)``,
    ``(see http://a.cn/x).`` loses ``).``)."""
    depth = {"(": 0, "[": 0}
    for m in _URL_BRACKET.finditer(text, start, end):
        ch = m.group()
        opener = "(" if ch in "()" else "["
        if ch == opener:
            depth[opener] += 1
        elif depth[opener]:
            depth[opener] -= 1
        else:
            end = m.start()
            break
    while end > start and text[end - 1] in _URL_TRAILING:
        end -= 1
    return start, end


def _splice(text: str, spans: list[tuple[int, int]], fill: Callable[[int, int], str]) -> str:
    """``text`` with each span ``(a, b)`` replaced by ``fill(a, b)`` (spans in order).

    Masks the URLs (``fill`` gives as many Latin letters: no rule sees their
    punctuation, and the rules around them see a Latin word as before), and
    puts them back (``fill`` gives the original span).
    """
    parts, at = [], 0
    for a, b in spans:
        parts += [text[at:a], fill(a, b)]
        at = b
    parts.append(text[at:])
    return "".join(parts)
