"""Tables about sellers, whatever the file format: the part the CSV, XLSX and JSON readers share.

A reader finds rows of cells (as text); this module finds the header row among them, maps every column to a
field, and turns every data row into one Record:

- header row: the first of the first 20 non-empty rows with at least 2 recognised headers (title rows of
  court exhibits and disclosures sit above it); else the first non-empty row when it has one.
- companion columns complete another column: a Currency column the amounts of a balance column, a Bank Name
  column the numbers of a bank-account column.
- kind: a *disclosure* (a platform's or payment provider's answer to a restraining order) when a column is an
  account holder's legal name, a balance, a login IP or a currency, or a header speaks of restrained, frozen or
  login; else a *seller table*.
- context: title rows, the sheet name and the file name may name the platform or payment provider. In a
  payment provider's disclosure its generic id columns (Merchant ID, Account ID) are accounts at that
  provider; in a platform's, seller ids are ids on that platform (a marketplace hint).
- subject, per row: a Storefront when the row has a store URL or seller id (its account holder becomes its
  ``company``: OPERATED_BY); in a disclosure, a row with an account holder and no store is about the Seller
  (its payment accounts become HOLDS edges).
- typed values: balances as '12480.55 USD', dates (in date columns) as ISO 8601; text that does not type
  is kept as written and counted in a note.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from graph.clean import clean
from graph.clean.marketplace import clean_marketplace_name
from graph.model import get_model
from graph.records import Record, Value

from ingest.base import ParseContext
from ingest.columns import map_header, normalise_header
from ingest.typed import currency_code, date_text, money_text

HEADER_SCAN = 20      # rows searched for the header row
MAX_CELL = 100_000    # characters kept of one cell
MAX_COLUMNS = 1_000   # columns read of one row
KEPT = "(kept as property)"
SELLER_TABLE, DISCLOSURE = "seller table", "disclosure"

_COMPANIONS = {
    "currency": "balance", "currency code": "balance", "ccy": "balance", "币种": "balance", "货币": "balance",
    "bank name": "bank_account", "name of bank": "bank_account", "beneficiary bank": "bank_account",
    "bank name and branch": "bank_account", "开户行": "bank_account", "开户银行": "bank_account",
    "银行名称": "bank_account",
}
_DATE_HEADER = re.compile(r"(?:^| )(?:date|dates|time|timestamp|datetime|datum|opened|created|updated|modified"
                          r"|since|expires|expiry|dob|at|captured|seen)(?: |$)|日期|时间|時間")
_DISCLOSURE_FIELDS = frozenset({"legal_name", "balance", "ip"})
_DISCLOSURE_WORDS = re.compile(r"restrain|frozen|freeze|login|冻结")
_STORE_WORDS = re.compile(r"(?:^| )(?:seller|store|shop|storefront|marketplace|amazon|ebay|walmart|etsy|temu"
                          r"|aliexpress|dhgate|shein|platform)(?: |$)")
_ACCOUNT_ID = re.compile(r"(?:^| )(?:merchant|account|customer|user|client|wallet)(?: |$).*\bid$")
_WALLET_NAMES = {"paypal": r"pay\s?pal|贝宝", "payoneer": r"payoneer|派安盈", "pingpong": r"ping\s?pong",
                 "lianlian": r"lian\s?lian|连连", "alipay": r"ali\s?pay|支付宝", "worldfirst": r"world\s?first|万里汇",
                 "stripe": r"stripe"}
_MARKETPLACES = (r"amazon|亚马逊|e-?bay|walmart|ali\s?express|速卖通|alibaba|temu|shein|dh\s?gate|敦煌|etsy"
                 r"|tik\s?tok\s?shop|shopee|lazada|joom|mercado\s?libre|wish\.com")
_CONTEXT = re.compile("|".join(f"(?P<{slug}>{pat})" for slug, pat in _WALLET_NAMES.items())
                      + f"|(?P<marketplace>{_MARKETPLACES})", re.I)


def companion_of(header: str) -> str | None:
    """The field whose values a companion column completes ('Currency' -> balance), else None."""
    norm = normalise_header(header)
    return _COMPANIONS.get(norm) or ("balance" if norm.endswith(" currency") else None)


def recognised(header: object, overrides: dict[str, str]) -> bool:
    if not isinstance(header, str) or not header.strip() or len(header) > 200:
        return False
    return (normalise_header(header) in overrides or companion_of(header) is not None
            or map_header(header, overrides) is not None)


def find_header(rows: Sequence[Sequence[str | None]], overrides: dict[str, str]) -> int | None:
    """Index of the header row among the first non-empty rows of a table, or None."""
    for i, cells in enumerate(rows[:HEADER_SCAN]):
        if sum(1 for c in cells if recognised(c, overrides)) >= 2:
            return i
    if rows and any(recognised(c, overrides) for c in rows[0]):
        return 0
    return None


def context_of(texts: Iterable[str]) -> tuple[str, str] | None:
    """('payment', 'paypal') or ('marketplace', 'amazon'): who speaks in a document, from its title rows,
    sheet name and file name (the earliest mention wins)."""
    text = " ".join(t for t in texts if t).replace("_", " ")[:4000]
    for m in _CONTEXT.finditer(text):
        if m.lastgroup == "marketplace":
            slug = clean_marketplace_name(m[0].replace("wish.com", "wish"))
            if slug:
                return "marketplace", slug
        else:
            return "payment", m.lastgroup
    return None


@lru_cache(maxsize=64)
def _split(field: str) -> re.Pattern[str]:
    return re.compile(get_model().fields[field].split)


@dataclass
class Column:
    header: str                   # the header as written (the name of a kept property)
    label: str                    # how locators name it: "column 'PayPal'", "key 'emails[1]'"
    field: str | None             # canonical field; None: kept as a property named after the header
    companion: str | None = None  # the field this column completes (currency of a balance, bank of an account)
    dates: bool = False           # a date column: its values are typed to ISO 8601
    ignored: bool = False         # --map "Column=ignore"


class Table:
    """The columns of one table (a CSV file, a sheet, an array of JSON objects) and how its rows become
    Records. ``context``: texts that may name the platform or payment provider (title rows, sheet, file)."""

    def __init__(self, ctx: ParseContext, context: Iterable[str] = (), name: str = "",
                 shared: Sequence[tuple[str, str, str]] = ()):
        """``shared``: (field, raw, where it is stated) given to every row that has no value of that field
        (the case a title row names; the platform a JSON wrapper names)."""
        self.ctx, self.name = ctx, name
        self.shared = tuple(shared)
        for field, raw, source in self.shared:
            ctx.notes.append(f"{name + ': ' if name else ''}{field} {raw[:80]!r} ({source}) applies to every row")
        self.context = context_of(context)
        self.hints: tuple[tuple[str, str], ...] = ()
        if self.context and self.context[0] == "marketplace":
            self.hints = (("marketplace", self.context[1]),)
        self.columns: list[Column] = []
        self.kind: str | None = None
        self._untyped: dict[tuple[str, str], list] = {}
        self.repeated = 0  # header rows repeated among the data rows (on every page of an exhibit), skipped
        self._where = f"{name}: " if name else ""
        if self.context:
            ctx.notes.append(f"{self._where}{self.context[0]} {self.context[1]} (from the title, sheet or file name)")

    def column(self, header: str, label: str, as_header: str | None = None, report: bool = True) -> Column:
        """A column named ``header`` (mapped as ``as_header`` when given, e.g. 'seller Name' for the JSON key
        'sellerName'): override, companion, or mapped header; a payment provider's generic id columns become
        its accounts. Reported in ``ctx.columns``."""
        overrides = self.ctx.overrides
        mapped = as_header or header
        norm = normalise_header(mapped)
        chosen = overrides.get(normalise_header(header), overrides.get(norm))
        if chosen is not None:
            col = Column(header, label, None if chosen in ("keep", "ignore") else chosen, ignored=chosen == "ignore")
        else:
            companion = companion_of(mapped)
            field = None if companion else map_header(mapped, overrides)
            if self.context and self.context[0] == "payment":
                if field == "payment" or (field == "seller_id" and not _STORE_WORDS.search(norm)) or (
                        field is None and not companion and _ACCOUNT_ID.search(norm)):
                    field = self.context[1]
            col = Column(header, label, field, companion)
        col.dates = col.field in ("created", "expires") or (col.field is None and bool(_DATE_HEADER.search(norm)))
        shown = ("(ignored)" if col.ignored else col.field or
                 (f"(completes {col.companion})" if col.companion else KEPT))
        if report:
            self.ctx.columns.setdefault(header, shown)
        return col

    def set_header(self, headers: Sequence[str], label=lambda h: f"column {h!r}") -> list[Column]:
        self.columns = [self.column(h, label(h)) for h in headers]
        self.kind = kind_of(self.columns)
        if self.kind == DISCLOSURE:
            self.ctx.notes.append(f"{self._where}disclosure (account holders, balances)")
        return self.columns

    def record(self, cells: Iterable[tuple[Column, str]], where: str) -> Iterator[Record]:
        """The Record of one row (nothing for an empty row). ``where``: "row 12", "sheet 'A', row 12"."""
        values: list[list] = []  # [field, text, column]
        companions: dict[str, list[tuple[Column, str]]] = {}
        columns = []
        for col, text in cells:
            text = text.strip() if isinstance(text, str) else ""
            if not text or col.ignored:
                continue
            columns.append(col)
            field = col.field
            if len(text) > MAX_CELL:
                field, text = None, text[:MAX_CELL]
                self.ctx.notes.append(f"{where}: cell {col.header!r} cut to {MAX_CELL} characters")
            elif col.companion:
                companions.setdefault(col.companion, []).append((col, text))
                continue
            elif col.dates:
                text = self._date(col, text)
            values.append([field, text, col])
        self._complete(values, companions)
        if not values:
            return
        subject = self._subject(values, self.kind or kind_of(columns))
        present = {v[0] for v in values}
        yield Record(subject, where,
                     tuple(Value(f, t, f"{where}, {c.label}", c.header) for f, t, c in values)
                     + tuple(Value(f, raw, f"{where} ({source})") for f, raw, source in self.shared
                             if f not in present),
                     self.hints)

    def _date(self, col: Column, text: str) -> str:
        typed = date_text(text)
        if typed is None:
            self._count(col, "date", text)
            return text
        return typed

    def _count(self, col: Column, what: str, text: str) -> None:
        entry = self._untyped.setdefault((col.header, what), [0, text[:40]])
        entry[0] += 1

    def _complete(self, values: list[list], companions: dict[str, list[tuple[Column, str]]]) -> None:
        """Balances typed (with the Currency column), bank numbers prefixed with the Bank Name column;
        a companion with nothing to complete is kept as a property."""
        used: set[str] = set()
        currency = companions.get("balance", [(None, None)])[0][1]
        bank = companions.get("bank_account", [(None, None)])[0][1]
        for v in values:
            if v[0] == "balance":
                parts = [p.strip() for p in _split("balance").split(v[1]) if p.strip()]
                typed = []
                for part in parts:
                    money = money_text(part, currency)
                    if money is None:
                        self._count(v[2], "amount", part)
                    elif currency and (money != money_text(part) or money.endswith(f" {currency_code(currency)}")):
                        used.add("balance")  # the Currency column completed it, or says the same
                    typed.append(money or part)
                v[1] = "; ".join(typed)
            elif v[0] == "bank_account" and bank:
                parts = [p.strip() for p in _split("bank_account").split(v[1]) if p.strip()]
                v[1] = "; ".join(p if re.search(r"[^\W\d_]", p) else f"{bank} {p}" for p in parts)
                used.add("bank_account")
        for field, entries in companions.items():
            for col, text in entries if field not in used else entries[1:]:
                values.append([None, text, col])

    def _subject(self, values: list[list], kind: str) -> str:
        present = {v[0] for v in values if v[0]}
        if kind == DISCLOSURE and not present & {"url", "seller_id"}:
            if present & {"legal_name", "company"}:
                for v in values:
                    if v[0] == "name":  # a store alias is not the holder's name: kept as a property
                        v[0] = None
                return "Seller"
            if "name" in present and not (self.context and self.context[0] == "marketplace"):
                for v in values:
                    if v[0] == "name":  # "Name" in a payment provider's disclosure: the account holder
                        v[0] = "legal_name"
                return "Seller"
        for v in values:
            if v[0] == "legal_name":  # the holder of a store's account: the Seller it is OPERATED_BY
                v[0] = "company"
        return "Storefront"

    def detached(self) -> "Table":
        """A copy that reports to a context of its own: it makes Records in a cleaning worker, and what it
        reports comes back with them (``effects``, then ``absorb``; see ``ingest.deferred``)."""
        copy = object.__new__(Table)
        copy.__dict__.update(self.__dict__)
        copy.ctx = ParseContext(path=self.ctx.path, overrides=self.ctx.overrides)
        copy.columns, copy._untyped, copy.repeated = list(self.columns), {}, 0
        return copy

    def effects(self) -> tuple:
        """What this (detached) table reported while it made Records: notes, columns, values kept as written,
        repeated header rows."""
        return self.ctx.notes, list(self.ctx.columns.items()), list(self._untyped.items()), self.repeated

    def absorb(self, effects: tuple) -> None:
        """Add what a detached copy reported, as if this table had made its Records (in document order)."""
        notes, columns, untyped, repeated = effects
        self.ctx.notes.extend(notes)
        for header, shown in columns:
            self.ctx.columns.setdefault(header, shown)
        for key, (count, example) in untyped:
            self._untyped.setdefault(key, [0, example])[0] += count
        self.repeated += repeated

    def finish(self) -> None:
        """Notes about values kept as written."""
        for (header, what), (count, example) in self._untyped.items():
            plural = "s" if count > 1 else ""
            self.ctx.notes.append(f"{self._where}column {header!r}: {count} {what}{plural} kept as written "
                                  f"(not {'an unambiguous date' if what == 'date' else 'an amount'}, "
                                  f"e.g. {example!r})")
        self._untyped.clear()


_DOCKET = re.compile(r"\b\d{1,2}:\d{2}-?[a-z]{1,3}-?\d{2,6}\b|\b\d{2}-(?:cv|civ|cr|mc)-\d{2,6}\b"
                     r"|\bNo\.?\s*\d{2}\s*C\s*\d{3,6}\b", re.I)


def case_in(titles: Iterable[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """[("case", title text, "case named in row 3")] for the first title row naming a docket, else []."""
    for where, text in titles:
        if _DOCKET.search(text) and clean("case", text[:300]).ok:
            return [("case", text[:300], f"case named in {where}")]
    return []


def kind_of(columns: Iterable[Column]) -> str:
    """DISCLOSURE when a column is only found in disclosures (holder's legal name, balance, login IP, currency)."""
    for col in columns:
        if (col.field in _DISCLOSURE_FIELDS or col.companion == "balance"
                or _DISCLOSURE_WORDS.search(normalise_header(col.header))):
            return DISCLOSURE
    return SELLER_TABLE


def header_kind(cells: Sequence[str | None]) -> str:
    """The kind of table a header row starts (for sniffing, without a context)."""
    cols = [Column(c, "", map_header(c, {}), companion_of(c)) for c in cells if isinstance(c, str) and c.strip()]
    return kind_of(cols)
