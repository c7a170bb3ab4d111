"""The synthetic world: operators, the storefronts they run, the identifiers those storefronts show.

A pure function of the parameters and the seed (``build_world``); the writers (``graph.synth.tables``,
``graph.synth.documents``) only render it. What it models, each part a parameter:

- storefronts per operator follow a power law (most operators run one or two, a few run dozens), spread
  over several marketplaces and standalone web shops;
- an operator has a pool of identifiers (e-mails, phones, PayPal accounts, addresses, a company, login
  IPs, an analytics id for its web shops); each storefront shows some of them (``chain_rate``: some
  operators' storefronts are linked only through a chain of different identifiers, A-B by an e-mail, B-C
  by a phone, C-D by an account...);
- aliases change (``alias_rate``): a storefront has several names over time;
- hubs (``hub_rate``): a freight forwarder's warehouse, an agency's support mailbox and phone, listed by
  storefronts of many unrelated operators; fake addresses reused by a few unrelated operators
  (``fake_address_rate``);
- decoys (``decoy_rate``): unrelated single sellers whose names are near-copies of real storefronts';
- WHOIS privacy (``redaction_rate``): the share of web-shop domains whose registrant is redacted.

Formatting noise (``noise``) is applied by the writers, per written value.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from graph.clean import clean
from graph.synth import vocab

MARKETPLACES = [("amazon", 25), ("ebay", 12), ("aliexpress", 15), ("walmart", 10), ("temu", 12),
                ("dhgate", 8), ("etsy", 5), ("web", 13)]
LINK_KINDS = ("email", "phone", "paypal", "address", "company")
HUB_KINDS = ("address", "email", "phone")
HUB_SIZE = 40  # storefronts per hub on average: above the baseline's default hub limit (20)
FAKE_SHARE = 4  # operators per reused fake address, on average
US_PLACES = [("Los Angeles", "CA", "900"), ("New York", "NY", "100"), ("Ontario", "CA", "917"),
             ("Wilmington", "DE", "198"), ("Dallas", "TX", "752"), ("Miami", "FL", "331"), ("Chicago", "IL", "606")]
US_STREETS = ["Market Street", "Fifth Avenue", "E Francis St", "Commerce Plaza", "Main Street", "Harbor Blvd",
              "Industrial Way", "Airport Road"]


@dataclass(frozen=True)
class Params:
    """Knobs of the world and of the noise in the documents (defaults documented in the CLI help)."""

    operators: int = 100
    seed: int = 1
    hub_rate: float = 0.15          # share of storefronts that list a hub identifier
    decoy_rate: float = 0.10        # decoy sellers, as a share of the operators' storefronts
    noise: float = 0.30             # chance that a written identifier is formatted differently
    chain_rate: float = 0.20        # share of multi-storefront operators linked only through a chain
    redaction_rate: float = 0.50    # share of WHOIS/RDAP records with the registrant redacted
    alias_rate: float = 0.30        # share of storefronts known under more than one name
    fake_address_rate: float = 0.05  # share of operators that give a fake address reused by others
    max_storefronts: int = 60       # the largest operator
    pdf: bool = False               # also write some Schedule A exhibits as PDF (needs fpdf2)

    def check(self) -> None:
        from graph.errors import GraphError

        if self.operators < 1:
            raise GraphError("--operators must be at least 1")
        for name in ("hub_rate", "decoy_rate", "noise", "chain_rate", "redaction_rate", "alias_rate",
                     "fake_address_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise GraphError(f"--{name.replace('_', '-')} must be between 0 and 1 (got {value})")
        if self.max_storefronts < 1:
            raise GraphError("--max-storefronts must be at least 1")


@dataclass(frozen=True)
class Ident:
    kind: str    # email, phone, paypal, address, company, ip, analytics
    value: str   # the canonical form (writers add noise)
    role: str    # operator, chain, own, hub, fake


@dataclass
class Storefront:
    operator_id: str
    marketplace: str
    platform_id: str
    url: str
    key: str                    # the graph's Storefront key (the project's cleaner on ``url``)
    names: list[str]            # aliases over time, oldest first
    idents: list[Ident] = field(default_factory=list)
    domain: str | None = None   # web shops


@dataclass
class Operator:
    id: str
    city: tuple[str, str, str, str, str]
    company: str
    kind: str                   # normal, chain, single, decoy
    registrant_email: str
    storefronts: list[Storefront] = field(default_factory=list)
    redacted: bool = False      # its domains' WHOIS hides the registrant


@dataclass
class World:
    params: Params
    operators: list[Operator]
    hubs: list[Ident]
    fakes: list[Ident]

    @property
    def storefronts(self) -> list[Storefront]:
        return [s for op in self.operators for s in op.storefronts]


def _size(rng: random.Random, largest: int) -> int:
    return max(1, min(largest, int(rng.paretovariate(1.3))))


def _marketplace(rng: random.Random) -> str:
    return rng.choices([m for m, _ in MARKETPLACES], weights=[w for _, w in MARKETPLACES])[0]


class _Maker:
    """Storefront ids and identifier values, unique across the world."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[str] = set()

    def unique(self, make) -> str:
        for _ in range(1000):
            value = make()
            if value.lower() not in self.used:
                self.used.add(value.lower())
                return value
        raise RuntimeError("could not make a unique value")  # pragma: no cover - 1000 collisions in a row

    def storefront(self, op_id: str, market: str, name: str) -> Storefront:
        rng, base = self.rng, vocab.slug(name)[:14] or "shop"
        domain = None
        if market == "amazon":
            pid = self.unique(lambda: vocab.amazon_id(rng))
            url = f"https://www.amazon.com/sp?seller={pid}"
        elif market == "ebay":
            pid = self.unique(lambda: f"{base}{rng.choice(['', '_', '-'])}{rng.randint(1, 9999)}")
            url = f"https://www.ebay.com/usr/{pid}"
        elif market == "aliexpress":
            pid = self.unique(lambda: str(rng.randint(1_100_000_000, 1_109_999_999)))
            url = f"https://www.aliexpress.com/store/{pid}"
        elif market == "walmart":
            pid = self.unique(lambda: str(rng.randint(101_000_000, 101_999_999)))
            url = f"https://www.walmart.com/seller/{pid}"
        elif market == "temu":
            pid = self.unique(lambda: str(rng.randint(634_000_000_000, 634_999_999_999)))
            url = f"https://www.temu.com/{base[:10]}-m-{pid}.html"
        elif market == "dhgate":
            pid = self.unique(lambda: str(rng.randint(21_000_000, 21_999_999)))
            url = f"https://www.dhgate.com/store/{pid}"
        elif market == "etsy":
            camel = "".join(ch for ch in "".join(w.capitalize() for w in name.split()) if ch.isalnum())[:24]
            pid = self.unique(lambda: f"{camel or 'Shop'}{rng.randint(1, 999)}")
            url = f"https://www.etsy.com/shop/{pid}"
        else:
            pid = domain = self.unique(lambda: vocab.domain_name(rng, name))
            url = f"https://www.{domain}/"
        key = clean("storefront", url).key
        if key is None:  # pragma: no cover - a generator bug, caught by the tests
            raise RuntimeError(f"the storefront cleaner rejects the generated url {url}")
        return Storefront(op_id, market, pid, url, key, [name], domain=domain)

    def ident(self, kind: str, op: Operator | None, role: str) -> Ident:
        rng = self.rng
        city = op.city if op else rng.choice(vocab.CITIES)
        base = op.company.split()[1] if op and op.company else vocab.shop_name(rng)
        makers = {
            "email": lambda: vocab.email_address(rng, base),
            "paypal": lambda: vocab.email_address(rng, base + "pay", rng.choice(["outlook.com", "163.com",
                                                                                 "hotmail.com", "gmail.com"])),
            "phone": lambda: vocab.mobile(rng),
            "address": lambda: vocab.address(rng, city),
            "company": lambda: vocab.company_name(rng, city[0]),
            "ip": lambda: vocab.ip_address(rng),
            "analytics": lambda: "G-" + "".join(rng.choices(vocab.AMAZON_CHARS, k=10)),
        }
        return Ident(kind, self.unique(makers[kind]), role)


def build_world(params: Params) -> World:
    """The world for ``params`` (same parameters and seed, same world)."""
    params.check()
    rng = random.Random(params.seed)
    make = _Maker(rng)
    operators: list[Operator] = []
    for n in range(1, params.operators + 1):
        city = rng.choice(vocab.CITIES)
        size = _size(rng, params.max_storefronts)
        kind = "single" if size == 1 else ("chain" if size >= 3 and rng.random() < params.chain_rate else "normal")
        op = Operator(f"op-{n:05d}", city, "", kind, "")
        op.company = make.ident("company", op, "operator").value
        op.registrant_email = make.ident("email", op, "operator").value
        op.redacted = rng.random() < params.redaction_rate
        for _ in range(size):
            op.storefronts.append(make.storefront(op.id, _marketplace(rng), vocab.shop_name(rng)))
        _assign(rng, make, op)
        operators.append(op)

    n_fronts = sum(len(op.storefronts) for op in operators)
    fakes = [_fake_address(make) for _ in range(max(2, round(params.operators * params.fake_address_rate / FAKE_SHARE)))]
    for op in operators:
        if rng.random() < params.fake_address_rate:
            fake = rng.choice(fakes)
            for s in op.storefronts:
                if rng.random() < 0.7:
                    s.idents.append(fake)

    real = [s for op in operators for s in op.storefronts]
    for s in real:
        _add_aliases(rng, s, params.alias_rate)
    real_names = {n for s in real for n in s.names}
    for n in range(1, round(params.decoy_rate * n_fronts) + 1):
        target = rng.choice(real)
        op = Operator(f"decoy-{n:05d}", rng.choice(vocab.CITIES), "", "decoy", "")
        op.company = make.ident("company", op, "own").value
        op.registrant_email = make.ident("email", op, "own").value
        op.redacted = rng.random() < params.redaction_rate
        market = target.marketplace if rng.random() < 0.5 else _marketplace(rng)
        name = vocab.near_name(rng, target.names[-1])
        for _ in range(20):  # near-identical, not identical, to a real storefront's name
            if name not in real_names:
                break
            name = vocab.near_name(rng, target.names[-1])
        s = make.storefront(op.id, market, name)
        s.idents += [make.ident("email", op, "own"), make.ident("phone", op, "own")]
        _add_aliases(rng, s, params.alias_rate)
        op.storefronts.append(s)
        operators.append(op)

    hubs: list[Ident] = []
    if params.hub_rate > 0:
        count = max(1, round(n_fronts * params.hub_rate / HUB_SIZE))
        hubs = [_hub(make, HUB_KINDS[i % len(HUB_KINDS)], i) for i in range(count)]
        for op in operators:
            for s in op.storefronts:
                if rng.random() < params.hub_rate:
                    s.idents.append(rng.choice(hubs))

    return World(params, operators, hubs, fakes)


def _add_aliases(rng: random.Random, s: Storefront, rate: float) -> None:
    """Later names of a storefront (a rename after a takedown, a seasonal name)."""
    if rng.random() < rate:
        s.names += [rng.choice([vocab.shop_name(rng), vocab.near_name(rng, s.names[0])])
                    for _ in range(rng.choice((1, 1, 2)))]


def _fake_address(make: _Maker) -> Ident:
    """A plausible US business address that is not the operator's (a registered agent's, a mail drop)."""
    rng = make.rng

    def one() -> str:
        city, state, zip3 = rng.choice(US_PLACES)
        return (f"{rng.randint(1, 2999)} {rng.choice(US_STREETS)}, Suite {rng.randint(100, 999)}, {city}, "
                f"{state} {zip3}{rng.randint(0, 99):02d}, USA")
    return Ident("address", make.unique(one), "fake")


def _hub(make: _Maker, kind: str, i: int) -> Ident:
    if kind == "address":
        value = f"Unit {i + 1}, Global Fulfilment Warehouse, 1880 Airport Road, Kwai Chung, Hong Kong"
    elif kind == "email":
        value = f"support{i + 1}@crossborder-service-agency.com"
    else:
        value = f"+8675586{make.rng.randint(0, 999_999):06d}"
    make.used.add(value.lower())
    return Ident(kind, value, "hub")


def _assign(rng: random.Random, make: _Maker, op: Operator) -> None:
    """The identifiers each of an operator's storefronts shows."""
    fronts = op.storefronts
    web = [s for s in fronts if s.marketplace == "web"]
    if op.kind == "chain":
        start = rng.randrange(len(LINK_KINDS))
        links = [make.ident(LINK_KINDS[(start + i) % len(LINK_KINDS)], op, "chain") for i in range(len(fronts) - 1)]
        for i, s in enumerate(fronts):
            s.idents += [links[j] for j in (i - 1, i) if 0 <= j < len(links)]
            s.idents.append(make.ident("email", op, "own"))
        return
    company = Ident("company", op.company, "operator")
    pool = [company,
            *(make.ident("email", op, "operator") for _ in range(rng.randint(1, 3))),
            *(make.ident("phone", op, "operator") for _ in range(rng.randint(1, 2))),
            *(make.ident("paypal", op, "operator") for _ in range(rng.randint(1, 2))),
            *(make.ident("address", op, "operator") for _ in range(rng.randint(1, 2))),
            *(make.ident("ip", op, "operator") for _ in range(rng.randint(1, 2)))]
    core = next(i for i in pool if i.kind == "paypal")
    analytics = make.ident("analytics", op, "operator") if len(web) > 1 else None
    for s in fronts:
        chosen: list[Ident] = [core] if rng.random() < 0.6 else []
        for ident in rng.sample(pool, min(len(pool), rng.randint(1, 3))):
            if ident not in chosen and not (ident.kind == "ip" and s.marketplace == "web"):
                chosen.append(ident)
        if not chosen:
            chosen.append(core)
        if analytics and s.marketplace == "web" and rng.random() < 0.8:
            chosen.append(analytics)
        if rng.random() < 0.5:
            chosen.append(make.ident("email", op, "own"))
        s.idents += chosen
