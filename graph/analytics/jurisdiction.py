"""Jurisdiction footprint of an operator: the countries its evidence points to, each with that evidence.

Bases: addresses, phone numbers, sellers' registered countries, banks (IBAN country), payment providers
(the country of the provider's main operating entity: where a restraint request is usually addressed),
domains' country-code TLDs and registrars (the seat of well-known registrars, ``REGISTRAR_COUNTRY``), and
national marketplace sites (ebay.co.uk). What a cross-border enforcement plan starts from.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlsplit

from graph.analytics.network import Link, Member, OperatorView, first
from graph.store.base import Evidence, GraphStore

# Country of the entity a restraint or disclosure request usually goes to (public company registrations).
PROVIDER_COUNTRY = {
    "paypal": "US", "payoneer": "US", "stripe": "US", "pingpong": "CN", "lianlian": "CN", "alipay": "CN",
    "worldfirst": "GB", "wise": "BE", "airwallex": "AU",
}
# Registrars by a distinctive part of their name (casefolded) -> the country of the registrar's seat.
REGISTRAR_COUNTRY = {"alibaba cloud": "CN", "hichina": "CN", "aliyun": "CN", "xin net": "CN", "xinnet": "CN",
                     "west263": "CN", "chengdu west": "CN", "dnspod": "CN", "tencent": "CN", "ename": "CN",
                     "22net": "CN", "godaddy": "US", "namecheap": "US", "namesilo": "US", "dynadot": "US",
                     "porkbun": "US", "tucows": "CA", "gname": "SG", "nicenic": "HK", "ovh": "FR", "ionos": "DE",
                     "key-systems": "DE", "publicdomainregistry": "IN", "webnic": "MY", "gmo internet": "JP"}
# Country-code TLDs that are not the ISO code (or are used as generic names and say nothing).
CCTLD_EXCEPTIONS = {"uk": "GB", "eu": None, "io": None, "co": None, "tv": None, "me": None, "ai": None,
                    "ly": None, "to": None, "fm": None, "gg": None, "cc": None, "ws": None}


@dataclass(frozen=True)
class CountryFact:
    country: str  # ISO 3166-1 alpha-2
    basis: str  # address, phone, seller, bank, payment provider, ccTLD, registrar, marketplace site
    value: str  # the identifier that points there
    storefront: str  # the storefront key it is linked to
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Footprint:
    operator: str
    facts: tuple[CountryFact, ...]

    def countries(self) -> dict[str, list[CountryFact]]:
        out: dict[str, list[CountryFact]] = defaultdict(list)
        for f in self.facts:
            out[f.country].append(f)
        return dict(sorted(out.items(), key=lambda kv: (-len({f.basis for f in kv[1]}), kv[0])))


def country_of_tld(domain: str) -> str | None:
    tld = domain.rstrip(".").rsplit(".", 1)[-1].lower()
    if tld in CCTLD_EXCEPTIONS:
        return CCTLD_EXCEPTIONS[tld]
    return tld.upper() if len(tld) == 2 and tld.isalpha() else None


def _link_countries(link: Link) -> list[tuple[str, str, str]]:
    node = link.node
    name = node.name or node.key
    if node.type == "Address":
        return [(first(node, "country"), "address", name)]
    if node.type == "Phone":
        return [(first(node, "country"), "phone", name)]
    if node.type == "Seller":
        return [(first(node, "country"), "seller", name)]
    if node.type == "PaymentAccount":
        provider = first(node, "provider")
        out = []
        if provider in ("iban", "bank") and first(node, "country"):
            out.append((first(node, "country"), "bank", name))
        if provider in PROVIDER_COUNTRY:
            out.append((PROVIDER_COUNTRY[provider], "payment provider", f"{provider} ({name})"))
        return out
    if node.type == "Domain":
        out = [(country_of_tld(node.key) or "", "ccTLD", node.key)]
        registrar = first(node, "registrar")
        folded = registrar.casefold()
        country = next((c for part, c in REGISTRAR_COUNTRY.items() if part in folded), "")
        if country:
            out.append((country, "registrar", registrar))
        return out
    return []


def member_footprint(store: GraphStore, member: Member) -> list[CountryFact]:
    facts = []
    for link in member.links:
        for country, basis, value in _link_countries(link):
            if country and len(country) == 2:
                ev = tuple(store.provenance(link.edge.src, link.edge))
                facts.append(CountryFact(country.upper(), basis, value, member.node.key, ev))
    for url in member.node.props.get("url", [])[:1]:
        host = (urlsplit(url).hostname or "").lower()
        market = first(member.node, "marketplace")
        country = country_of_tld(host)
        if market and market != "web" and country:
            ev = tuple(e for e in store.provenance(member.ref) if e.prop == "url")
            facts.append(CountryFact(country, "marketplace site", host, member.node.key, ev))
    return facts


def operator_footprint(store: GraphStore, view: OperatorView) -> Footprint:
    facts = [f for m in view.members for f in member_footprint(store, m)]
    facts.sort(key=lambda f: (f.country, f.basis, f.value, f.storefront))
    return Footprint(view.key, tuple(facts))
