"""Tokenizers of the rule-based pipeline. The rule components match on the Doc's text and never look at
tokens, so tokenizing is pure overhead: ``ig_line_tokenizer_v1`` (the default) makes one token per line and
computes no lexical attributes; ``ig_whitespace_tokenizer_v1`` (whitespace chunks) is kept for configs that
want word tokens. A trained pipeline (``en_core_web_sm``) keeps its own tokenizer."""

from __future__ import annotations

import re

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

_TOKEN = re.compile(r"\S+|\s+")
_LINE = re.compile(r"[^\n]+|\n+")


class _Serialisable:
    """Nothing to save: the tokenizers have no settings."""

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs):
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs):
        return self


class WhitespaceTokenizer(_Serialisable):
    """Tokens are whitespace-separated chunks (with a trailing space each)."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        for w in _TOKEN.findall(text):
            if w == " " and words and not spaces[-1]:
                spaces[-1] = True
            else:
                words.append(w)
                spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)


class LineTokenizer(_Serialisable):
    """One token per line (runs of line breaks are tokens of their own), ``Doc.text`` equal to the input.
    About 30 times cheaper than whitespace tokens: a new word costs spaCy a lexeme with a dozen lexical
    attributes, and this tokenizer's vocabulary computes none (``lex_attr_getters`` is emptied; the rule
    components never read token attributes)."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab
        vocab.lex_attr_getters = {}

    def __call__(self, text: str) -> Doc:
        words = _LINE.findall(text)
        return Doc(self.vocab, words=words, spaces=[False] * len(words))


@spacy.registry.tokenizers("ig_whitespace_tokenizer_v1")
def make_whitespace_tokenizer():
    def create(nlp: Language) -> WhitespaceTokenizer:
        return WhitespaceTokenizer(nlp.vocab)
    return create


@spacy.registry.tokenizers("ig_line_tokenizer_v1")
def make_line_tokenizer():
    def create(nlp: Language) -> LineTokenizer:
        return LineTokenizer(nlp.vocab)
    return create
