"""The optional transformer backend fails with clear errors instead of downloading anything."""

import importlib.util
from pathlib import Path

import pytest

from pulso.textanalytics.engine.transformer import TransformerSentiment, TransformerUnavailable


def test_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TransformerUnavailable, match="no model directory"):
        TransformerSentiment(tmp_path / "nope")
    with pytest.raises(TransformerUnavailable, match="config.json"):
        TransformerSentiment(tmp_path)


@pytest.mark.skipif(
    importlib.util.find_spec("transformers") is not None, reason="transformers is installed"
)
def test_missing_library_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(TransformerUnavailable, match="optional 'transformers' package"):
        TransformerSentiment(tmp_path)
