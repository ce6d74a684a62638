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


@pytest.mark.parametrize(
    ("kwargs", "fragments"),
    [
        ({"threshold": "0.6"}, ("threshold='0.6'", "number")),
        ({"num_perm": 1.5}, ("num_perm=1.5", "integer")),
        ({"timeout": "30"}, ("timeout='30'", "or None")),
        ({"fix_mojibake": "yes"}, ("fix_mojibake='yes'", "True or False")),
        ({"template_min_docs": True}, ("template_min_docs=True", "integer")),
    ],
)
def test_constructor_rejects_wrong_types_naming_field_and_type(
    kwargs: dict, fragments: tuple[str, ...]
) -> None:
    # a string from a script or settings file once reached `0.0 < "0.6"` (TypeError)
    with pytest.raises(ValueError) as exc:
        Config(**kwargs)
    for fragment in fragments:
        assert fragment in str(exc.value)


def test_constructor_suggests_names_as_replace_and_clean_do() -> None:
    with pytest.raises(ValueError) as direct:
        Config(treshold=0.6)  # type: ignore[call-arg]
    with pytest.raises(ValueError) as via_replace:
        Config().replace(treshold=0.6)  # type: ignore[call-arg]
    assert "did you mean 'threshold'?" in str(direct.value)
    assert str(direct.value) == str(via_replace.value)


def test_config_round_trips_through_pickle_and_copy() -> None:
    import copy
    import pickle

    cfg = Config(threshold=0.6, timeout=None)
    assert pickle.loads(pickle.dumps(cfg)) == cfg
    assert copy.deepcopy(cfg) == cfg
