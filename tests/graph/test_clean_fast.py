"""The cleaners' memo (keyed by the raw text and only the hint keys a cleaner reads) and their shortcuts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.clean import _HINT_KEYS, clean, cleaner_names, get_cleaner
from graph.clean.marketplace import path_and_query
from graph.clean.url import clean_url

# every key a record or a field gives as a hint somewhere
HINT = {"country": "CN", "marketplace": "Amazon", "provider": "bank", "court": "N.D. Ill.", "kind": "ip"}

SAMPLES = {  # values that reach the hint-reading branches of each cleaner
    "email": ["Sales.HK@outlook.com"],
    "phone": ["0755 8888 1234", "+86 138 0013 8000"],
    "domain": ["shop.example.co.uk"],
    "url": ["https://www.example.com/a?utm_source=x"],
    "storefront": ["A2EXAMPLE1234", "https://www.ebay.com/usr/kick_zone"],
    "listing": ["B0ABCDEF12", "https://www.amazon.de/dp/B0ABCDEF12"],
    "payment": ["6217 0000 1234 5678 901", "Bank of China 6217 0000 1234 5678 901"],
    "address": ["Rm 1201, 12/F, Block B, Longhua Road, Shenzhen 518000"],
    "name": ["Sunny Home Outlet"],
    "seller": ["Shenzhen Huaxin Trading Co., Ltd."],
    "brand": ["Acme Gear"],
    "infrastructure": ["203.0.113.7"],
    "case": ["1:24-cv-01234"],
    "country": ["China"],
}


class RecordingHint(Mapping):
    """A hint that remembers which keys were read."""

    def __init__(self, data: Mapping[str, str]):
        self._data, self.read = dict(data), set()

    def __getitem__(self, key: str) -> str:
        self.read.add(key)
        return self._data[key]

    def __contains__(self, key: object) -> bool:
        self.read.add(key)
        return key in self._data

    def __iter__(self) -> Iterator[str]:
        self.read.add("(all keys)")
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


def test_every_cleaner_has_samples():
    assert set(SAMPLES) == set(cleaner_names())


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_a_cleaner_reads_only_the_hint_keys_its_memo_is_keyed_by(name):
    for raw in SAMPLES[name]:
        hint = RecordingHint(HINT)
        get_cleaner(name)(raw, hint)
        assert hint.read <= set(_HINT_KEYS.get(name, ())), (name, raw, hint.read)


def test_a_payment_account_shared_across_marketplaces_is_cleaned_once():
    first = clean("payment", "op7.pay@outlook.com", {"provider": "paypal", "marketplace": "amazon", "country": "CN"})
    again = clean("payment", "op7.pay@outlook.com", {"provider": "paypal", "marketplace": "ebay", "country": "CN"})
    assert first.key == "paypal:op7.pay@outlook.com"
    assert again is first  # the memoised result: the marketplace is not part of its key


def test_the_hint_keys_a_cleaner_reads_still_count():
    assert clean("phone", "0755 8888 1234", {"country": "CN", "marketplace": "amazon"}).key == "+8675588881234"
    assert clean("phone", "0755 8888 1234", {"country": "US", "marketplace": "amazon"}).key != "+8675588881234"
    assert clean("payment", "Sales.HK@outlook.com", {"provider": "paypal"}).key == "paypal:sales.hk@outlook.com"
    assert clean("payment", "Sales.HK@outlook.com", {"provider": "payoneer"}).key == "payoneer:sales.hk@outlook.com"
    assert clean("storefront", "A2EXAMPLE1234", {"marketplace": "Amazon"}).key == "amazon:A2EXAMPLE1234"
    assert not clean("storefront", "A2EXAMPLE1234", {"country": "CN"}).ok  # no marketplace for a bare id


URLS = st.builds(lambda scheme, host, rest: scheme + host + "".join(rest),
                 st.sampled_from(["", "http://", "HTTPS://", "//", "hxxps://"]),
                 st.sampled_from(["www.amazon.com", "shop.example.co.uk", "пример.рф", "[2001:db8::1]:8443",
                                  "shop[.]example[.]com", "user:pw@cool-kicks.shop"]),
                 st.lists(st.one_of(st.sampled_from(["/", "/sp", "?seller=", "&me=", "?", "&", "=", "#", "%",
                                                     "%2f", "%3F", "%23", "..", ";", "@", ":", "\\", " ", "ж"]),
                                    st.text(max_size=3)), max_size=10))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=URLS)
def test_path_and_query_of_a_canonical_url_is_what_urlsplit_gives(raw):
    result = clean_url(raw)
    if result.ok:
        parts = urlsplit(result.key)
        assert path_and_query(result.key) == (parts.path, parts.query)
