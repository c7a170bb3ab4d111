"""The pipeline is assembled from its config; a trained English model adds PERSON mentions when installed."""

from __future__ import annotations

import pytest

from nlp.pipeline import extract, load_pipeline, model_available


def test_rule_pipeline_comes_from_the_config():
    nlp = load_pipeline(False)
    assert nlp.pipe_names == ["ig_identifiers", "ig_addresses", "ig_names", "ig_brands", "ig_scale", "ig_relations"]
    assert [t.text for t in nlp.make_doc("Tel: +86 138\nok")] == ["Tel:", "+86", "138", "\n", "ok"]
    assert load_pipeline(False) is nlp  # loaded once per process


def test_long_text_is_cut_at_line_breaks_and_offsets_still_refer_to_it():
    text = ("filler line without identifiers\n" * 3000) + "contact: north.star@example.com\n"
    ex = extract(text, nlp=load_pipeline(False))
    [email] = [m for m in ex.mentions if m.label == "EMAIL"]
    assert text[email.start:email.end] == "north.star@example.com" and email.start == 3000 * 32 + 9


@pytest.mark.skipif(not model_available(), reason="en_core_web_sm is not installed (it is never downloaded here)")
def test_trained_model_adds_person_mentions():
    nlp = load_pipeline(True)
    assert "ner" in nlp.pipe_names and "ig_model_entities" in nlp.pipe_names
    ex = extract("The shop is run by Margaret Holloway from Leeds. E-mail: shop@leedsgoods.example",
                 nlp=nlp)
    assert ("PERSON", "Margaret Holloway") in {(m.label, m.text) for m in ex.mentions}
    assert ("EMAIL", "shop@leedsgoods.example") in {(m.label, m.text) for m in ex.mentions}
