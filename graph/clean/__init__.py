"""Value cleaners: raw text in, a normalised key (or ``None`` with a reason) out.

Every cleaner is a pure function ``clean_x(raw: str, hint: Mapping | None = None)
-> Cleaned``. Cleaners never raise (property tests check it) and are idempotent:
feeding a cleaner the key it produced gives the same key back.

The registry maps the cleaner names used in ``graph/schema`` to functions.
Modules are imported lazily so that one broken cleaner cannot stop the others.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

Hint = Mapping[str, str]

_EMPTY: Mapping[str, str] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Cleaned:
    """Result of cleaning one raw value.

    ``key``: the normalised key of the node the value identifies, or ``None``.
    ``value``: the display form a person reads (defaults to the key).
    ``props``: derived properties (e.g. ``country``, ``provider``, ``match_key``).
    ``reason``: why ``key`` is ``None`` (always set when it is).
    """

    key: str | None
    value: str | None = None
    props: Mapping[str, str] = field(default_factory=lambda: _EMPTY)
    reason: str | None = None

    @property
    def ok(self) -> bool:
        return self.key is not None


def reject(reason: str) -> Cleaned:
    """A value that does not clean, with the reason why."""
    return Cleaned(key=None, reason=reason)


def accept(key: str, value: str | None = None, **props: str) -> Cleaned:
    """A cleaned value; empty props are dropped."""
    kept = {k: v for k, v in props.items() if v}
    return Cleaned(key=key, value=value if value is not None else key,
                   props=MappingProxyType(kept) if kept else _EMPTY)


# cleaner name (as used in graph/schema) -> "module:function"
_REGISTRY: dict[str, str] = {
    "email": "graph.clean.email:clean_email",
    "phone": "graph.clean.phone:clean_phone",
    "domain": "graph.clean.domain:clean_domain",
    "url": "graph.clean.url:clean_url",
    "storefront": "graph.clean.marketplace:clean_storefront",
    "listing": "graph.clean.marketplace:clean_listing",
    "payment": "graph.clean.payment:clean_payment",
    "address": "graph.clean.address:clean_address",
    "name": "graph.clean.names:clean_name",
    "seller": "graph.clean.names:clean_seller",
    "brand": "graph.clean.names:clean_brand",
    "infrastructure": "graph.clean.infra:clean_infrastructure",
    "case": "graph.clean.case:clean_case",
    "country": "graph.clean.country:clean_country",
}

# the hint keys each cleaner reads (the others read none): the memo key holds only these, so a payment
# account or address repeated on rows of different marketplaces is cleaned once
_HINT_KEYS: dict[str, tuple[str, ...]] = {
    "phone": ("country",), "address": ("country",), "seller": ("country",),
    "payment": ("country", "provider"), "storefront": ("marketplace",), "listing": ("marketplace",),
    "case": ("court",), "infrastructure": ("kind",),
}

_loaded: dict[str, Callable[..., Cleaned]] = {}


def cleaner_names() -> tuple[str, ...]:
    return tuple(sorted(_REGISTRY))


def get_cleaner(name: str) -> Callable[..., Cleaned]:
    """The cleaner registered under ``name`` (KeyError if there is none)."""
    fn = _loaded.get(name)
    if fn is None:
        module, _, attr = _REGISTRY[name].partition(":")
        fn = getattr(importlib.import_module(module), attr)
        _loaded[name] = fn
    return fn


def clean(name: str, raw: object, hint: Hint | None = None) -> Cleaned:
    """Clean ``raw`` with the cleaner ``name``; never raises for any input value.

    Results are memoised: seller data repeats the same accounts, addresses and
    phones on many rows, and cleaners are pure (a cleaner is given only the hint
    keys it reads, ``_HINT_KEYS``).
    """
    if raw is None:
        return reject("empty")
    text = raw if isinstance(raw, str) else str(raw)
    if not text.strip():
        return reject("empty")
    if hint:
        keys = _HINT_KEYS.get(name, ())
        return _clean_cached(name, text, tuple((k, hint[k]) for k in keys if k in hint) if keys else ())
    return _clean_cached(name, text, ())


@lru_cache(maxsize=65536)
def _clean_cached(name: str, text: str, hint: tuple[tuple[str, str], ...]) -> Cleaned:
    try:
        return get_cleaner(name)(text, MappingProxyType(dict(hint)) if hint else _EMPTY)
    except Exception as exc:  # noqa: BLE001 - a cleaner bug must not lose the value
        return reject(f"cleaner {name} failed: {type(exc).__name__}")
