"""Formatting noise: the same identifier written the ways investigators' documents write it.

Each ``noisy_*`` function returns the canonical value or, with probability ``level``, a variant. Variants
are ones the project's cleaners fold to the same key (case, spacing, phone formats, address
abbreviations, company punctuation, store URL forms) - except gmail dots, which the e-mail cleaner keeps
as a separate ``match_key``, as the real world does.
"""

from __future__ import annotations

import random
import re

from graph.synth.world import Ident, Storefront

_ADDRESS_ABBREVIATIONS = [("Room", "Rm"), ("Road", "Rd"), ("Avenue", "Ave"), ("Street", "St"), ("District", "Dist")]


def noisy_email(rng: random.Random, value: str, level: float) -> str:
    if rng.random() >= level:
        return value
    local, _, host = value.partition("@")
    choice = rng.randrange(3)
    if choice == 0 and host == "gmail.com" and len(local) > 3:
        i = rng.randrange(1, len(local) - 1)
        if local[i] != "." and local[i - 1] != ".":
            return f"{local[:i]}.{local[i:]}@{host}"
    if choice == 1:
        return value.upper()
    return f"{local.capitalize()}@{host.capitalize()}"


def noisy_phone(rng: random.Random, e164: str, level: float, local_ok: bool = False) -> str:
    """'+8613800138000' as '+86 138 0013 8000', '0086-138-0013-8000', '(+86) 138-0013-8000', ...;
    ``local_ok``: the document states the country, so '138 0013 8000' is understood too."""
    national = e164.removeprefix("+86")
    a, b, c = (national[:3], national[3:7], national[7:]) if len(national) == 11 else \
        (national[:-8], national[-8:-4], national[-4:])
    if rng.random() >= level:
        return f"+86 {a} {b} {c}"
    forms = [f"0086-{a}-{b}-{c}", f"(+86) {a}-{b}-{c}", f"+86{national}", f"+86.{national}", f"+86-{a}{b}{c}"]
    if local_ok and len(national) == 11:
        forms += [f"{a} {b} {c}", national]
    return rng.choice(forms)


def noisy_address(rng: random.Random, value: str, level: float) -> str:
    if rng.random() >= level:
        return value
    out = value
    for long, short in _ADDRESS_ABBREVIATIONS:
        if rng.random() < 0.6:
            out = re.sub(rf"\b{long}\b", short, out)
    return out.upper() if rng.random() < 0.4 else out


def noisy_company(rng: random.Random, value: str, level: float) -> str:
    if rng.random() >= level:
        return value
    return rng.choice([value.upper(), value.replace("Co., Ltd.", "Co. Ltd"), value.replace("Co., Ltd.", "CO LTD"),
                       value.replace(",", "")])


def noisy_value(rng: random.Random, ident: Ident, level: float, local_ok: bool = False) -> str:
    if ident.kind in ("email", "paypal"):
        if ident.kind == "paypal" and rng.random() < level:
            return ident.value.upper() if rng.random() < 0.5 else ident.value.capitalize()
        return noisy_email(rng, ident.value, level) if ident.kind == "email" else ident.value
    if ident.kind == "phone":
        return noisy_phone(rng, ident.value, level, local_ok)
    if ident.kind == "address":
        return noisy_address(rng, ident.value, level)
    if ident.kind == "company":
        return noisy_company(rng, ident.value, level)
    return ident.value


def noisy_url(rng: random.Random, s: Storefront, level: float) -> str:
    """The store URL as copied from a browser: tracking parameters, another path form, no www."""
    if rng.random() >= level:
        return s.url
    pid = s.platform_id
    forms = {
        "amazon": [f"https://www.amazon.com/s?me={pid}&marketplaceID=ATVPDKIKX0DER",
                   f"amazon.com/sp?ie=UTF8&seller={pid}&isAmazonFulfilled=1", f"https://www.amazon.com/shops/{pid}"],
        "ebay": [f"https://www.ebay.com/usr/{pid.upper()}", f"ebay.com/usr/{pid}?_trksid=p2047675.m3561.l2559",
                 f"https://www.ebay.com/sch/{pid}/m.html"],
        "aliexpress": [f"https://aliexpress.com/store/{pid}?spm=a2g0o.detail.0.0", f"www.aliexpress.com/store/{pid}"],
        "walmart": [f"https://www.walmart.com/seller/{pid}?itemId=5{pid[-6:]}", f"walmart.com/seller/{pid}"],
        "temu": [f"https://www.temu.com/mall.html?mall_id={pid}", s.url.replace("https://www.", "")],
        "dhgate": [f"https://www.dhgate.com/store/top-selling/{pid}.html", f"dhgate.com/store/{pid}"],
        "etsy": [f"https://www.etsy.com/shop/{pid.lower()}", f"https://www.etsy.com/uk/shop/{pid}?ref=shop_sugg"],
        "web": [f"https://{pid}/", f"http://www.{pid}/collections/all", f"{pid}"],
    }
    return rng.choice(forms[s.marketplace])
