"""The one immutable configuration object that every entry point accepts.

Every public function takes ``config=`` (a :class:`Config`, or ``None`` for the
defaults) plus keyword overrides, resolved by :func:`resolve_config`.  Invalid
values raise :class:`ValueError` eagerly, with a message that says what to do.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, Literal, TypedDict, get_args, get_origin, get_type_hints

if TYPE_CHECKING:  # typing.Unpack is 3.11+; type checkers always know typing_extensions
    from typing_extensions import Unpack

#: Half-width punctuation inside CJK text: convert it, leave it, or make full-width ASCII.
Punctuation = Literal["fullwidth", "keep", "halfwidth"]
#: Which document of a near-duplicate cluster represents it.
Representative = Literal["longest", "earliest", "first"]
#: How documents are signed: k permutations as datasketch does, or one permutation hashing.
Scheme = Literal["datasketch", "oph"]
#: What a raw input is: HTML, flattened text, or decided from its first bytes.
Kind = Literal["auto", "html", "text"]

PUNCTUATION_POLICIES: tuple[Punctuation, ...] = get_args(Punctuation)
REPRESENTATIVE_POLICIES: tuple[Representative, ...] = get_args(Representative)
SIGNATURE_SCHEMES: tuple[Scheme, ...] = get_args(Scheme)
KINDS: tuple[Kind, ...] = get_args(Kind)


@dataclass(frozen=True)
class Config:
    """All knobs, with their documented defaults.

    Grouped by the step that reads them.  Every field is also a long option of
    the command line (``threshold`` is ``--threshold``) whose help text is the
    field's ``help`` metadata (:func:`field_help`): the one description of an
    option, read by the CLI, the settings file and the docs alike.

    >>> cfg = Config(threshold=0.6, punctuation="keep")
    >>> cfg.threshold, cfg.replace(language="zh").language
    (0.6, 'zh')
    >>> Config(treshold=0.6)
    Traceback (most recent call last):
    ...
    ValueError: unknown newsclean option 'treshold'; did you mean 'threshold'?
    >>> Config(threshold="0.6")
    Traceback (most recent call last):
    ...
    ValueError: threshold='0.6' must be a number (float), not str, e.g. threshold=0.7
    """

    def __new__(cls, *args: Any, **kwargs: Any) -> Config:
        # Names are checked before the generated __init__ sees them, so a typo gets the
        # same "did you mean" as clean(..., treshold=0.5) instead of a bare TypeError.
        # Pickle and copy call __new__ with no arguments, which passes.
        _check_names(kwargs)
        return super().__new__(cls)

    # --- decoding -----------------------------------------------------------
    max_input_bytes: int = field(
        default=20 * 1024 * 1024,
        metadata={
            "help": "Refuse documents larger than this many bytes (reason too-large); gzip is "
            "decompressed only up to it."
        },
    )
    # clean() checks it between its stages (libxml2 and htmldate cannot be
    # interrupted) and caps the inputs that would make one stage slow (attributes
    # per element); batch workers are also stopped.
    timeout: float | None = field(
        default=30.0,
        metadata={"help": "Seconds one document may take (reason timeout); 0 or None: no limit."},
    )

    # --- normalization --------------------------------------------------------
    fix_mojibake: bool = field(
        default=True, metadata={"help": "Repair mojibake and HTML entities (ftfy)."}
    )
    punctuation: Punctuation = field(
        default="fullwidth",
        metadata={
            "help": (
                "Half-width , ! ? : ; ( ) inside CJK text: fullwidth converts them, keep leaves "
                "them, halfwidth turns full-width ones into ASCII."
            )
        },
    )

    # --- chrome removal -------------------------------------------------------
    language: str | None = field(
        default=None,
        metadata={
            "help": "The pages' language (zh, en, fr, ...), instead of a guess per page: it "
            "picks the chrome lexicon and the stop words, and is reported as each "
            "article's language; default: guess per page."
        },
    )
    min_body_chars: int = field(
        default=40,
        metadata={
            "help": "A page whose body is shorter than this many characters comes out empty (no-body)."
        },
    )
    html_fallback_ratio: float = field(
        default=0.5,
        metadata={
            "help": (
                "HTML mode falls back to text mode when trafilatura keeps less than this share "
                "of the characters text mode finds."
            )
        },
    )
    template_min_share: float = field(
        default=0.5,
        metadata={"help": "Share of a site's documents a line must appear in to be site template."},
    )
    template_min_docs: int = field(
        default=3,
        metadata={
            "help": "Number of a site's documents a line must appear in to be site template."
        },
    )

    # --- near-duplicate detection -------------------------------------------
    threshold: float = field(
        default=0.7,
        metadata={
            "help": "Estimated Jaccard similarity at or above which two documents are reprints."
        },
    )
    num_perm: int = field(default=128, metadata={"help": "Number of MinHash permutations."})
    seed: int = field(
        default=1, metadata={"help": "Seed of the MinHash permutations (datasketch's convention)."}
    )
    char_ngram: int = field(
        default=5,
        metadata={
            "help": "Character n-gram size for scripts written without spaces (CJK, Thai ...)."
        },
    )
    word_ngram: int = field(
        default=3, metadata={"help": "Word n-gram size for space-delimited scripts."}
    )
    scheme: Scheme = field(
        default="datasketch",
        metadata={
            "help": (
                "Signature scheme: datasketch (k permutations, bit-compatible with "
                "datasketch.MinHash(scheme='legacy')) or oph (one permutation hashing with "
                "optimal densification: several times faster, same estimator, not readable by "
                "datasketch). Stored with every index."
            )
        },
    )
    containment: float = field(
        default=0.8,
        metadata={
            "help": (
                "Containment (shared shingles / the smaller set) at or above which a truncated "
                "reprint joins its original; 0 turns the check off."
            )
        },
    )
    representative: Representative = field(
        default="longest",
        metadata={
            "help": "Which document represents a cluster: longest, earliest (by date) or first."
        },
    )
    exact_jaccard: bool = field(
        default=False,
        metadata={
            "help": (
                "Verify candidate pairs on the exact shingle sets instead of the MinHash signatures "
                "(batch clustering only; keeps every document's shingles in memory, and run then "
                "signs in the parent process)."
            )
        },
    )
    merge_clusters: bool = field(
        default=True,
        metadata={
            "help": (
                "Batch clustering only: merge two clusters when a later document matches both roots "
                "and the roots share 75% of the smaller one's shingles (a copy seen before its "
                "original). Streaming dedup cannot merge, so it differs when this is on."
            )
        },
    )

    def __post_init__(self) -> None:
        _validate(self)

    def replace(self, **overrides: Unpack[ConfigOverrides]) -> Config:
        """A copy with ``overrides`` applied; unknown names raise ValueError.

        >>> Config().replace(threshold=0.8).threshold
        0.8
        >>> Config().replace(thresold=0.8)
        Traceback (most recent call last):
        ...
        ValueError: unknown newsclean option 'thresold'; did you mean 'threshold'?
        """
        _check_names(overrides)
        return dataclasses.replace(self, **overrides)

    def to_dict(self) -> dict[str, Any]:
        """Every field by name: the form saved with indexes and journals.

        >>> Config().to_dict()["threshold"]
        0.7
        >>> Config.from_mapping(Config(seed=7).to_dict()) == Config(seed=7)
        True
        """
        return dataclasses.asdict(self)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Config:
        """Build from a mapping whose keys may be snake_case or kebab-case.

        >>> Config.from_mapping({"min-body-chars": 20}).min_body_chars
        20
        """
        return cls().replace(**{k.replace("-", "_"): v for k, v in values.items()})


class OverridesBesideThreshold(TypedDict, total=False):
    """:class:`ConfigOverrides` without ``threshold``, for the entry points that
    take ``threshold`` as their own first argument (``Deduplicator``,
    ``NearDuplicateFilter``)."""

    max_input_bytes: int
    timeout: float | None
    fix_mojibake: bool
    punctuation: Punctuation
    language: str | None
    min_body_chars: int
    html_fallback_ratio: float
    template_min_share: float
    template_min_docs: int
    num_perm: int
    seed: int
    char_ngram: int
    word_ngram: int
    scheme: Scheme
    containment: float
    representative: Representative
    exact_jaccard: bool
    merge_clusters: bool


class ConfigOverrides(OverridesBesideThreshold, total=False):
    """The keyword overrides every entry point takes: Config's fields, typed.

    ``clean(raw, thresold=0.5)`` or ``punctuation="full"`` fail type checking
    (and raise ValueError at run time).  A test keeps these keys and types
    equal to :class:`Config`'s fields.
    """

    threshold: float


def check_kind(kind: str) -> Kind:
    """``kind`` as a :data:`Kind`; ValueError naming the choices otherwise.

    >>> check_kind("html")
    'html'
    >>> check_kind("htlm")
    Traceback (most recent call last):
    ...
    ValueError: kind='htlm' is not known; use one of auto, html, text
    """
    for known in KINDS:
        if kind == known:
            return known
    raise ValueError(f"kind={kind!r} is not known; use one of {', '.join(KINDS)}")


def field_names() -> tuple[str, ...]:
    """The names of Config's fields, in declaration order.

    >>> field_names()[:2]
    ('max_input_bytes', 'timeout')
    """
    return tuple(f.name for f in fields(Config))


def field_choices(name: str) -> tuple[str, ...]:
    """The values Config field ``name`` allows when its type is a ``Literal``; else ().

    >>> field_choices("punctuation"), field_choices("threshold")
    (('fullwidth', 'keep', 'halfwidth'), ())
    """
    _check_names({name: None})
    hint = get_type_hints(Config)[name]
    return tuple(get_args(hint)) if get_origin(hint) is Literal else ()


def field_help(name: str) -> str:
    """The help text of Config field ``name`` (its ``help`` metadata).

    >>> field_help("threshold")
    'Estimated Jaccard similarity at or above which two documents are reprints.'
    """
    _check_names({name: None})
    (f,) = (f for f in fields(Config) if f.name == name)
    return str(f.metadata["help"])


def resolve_config(config: Config | None, overrides: Mapping[str, Any] | None = None) -> Config:
    """The config a call should use: ``config`` (or the defaults) plus overrides.

    >>> resolve_config(Config(threshold=0.6), {"seed": 3})
    Config(max_input_bytes=20971520, ..., threshold=0.6, num_perm=128, seed=3, ...)
    """
    if config is not None and not isinstance(config, Config):
        raise ValueError(
            f"config must be a newsclean.Config, not {type(config).__name__}; "
            "build one with newsclean.Config(...) or pass keyword overrides instead"
        )
    base = config if config is not None else Config()
    return base.replace(**overrides) if overrides else base


def _check_names(overrides: Mapping[str, Any]) -> None:
    known = field_names()
    for name in overrides:
        if name not in known:
            hint = difflib.get_close_matches(name, known, n=1)
            extra = (
                f"; did you mean {hint[0]!r}?" if hint else f"; known options: {', '.join(known)}"
            )
            raise ValueError(f"unknown newsclean option {name!r}{extra}")


def _type_error(name: str, value: Any, hint: Any, example: Any) -> str | None:
    """Why ``value`` does not fit the field type ``hint``, or None when it does.

    Checked before the ranges, so a string such as ``"0.6"`` (from a settings file or a
    script) gets a message naming the field and the type instead of a comparison error.
    """
    args = get_args(hint)
    if get_origin(hint) is Literal:
        return None  # the policy checks below name the allowed values
    allowed = tuple(a for a in args if a is not type(None)) if args else (hint,)
    if value is None and type(None) in args:
        return None
    kind = allowed[0]
    if kind is bool:
        ok, what = isinstance(value, bool), "True or False (bool)"
    elif kind is float:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        what = "a number (float)"
    elif kind is int:
        ok, what = isinstance(value, int) and not isinstance(value, bool), "an integer (int)"
    else:
        ok, what = isinstance(value, kind), f"a {kind.__name__}"
    if ok:
        return None
    if type(None) in args:
        what += " or None"
    eg = f", e.g. {name}={example!r}" if example is not None else ""
    return f"{name}={value!r} must be {what}, not {type(value).__name__}{eg}"


@functools.cache
def _field_types() -> tuple[tuple[str, Any, Any], ...]:
    """(name, type hint, default) per field; resolved once, as the class never changes."""
    hints = get_type_hints(Config)
    return tuple((f.name, hints[f.name], f.default) for f in fields(Config))


def _validate(c: Config) -> None:
    def need(cond: bool, message: str) -> None:
        if not cond:
            raise ValueError(message)

    for name, hint, default in _field_types():
        problem = _type_error(name, getattr(c, name), hint, default)
        need(problem is None, problem or "")

    need(
        c.punctuation in PUNCTUATION_POLICIES,
        f"punctuation={c.punctuation!r} is not a policy; use one of {', '.join(PUNCTUATION_POLICIES)}",
    )
    need(
        c.representative in REPRESENTATIVE_POLICIES,
        f"representative={c.representative!r} is not a policy; "
        f"use one of {', '.join(REPRESENTATIVE_POLICIES)}",
    )
    need(
        isinstance(c.max_input_bytes, int) and c.max_input_bytes > 0,
        "max_input_bytes must be a positive integer (bytes)",
    )
    need(
        c.timeout is None
        or (
            isinstance(c.timeout, int | float)
            and not isinstance(c.timeout, bool)
            and c.timeout >= 0
        ),
        f"timeout={c.timeout!r} must be a number of seconds >= 0 (0 or None: no limit), e.g. 30",
    )
    need(
        isinstance(c.min_body_chars, int) and c.min_body_chars >= 0,
        "min_body_chars must be an integer >= 0",
    )
    need(0.0 <= c.html_fallback_ratio <= 1.0, "html_fallback_ratio must be between 0 and 1")
    need(0.0 < c.template_min_share <= 1.0, "template_min_share must be in (0, 1]")
    need(
        isinstance(c.template_min_docs, int) and c.template_min_docs >= 2,
        "template_min_docs must be an integer >= 2: a line in one document is not a template",
    )
    need(0.0 < c.threshold <= 1.0, f"threshold={c.threshold!r} must be in (0, 1], e.g. 0.7")
    need(
        isinstance(c.num_perm, int) and 16 <= c.num_perm <= 1024,
        f"num_perm={c.num_perm!r} must be an integer between 16 and 1024; 128 is a good default",
    )
    need(
        isinstance(c.seed, int) and 0 <= c.seed < 2**32,
        "seed must be an integer in [0, 2**32)",
    )
    need(
        isinstance(c.char_ngram, int) and 1 <= c.char_ngram <= 16,
        "char_ngram must be an integer between 1 and 16",
    )
    need(
        isinstance(c.word_ngram, int) and 1 <= c.word_ngram <= 8,
        "word_ngram must be an integer between 1 and 8",
    )
    need(isinstance(c.exact_jaccard, bool), "exact_jaccard must be True or False")
    need(
        c.scheme in SIGNATURE_SCHEMES,
        f"scheme={c.scheme!r} must be one of {', '.join(map(repr, SIGNATURE_SCHEMES))}",
    )
    need(isinstance(c.merge_clusters, bool), "merge_clusters must be True or False")
    need(
        0.0 <= c.containment <= 1.0,
        "containment must be between 0 and 1 (0 turns the truncated-reprint check off)",
    )
    need(
        c.language is None
        or (isinstance(c.language, str) and c.language.isascii() and 2 <= len(c.language) <= 8),
        f"language={c.language!r} must be a BCP 47 code such as 'zh' or 'en', or None to detect it",
    )
