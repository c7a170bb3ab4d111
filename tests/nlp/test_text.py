"""Unicode folding: matching on NFKC text without zero-width characters, offsets into the original."""

from __future__ import annotations

from nlp.pipeline import extract, load_pipeline
from nlp.text import fold, skeleton


def test_full_width_email_keeps_original_offsets():
    text = "客服邮箱：ｓｕｎｎｙ＠ｇｍａｉｌ．ｃｏｍ，谢谢"
    ex = extract(text, nlp=load_pipeline(False))
    email = next(m for m in ex.mentions if m.label == "EMAIL")
    assert (email.start, email.end) == (5, 20)
    assert email.text == "ｓｕｎｎｙ＠ｇｍａｉｌ．ｃｏｍ" and email.value == "sunny@gmail.com"


def test_zero_width_characters_are_ignored_but_kept_in_the_span():
    text = "see lucky\u200bstar-outlet.com today"
    ex = extract(text, nlp=load_pipeline(False))
    assert [(m.label, m.text, m.value) for m in ex.mentions] == [
        ("DOMAIN", "lucky\u200bstar-outlet.com", "luckystar-outlet.com")]


def test_fold_maps_each_folded_character_back():
    f = fold("Ａ\u200bＢ")
    assert f.text == "AB" and f.span(1, 2) == (2, 3)


def test_skeleton_folds_lookalikes():
    assert skeleton("R0LEX") == skeleton("Rolex")
    assert skeleton("Nlke") == skeleton("Nike")
    assert skeleton("Аdidas") == skeleton("Adidas")  # Cyrillic A
