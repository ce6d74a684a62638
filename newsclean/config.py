"""The one immutable configuration object that every entry point accepts.

Every public function takes ``config=`` (a :class:`Config`, or ``None`` for the
defaults) plus keyword overrides, resolved by :func:`resolve_config`.  Invalid
values raise :class:`ValueError` eagerly, with a message that says what to do.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

PUNCTUATION_POLICIES = ("fullwidth", "keep", "halfwidth")
REPRESENTATIVE_POLICIES = ("longest", "earliest", "first")
SIGNATURE_SCHEMES = ("datasketch", "oph")
KINDS = ("auto", "html", "text")


@dataclass(frozen=True)
class Config:
    """All knobs, with their documented defaults.

    Grouped by the step that reads them; the group is the prefix in the
    README's configuration table.
    """

    # --- decoding -----------------------------------------------------------
    #: Inputs larger than this are refused with ``InputError(reason="too-large")``.
    max_input_bytes: int = 20 * 1024 * 1024
    #: Seconds one document may take; over it, ``InputError(reason="timeout")``.
    #: ``None`` or 0: no limit.  ``clean()`` checks it between its stages (libxml2
    #: and htmldate cannot be interrupted), and caps the inputs that would make
    #: one stage slow (attributes per element); batch workers are also stopped.
    timeout: float | None = 30.0

    # --- normalization --------------------------------------------------------
    #: Repair mojibake and HTML entities with ftfy.
    fix_mojibake: bool = True
    #: Half-width ``, ! ? : ; ( )`` inside CJK text: "fullwidth" converts them,
    #: "keep" leaves them, "halfwidth" converts full-width ones to ASCII.
    punctuation: str = "fullwidth"

    # --- chrome removal -------------------------------------------------------
    #: Force the lexicon language ("zh", "en", ...); None detects it per page.
    language: str | None = None
    #: A page whose detected body is shorter than this (in characters) is
    #: flagged ``no-body`` and returned with empty text.
    min_body_chars: int = 40
    #: HTML mode falls back to text mode when trafilatura keeps less than this
    #: share of the characters that text mode finds.
    html_fallback_ratio: float = 0.5
    #: Lines seen in at least this share of a source's documents are site template.
    template_min_share: float = 0.5
    #: ... and in at least this many documents of that source.
    template_min_docs: int = 3

    # --- near-duplicate detection -------------------------------------------
    #: Estimated Jaccard similarity at or above which two documents are reprints.
    threshold: float = 0.7
    #: Number of MinHash permutations.
    num_perm: int = 128
    #: Seed of the permutations (datasketch convention: seed=1 by default).
    seed: int = 1
    #: Character n-gram size for scripts written without spaces (CJK, Thai ...).
    char_ngram: int = 5
    #: Word n-gram size for space-delimited scripts.
    word_ngram: int = 3
    #: Signature scheme: "datasketch" (k permutations, bit-compatible with
    #: ``datasketch.MinHash(scheme="legacy")``) or "oph" (one permutation
    #: hashing with optimal densification: several times faster, same
    #: estimator, not readable by datasketch).  Stored with every index.
    scheme: str = "datasketch"
    #: Containment (|A∩B| / |smaller|) at or above which a size-mismatched pair
    #: (a truncated reprint) joins its original.  0 disables the check.
    containment: float = 0.8
    #: Which document of a cluster represents it: "longest", "earliest", "first".
    representative: str = "longest"
    #: Verify candidate pairs on the exact shingle sets instead of the signatures
    #: (batch ``cluster`` only; keeps every document's shingle hashes in memory).
    exact_jaccard: bool = False
    #: Batch ``cluster`` only: merge two clusters when a later document passes
    #: verification against both clusters' roots and the roots share at least
    #: 75 % of the smaller one's shingles (a copy seen before its original).
    #: Streaming cannot merge (it has already answered), so it differs when on.
    merge_clusters: bool = True

    def __post_init__(self) -> None:
        _validate(self)

    def replace(self, **overrides: Any) -> Config:
        """A copy with ``overrides`` applied; unknown names raise ValueError."""
        _check_names(overrides)
        return dataclasses.replace(self, **overrides)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Config:
        """Build from a mapping whose keys may be snake_case or kebab-case."""
        return cls().replace(**{k.replace("-", "_"): v for k, v in values.items()})


def field_names() -> tuple[str, ...]:
    return tuple(f.name for f in fields(Config))


def resolve_config(config: Config | None, overrides: Mapping[str, Any] | None = None) -> Config:
    """The config a call should use: ``config`` (or the defaults) plus overrides."""
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


def _validate(c: Config) -> None:
    def need(cond: bool, message: str) -> None:
        if not cond:
            raise ValueError(message)

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
