"""Domain registration records: RDAP JSON (RFC 9083, ``ingest.rdap``) and WHOIS text (``ingest.whois_text``),
one Domain record per domain. This module holds what both make the record with.

Both formats give the domain, its registrar, registration and expiry dates, name servers and the
registrant contact; ``ingest.domain_contact`` decides which registrant values are identifiers and
which belong to a privacy service or hide the real value. Every other labelled value (status, DNSSEC,
abuse and technical contacts, remarks) is kept as an unmapped value named by its label.

Locators: ``line 12`` in WHOIS text, JSON pointers (``/entities/0/vcardArray/1/3``) in RDAP.
"""

from __future__ import annotations

import re

from graph.records import Record, Value

from ingest.domain_contact import Contact, registrant_values

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_CN_TLDS = ("cn", "xn--fiqs8s", "xn--fiqz9s", "中国", "中國")


def _host(name: str) -> str:
    """A domain name as a host name: DNS names ignore case ('MINGYUE-WATCHES.COM.' -> 'mingyue-watches.com')."""
    return name.strip().rstrip(".").lower() if name.strip().rstrip(".") else name


def _domain_record(locator: str, domain_values: list[Value], contact: Contact, others: list[Value],
                   abuse_emails: set[str], abuse_phones: set[str]) -> Record:
    """The Record of one domain; a Chinese-script registrant of a .cn domain is taken to be in China."""
    registrant, proxy = registrant_values(contact, abuse_emails, abuse_phones)
    values = tuple(domain_values + registrant + others)
    hints: tuple[tuple[str, str], ...] = ()
    names = [v.raw for v in registrant if v.field == "registrant"]
    domain = next((v.raw for v in values if v.field == "domain_name"), "")
    if (not proxy and not any(v.field == "country" for v in values)
            and domain.rstrip(".").lower().rpartition(".")[2] in _CN_TLDS and any(_HAN.search(n) for n in names)):
        hints = (("country", "CN"),)
    return Record("Domain", locator, values, hints)
