"""Disclosures: what a platform (Amazon, eBay, Walmart...) or payment provider (PayPal, Payoneer, PingPong,
Alipay...) hands over after a restraining order - account holders, e-mails, phones, addresses, bank accounts,
linked seller ids, login IPs, restrained balances - as CSV or XLSX.

They are tables, read exactly like seller tables (``ingest.tables`` recognises a disclosure from its header
row, whichever parser reads it): these parsers only claim the files whose header row says "disclosure"
(Account Holder Name, Restrained Amount, Currency, Login IP...), so that the Source is labelled as one. A big
workbook whose header is beyond the first 64 KiB is read by the seller-table parser, with the same records.
"""

from __future__ import annotations

import re
from html import unescape

from ingest.base import register
from ingest.seller_table import SellerTableCSV, sniff_header_kind
from ingest.spreadsheet import SellerTableXLSX
from ingest.tables import DISCLOSURE, header_kind, recognised
from ingest.zip_head import head_entries

_TEXT = re.compile(rb"<(?:\w+:)?t(?:\s[^>]*)?>([^<]{1,200})</(?:\w+:)?t>")
_PARTS = re.compile(rb"^xl/(?:sharedStrings\.xml|worksheets/sheet\d+\.xml)$", re.I)


def head_strings(head: bytes) -> list[str]:
    """Strings of the shared-string table and sheets found whole or in part in the first bytes of an XLSX."""
    found: list[str] = []
    for _, xml in head_entries(head, _PARTS):
        found += [unescape(m.group(1).decode("utf-8", "replace")) for m in _TEXT.finditer(xml)]
        if len(found) >= 5000:
            break
    return found


@register
class DisclosureCSV(SellerTableCSV):
    name = "disclosure-csv"
    media_type = "text/csv"
    extensions = (".csv", ".tsv", ".txt")
    fixture = "ingest/tables/amazon_disclosure.csv"

    @classmethod
    def sniff(cls, name: str, head: bytes) -> int:
        if not name.lower().endswith(cls.extensions) or SellerTableCSV.sniff(name, head) <= 1:
            return 0
        return 85 if sniff_header_kind(name, head) == DISCLOSURE else 0


@register
class DisclosureXLSX(SellerTableXLSX):
    name = "disclosure-xlsx"
    fixture = "ingest/tables/paypal_disclosure.xlsx"

    @classmethod
    def sniff(cls, name: str, head: bytes) -> int:
        if SellerTableXLSX.sniff(name, head) < 60:
            return 0
        strings = [s for s in head_strings(head) if recognised(s, {})]
        return 85 if len(strings) >= 2 and header_kind(strings) == DISCLOSURE else 0
