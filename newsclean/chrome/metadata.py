"""Header and footer lines -> title, date, source, author, editor.

Each parser returns the fields it found and how much of the line it explained,
so the detector can tell a metadata line (nothing left once the fields and their
labels are gone) from a body sentence that merely mentions a date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
_DATE_MDY = re.compile(
    r"\b" + _MON + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d{2})\b" + _TIME, re.I
)
_DATE_DMY = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+" + _MON + r",?\s+((?:19|20)\d{2})\b" + _TIME, re.I
)
_URL_DATE = re.compile(r"/((?:19|20)\d{2})[/-]?(\d{2})[/-]?(\d{2})/")

_SOURCE = re.compile(
    r"(?<!图片)(?<!圖片)(?<!图)(?:来源|稿源|發布來源|发布来源|信息来源|文章来源|出处|來源|source)\s*[:：]\s*[(（]?\s*"
    r"([^\s()（）:：|]+(?:\s(?![^\s]*[:：])[^\s()（）:：|]+)*?)\s*[)）]?(?=\s|$|[|丨])",
    re.I,
)
_AUTHOR = re.compile(
    r"(?:作者|撰文|记者|記者|文|图文|author)\s*[:：|丨]\s*([^\s:：|]{2,20}(?:[ 、,，][^\s:：|]{2,20}){0,3}?)(?=\s*$|\s+\S+[:：]|\s{2,})",
    re.I,
)
_EDITOR = re.compile(
    r"(?:责任编辑|責任編輯|编辑|編輯|责编|責編)\s*[:：]\s*([\u4e00-\u9fffA-Za-z·]{2,12}(?:[ 、,，][\u4e00-\u9fffA-Za-z·]{2,12})*)",
)
_EDITOR_EN = re.compile(r"\b(?i:edit(?:ed|ing) by)\s+([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})")
# "大众日报记者 段婷婷", "闪电新闻记者 谭蓓  威海报道", "(大众日报客户端记者 段婷婷 报道)"
_CREDIT = re.compile(
    r"^[(（]?\s*[^\s()（）]{0,16}?(?:记者|記者|通讯员)\s*([\u4e00-\u9fff·]{2,4}(?:[ 、][\u4e00-\u9fff·]{2,4})*)\s*"
    r"(?:[\u4e00-\u9fff]{0,6}(?:报道|摄影?|电))?\s*[)）]?$"
)
# "(记者 苑菲菲)" inside a body dateline
_INLINE_CREDIT = re.compile(
    r"[(（][^()（）]{0,30}?记者\s*([\u4e00-\u9fff·]{2,4}(?:、[\u4e00-\u9fff·]{2,4})*)(?=[\s)）]|通讯员)"
)
_BYLINE = re.compile(
    r"^(?i:(?:written\s+)?by)\s*:?\s+([A-Z][\w.'’-]+(?:\s+(?:[A-Z][\w.'’-]+|de|van|von|da|di|del|la|le|bin)){0,4}"
    r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})*)"
)
_LABELS = re.compile(
    r"(?:发布时间|发表时间|发布日期|更新时间|时间|日期|来源|稿源|发布来源|作者|记者|编辑|责任编辑|"
    r"published|updated|posted|last updated|date|source|author|on|at|by)\s*[:：]?",
    re.I,
)
_WEEKDAY = re.compile(
    r"\b(?:mon|tue|wed|thu|fri|sat|sun)(?:day|sday|nesday|rsday|urday)?\b\.?|星期[一二三四五六日天]|周[一二三四五六日]",
    re.I,
)
_TZ = re.compile(
    r"\b(?:[ap]\.?m\.?|gmt|utc|bst|[ecmp][sd]t|et|pt|ist|cet|cest)\b|[+-]\d{2}:?\d{2}", re.I
)
_OUTLET = re.compile(
    r"[\u4e00-\u9fff·－\-]{1,14}(?:网|網|报|報|社|台|新闻|新聞|客户端|在线|周刊|杂志|号)"
    r"|[A-Z][\w&.'-]*(?: [A-Z][\w&.'-]*){0,3}"
)
_INFO_BAR_WIDGETS = re.compile(
    r"(?:浏览次数|浏览量|点击数|点击量|点击|阅读数|阅读量|阅读|浏览|评论数|字号|字体|打印本页|打印|关闭窗口|关闭|收藏|分享(?:到)?"
    r"|views?|comments?|print|share)\s*[:：]?\s*\[?\s*(?:[大中小]\s*)*\]?"
    r"|(?:通讯员|实习生|摄影|图)\s*[:：]?\s*[\u4e00-\u9fff·、]{2,12}"
    r"|\d+\s*次?",
    re.I,
)
_LEFTOVER = re.compile(r"[\s\W_]+")


@dataclass
class Meta:
    title: str | None = None
    date: str | None = None
    source: str | None = None
    author: str | None = None
    editor: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def fill(self, **values: str | None) -> None:
        """Set fields that are still empty; empty strings never land (they become None)."""
        for k, v in values.items():
            v = v.strip() if v else None
            if v and getattr(self, k) is None:
                setattr(self, k, v)

    def as_dict(self) -> dict[str, str | None]:
        return {
            "title": self.title,
            "date": self.date,
            "source": self.source,
            "author": self.author,
            "editor": self.editor,
        }


def _iso(
    y: str, m: str | int, d: str, hh: str | None, mm: str | None, ss: str | None
) -> str | None:
    year = int(y)
    if year < 100:
        year += 2000
    month, day = int(m), int(d)
    if not (1 <= month <= 12 and 1 <= day <= 31 and 1990 <= year <= 2100):
        return None
    out = f"{year:04d}-{month:02d}-{day:02d}"
    if hh is not None and mm is not None and int(hh) < 24 and int(mm) < 60:
        out += f"T{int(hh):02d}:{int(mm):02d}:{int(ss or 0):02d}"
    return out


def find_date(s: str) -> tuple[str | None, tuple[int, int] | None]:
    """The first date in ``s`` as ISO 8601, and its span."""
    m = _DATE_NUM.search(s)
    if m:
        iso = _iso(m[1], m[2], m[3], m[4], m[5], m[6])
        if iso:
            return iso, m.span()
    m = _DATE_MDY.search(s)
    if m:
        iso = _iso(m[3], _MONTHS[m[1].lower().rstrip(".")], m[2], m[4], m[5], m[6])
        if iso:
            return iso, m.span()
    m = _DATE_DMY.search(s)
    if m:
        iso = _iso(m[3], _MONTHS[m[2].lower().rstrip(".")], m[1], m[4], m[5], m[6])
        if iso:
            return iso, m.span()
    return None, None


def url_date(s: str) -> str | None:
    m = _URL_DATE.search(s)
    return _iso(m[1], m[2], m[3], None, None, None) if m else None


def parse_meta_line(s: str) -> tuple[dict[str, str | None], bool]:
    """Fields found in one line, and whether the line is nothing but metadata.

    A label with nothing after it (``作者:``) counts as metadata and gives no field.
    """
    s = s.strip()
    found: dict[str, str | None] = {}
    rest = s
    m = _CREDIT.match(s)
    if m:
        found["author"] = _names(m[1])
        return found, True
    m = _BYLINE.match(s)
    if m:
        found["author"] = m[1]
        rest = rest.replace(m[0], " ")
    m = _EDITOR.search(s) or _EDITOR_EN.search(s)
    if m:
        found["editor"] = m[1]
        rest = rest.replace(m[0], " ")
    m = _SOURCE.search(rest)
    if m:
        found["source"] = m[1]
        rest = rest.replace(m[0], " ")
    m = _AUTHOR.search(rest)
    if m:
        found["author"] = _names(m[1])
        rest = rest.replace(m[0], " ")
    iso, span = find_date(rest)
    if iso and span:
        found["date"] = iso
        rest = rest[: span[0]] + " " + rest[span[1] :]
    if not found and not _LABELS.fullmatch(s.rstrip(" :：")) and not _LABELS.fullmatch(s):
        return found, False
    rest = _WEEKDAY.sub(" ", rest)
    rest = _TZ.sub(" ", rest)
    rest = _LABELS.sub(" ", rest)
    if found:  # an info bar also carries counters and buttons
        rest = _INFO_BAR_WIDGETS.sub(" ", rest)
    leftover = _LEFTOVER.sub("", rest)
    # "2020年05月20日 18:32　新华网": a date and one bare name is a dateline
    # crediting the outlet (portals print it without a 来源: label)
    name = rest.strip().strip("|丨·-—").strip()
    if "date" in found and "source" not in found and _OUTLET.fullmatch(name):
        found["source"] = name
        return found, True
    return found, len(leftover) <= 3


def inline_author(s: str) -> str | None:
    m = _INLINE_CREDIT.search(s[:120])
    return m[1] if m else None


def _names(s: str) -> str:
    parts = [p for p in re.split(r"[ 、,，]+", s) if p and not p.endswith(("报道", "摄", "电"))]
    return "、".join(parts) if parts else s
