"""Dates as crawlers and readers hand them over, read into ISO 8601.

A spider's own date field is whatever the site printed: ``"26 Feb 2020"``,
``"2020/02/26 14:51"``, an RFC 2822 ``Wed, 26 Feb 2020 14:51:00 +0800``,
``2020年2月26日``, a ``datetime`` or an epoch number.  The dedup index and the
``earliest`` representative policy need one comparable form, so the
integrations read them here with dateutil (a dependency of htmldate, which
trafilatura already pulls in) and fall back to newsclean's own dateline reader
for the CJK forms dateutil does not know.

>>> iso_date("26 Feb 2020")
'2020-02-26'
>>> iso_date("2020/02/26 14:51")
'2020-02-26T14:51:00'
>>> iso_date("Wed, 26 Feb 2020 14:51:00 +0800")
'2020-02-26T14:51:00+08:00'
>>> iso_date("2020年2月26日") , iso_date(None)
('2020-02-26', None)
"""

from __future__ import annotations

import datetime as dt
import warnings

from newsclean.chrome.metadata import find_date

# Two defaults that differ in every field: a field that comes out different
# under them was filled in by dateutil, not read from the string.
_DEFAULTS = (dt.datetime(2001, 1, 1, 0, 0, 0), dt.datetime(2002, 2, 2, 1, 1, 1))


class DateError(ValueError):
    """A date value that is present but cannot be read as a calendar date."""


def iso_date(value: object) -> str | None:
    """ISO 8601 form of a date value; None for None or blank; ``DateError`` otherwise.

    A date without a time gives ``YYYY-MM-DD``; with a time ``YYYY-MM-DDTHH:MM:SS``
    (plus the UTC offset when the value has one).  A string that holds a time
    but no calendar date (``"14:51"``, ``"yesterday"``) is an error, never today.

    >>> iso_date(dt.date(2020, 2, 26))
    '2020-02-26'
    >>> iso_date("not a date")
    Traceback (most recent call last):
    ...
    newsclean.contrib.dates.DateError: cannot read 'not a date' as a date
    """
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value, tz=dt.UTC).isoformat()
    if not isinstance(value, str):
        raise DateError(f"cannot read a {type(value).__name__} as a date: {value!r:.80}")
    text = value.strip()
    if not text:
        return None
    return _from_string(text) or _from_dateline(text) or _fail(value)


def _from_string(text: str) -> str | None:
    from dateutil import parser

    try:
        with warnings.catch_warnings():  # unknown zone names ("CST") are ignored, not printed
            warnings.simplefilter("ignore")
            a, b = (parser.parse(text, default=d) for d in _DEFAULTS)
    except (ValueError, OverflowError):
        return None
    if (a.year, a.month, a.day) != (b.year, b.month, b.day):
        return None  # no calendar date in the string
    if a.hour != b.hour:
        return a.date().isoformat()  # a date without a time
    return a.isoformat()


def _from_dateline(text: str) -> str | None:
    iso, _ = find_date(text)
    return iso


def _fail(value: str) -> str:
    raise DateError(f"cannot read {value!r:.80} as a date")
