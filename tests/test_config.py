from __future__ import annotations

import dataclasses

import pytest

import newsclean
from newsclean.config import Config, resolve_config


def test_config_is_frozen() -> None:
    cfg = Config()
    with pytest.raises(dataclasses.FrozenInstanceError):
        cfg.threshold = 0.1  # type: ignore[misc]


def test_overrides_apply_on_top_of_config() -> None:
    base = Config(threshold=0.6)
    cfg = resolve_config(base, {"num_perm": 64})
    assert (cfg.threshold, cfg.num_perm) == (0.6, 64)
    assert base.num_perm == 128


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"punctuation": "wide"}, "fullwidth, keep, halfwidth"),
        ({"threshold": 0.0}, "threshold"),
        ({"threshold": 1.5}, "threshold"),
        ({"num_perm": 3}, "num_perm"),
        ({"representative": "random"}, "longest, earliest, first"),
        ({"template_min_docs": 1}, "template_min_docs"),
        ({"language": "chinese language"}, "BCP 47"),
    ],
)
def test_invalid_values_say_what_to_do(overrides: dict, fragment: str) -> None:
    with pytest.raises(ValueError, match=fragment):
        Config().replace(**overrides)


def test_unknown_option_suggests_the_close_name() -> None:
    with pytest.raises(ValueError, match="did you mean 'threshold'"):
        Config().replace(thresold=0.5)


def test_from_mapping_accepts_kebab_case() -> None:
    cfg = Config.from_mapping({"min-body-chars": 10, "num_perm": 64})
    assert cfg.min_body_chars == 10 and cfg.num_perm == 64


def test_non_config_object_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"newsclean\.Config"):
        resolve_config({"threshold": 0.5})  # type: ignore[arg-type]


def test_article_record_has_design_layout() -> None:
    art = newsclean.Article(
        text="body",
        title="T",
        removed=(newsclean.Block("x" * 5, "copyright"), newsclean.Block("y" * 3, "copyright")),
    )
    rec = art.to_record(id="a", source_path="seeds/000.txt")
    assert rec["id"] == "a" and rec["text"] == "body"
    meta = rec["metadata"]
    assert meta["source_path"] == "seeds/000.txt" and meta["title"] == "T"
    nc = meta["newsclean"]
    assert nc["version"] == newsclean.__version__
    assert nc["removed"] == [{"reason": "copyright", "chars": 8}]
    for key in ("cluster_id", "cluster_size", "is_representative", "duplicate_of", "similarity"):
        assert key in nc


def test_article_is_immutable() -> None:
    art = newsclean.Article(text="x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        art.text = "y"  # type: ignore[misc]
