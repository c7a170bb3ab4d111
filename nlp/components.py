"""spaCy components (registered under versioned factory names). Each reads the folded text of the Doc and
adds ``Mention`` objects to ``doc._.ig_mentions`` (offsets into the Doc's text); ``ig_relations`` resolves
overlaps and links the mentions. ``nlp.pipeline`` maps everything back to the original text."""

from __future__ import annotations

from bisect import bisect_left

from spacy.language import Language
from spacy.tokens import Doc

from graph.clean import clean
from graph.clean.country import country_code

from nlp.addresses import extract_addresses
from nlp.brands import extract_brands
from nlp.identifiers import extract_identifiers, resolve_overlaps
from nlp.mention import Mention
from nlp.names import extract_names
from nlp.relations import extract_relations
from nlp.scale import extract_scale
from nlp.tables import extract_table_mentions
from nlp import tokenizers as _tokenizers  # noqa: F401 - registers the tokenizers

for _name, _default in (("ig_mentions", None), ("ig_relations", None), ("ig_watchlist", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)

_IDENTIFIERS = {"EMAIL", "PHONE", "URL", "DOMAIN", "STORE_URL", "SELLER_ID", "PAYMENT", "MESSENGER", "TAG_ID",
                "IP", "ADDRESS", "TRACKING"}


def _text(doc: Doc) -> str:
    """The Doc's text, computed once (``Doc.text`` re-joins the tokens on every call)."""
    text = doc.user_data.get("ig_text")
    if text is None:
        text = doc.user_data["ig_text"] = doc.text
    return text


def _mentions(doc: Doc) -> list[Mention]:
    """The mentions found so far (kept in ``user_data`` while the components run: ``doc._`` access costs more
    than a rule component on a short text; ``ig_relations`` publishes them as ``doc._.ig_mentions``)."""
    found = doc.user_data.get("ig_found")
    if found is None:
        found = doc.user_data["ig_found"] = list(doc._.ig_mentions or ())
    return found


@Language.factory("ig_identifiers_v1")
def make_identifiers(nlp: Language, name: str):
    def identifiers(doc: Doc) -> Doc:
        text = _text(doc)
        found = extract_identifiers(text)
        found.extend(extract_table_mentions(text, found))
        _mentions(doc).extend(found)
        return doc
    return identifiers


@Language.factory("ig_addresses_v1")
def make_addresses(nlp: Language, name: str):
    def addresses(doc: Doc) -> Doc:
        _mentions(doc).extend(extract_addresses(_text(doc)))
        return doc
    return addresses


@Language.factory("ig_names_v1")
def make_names(nlp: Language, name: str):
    def names(doc: Doc) -> Doc:
        _mentions(doc).extend(extract_names(_text(doc)))
        return doc
    return names


@Language.factory("ig_brands_v1", default_config={"min_score": 0.8})
def make_brands(nlp: Language, name: str, min_score: float):
    def brands(doc: Doc) -> Doc:
        watchlist = doc._.ig_watchlist or ()
        if watchlist:
            taken = [(m.start, m.end) for m in _mentions(doc) if m.label in _IDENTIFIERS]
            _mentions(doc).extend(b for b in extract_brands(_text(doc), tuple(watchlist), taken) if b.score >= min_score)
        return doc
    return brands


@Language.factory("ig_scale_v1")
def make_scale(nlp: Language, name: str):
    def scale(doc: Doc) -> Doc:
        _mentions(doc).extend(extract_scale(_text(doc)))
        return doc
    return scale


@Language.factory("ig_model_entities_v1")
def make_model_entities(nlp: Language, name: str):
    """With a trained pipeline: PERSON entities become PERSON mentions, ORG entities that no rule found become
    COMPANY mentions (score 0.7, marked ``source=model``), GPE entities are country hints: a phone number the
    rules found with no country (no node) is cleaned again with the nearest one (marked ``country_from=model``)."""
    def model_entities(doc: Doc) -> Doc:
        found = _mentions(doc)
        _phone_hints(found, [(ent.start_char, country_code(ent.text)) for ent in doc.ents if ent.label_ == "GPE"])
        for ent in doc.ents:
            s, e = ent.start_char, ent.end_char
            overlaps = any(m.start < e and s < m.end for m in found)
            if ent.label_ == "PERSON" and not overlaps:
                found.append(Mention(s, e, "PERSON", ent.text, value=ent.text, node=None, score=0.8,
                                     props={"source": "model"}))
            elif ent.label_ == "ORG" and not overlaps and len(ent) > 1:
                found.append(Mention(s, e, "COMPANY", ent.text, value=ent.text, score=0.7, props={"source": "model"}))
            elif ent.label_ == "GPE":
                code = country_code(ent.text)
                if code:
                    found.append(Mention(s, e, "GPE", ent.text, value=code, props={"source": "model"}))
        return doc
    return model_entities


def _phone_hints(found: list[Mention], places: list[tuple[int, str | None]]) -> None:
    countries = sorted((pos, code) for pos, code in places if code)
    if not countries:
        return
    for m in found:
        if m.label != "PHONE" or m.key:
            continue
        before = [code for pos, code in countries if pos <= m.start]
        c = clean("phone", m.text, {"country": before[-1] if before else countries[0][1]})
        if c.ok:
            m.value, m.key, m.node = c.key, c.key, "Phone"
            m.props["country_from"] = "model"


@Language.factory("ig_relations_v1")
def make_relations(nlp: Language, name: str):
    def relations(doc: Doc) -> Doc:
        resolved = _resolve(_mentions(doc))
        del doc.user_data["ig_found"]
        doc._.ig_relations = extract_relations(_text(doc), [m for m in resolved if m.label != "GPE"])
        doc._.ig_mentions = [m for m in resolved if m.label != "GPE"]
        return doc
    return relations


def _resolve(mentions: list[Mention]) -> list[Mention]:
    """Identifiers first (overlaps resolved among them), then names and scale figures that do not overlap an
    identifier; brands may overlap names (a brand inside a store name is both)."""
    ids = resolve_overlaps([m for m in mentions if m.label in _IDENTIFIERS])
    # kept identifiers never overlap (a span carrying two labels is one span): sorted by start, their ends
    # rise too, so the one that could overlap [start, end) is the last one starting before ``end``
    starts = [m.start for m in ids]
    ends = [m.end for m in ids]

    def free(m: Mention) -> bool:
        i = bisect_left(starts, m.end)
        return i == 0 or ends[i - 1] <= m.start
    names: list[Mention] = []
    for m in sorted((m for m in mentions if m.label in ("STORE_NAME", "COMPANY", "PERSON") and free(m)),
                    key=lambda m: (m.props.get("rule") != "table", -(m.end - m.start))):
        if all(m.end <= k.start or k.end <= m.start for k in names):  # one name per span (table layout first)
            names.append(m)
    others = [m for m in mentions if m.label in ("BRAND", "SCALE", "GPE") and free(m)]
    return sorted(ids + names + others, key=lambda m: (m.start, m.end, m.label))
