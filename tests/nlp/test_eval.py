"""The gold-set scorer: strict span + label matching, and clear errors for files that break the contract."""

from __future__ import annotations

import json

from benchmarks.nlp_eval.score import GoldError, Passage, prf, read_gold, score_entities

import pytest


def _write(tmp_path, rows):
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def test_offsets_that_do_not_match_the_text_are_refused(tmp_path):
    path = _write(tmp_path, [{"id": "n1", "text": "mail a@b.com", "entities": [
        {"start": 4, "end": 11, "label": "EMAIL", "text": "a@b.com"}]}])
    with pytest.raises(GoldError, match=r"gold.jsonl: line 1: entity 0 does not match the text at its offsets"):
        read_gold(path)


def test_strict_span_and_label_match():
    p = Passage("n1", "mail a@b.com or c@d.com", [], [
        {"start": 5, "end": 12, "label": "EMAIL", "text": "a@b.com"},
        {"start": 16, "end": 23, "label": "EMAIL", "text": "c@d.com"}])
    counts = score_entities([p], [[(5, 12, "EMAIL"), (15, 23, "EMAIL")]], {"EMAIL"})
    assert (counts.tp["EMAIL"], counts.fp["EMAIL"], counts.fn["EMAIL"]) == (1, 1, 1)
    assert prf(1, 1, 1) == (0.5, 0.5, 0.5)


def test_scorer_command_prints_the_table(tmp_path):
    import os
    import subprocess
    import sys
    text = 'Seller "Sunny Home Store" uses PayPal: sunny@gmail.com'
    path = _write(tmp_path, [{"id": "t1", "text": text, "watchlist": [], "entities": [
        {"start": 8, "end": 24, "label": "STORE_NAME", "text": "Sunny Home Store"},
        {"start": 39, "end": 54, "label": "EMAIL", "text": "sunny@gmail.com"},
        {"start": 39, "end": 54, "label": "PAYMENT", "text": "sunny@gmail.com"}]}])
    out = subprocess.run([sys.executable, "-m", "benchmarks.nlp_eval", str(path), "--synthetic-kb", "0"],
                         capture_output=True, text=True, env={**os.environ, "COLUMNS": "200"}, timeout=300)
    assert out.returncode == 0, out.stderr
    rows = [" ".join(line.replace("│", " ").split()) for line in out.stdout.splitlines()]
    assert "identifiers 2 2 2 1.000 1.000 1.000" in rows
    assert "names 1 1 1 1.000 1.000 1.000" in rows
