"""Watchlist brands and their deliberate variants (``Nlke``, ``Adidaas``, ``R0LEX``, ``N I K E``, homoglyphs).

Each candidate word (or run of spaced letters, or n-gram for multi-word marks) is compared with each mark
after look-alike folding (``nlp.text.skeleton``) and collapsing doubled letters; the score says how close
the written form is: 1.0 as written, 0.95 a look-alike / spacing variant, else the edit similarity.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from graph.clean import clean

from nlp.mention import Mention
from nlp.text import skeleton

_WORD = re.compile(r"[\w@$|!](?<![\w@$|!].)[\w@$|!'’-]*(?<!['’-])")  # first character, then what precedes it
_SPACED = re.compile(r"(?<![\w])(?:\w[ .*_\-]){2,}\w(?![\w])")
_TM = re.compile(r"[™®©℠]")
_IDEOGRAPH = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_NON_IDEOGRAPH = re.compile(r"[^\u3400-\u9fff\uf900-\ufaff]+")
_COMMON = {"like", "nice", "mike", "bike", "hike", "channel", "pumas", "guccii", "vans", "coach", "gap", "puma"}


@lru_cache(maxsize=65536)
def _collapse(s: str) -> str:
    return re.sub(r"(.)\1+", r"\1", s)


@lru_cache(maxsize=256)
def _marks(watchlist: tuple[str, ...]) -> tuple[tuple[str, str, str, int], ...]:
    """(mark, skeleton, collapsed skeleton, words) per watchlist entry."""
    marks = (" ".join(_TM.sub(" ", b).split()) for b in watchlist)  # 'Puma™' is looked for as 'Puma'
    return tuple((b, skeleton(b), _collapse(skeleton(b)), len(b.split())) for b in marks if skeleton(b))


@lru_cache(maxsize=4096)
def _brand_key(mark: str) -> str:
    """The Brand node key of a mark (the graph's brand cleaner: 'Acme™' -> 'acme')."""
    c = clean("brand", mark)
    return c.key if c.ok else mark.casefold()


@lru_cache(maxsize=256)
def _cannot_start(firsts: frozenset[str]) -> frozenset[str]:
    """ASCII characters that make the skeleton of a word starting with them begin with a letter that starts
    no mark (a quick test before the skeleton is computed; characters the skeleton drops are not in it)."""
    out = set()
    for i in range(128):
        first = skeleton(chr(i))
        if first and first[0] not in firsts:
            out.add(chr(i))
    return frozenset(out)


def _score(cand: str, mark: str, skel: str, coll: str) -> float:
    if cand.casefold() == mark.casefold():
        return 1.0
    cs = skeleton(cand)
    if not cs:
        return 0.0
    if cs == skel or _collapse(cs) == coll:
        return 0.95
    if len(skel) >= 6 and cs[0] == skel[0] and cand.lower() not in _COMMON and cand[:1].isupper():
        dist = Levenshtein.distance(_collapse(cs), coll)
        if dist <= (2 if len(skel) >= 9 else 1):
            return round(1 - dist / max(len(coll), len(cs)), 3)
    return 0.0


def extract_brands(text: str, watchlist: list[str] | tuple[str, ...], taken: list[tuple[int, int]] = ()) -> list[Mention]:
    """BRAND mentions of the watchlist marks; spans inside ``taken`` (URLs, e-mails) are skipped."""
    marks = _marks(tuple(watchlist))
    if not marks:
        return []
    words = [m.span() for m in _WORD.finditer(text)]
    if "'s" in text or "’s" in text:  # a possessive: 'Nike's' is looked at as 'Nike'
        words = [(s, e - 2) if e - s >= 2 and text[e - 2:e] in ("'s", "’s") else (s, e) for s, e in words]
    cands: list[tuple[int, int]] = [m.span() for m in _SPACED.finditer(text)]
    cands += words
    if not text.isascii():  # 'VELTRIX同款', 'NORV1K标', 'LUMORA的': a mark written against Chinese characters
        for s, e in words:
            if _IDEOGRAPH.search(text, s, e):
                cands += [m.span() for m in _NON_IDEOGRAPH.finditer(text, s, e) if m.end() - m.start() < e - s]
    for s, e in words if "-" in text else ():  # the parts of a hyphenated word: 'ROLEX-style', 'Nike-inspired'
        if text.find("-", s, e) >= 0:
            pos = s
            for part in text[s:e].split("-"):
                if part and pos + len(part) < e:
                    cands.append((pos, pos + len(part)))
                pos += len(part) + 1
    max_words = max(n for *_, n in marks)
    for n in range(2, max_words + 1 + (max_words > 1)):
        cands += [(words[i][0], words[i + n - 1][1]) for i in range(len(words) - n + 1)
                  if "\n" not in text[words[i][0]:words[i + n - 1][1]]]
    out: list[Mention] = []
    firsts = {skel[0] for _, skel, _, _ in marks}
    cannot = _cannot_start(frozenset(firsts))
    lo = min(len(skel) for _, skel, _, _ in marks) - 3
    hi = max(len(skel) for _, skel, _, _ in marks) + 3
    for s, e in cands:
        if e - s > 40 or text[s] in cannot:
            continue
        cand = text[s:e]
        cs = skeleton(cand)
        if cs[:1] not in firsts or not lo <= len(cs) <= hi:  # every accepted variant keeps the first letter
            continue
        if any(a <= s < b or a < e <= b for a, b in taken):
            continue
        for mark, skel, coll, nwords in marks:
            if cs[:1] != skel[:1] or abs(len(cs) - len(skel)) > 3:
                continue
            score = _score(cand, mark, skel, coll)
            if score >= 0.8:
                out.append(Mention(s, e, "BRAND", cand, value=mark, score=score,
                                   node="Brand", key=_brand_key(mark)))
                break
    out.sort(key=lambda m: (-m.score, -(m.end - m.start)))
    chosen: list[Mention] = []
    for m in out:
        if all(m.end <= k.start or k.end <= m.start for k in chosen):
            chosen.append(m)
    return sorted(chosen, key=lambda m: m.start)
