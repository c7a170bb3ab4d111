"""What the pipeline finds: mentions (labelled character spans) and relations between them."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Mention:
    """A labelled span of the ORIGINAL text (``start``/``end`` are Python string offsets, end exclusive).

    ``value``: the normalised value a person would write down (E.164 phone, lower-cased e-mail, de-obfuscated
    domain, canonical brand, a number for scale figures). ``node``/``key``: the graph node it becomes (from
    the graph's cleaners), or None when the value does not clean (a local phone number with no country).
    ``score``: how sure the matcher is (brand variants: similarity; everything else 1.0 or less when a
    weaker rule produced it). ``props``: extra detail (provider, scale_kind, currency, cue, ...).
    """

    start: int
    end: int
    label: str
    text: str
    value: str = ""
    node: str | None = None
    key: str | None = None
    score: float = 1.0
    props: dict[str, str] = field(default_factory=dict)

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.end


@dataclass(slots=True)
class Relation:
    """``head`` (a storefront / seller mention) has ``tail``; ``evidence`` is the sentence or row (original
    offsets). ``confidence`` is "high" when the passage states it (same sentence, row or list item with a
    single storefront, or an explicit verb), "low" when it is only nearby (carried over from an earlier
    sentence or shared with other storefronts)."""

    head: int  # index into the mentions list (SAME_AS: a store name and the id / URL of the same store)
    tail: int
    type: str
    evidence: tuple[int, int]
    confidence: str = "high"
