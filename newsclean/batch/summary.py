"""The numbers of a finished batch: what the CLI prints and report.html shows."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from newsclean.batch.records import STATUSES, Outcome
from newsclean.io.discover import LeftOut
from newsclean.wording import plural


@dataclass
class Summary:
    documents: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(STATUSES, 0))
    removed: dict[str, int] = field(default_factory=dict)
    clusters: int = 0
    #: Documents whose charset was a guess among ties (``encoding_doubt`` in the manifest).
    ambiguous: int = 0
    resumed: int = 0
    retried: int = 0
    elapsed: float = 0.0
    outcomes: list[Outcome] = field(default_factory=list)
    #: What each input folder's walk left out (by suffix or filter): the CLI says so.
    left_out: list[LeftOut] = field(default_factory=list)
    #: Wall seconds per phase ("setup", then :data:`~newsclean.batch.progress.PHASES`),
    #: for profiling; not printed, not in any output file (they differ run to run).
    phases: dict[str, float] = field(default_factory=dict)
    _lap: float = field(default_factory=time.monotonic, init=False, repr=False, compare=False)
    #: When the batch began (``time.monotonic``), for ``elapsed``.
    started: float = field(default_factory=time.monotonic, repr=False, compare=False)

    def lap(self, phase: str) -> None:
        """Charge the time since the previous lap (or since this summary began) to ``phase``."""
        now = time.monotonic()
        self.phases[phase] = self.phases.get(phase, 0.0) + now - self._lap
        self._lap = now

    @property
    def failed(self) -> int:
        return self.counts["error"] + self.counts["timeout"]

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def add(self, outcomes: list[Outcome]) -> None:
        """Count the outcomes of a batch (after phase 2)."""
        self.outcomes = outcomes
        self.documents = len(outcomes)
        for o in outcomes:
            self.counts[o.status] = self.counts.get(o.status, 0) + 1
            if o.status != "error":
                for reason, n in o.removed_chars().items():
                    self.removed[reason] = self.removed.get(reason, 0) + n
            if o.encoding_doubt is not None:
                self.ambiguous += 1
        self.clusters = len(
            {o.cluster.cluster_id for o in outcomes if o.cluster and o.cluster.cluster_size > 1}
        )

    def lines(self) -> list[str]:
        rate = self.documents / self.elapsed if self.elapsed > 0 else 0.0
        c = self.counts
        out = [
            f"{plural(self.documents, 'document')} in {self.elapsed:.1f}s ({rate:.0f} docs/s"
            + (f", {self.resumed} resumed" if self.resumed else "")
            + (f", {self.retried} retried" if self.retried else "")
            + f"): {c['ok']} ok, {plural(c['duplicate'], 'duplicate')} in "
            f"{plural(self.clusters, 'cluster')}, {c['empty']} empty, "
            f"{plural(c['error'], 'error')}, {plural(c['timeout'], 'timeout')}"
        ]
        if self.ambiguous:
            out.append(
                f"{plural(self.ambiguous, 'document')} read in a charset guessed among ties "
                "(encoding_doubt in manifest.jsonl): the text may be misread"
            )
        if self.removed:
            parts = ", ".join(f"{r} {n}" for r, n in sorted(self.removed.items(), key=_by_count))
            out.append(f"chars removed: {parts}")
        return out


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])
