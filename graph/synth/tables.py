"""Writers of the tabular documents: investigators' seller tables and platforms' disclosures (CSV/TSV).

Messy as found: header wording varies by author (English synonyms, Chinese headers), title rows sit above
the header, delimiters differ, several values share a cell, identifiers carry formatting noise.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Sequence

from graph.synth.noise import noisy_url, noisy_value
from graph.synth.world import Storefront

DISPLAY = {"amazon": "Amazon", "ebay": "eBay", "aliexpress": "AliExpress", "walmart": "Walmart", "temu": "Temu",
           "dhgate": "DHgate", "etsy": "Etsy", "web": "Website"}
PLATFORM_LEGAL = {"amazon": "Amazon.com Services LLC", "ebay": "eBay Inc.", "aliexpress": "AliExpress (Alibaba.com Singapore E-Commerce Private Limited)",
                  "walmart": "Walmart Inc. (Walmart Marketplace)", "temu": "Temu (Whaleco Inc.)",
                  "dhgate": "DHgate (Dunhuang Network Technology)", "etsy": "Etsy, Inc."}
# logical column -> header, one layout per author
SELLER_LAYOUTS = [
    {"no": "Doe No.", "name": "Defendant Seller Alias", "url": "Store Link", "marketplace": "Seller Platform",
     "email": "Customer Service E-mail", "phone": "Customer Service Number", "paypal": "PayPal Email",
     "address": "Ship From Address", "country": "Country", "extra": "Date Captured"},
    {"no": "No", "name": "Store Name", "url": "Store URL", "marketplace": "Platform", "email": "E-mail",
     "phone": "Phone", "paypal": "PayPal", "address": "Return Address", "country": "Country",
     "extra": "Investigator"},
    {"no": "序号", "name": "店铺名称", "url": "店铺链接", "marketplace": "平台", "email": "邮箱", "phone": "电话",
     "paypal": "PayPal", "address": "地址", "country": "国家", "extra": "备注"},
    {"no": "Def. No.", "name": "Seller Alias", "url": "Seller URL", "marketplace": "Marketplace",
     "email": "Contact Email", "phone": "Tel", "paypal": "PayPal Account", "address": "Address",
     "country": "Seller Country", "extra": "Comments"},
]
COUNTRY_FORMS = ["CN", "China", "CN", "中国", "People's Republic of China"]
EXTRA_VALUES = ["2026-09-14", "D. Whitfield", "test buy done", "", "relisted after takedown", "2026-10-02"]
TITLES = ["Seller list - investigation IG-{n:03d} (captured by the brand protection team)",
          "Counterfeit sellers identified - batch {n}", "Online investigation results, batch {n}"]


def _dialect(rng: random.Random) -> tuple[str, str, str]:
    """(delimiter, separator of several values in one cell, file extension)."""
    return rng.choice([(",", "; ", ".csv"), (",", "\n", ".csv"), (";", "\n", ".csv"), ("\t", " | ", ".tsv")])


def _csv(rows: Sequence[Sequence[str]], delimiter: str, bom: bool) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows(rows)
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


def write_seller_table(rng: random.Random, fronts: Sequence[Storefront], batch: int,
                       level: float) -> tuple[str, bytes]:
    """(file extension, bytes) of one investigator's seller table."""
    layout = rng.choice(SELLER_LAYOUTS)
    delimiter, sep, ext = _dialect(rng)
    contacts = ["email", "phone", "paypal", "address"]
    rng.shuffle(contacts)  # authors order the contact columns differently
    columns = ["no", "name", "url", "marketplace", *contacts, "country", "extra"]
    rows: list[list[str]] = []
    if rng.random() < 0.5:
        rows += [[rng.choice(TITLES).format(n=batch)], []]
    rows.append([layout[c] for c in columns])
    for n, s in enumerate(fronts, 1):
        values: dict[str, list[str]] = {k: [] for k in ("email", "phone", "paypal", "address")}
        for ident in s.idents:
            if ident.kind in values:
                values[ident.kind].append(noisy_value(rng, ident, level, local_ok=True))
        cells = {"no": str(n), "name": rng.choice(s.names[-2:]), "url": noisy_url(rng, s, level),
                 "marketplace": DISPLAY[s.marketplace], "country": rng.choice(COUNTRY_FORMS),
                 "extra": rng.choice(EXTRA_VALUES),
                 # addresses span lines themselves: several in one cell are separated by ';'
                 **{k: ("; " if k == "address" and sep == "\n" else sep).join(v) for k, v in values.items()}}
        rows.append([cells[c] for c in columns])
    return ext, _csv(rows, delimiter, bom=rng.random() < 0.3)


def write_disclosure(rng: random.Random, market: str, fronts: Sequence[Storefront], caption: str,
                     level: float) -> bytes:
    """A platform's answer to a restraining order: account holders, contacts, login IPs, restrained funds."""
    id_header = rng.choice(["Seller ID", "Merchant ID", "Store ID", "Account ID"] if market != "ebay"
                           else ["eBay User ID", "User ID", "Seller ID"])
    header = [id_header, "Store Name", "Account Holder Name", "Email", "Phone", "Business Address", "Country",
              "Login IP Address", "Restrained Amount", "Currency"]
    rows: list[list[str]] = [[f"{PLATFORM_LEGAL[market]} - seller account information produced in response to "
                              "the Temporary Restraining Order"], [caption], [], header]
    for s in fronts:
        by_kind: dict[str, list[str]] = {}
        for ident in s.idents:
            by_kind.setdefault(ident.kind, []).append(noisy_value(rng, ident, level, local_ok=True))
        amount = f"{rng.randint(0, 250_000) / 100:,.2f}"
        rows.append([s.platform_id.upper() if market == "amazon" else s.platform_id, rng.choice(s.names),
                     "; ".join(by_kind.get("company", [])), "; ".join(by_kind.get("email", [])),
                     "; ".join(by_kind.get("phone", [])), "; ".join(by_kind.get("address", [])), "CN",
                     "; ".join(by_kind.get("ip", [])), amount, "USD"])
    return _csv(rows, ",", bom=False)
