"""The public names stay callable whatever was imported first."""

from __future__ import annotations

import subprocess
import sys


def test_functions_are_not_shadowed_by_their_modules() -> None:
    code = (
        "import newsclean.normalize, newsclean.clean, newsclean.chrome, newsclean\n"
        "assert newsclean.normalize('企业 , 复工 。') == '企业，复工。'\n"
        "assert newsclean.clean('x').__class__.__name__ == 'Article'\n"
        "assert callable(newsclean.cluster) and callable(newsclean.signatures)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_cluster_of_nothing_is_nothing() -> None:
    import newsclean

    assert newsclean.cluster([]) == []


def test_clean_honours_max_input_bytes_for_bytes_input() -> None:
    import pytest

    import newsclean

    with pytest.raises(newsclean.InputError) as info:
        newsclean.clean("正文".encode() * 100, max_input_bytes=64)
    assert info.value.reason == "too-large"


def test_subpackages_are_reachable_as_attributes_in_a_fresh_interpreter() -> None:
    # The README writes newsclean.check.check_text(...): after a bare
    # `import newsclean` that used to be an AttributeError.

    code = (
        "import sys, newsclean\n"
        "assert 'newsclean.dedup' not in sys.modules  # still lazy\n"
        "print(newsclean.check.check_text.__name__, newsclean.dedup.Deduplicator.__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["check_text", "Deduplicator"]


def test_text_functions_say_what_to_pass_instead_of_bytes() -> None:
    # normalize(b"...") failed inside a regex ("cannot use a string pattern on
    # a bytes-like object"); clean() takes bytes, these take decoded text.
    import pytest

    import newsclean

    for function in (newsclean.normalize, newsclean.check_text):
        name = function.__name__
        for data in (b"bytes", bytearray(b"bytes"), memoryview(b"bytes")):
            with pytest.raises(TypeError, match=rf"^{name}\(\) takes text \(str\).*decode_bytes"):
                function(data)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=rf"^{name}\(\) takes text \(str\), not NoneType$"):
            function(None)  # type: ignore[arg-type]


def test_dedup_functions_name_the_document_that_is_not_text() -> None:
    # cluster, signatures and Deduplicator failed inside the hashing with
    # "sequence item 0: expected str instance, bytes found", naming no document.
    import pytest

    import newsclean
    from newsclean.dedup.streaming import Deduplicator

    with pytest.raises(
        TypeError, match=r"^cluster\(\) takes text \(str\) for document 'b'.*decode"
    ):
        newsclean.cluster([("a", "text"), ("b", b"bytes")])
    with pytest.raises(TypeError, match=r"for document 'a', not NoneType$"):
        newsclean.cluster([("a", None)])
    with pytest.raises(TypeError, match=r"^signatures\(\) takes text \(str\) for text 1, not int$"):
        newsclean.signatures(["text", 7])  # type: ignore[list-item]
    for method in ("add", "query"):
        args = ("a", b"bytes") if method == "add" else (b"bytes",)
        with pytest.raises(TypeError, match=rf"^Deduplicator\.{method}\(\) takes text"):
            getattr(Deduplicator(), method)(*args)


def test_site_templates_learn_says_it_takes_articles() -> None:
    import pytest

    from newsclean.template import SiteTemplates

    with pytest.raises(TypeError, match=r"^learn\(\) takes \(group, Article\) pairs, not a str"):
        SiteTemplates.learn([("site", "Home | News\nbody")])  # type: ignore[list-item]


def test_ids_and_urls_of_the_wrong_type_are_refused_saying_what_to_pass() -> None:
    from pathlib import Path

    import pytest

    import newsclean

    text = "The council approved the harbour budget on Monday after a long debate."
    art = newsclean.Article(text)
    # an int id is its digits (as Deduplicator.add and cluster always took it)
    assert art.to_record(id=5)["id"] == "5"
    assert art.to_record(source_path=Path("a/b.txt"))["metadata"]["source_path"] == "a/b.txt"
    # numpy's integers and UUIDs are ids too (a frame's id column); the last
    # hostile test found numpy.int64 refused by cluster(), which took it before
    import uuid

    import numpy as np

    assert art.to_record(id=np.int64(5))["id"] == "5"
    assert art.to_record(id=uuid.UUID(int=1))["id"] == str(uuid.UUID(int=1))
    assert newsclean.cluster([(np.int64(1), text)])[0].cluster_id == "1"
    for bad in (1.5, ("a",), b"a"):
        with pytest.raises(TypeError, match=r"to_record\(\) takes a document id as a str"):
            art.to_record(id=bad)
    with pytest.raises(TypeError, match=r"source_path= as a str or None, not int"):
        art.to_record(source_path=3)
    dd = newsclean.Deduplicator()
    with pytest.raises(TypeError, match=r"Deduplicator\.add\(\) takes a document id"):
        dd.add(None, text)
    assert len(dd) == 0  # nothing stored under "None"
    assert dd.add(7, text) is None and dd.add("7", text) == newsclean.Match("7", 1.0)
    with pytest.raises(TypeError, match=r"cluster\(\) takes a document id"):
        newsclean.cluster([(None, text), (None, text + " Reprinted.")])
    with pytest.raises(TypeError, match=r"clean\(\) takes url= as a str or None, not int"):
        newsclean.clean(text, url=123)
    with pytest.raises(TypeError, match=r"explain\(\) takes url= as a str or None"):
        newsclean.explain(text, url=b"https://example.com/a")
    with pytest.raises(TypeError, match=r"explain\(\) takes group= as a str or None"):
        newsclean.explain(text, group=1)
    assert newsclean.clean(text, url="https://example.com/a").url == "https://example.com/a"
