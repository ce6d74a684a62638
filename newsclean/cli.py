"""The newsclean command line.  PLACEHOLDER: the CLI helper replaces this module.

Contract: ``main(argv: list[str] | None = None) -> int`` never raises; exit codes
0 clean, 1 findings or failed inputs, 2 usage/config error, 123 internal error.
"""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    print("newsclean: CLI not built yet", file=sys.stderr)
    return 2


def entry_point() -> None:
    sys.exit(main())
