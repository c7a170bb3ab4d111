"""The asset-restraint list: each defendant's payment and bank accounts, one sheet per financial institution
or platform, with the Sources that link them.

Accounts come from the storefront's PAID_TO edges and from the accounts its Seller HOLDS; the marketplace
account itself (the platform holds the seller's balance) is listed on the platform's sheet.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from graph.analytics.network import first
from graph.reports.output import Sheet, format_of, write_tables
from graph.reports.selection import Selection, cite_all
from graph.store.base import GraphStore

COLUMNS = ("Defendant No.", "Seller Alias", "Institution / Platform", "Account", "Account Type", "Bank / Code",
           "Country", "Holder", "Balance", "Sources")
FORMATS = ("csv", "xlsx")
PROVIDER_NAMES = {"paypal": "PayPal", "payoneer": "Payoneer", "pingpong": "PingPong", "lianlian": "LianLian Pay",
                  "alipay": "Alipay", "worldfirst": "WorldFirst", "stripe": "Stripe"}


def institution(provider: str, bank: str, country: str) -> str:
    if provider in ("iban", "bank"):
        return f"Bank {country} {bank}".strip() if (bank or country) else "Bank (unidentified)"
    return PROVIDER_NAMES.get(provider, provider or "unknown provider")


def restraint_sheets(store: GraphStore, selection: Selection) -> list[Sheet]:
    groups: dict[str, list[list[object]]] = defaultdict(list)
    for d in selection.defendants:
        for link in d.member.linked("PaymentAccount"):
            acc = link.node
            provider, bank, country = first(acc, "provider"), first(acc, "bank"), first(acc, "country")
            evidence = store.provenance(link.edge.src, link.edge)
            holder = link.via.name if link.via is not None and link.via.type == "Seller" else ""
            balance = link.edge.props.get("balance") or first(acc, "balance")
            groups[institution(provider, bank, country)].append(
                [d.number, d.alias, institution(provider, bank, country), acc.name or acc.key,
                 provider, bank, country, holder, balance, cite_all(evidence)])
        node = d.member.node
        market = d.platform
        if first(node, "marketplace") not in ("", "web"):
            evidence = [e for e in store.provenance(node.ref) if e.prop in ("platform_id", "url", "balance")]
            groups[f"{market} (platform)"].append(
                [d.number, d.alias, f"{market} (platform)", d.platform_id or d.url or d.key, "marketplace account",
                 "", "", "", first(node, "balance"), cite_all(evidence)])
    sheets: list[Sheet] = []
    summary = []
    for name in sorted(groups, key=lambda n: (n.endswith("(platform)"), n.lower())):
        rows = sorted(groups[name], key=lambda r: (r[0], str(r[3])))
        summary.append((name, len(rows), len({r[0] for r in rows})))
        sheets.append((name, COLUMNS, rows))
    return [("Summary", ("Institution / Platform", "Accounts", "Defendants"), summary), *sheets]


def write_restraint(store: GraphStore, selection: Selection, path: Path, fmt: str | None = None) -> int:
    """One sheet per institution (XLSX) or one table with the institution column (CSV); returns accounts."""
    fmt = format_of(path, FORMATS, fmt)
    sheets = restraint_sheets(store, selection)
    write_tables(path, fmt, sheets if fmt == "xlsx" else sheets[1:] or [("", COLUMNS, [])], selection.date)
    return sum(len(rows) for _, _, rows in sheets[1:])
