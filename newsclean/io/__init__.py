"""Reading and writing corpora on disk: discovery, readers, atomic writes.

``discover`` finds input files under directories, ``read_documents`` turns one
file into documents (one for ``.txt``/``.html``, many for ``.jsonl``/``.json``
lists/WARC), and ``atomic_write`` never leaves a half-written output behind.
"""

from __future__ import annotations

from newsclean.io.atomic import atomic_write
from newsclean.io.discover import Source, discover
from newsclean.io.readers import Document, FieldNames, read_documents

__all__ = ["Document", "FieldNames", "Source", "atomic_write", "discover", "read_documents"]
