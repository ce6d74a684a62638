"""Header and footer lines -> title, date, source, author, editor.

Each parser returns the fields it found and how much of the line it explained,
so the detector can tell a metadata line (nothing left once the fields and their
labels are gone) from a body sentence that merely mentions a date.

The label words (来源, 作者, 责任编辑, "Source", "By" ...) are data: the
``metadata`` lists of ``newsclean/lexicons/*.json``, one file per language.
This module keeps only the structure around them (colons, names, dates).
"""

from __future__ import annotations

import calendar
import functools
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from newsclean.chrome.features import reads_as_sentence

_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_MON = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
_TIME = r"(?:[\sT,]*(\d{1,2})[:：时](\d{2})(?:[:：分](\d{2}))?(?:\s*[ap]\.?m\.?)?)?"

_DATE_NUM = re.compile(
    r"(?<!\d)((?:19|20)\d{2}|\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?"
    + _TIME,
    re.IGNORECASE,
)
# 9/17/2004, 17/9/2004: the year last.  Month first unless the first number
# cannot be a month (the US order is the common one on pages that print it).
_DATE_SLASH_YEAR_LAST = re.compile(
    r"(?<![\d/])(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})(?![\d/])" + _TIME, re.IGNORECASE
)
_DATE_MDY = re.compile(
    r"\b" + _MON + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})\b" + _TIME, re.I
)
_DATE_DMY = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MON + r",?\s+((?:19|20)\d{2})\b" + _TIME, re.I
)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-]?(\d{2})[/-]?(\d{2})/")
# Cheap necessary conditions of the date patterns (a scan for them costs a fraction
# of the patterns' own search): every date has two digits in a row (a two-digit year
# at least), the month-name forms a four-digit year.
_TWO_DIGITS = re.compile(r"\d\d")
_YEAR = re.compile(r"(?:19|20)\d\d")

_TZ = re.compile(
    r"\b(?:[ap]\.?m\.?|gmt|utc|bst|[ecmp][sd]t|et|pt|ist|cet|cest)\b|[+-]\d{2}:?\d{2}", re.I
)
#: A capitalised word of a name ("Doe", "O'Brien", "Élise", "Özlem").
_CAPITAL = r"[A-ZÀ-ÖØ-Þ][\w.'’-]+"
#: A capitalised word of a name in an alphabetic script ("Doe", "Петров").
_CAPITAL_ANY = r"[A-ZÀ-ÖØ-ÞЀ-Я][\w.'’-]+"
#: A letter of an alphabetic script (Latin, Cyrillic): a word of one of them
#: is a whole word only between characters that are not such letters.
_ALPHA = r"A-Za-zÀ-ÖØ-öø-ɏЀ-ӿ"
#: A name has two letters at least: "W" is what is left of "Won" after "on"
#: went as a label, never an outlet or a writer.
_TWO_LETTERS = re.compile(r"[^\W\d_].*[^\W\d_]", re.S)
#: The lexicon files whose ``metadata`` word lists build the label regexes
#: (the language files add their bylines and month names).
_META_FILES = ("zh", "en", "common", "fr", "es", "de", "pt", "it", "ru")


def _whole(alternation: str) -> str:
    """``alternation`` matched as whole words where it starts or ends on a
    letter of an alphabetic script ("on" not inside "Won", "print" not inside
    "Sprint"); its CJK words ("来源", "时间") stay matchable anywhere, as a
    Chinese line puts no space between words."""
    return rf"(?:(?<![{_ALPHA}])|(?![{_ALPHA}]))(?:{alternation})(?:(?![{_ALPHA}])|(?<![{_ALPHA}]))"


def has_name_letters(s: str) -> bool:
    """``s`` has the two letters a name (an outlet, a writer) has at least."""
    return bool(_TWO_LETTERS.search(s))


def _words(meta: dict[str, list[str]], key: str) -> str:
    """The alternation of one word list (regex fragments, files in order)."""
    words = meta.get(key, [])
    if not words:
        raise ValueError(f"lexicon metadata list {key!r} is empty; add its words to a lexicon file")
    return "|".join(words)


@dataclass(frozen=True)
class _Labels:
    """The metadata regexes, built once from the lexicons' word lists."""

    source: re.Pattern[str]
    author: re.Pattern[str]
    editor: re.Pattern[str]
    editor_en: re.Pattern[str]
    credit: re.Pattern[str]
    inline_credit: re.Pattern[str]
    byline: re.Pattern[str]
    labels: re.Pattern[str]
    weekday: re.Pattern[str]
    outlet: re.Pattern[str]
    widgets: re.Pattern[str]
    dateline_end: re.Pattern[str]
    dangling: re.Pattern[str]
    role_only: re.Pattern[str]
    posted_by: re.Pattern[str]
    issuer: re.Pattern[str]
    surname: re.Pattern[str]
    posted: re.Pattern[str]
    poster_before: re.Pattern[str]
    trailing_credit: re.Pattern[str]
    bare_names: re.Pattern[str]
    not_name: re.Pattern[str]


@lru_cache(maxsize=1)
def _lists() -> dict[str, tuple[str, ...]]:
    """The ``metadata`` word lists of ``newsclean/lexicons/*.json``, files in order (cached)."""
    meta: dict[str, list[str]] = {}
    for name in _META_FILES:
        for key, words in _metadata(name).items():
            if not key.startswith("_") and key != "months":
                meta.setdefault(key, []).extend(words)
    return {k: tuple(v) for k, v in meta.items()}


@lru_cache(maxsize=len(_META_FILES))  # read by _lists and _foreign_dmy: once
def _metadata(name: str) -> dict[str, Any]:
    text = resources.files("newsclean.lexicons").joinpath(f"{name}.json").read_text("utf-8")
    found: dict[str, Any] = json.loads(text).get("metadata", {})
    return found


@lru_cache(maxsize=1)
def _foreign_dmy() -> tuple[re.Pattern[str], dict[str, int]]:
    """A day-month-year date with the language files' month names ("12 mars
    2021", "12. März 2021", "12 de marzo de 2021", "12 марта 2021"), and the
    month number of each name (lower case).  English names are _DATE_DMY's."""
    months: dict[str, int] = {}
    for name in _META_FILES:
        for number, names in enumerate(_metadata(name).get("months", ()), start=1):
            for month in names:
                months.setdefault(month.lower(), number)
    # longest first: "sept" before "sep", "janvier" before "janv"; an
    # abbreviation may end on a dot ("9 févr. 2022").  The day may carry an
    # ordinal's mark ("1er août", "1º de enero") or a dot ("12. März").
    alternation = "|".join(re.escape(m) for m in sorted(months, key=len, reverse=True))
    pattern = re.compile(
        rf"(?<!\d)(\d{{1,2}})(?:er|º|ª)?\.?\s+(?:de\s+)?({alternation})\.?,?\s+(?:de\s+)?((?:19|20)\d{{2}})(?!\d)"
        + _TIME,
        re.I,
    )
    return pattern, months


def opens_byline(text: str) -> bool:
    """``text`` starts like a byline ("By Jane Doe", "Par Marie Dupont", "Von
    Max Mustermann"): a word of a lexicon's byline list, then a name."""
    return _labels().byline.match(text) is not None


@lru_cache(maxsize=1)
def credit_words() -> re.Pattern[str]:
    """Any word of the reporter and editor lists (记者, 实习生, 编辑 ...): a line
    without any of them, a digit or a colon is no credit line."""
    lists = _lists()
    words = (*lists.get("reporter", ()), *lists.get("editor", ()))
    return re.compile("|".join(dict.fromkeys(words)))


@lru_cache(maxsize=1)
def _labels() -> _Labels:
    """Compile the regexes around the words of ``newsclean/lexicons/*.json`` (cached: static data)."""
    meta = {k: list(v) for k, v in _lists().items()}
    w = functools.partial(_words, meta)
    cjk_name = r"[\u4e00-\u9fff·]{2,4}"
    # names in a credit are separated by spaces (often two, or ideographic) or 、
    name_sep = r"(?:[ \u3000\u00a0]+|[ \u3000\u00a0]*、[ \u3000\u00a0]*)"
    # a news agency in a byline, one of the language files' agencies lists
    # ("AFP", "dpa"), in any case; several joined by slashes ("dpa/AFP") (the
    # slashed form is tried before a name, which would stop at the slash).
    # Any acronym in capitals was too much: a party or an institution on a
    # line of its own ("Von SPD", "Por UE") is no byline.
    agency = rf"(?i:{w('agencies')})(?![\w'’-])"
    agencies = rf"{agency}(?:\s*/\s*{agency})+"
    return _Labels(
        source=re.compile(
            "".join(f"(?<!{x})" for x in meta.get("not_after", []))
            + f"(?:{w('source')})"
            + r"\s*[:：]\s*[(（\[【]?\s*"
            # an outlet of capitalised words in an alphabetic script is all
            # of them ("Associated Press", "РИА Новости"), up to a label of
            # its own ("Author: …"); else the first word ("来源：新华社 作者：…")
            # (case-sensitive: the label is matched in any case)
            rf"((?-i:{_CAPITAL_ANY}(?:\s+(?![^\s]*[:：]){_CAPITAL_ANY})+)(?![^\s()（）\[\]【】:：|])"
            r"|[^\s()（）\[\]【】:：|]+(?:\s(?![^\s]*[:：])[^\s()（）\[\]【】:：|]+)*?)\s*[)）\]】]?(?=\s|$|[|丨])",
            re.I,
        ),
        author=re.compile(
            f"(?:{w('author')})"
            + r"\s*[:：|丨]\s*([^\s:：|=<>\"？！。?!；;]{2,20}(?:[ 、,，][^\s:：|=<>\"？！。?!；;]{2,20}){0,5}?)(?=\s*$|\s+\S+[:：]|\s{2,})",
            re.I,
        ),
        editor=re.compile(
            f"(?:{w('editor')})"
            + rf"\s*[:：]\s*([\u4e00-\u9fff{_ALPHA}·]{{2,12}}(?:[ 、,，][\u4e00-\u9fff{_ALPHA}·]{{2,12}})*)",
        ),
        editor_en=re.compile(
            rf"\b(?i:{w('editor_phrases')})\s+([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){{0,3}})"
        ),
        # "大众日报记者 段婷婷", "闪电新闻记者 谭蓓  威海报道", "(大众日报客户端记者 段婷婷 报道)",
        # "□ 本报记者 葛灵丹", "本报记者罗科苏盈发自北京"
        # The names are matched lazily: "新京报记者 彭冲 山东冠县报道" credits
        # 彭冲 from 山东冠县; "记者 张三/文 李四/摄" credits 张三 (the photographer
        # is not the author).
        credit=re.compile(
            rf"^[(（]?\s*[^()（），。,.!?！？；;：:]{{0,16}}?(?:{w('reporter')})\s*({cjk_name}(?:{name_sep}{cjk_name})*?)\s*"
            rf"(?:[\u4e00-\u9fff]{{0,6}}(?:{w('dateline_verbs')})"
            rf"|(?:{w('dateline_from')})[\u4e00-\u9fff]{{1,6}}"
            rf"|(?:[/／](?:{w('credit_suffixes')}))(?:\s*[\u4e00-\u9fff]{{0,6}}(?:[/／]?(?:{w('credit_suffixes')})))*)?"
            r"\s*[)）]?$"
        ),
        # "(记者 苑菲菲)" inside a body dateline
        inline_credit=re.compile(
            rf"[(（][^()（）]{{0,30}}?(?:{w('inline_reporter')})\s*({cjk_name}(?:、{cjk_name})*)"
            rf"(?=[\s)）]|{w('co_reporter')})"
        ),
        # "By Jane Doe"; "Par Marie Dupont" only before a full name: "Von
        # Experten", "Par Avion", "Di Maio" are a subhead, a phrase, a surname;
        # or before a news agency of the agencies lists, as "By AP" ("Par
        # AFP", "Von dpa"), alone or joined by slashes ("Von dpa/AFP").
        # Co-authors follow a comma, "&" or a language's conjunction ("and",
        # "et", "und"; after an Oxford comma too): "Par Marie Dupont et Jean
        # Martin"
        byline=re.compile(
            rf"^(?:(?i:{w('byline')})|(?i:{w('byline_full')})(?=(?:\s*:)?\s+(?:{_CAPITAL}\s+{_CAPITAL}|{agency})))"
            rf"(?:\s*:)?\s+((?:{agencies}|{_CAPITAL}(?:\s+(?:{_CAPITAL}|{w('name_particles')})){{0,4}}|{agency})"
            rf"(?:(?:\s*[,&]\s*|(?:\s*,)?\s+(?:{w('conjunctions')})\s+)"
            rf"(?:{agencies}|{_CAPITAL}(?:\s+{_CAPITAL}){{0,3}}|{agency}))*)"
        ),
        labels=re.compile(rf"{_whole(w('labels'))}\s*[:：]?", re.I),
        weekday=re.compile(w("weekdays"), re.I),
        outlet=re.compile(
            rf"[\u4e00-\u9fff·－—\-]{{1,14}}(?:{w('outlet_suffixes')})"
            r"|[A-Z][\w&.'-]*(?: [A-Z][\w&.'-]*){0,3}"
        ),
        widgets=re.compile(
            rf"{_whole(w('widgets'))}\s*[:：]?\s*\[?\s*(?:[大中小]\s*)*\]?"
            rf"|(?:{w('roles')})\s*[:：]?\s*[\u4e00-\u9fff·、]{{2,12}}"
            r"|\d+\s*次?",
            re.I,
        ),
        dateline_end=re.compile(f"(?:{w('dateline_verbs')})$"),
        # a line that ends in an author or date label whose value the page
        # printed in the next cell ("作者：" / "芊草凡凡", "时间：" / "2005-08-22")
        dangling=re.compile(rf"(?:^|\s)(?:{w('author')}|{w('labels')})\s*[:：]$"),
        # a credit's role with its names on the next line ("本报实习生" / "刘国栋 周炜")
        role_only=re.compile(
            rf"[(（]?[^\s()（），。,.!?！？；;：:]{{0,16}}?(?:{w('reporter')})\s*[:：]?"
        ),
        issuer=re.compile(rf"[\u4e00-\u9fff（）()]{{2,24}}(?:{w('issuer_suffixes')})"),
        # a forum's post line: "本贴由 大卫 于2005年8月12日16:12:21在〖版面〗发表"
        posted_by=re.compile(
            r"由\s*([\w.\-\u4e00-\u9fff&]{2,12}?)\s*[于於]\s*"
            rf"(.{{6,60}}?(?:{w('post_verbs')}))"
        ),
        posted=re.compile(rf"(?:{w('posted')})", re.I),
        # (matched at a line's start; the lookbehinds start a search only where a
        # run starts, not from every character of a long one: ReDoS bench)
        poster_before=re.compile(rf"(?<!\W)\W*(?:{w('poster_before')})", re.I),
        # "……过廉洁之年。（常书香 马丹阳 ）", "（袁源）": the writers in brackets
        # at an article's end (2-3 ideographs a name, a Chinese given name
        # being one or two after a one-character surname)
        # ("（记者 胡晓蓉）", "（姚峰 上海报道）": a role before the names, a
        # place and 报道 after them)
        trailing_credit=re.compile(
            rf"[(（]\s*(?:[\u4e00-\u9fff]{{0,6}}?(?:{w('reporter')})[ \u3000\u00a0]*)?"
            r"([\u4e00-\u9fff]{2,3}(?:(?:[ \u3000\u00a0]+|\s*、\s*)[\u4e00-\u9fff]{2,3}){0,4}?)"
            rf"(?:[ \u3000\u00a0]+[\u4e00-\u9fff]{{0,6}}(?:{w('dateline_verbs')}))?\s*[)）]\s*$"
        ),
        # (matched whole, but an outlet by its ending: 新华社, 人民网)
        bare_names=re.compile(_bare_names(meta.get("surnames", []))),
        surname=re.compile(_surname(meta.get("surnames", []))),
        not_name=re.compile(
            rf"(?:{w('not_names')}|{w('author')}|{w('editor')}|{w('reporter')}|{w('source')})$"
            rf"|(?<!.).+(?:{w('outlet_suffixes')})$"
        ),
    )


_LEFTOVER = re.compile(r"[\s\W_]+")
_BRACKETED = re.compile(r"[\[【]\s*([^\[\]【】]{2,24}?)\s*[\]】]")
# a page's address as a dateline prints it: "http://www.sina.net", "AUTO.SOHU.COM"
# (a host starts only where its run of labels and dots starts, and a label is
# never given back: from inside "aaaa…" or "1.1.1.…" every start rescanned the run)
_HOST = re.compile(
    r"(?:https?://|(?<![a-z0-9.-]))(?:[a-z0-9-]++\.)+[a-z]{2,6}(?:/[\w./?=&%-]*)?", re.I
)


#: The fields that hold a name (Meta.fill wants two letters in them).
_NAMES = frozenset({"source", "author", "editor"})


@dataclass
class Meta:
    title: str | None = None
    date: str | None = None
    source: str | None = None
    author: str | None = None
    editor: str | None = None
    #: the date an official document's signature block gives it (it outranks the page's)
    signed: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def fill(self, **values: str | None) -> None:
        """Set fields that are still empty; empty strings never land (they become None),
        nor a source, writer or editor without two letters ("W", "1")."""
        for k, v in values.items():
            v = v.strip() if v else None
            if v and k in _NAMES and not has_name_letters(v):
                v = None
            if v and getattr(self, k) is None:
                setattr(self, k, v)

    def as_dict(self) -> dict[str, str | None]:
        return {
            "title": self.title,
            "date": self.date,
            "source": self.source,
            "author": self.author,
            "editor": self.editor,
            "signed": self.signed,
        }


#: What _iso returns for a date no calendar has ("2021-02-30", "31 April
#: 2020"): the shape of a date, but no date.
_IMPOSSIBLE = ""


def _iso(
    y: str, m: str | int, d: str, hh: str | None, mm: str | None, ss: str | None
) -> str | None:
    """The ISO 8601 form of a date's parts; ``_IMPOSSIBLE`` for a date that is
    no calendar's ("2021-02-30", "31 April 2020", "2021年13月5日"); None when
    the parts are no date's shape at all (year 1789; "21.13.40", a two-digit
    "year" with month 13, is more likely a figure than a date)."""
    year = int(y)
    if year < 100:
        year += 2000
    month, day = int(m), int(d)
    if not 1990 <= year <= 2100:
        return None
    if not (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]):
        plausible = 1 <= month <= 12 and 1 <= day <= 31
        return _IMPOSSIBLE if plausible or len(y) == 4 else None
    out = f"{year:04d}-{month:02d}-{day:02d}"
    if hh is not None and mm is not None and int(hh) < 24 and int(mm) < 60:
        out += f"T{int(hh):02d}:{int(mm):02d}:{int(ss or 0):02d}"
    return out


def find_date(s: str) -> tuple[str | None, tuple[int, int] | None]:
    """The first date in ``s`` as ISO 8601, and its span."""
    iso, span = _scan_date(s)
    return (iso, span) if iso else (None, None)


def _scan_date(s: str) -> tuple[str | None, tuple[int, int] | None]:
    """find_date's answer; failing a date, ``_IMPOSSIBLE`` and the span of the
    first date-shaped text whose day its month does not have ("2021-02-30")."""
    found: list[tuple[str | None, tuple[int, int] | None]] = []

    def dated(iso: str | None, span: tuple[int, int]) -> bool:
        if iso == _IMPOSSIBLE and not found:
            found.append((iso, span))
        return bool(iso)

    first = _TWO_DIGITS.search(s)
    if not first:
        return None, None
    # a numeric date starts with two digits: none starts before the first pair
    # (its lookbehind still sees the character before ``pos``)
    m = _DATE_NUM.search(s, first.start())
    if m:
        iso = _iso(m[1], m[2], m[3], m[4], m[5], m[6])
        if dated(iso, m.span()):
            return iso, m.span()
    if not _YEAR.search(s):
        return found[0] if found else (None, None)
    m = _DATE_SLASH_YEAR_LAST.search(s)
    if m:
        month, day = (m[2], m[1]) if int(m[1]) > 12 else (m[1], m[2])
        iso = _iso(m[3], month, day, *_hour24(m[4], m[5], m[6], m[0]))
        if dated(iso, m.span()):
            return iso, m.span()
    m = _DATE_MDY.search(s)
    if m:
        iso = _iso(m[3], _MONTHS[m[1].lower().rstrip(".")], m[2], m[4], m[5], m[6])
        if dated(iso, m.span()):
            return iso, m.span()
    m = _DATE_DMY.search(s)
    if m:
        iso = _iso(m[3], _MONTHS[m[2].lower().rstrip(".")], m[1], m[4], m[5], m[6])
        if dated(iso, m.span()):
            return iso, m.span()
    foreign, months = _foreign_dmy()
    m = foreign.search(s)
    if m:
        iso = _iso(m[3], months[m[2].lower().rstrip(".")], m[1], m[4], m[5], m[6])
        if dated(iso, m.span()):
            return iso, m.span()
    return found[0] if found else (None, None)


def _hour24(
    hh: str | None, mm: str | None, ss: str | None, text: str
) -> tuple[str | None, str | None, str | None]:
    """The time on a 24-hour clock ("5:54:13 PM" -> 17:54:13)."""
    if hh is not None and int(hh) < 12 and re.search(r"p\.?m\.?\s*$", text, re.IGNORECASE):
        hh = str(int(hh) + 12)
    return hh, mm, ss


def url_date(s: str) -> str | None:
    m = _URL_DATE.search(s)
    return (_iso(m[1], m[2], m[3], None, None, None) or None) if m else None


def parse_meta_line(s: str) -> tuple[dict[str, str | None], bool]:
    """Fields found in one line, and whether the line is nothing but metadata.

    A label with nothing after it (``作者:``) counts as metadata and gives no field.
    """
    s = s.strip()
    found: dict[str, str | None] = {}
    rest = s
    rx = _labels()
    m = rx.credit.match(s)
    # a name glued to the role and ending the line ("记者马俊峰") must start
    # with a known surname: "记者调查", "记者博客" are a menu's columns; a
    # space before it, brackets around it, or a dateline verb or a role after
    # it are structure enough ("记者 惠禾", "（记者惠禾）", "记者惠禾 报道")
    if m and (not _glued(s, m) or rx.surname.match(m[1])):
        found["author"] = _names(m[1])
        return found, True
    m = rx.byline.match(s)
    if m:
        found["author"] = m[1]
        rest = rest.replace(m[0], " ")
    colon, bar = _separators(s)
    m = (rx.editor.search(s) if colon else None) or rx.editor_en.search(s)
    if m and reads_as_sentence(s[m.start(1) :]):
        # the label before a sentence, not names: an interview's question
        # ("编辑：下一步有什么打算？"), no credit
        m = None
    if m:
        found["editor"] = m[1]
        rest = rest.replace(m[0], " ")
    m = rx.source.search(rest) if colon else None
    if m:
        found["source"] = m[1]
        rest = rest.replace(m[0], " ")
    m = rx.author.search(rest) if colon or bar else None
    if m:
        found["author"] = _names(m[1])
        rest = rest.replace(m[0], " ")
    iso, span = _scan_date(rest)
    # An impossible date ("2021-02-30", "31 April 2020": a typo, a template's
    # bug) is no Article.date, but its line is read as before, a dateline:
    # dropping the date alone keeps the page's lines where a real date would
    # have put them.  Leaving the line unread would push "By Jane Doe | 31
    # April 2020" into the body and cost the page its byline and its title.
    dated = span is not None
    if span:
        if iso:
            found["date"] = iso
        rest = rest[: span[0]] + " " + rest[span[1] :]
    if (
        ("[" in rest or "【" in rest)
        and "author" not in found
        and (found or rx.labels.search(rest))
    ):
        # an info bar's writer in brackets, without a label: "[ 黄宇 ]  来源：[ X ]"
        m = _BRACKETED.search(rest)
        names = bare_names(m[1]) if m else None
        if m and names:
            found["author"] = names
            rest = rest.replace(m[0], " ")
    if (
        not found
        and not dated
        and not rx.labels.fullmatch(s.rstrip(" :：[【(（"))
        and not rx.labels.fullmatch(s)
    ):
        return found, False
    rest = rx.weekday.sub(" ", rest)
    rest = _TZ.sub(" ", rest)
    rest = rx.labels.sub(" ", rest)
    if found:  # an info bar also carries counters and buttons
        rest = rx.widgets.sub(" ", rest)
    leftover = _LEFTOVER.sub("", rest)
    # "2020年05月20日 18:32　新华网": a date and one bare name is a dateline
    # crediting the outlet (portals print it without a 来源: label)
    name = rest.strip().strip("|丨·-—").strip()
    if dated and "source" not in found and rx.outlet.fullmatch(name) and has_name_letters(name):
        found["source"] = name
        return found, True
    if len(leftover) > 3 and dated and _HOST.search(rest):
        # a dateline that prints the site's address ("http://www.sina.net
        # 2005年03月21日 11:21", "AUTO.SOHU.COM 2003年11月12日 金羊网—新快报"):
        # the address is no outlet (docs/contracts.md §1), the rest may be one
        name = _HOST.sub(" ", rest).strip().strip("|丨·-—").strip()
        if not name:
            return found, True
        if "source" not in found and rx.outlet.fullmatch(name) and has_name_letters(name):
            found["source"] = name
            return found, True
    return found, len(leftover) <= 3


def _glued(s: str, m: re.Match[str]) -> bool:
    """The credit's name is glued to its role and ends the line ("记者调查")."""
    return not (s[m.start(1) - 1].isspace() or s[m.end(1) :].strip() or s.startswith(("(", "（")))


def _separators(s: str) -> tuple[bool, bool]:
    """Whether ``s`` has a colon, and whether it has a bar.

    The source and editor patterns put a colon after their label word, the author
    pattern a colon or a bar: a line without one skips their searches (most of
    parse_meta_line's time).  ``rest`` only loses characters of ``s``.
    """
    return ":" in s or "：" in s, "|" in s or "丨" in s


def inline_author(s: str) -> str | None:
    m = _labels().inline_credit.search(s[:120])
    return m[1] if m else None


def _surname(surnames: list[str]) -> str:
    """A surname of the list (the compound ones tried first)."""
    if not surnames:
        raise ValueError("lexicon metadata list 'surnames' is empty; add them to a lexicon file")
    single = "".join(x for x in surnames if len(x) == 1)
    compound = "|".join(x for x in surnames if len(x) > 1)
    return rf"(?:(?:{compound})|[{single}])"


def _bare_names(surnames: list[str]) -> str:
    """One to five Chinese names and nothing else: a surname of the list and
    a given name of one or two ideographs, separated by spaces or 、."""
    name = rf"{_surname(surnames)}[\u4e00-\u9fff]{{1,2}}"
    sep = r"(?:[ \u3000\u00a0]+|\s*、\s*)"
    return rf"{name}(?:{sep}{name}){{0,4}}"


def bare_names(s: str) -> str | None:
    """The names of a line that is nothing but Chinese personal names
    ("胡平", "赵延东、风笑天" needs one known surname per name), joined by 、."""
    s = s.strip()
    rx = _labels()
    if len(s) > 24 or not rx.bare_names.fullmatch(s):
        return None
    names = re.split(r"[ \u3000\u00a0、]+", s)
    # a button or a label that happens to start with a surname (关闭, 关注)
    if any(rx.widgets.fullmatch(n) or rx.labels.fullmatch(n) for n in names):
        return None
    return "、".join(names)


def trailing_credit(s: str) -> str | None:
    """The writers an article's last paragraph credits in brackets at its end
    ("（常书香 马丹阳）"); None for a note, a label or an outlet there."""
    rx = _labels()
    m = rx.trailing_credit.search(s[-40:])
    if m is None:
        return None
    names = re.split(r"[ \u3000\u00a0、]+", m[1].strip())
    if any(rx.not_name.match(n) for n in names):
        return None
    return "、".join(names)


def poster_above(s: str) -> bool:
    """``s`` starts with a posted label that follows the poster's name on the
    line above ("发表于 2005-9-15 11:46:00" under "ggjjzhzz")."""
    return bool(_labels().poster_before.match(s.strip()))


def posted_label(s: str) -> bool:
    """``s`` carries a publish label ("发表于", "posted"): its date is the post's."""
    return bool(_labels().posted.search(s))


#: The value of a dangling label: a name, an outlet or a date, short and
#: plain (not a sentence, not markup such as a stray ``size="20"``).
DANGLING_VALUE = 24
_SENTENCE_OR_MARKUP = re.compile(r"[。！？，；;=<>\"{}]")


def dangling_value(s: str) -> bool:
    """``s`` can be the value printed after a dangling label."""
    s = s.strip()
    return 0 < len(s) <= DANGLING_VALUE and not _SENTENCE_OR_MARKUP.search(s)


def posted_by(s: str) -> tuple[str, str] | None:
    """The poster and the date of a forum's post line ("本贴由 X 于<date>在〖版面〗
    发表"): the date right after 于, a publish verb after it."""
    m = _labels().posted_by.search(s)
    if m is None:
        return None
    date, span = find_date(m[2])
    if date is None or span is None or span[0] > 1:
        return None
    return m[1], date


def issuer(s: str) -> bool:
    """``s`` is the name of an issuing organ ("吉林省人民政府", "国家统计局")."""
    return bool(_labels().issuer.fullmatch(s.strip()))


ROLE_LINE = 24  # characters: the longest role line ("新华社驻某地记者站实习生记者：")


def role_only(s: str) -> bool:
    """``s`` is a credit's role alone ("本报记者", "本报实习生"): the names
    it credits are on the next line."""
    s = s.strip()
    return (
        len(s) <= ROLE_LINE
        and bool(credit_words().search(s))
        and bool(_labels().role_only.fullmatch(s))
    )


def dangling_label(s: str) -> bool:
    """``s`` ends in an author or date label with nothing after its colon
    (the value sits in the next cell of a table or the next element)."""
    return bool(_labels().dangling.search(s.rstrip()))


_NAME_WORD = re.compile(_CAPITAL_ANY)


def _names(s: str) -> str:
    rx = _labels()
    parts: list[str] = []
    for group in re.split(r"\s*[、,，]\s*", s):
        # a counter next to the name ("作者:zboygirl 阅读(1660)") is not a name, nor
        # a button named like a label ("作者:zboygirl 评论(5) 编辑 发表于:…")
        words = [
            p
            for p in re.split(r"[ \u3000\u00a0]+", group)
            if p
            and not rx.dateline_end.search(p)
            and not rx.widgets.match(p)
            and not rx.labels.fullmatch(p)
        ]
        # spaces separate Chinese names ("张三 李四"), but they join the
        # capitalised words of one name in an alphabetic script ("Anna
        # Smith", "Иван Петров"): such a name stays whole
        if len(words) > 1 and all(_NAME_WORD.fullmatch(p) for p in words):
            parts.append(" ".join(words))
        else:
            parts += words
    return "、".join(parts) if parts else s
