"""The pipeline is assembled from its config; a trained English model adds PERSON mentions when installed."""

from __future__ import annotations

import pytest

from nlp.pipeline import extract, load_pipeline, model_available


def test_rule_pipeline_comes_from_the_config():
    nlp = load_pipeline(False)
    assert nlp.pipe_names == ["ig_identifiers", "ig_addresses", "ig_names", "ig_brands", "ig_scale", "ig_relations"]
    doc = nlp.make_doc("Tel: +86 138\n\nok")
    assert [t.text for t in doc] == ["Tel: +86 138", "\n\n", "ok"] and doc.text == "Tel: +86 138\n\nok"
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


def test_whitespace_tokenizer_stays_available_for_configs_that_want_word_tokens():
    import spacy

    from nlp.tokenizers import WhitespaceTokenizer

    nlp = spacy.blank("en")
    tok = WhitespaceTokenizer(nlp.vocab)
    assert [t.text for t in tok("Tel: +86 138\nok")] == ["Tel:", "+86", "138", "\n", "ok"]


def test_several_processes_give_the_same_extractions_in_order(monkeypatch):
    import nlp.pipeline as pipeline

    monkeypatch.setattr(pipeline, "PARALLEL_CHARS", 200)  # many small work units
    texts = [(f"Note {i}: the seller \"Harbour Lane Shop {i}\" was paid via PayPal harbour{i}@example.com; "
              f"WeChat: harbour_{i}. Fake Nlke trainers.", ["Nike"]) for i in range(40)]
    nlp = load_pipeline(False)
    one = list(pipeline.extract_many(texts, nlp=nlp))
    two = list(pipeline.extract_many(texts, nlp=nlp, n_process=2))
    assert [e.text for e in two] == [t for t, _ in texts]
    assert [[(m.start, m.end, m.label, m.key) for m in e.mentions] for e in two] == \
        [[(m.start, m.end, m.label, m.key) for m in e.mentions] for e in one]
    assert [e.relations for e in two] == [e.relations for e in one]
    assert ("EMAIL", "harbour39@example.com") in {(m.label, m.key) for m in two[39].mentions}
    assert ("BRAND", "nike") in {(m.label, m.key) for m in two[0].mentions}


def test_one_long_text_is_cut_into_pieces_for_several_processes(monkeypatch):
    """A single long note (the common case in ingest: one FreeText per file) is split into its pieces across
    the workers; offsets, values and relation indexes come back as in one process."""
    import nlp.pipeline as pipeline
    from nlp.facts import text_facts

    monkeypatch.setattr(pipeline, "PARALLEL_CHARS", 600)
    monkeypatch.setattr(pipeline, "MAX_PIECE", 400)
    paras = [f"Test buy {i}: the seller \"Copper Kettle Store\" took payment to PayPal kettle{i}@example.com; "
             f"WeChat: kettle_{i}. Fake Nlke trainers.\n" for i in range(30)]
    text = "ＴＥＳＴ ｆｕｌｌ-ｗｉｄｔｈ heading\u200b\n" + "".join(paras)  # folded: offsets must map back
    nlp = load_pipeline(False)
    one = pipeline.extract(text, ["Nike"], nlp=nlp)
    two = next(pipeline.extract_many([(text, ["Nike"])], nlp=nlp, n_process=2))
    assert [(m.start, m.end, m.label, m.value) for m in two.mentions] == \
        [(m.start, m.end, m.label, m.value) for m in one.mentions]
    assert two.relations == one.relations
    last = text.index("kettle29@example.com")
    assert (last, last + 20, "EMAIL") in {(m.start, m.end, m.label) for m in two.mentions}
    facts = text_facts(text, "note.txt, ", ("Nike",), n_process=2)
    assert facts.nodes == text_facts(text, "note.txt, ", ("Nike",), n_process=1).nodes
    assert any(n.node.key == "kettle7@example.com" for n in facts.nodes)


def test_trained_model_path_with_a_stand_in_that_has_the_same_interface():
    """en_core_web_sm cannot be installed here (offline); a blank English pipeline with an entity ruler
    gives Docs with the same ``doc.ents`` interface, so the assembly, the English tokenizer's offsets and
    ``ig_model_entities`` are exercised for real (the trained model's accuracy is not)."""
    import spacy

    from nlp.pipeline import add_rule_components

    stand_in = spacy.blank("en")
    stand_in.add_pipe("entity_ruler").add_patterns([
        {"label": "PERSON", "pattern": "Margaret Holloway"},
        {"label": "ORG", "pattern": "Holloway Lighting Works"},
        {"label": "GPE", "pattern": "Leeds"}, {"label": "GPE", "pattern": "Vietnam"}])
    nlp = add_rule_components(stand_in)
    assert nlp.pipe_names[-2:] == ["ig_model_entities", "ig_relations"]
    text = ('The shop "Holloway Lamp Corner" is run by Margaret Holloway from Leeds for Holloway Lighting Works. '
            "E-mail: shop@hollowaylamps.example")
    ex = extract(text, nlp=nlp)
    found = {(m.label, m.text, m.props.get("source")) for m in ex.mentions}
    assert ("PERSON", "Margaret Holloway", "model") in found
    assert ("COMPANY", "Holloway Lighting Works", "model") in found
    assert ("STORE_NAME", "Holloway Lamp Corner", None) in found
    assert ("EMAIL", "shop@hollowaylamps.example", None) in found
    assert not any(m.label == "GPE" for m in ex.mentions)  # a country hint, not a mention
    [email] = [m for m in ex.mentions if m.label == "EMAIL"]
    assert text[email.start:email.end] == "shop@hollowaylamps.example"
    rels = {(r.type, ex.mentions[r.head].text, ex.mentions[r.tail].text) for r in ex.relations}
    assert ("OPERATED_BY", "Holloway Lamp Corner", "Margaret Holloway") in rels

    # a country the rules do not know is a model hint for a local number
    ex = extract("Call the shop on 028 3822 1234; the warehouse is in Vietnam.", nlp=nlp)
    [phone] = [m for m in ex.mentions if m.label == "PHONE"]
    assert (phone.key, phone.node, phone.props.get("country_from")) == ("+842838221234", "Phone", "model")
    assert extract("Call the shop on 028 3822 1234; the warehouse is in Vietnam.",
                   nlp=load_pipeline(False)).mentions[0].key is None  # rule-based: no country, no node
