"""Free-form column headers -> canonical fields, by the synonyms declared in graph/schema/fields.yaml."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from graph.model import get_model

from ingest.errors import IngestError


_CJK = "\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff"
_SCRIPT_EDGE = re.compile(f"(?<=[a-z0-9])(?=[{_CJK}])|(?<=[{_CJK}])(?=[a-z0-9])")


def normalise_header(header: str) -> str:
    """'Seller  E-Mail:' -> 'seller e mail'; full-width forms folded; CJK kept, apart from Latin words
    ('PayPal账户' -> 'paypal 账户')."""
    text = unicodedata.normalize("NFKC", header).casefold()
    text = _SCRIPT_EDGE.sub(" ", re.sub(r"[\W_]+", " ", text))
    return " ".join(text.split())


@lru_cache(maxsize=1)
def synonym_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for field in get_model().fields.values():
        for name in (field.name, *field.synonyms):
            table.setdefault(normalise_header(name), field.name)
    return table


def parse_overrides(specs: list[str] | tuple[str, ...]) -> dict[str, str]:
    """``["Column Name=field", ...]`` -> {normalised column: field}; IngestError for a bad spec."""
    fields = get_model().fields
    out = {}
    for spec in specs:
        column, sep, field = spec.rpartition("=")
        column, field = column.strip(), field.strip()
        if not sep or not column:
            raise IngestError(f"--map {spec!r}: expected \"Column Name=field\"")
        if field not in fields and field not in {"keep", "ignore"}:
            raise IngestError(f"--map {spec!r}: unknown field {field!r} (known: {', '.join(sorted(fields))}, keep)")
        out[normalise_header(column)] = field
    return out


def map_header(header: str, overrides: dict[str, str]) -> str | None:
    """Field for a header: an override, an exact synonym, else a synonym the header ends with."""
    norm = normalise_header(header)
    if norm in overrides:
        return None if overrides[norm] == "keep" else overrides[norm]
    table = synonym_table()
    if norm in table:
        return table[norm]
    words = norm.split()
    # "PayPal Account ID", "Payoneer Customer ID": a wallet named in the header is the field
    wallets = wallet_fields()
    for word in words:
        if word in wallets:
            return wallets[word]
    # "Defendant Seller Alias", "Customer Service E-mail Address": the longest known suffix wins
    for i in range(1, len(words)):
        tail = " ".join(words[i:])
        if tail in table and len(tail) > 3:
            if tail == "name" and words[i - 1] in _OTHER_NAMES:
                return None  # "Bank Name", "Contact Name": not the name of a store
            return table[tail]
    return None


# words before a bare "name" that make it the name of something other than a store
_OTHER_NAMES = frozenset("bank beneficiary contact brand product item file first last given family user login "
                         "domain person recipient customer owner holder representative agent city street".split())


@lru_cache(maxsize=1)
def wallet_fields() -> dict[str, str]:
    """Payment-provider fields named after their provider ({"paypal": "paypal", ...}), from the schema."""
    return {f.name: f.name for f in get_model().fields.values()
            if f.node == "PaymentAccount" and f.hint.get("provider") == f.name}
