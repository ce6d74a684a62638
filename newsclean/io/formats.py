"""The one table of input formats: file suffix -> reader, document kind, compression.

Discovery (which files a folder walk picks up), the readers (how a file turns
into documents), the CLI (how ``clean``/``check``/``show`` treat a file) and the
batch writers (how an output is named) all ask this module, so a new format is
one row here.

Names are matched case-insensitively.  A trailing compression suffix
(``.gz``) is undone first, then the format is the last remaining suffix; a name
matching no row is read as one document of kind ``auto`` (an explicit file
argument is read whatever its name).
"""

from __future__ import annotations

from dataclasses import dataclass

from newsclean.config import Kind

#: How a file becomes documents.
READERS = ("document", "jsonl", "json", "warc")


@dataclass(frozen=True)
class InputFormat:
    """One row of the table."""

    suffix: str  # ".html", lower case, with the dot
    reader: str  # one of READERS
    kind: Kind  # "html", "text" or "auto": the kind of the documents it holds
    #: The reader undoes gzip itself (warcio reads gzip members).
    self_decompressing: bool = False

    @property
    def container(self) -> bool:
        """Holds several documents (records), each named ``file:N``."""
        return self.reader != "document"


#: The formats, in the order their suffixes are stripped to make a document id
#: (``a.json.jsonl`` -> ``a``: .jsonl is tried before .json).
FORMATS: tuple[InputFormat, ...] = (
    # A scraper's .txt may hold the page itself: sniffed, like stdin and the
    # API's default, so that one document gives one text whichever way it comes.
    InputFormat(".txt", "document", "auto"),
    InputFormat(".html", "document", "html"),
    InputFormat(".htm", "document", "html"),
    InputFormat(".jsonl", "jsonl", "auto"),
    InputFormat(".json", "json", "auto"),
    InputFormat(".warc", "warc", "html", self_decompressing=True),
)
#: Compression suffixes, undone before the format is looked up.
COMPRESSIONS: tuple[str, ...] = (".gz",)
#: A name that matches no row: one document, kind decided from its content.
UNKNOWN = InputFormat("", "document", "auto")

_BY_SUFFIX = {f.suffix: f for f in FORMATS}

#: Every suffix a folder walk picks up: each format, plain or compressed.
INPUT_SUFFIXES: tuple[str, ...] = tuple(f.suffix + c for c in ("", *COMPRESSIONS) for f in FORMATS)


@dataclass(frozen=True)
class Resolved:
    """The format of one file name and whether it is compressed."""

    format: InputFormat
    gzip: bool

    @property
    def reader(self) -> str:
        return self.format.reader

    @property
    def kind(self) -> Kind:
        return self.format.kind


def format_of(name: str) -> Resolved:
    """The format of a file name or path (case-insensitive)."""
    low = name.rsplit("/", 1)[-1].lower()
    gz = any(low.endswith(c) for c in COMPRESSIONS)
    base = low.rsplit(".", 1)[0] if gz else low
    ext = "." + base.rsplit(".", 1)[-1] if "." in base else ""
    return Resolved(_BY_SUFFIX.get(ext, UNKNOWN), gz)


def is_input_name(name: str) -> bool:
    """Whether a folder walk reads a file of this name."""
    return name.lower().endswith(INPUT_SUFFIXES)


def is_html_file(name: str) -> bool:
    """One HTML page per file (``.html``, ``.htm``, gzipped or not)."""
    fmt = format_of(name).format
    return fmt.reader == "document" and fmt.kind == "html"


def is_container(name: str) -> bool:
    """A file of several documents (JSONL, JSON, WARC, gzipped or not)."""
    return format_of(name).format.container


def strip_suffixes(rel: str) -> str:
    """``rel`` without its compression and format suffixes: the document id of a file."""
    head, _, name = rel.rpartition("/")
    low = name.lower()
    for suf in (*COMPRESSIONS, *(f.suffix for f in FORMATS)):
        if low.endswith(suf):
            name, low = name[: -len(suf)], low[: -len(suf)]
    return f"{head}/{name}" if head else name
