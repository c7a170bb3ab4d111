"""Writers of the prose documents: Schedule A exhibits, saved storefront pages, WHOIS/RDAP records, notes.

Each writer renders part of the world in a form the project's ingest parsers read (see the fixtures under
tests/fixtures/ingest): a Schedule A as the text of a court filing with a tab-separated defendant table,
marketplace seller profiles ("Detailed Seller Information") and web-shop contact pages as saved HTML,
WHOIS text in the registrar layout and RDAP JSON, and investigators' notes as Markdown.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from html import escape

from graph.synth import vocab
from graph.synth.noise import noisy_phone, noisy_url, noisy_value
from graph.synth.tables import DISPLAY
from graph.synth.world import Operator, Storefront

PLAINTIFFS = ["ACME BRANDS LLC", "HARBOR LANE BRANDS LLC", "NORTHWIND OUTDOOR INC.", "BLUE HERON APPAREL CO.",
              "KESTREL KITCHENWARE LLC", "MERIDIAN TOY COMPANY", "SILVERPINE COSMETICS INC.", "TALLGRASS GOLF LLC"]
JUDGES = ["Judge Jane R. Example", "Judge Marcus T. Sample", "Judge Elena V. Placeholder"]


def docket(case_no: int) -> str:
    return f"1:26-cv-{4000 + case_no:05d}"


def case_caption(case_no: int) -> str:
    plaintiff = PLAINTIFFS[case_no % len(PLAINTIFFS)].title().replace("Llc", "LLC").replace("Inc.", "Inc.")
    return (f"{plaintiff} v. The Partnerships and Unincorporated Associations Identified on Schedule A, "
            f"Case No. {docket(case_no)} (N.D. Ill.)")


def write_schedule_a_text(rng: random.Random, case_no: int, fronts: Sequence[Storefront], level: float) -> bytes:
    """A Schedule A exhibit as the text of the filing: ECF stamp, caption, a tab-separated defendant table."""
    plaintiff = PLAINTIFFS[case_no % len(PLAINTIFFS)]
    stamp = f"Case: {docket(case_no)} Document #: 12-1 Filed: 09/14/26 Page 1 of 1 PageID #:{455 + case_no}"
    lines = [stamp, "", "                  IN THE UNITED STATES DISTRICT COURT",
             "                 FOR THE NORTHERN DISTRICT OF ILLINOIS", "                           EASTERN DIVISION",
             "", f"{plaintiff + ',':<50})", f"{'':<50})",
             f"{'                 Plaintiff,':<50})    Case No. {docket(case_no)}", f"{'':<50})",
             f"{'       v.':<50})    {rng.choice(JUDGES)}", f"{'':<50})",
             f"{'THE PARTNERSHIPS AND UNINCORPORATED':<50})", 'ASSOCIATIONS IDENTIFIED ON SCHEDULE "A",'.ljust(50) + ")",
             f"{'':<50})", f"{'                 Defendants.':<50})", "", "                               SCHEDULE A", "",
             "Def. No.\tDefendant (Seller Alias)\tOnline Marketplace\tSeller ID"]
    for n, s in enumerate(fronts, 1):
        if rng.random() < 0.5:
            market, seller_id = noisy_url(rng, s, level), s.platform_id
        else:
            market, seller_id = DISPLAY[s.marketplace], s.platform_id
        lines.append(f"{n}\t{s.names[0]}\t{market}\t{seller_id}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _saved_from(url: str) -> str:
    return f"<!-- saved from url=({len(url):04d}){url} -->"


def write_marketplace_page(rng: random.Random, s: Storefront, level: float) -> bytes:
    """A marketplace seller profile as saved by the browser ("Detailed Seller Information")."""
    name = escape(rng.choice(s.names))
    rows = []
    labels = {"company": "Business Name", "address": "Business Address", "phone": "Customer Services Phone",
              "email": "Customer Services E-mail"}
    for ident in s.idents:
        if ident.kind in labels and ident.role != "hub":
            value = noisy_value(rng, ident, level) if ident.kind != "phone" else noisy_phone(rng, ident.value, level)
            rows.append(f'<div class="a-row"><span class="a-text-bold">{labels[ident.kind]}:</span>'
                        f"<span>{escape(value)}</span></div>")
    rows.append('<div class="a-row"><span class="a-text-bold">Country/Region:</span><span>CN</span></div>')
    platform = DISPLAY[s.marketplace]
    return f"""<!DOCTYPE html>
{_saved_from(s.url)}
<html lang="en-us"><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>{platform} Seller Profile: {name}</title>
<link rel="canonical" href="{escape(s.url)}">
</head>
<body>
<div id="seller-profile-container">
  <h1 id="seller-name">{name}</h1>
  <div id="seller-info-feedback-summary">{rng.randint(80, 99)}% positive in the last 12 months ({rng.randint(5, 9000):,} ratings)</div>
  <div id="page-section-about-seller"><h3>About Seller</h3>
    <span>{name} is committed to providing each customer with the highest standard of customer service.</span></div>
  <div id="page-section-detail-seller-info"><h3>Detailed Seller Information</h3>
    {chr(10).join('    ' + r for r in rows)}
  </div>
</div>
<footer><span>Conditions of Use | Privacy Notice</span></footer>
</body></html>
""".encode("utf-8")


def write_shop_page(rng: random.Random, s: Storefront, level: float) -> bytes:
    """A standalone web shop's contact page (Shopify-like), with its analytics tag."""
    name = escape(rng.choice(s.names))
    url = f"https://www.{s.domain}/pages/contact-us"
    body, company, tags = [], None, []
    for ident in s.idents:
        if ident.kind == "email":
            value = escape(noisy_value(rng, ident, level))
            body.append(f'<p>Email: <a href="mailto:{value}">{value}</a></p>')
        elif ident.kind == "phone":
            body.append(f"<p>Phone: {escape(noisy_phone(rng, ident.value, level))}</p>")
        elif ident.kind == "address":
            body.append(f"<p>Returns address: {escape(noisy_value(rng, ident, level))}</p>")
        elif ident.kind == "company":
            company = escape(noisy_value(rng, ident, level))
        elif ident.kind == "analytics":
            tags.append(f'<script async src="https://www.googletagmanager.com/gtag/js?id={ident.value}"></script>\n'
                        f"<script>gtag('config', '{ident.value}');</script>")
    body.append("<p>Country: China</p>")
    owner = f"<small>© 2026 {company}. All rights reserved.</small>" if company else f"<small>© 2026, {name}</small>"
    return f"""<!doctype html>
{_saved_from(url)}
<html lang="en"><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<link rel="canonical" href="{url}">
<title>Contact Us – {name}</title>
<meta property="og:site_name" content="{name}">
{chr(10).join(tags)}
</head>
<body>
<main><h1>Contact Us</h1>
<p>Questions about your order? We answer within 24 hours, Monday to Friday.</p>
{chr(10).join(body)}
</main>
<footer>{owner} <small>Powered by Shopify</small></footer>
</body></html>
""".encode("utf-8")


def write_whois(rng: random.Random, op: Operator, s: Storefront, phone: str | None) -> bytes:
    """Registrar WHOIS output; a redacted record shows the privacy service, not the registrant."""
    created = f"20{rng.randint(22, 25)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if op.redacted:
        token = "".join(rng.choices("0123456789abcdef", k=32))
        contact = {"Name": "Redacted for Privacy", "Organization": "Privacy service provided by Withheld for Privacy ehf",
                   "Street": "Kalkofnsvegur 2", "City": "Reykjavik", "Country": "IS", "Phone": "+354.4212434",
                   "Email": f"{token}.protect@withheldforprivacy.com"}
    else:
        city = op.city
        contact = {"Name": vocab.person_name(rng), "Organization": op.company,
                   "Street": f"{rng.randint(1, 300)} {rng.choice(vocab.STREETS)}", "City": city[0],
                   "State/Province": city[1], "Postal Code": city[2], "Country": "CN",
                   "Phone": f"+86.{phone.removeprefix('+86')}" if phone else "", "Email": op.registrant_email}
    lines = [f"Domain name: {s.domain}", "Registrar WHOIS Server: whois.namecheap.com",
             f"Creation Date: {created}T08:15:00.00Z", "Registrar: NAMECHEAP INC", "Registrar IANA ID: 1068",
             "Registrar Abuse Contact Email: abuse@namecheap.com", "Registrar Abuse Contact Phone: +1.9854014545"]
    lines += [f"Registrant {k}: {v}" for k, v in contact.items()]
    lines += ["Name Server: dns1.registrar-servers.com", "Name Server: dns2.registrar-servers.com",
              "DNSSEC: unsigned", ">>> Last update of WHOIS database: 2026-09-14T10:02:48.51Z <<<"]
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_rdap(rng: random.Random, op: Operator, s: Storefront, phone: str | None) -> bytes:
    """An RDAP domain answer (RFC 9083); a redacted registrant carries the 'REDACTED FOR PRIVACY' remark."""
    if op.redacted:
        registrant = {"objectClassName": "entity", "roles": ["registrant"],
                      "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", ""]]],
                      "remarks": [{"title": "REDACTED FOR PRIVACY", "type": "object redacted due to authorization",
                                   "description": ["Some of the data in this object has been removed."]}]}
    else:
        card = [["version", {}, "text", "4.0"], ["fn", {}, "text", vocab.person_name(rng)],
                ["org", {}, "text", op.company],
                ["adr", {"cc": "CN"}, "text", ["", "", f"{rng.randint(1, 300)} {rng.choice(vocab.STREETS)}",
                                                op.city[0], op.city[1], op.city[2], "China"]],
                ["email", {}, "text", op.registrant_email]]
        if phone:
            card.append(["tel", {"type": "voice"}, "uri", f"tel:+86.{phone.removeprefix('+86')}"])
        registrant = {"objectClassName": "entity", "handle": f"C{rng.randint(10**6, 10**7)}-REG",
                      "roles": ["registrant"], "vcardArray": ["vcard", card]}
    doc = {"objectClassName": "domain", "ldhName": s.domain.upper(), "status": ["client transfer prohibited"],
           "entities": [{"objectClassName": "entity", "handle": "1068", "roles": ["registrar"],
                         "vcardArray": ["vcard", [["version", {}, "text", "4.0"], ["fn", {}, "text", "NameCheap, Inc."]]]},
                        registrant],
           "events": [{"eventAction": "registration", "eventDate": f"20{rng.randint(22, 25)}-03-02T06:14:55Z"}],
           "nameservers": [{"objectClassName": "nameserver", "ldhName": "dns1.registrar-servers.com"}]}
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_note(rng: random.Random, n: int, op: Operator, level: float) -> bytes:
    """An investigator's test-buy note in free text (for the NLP stage; no table, no caption)."""
    s = rng.choice(op.storefronts)
    other = rng.choice(op.storefronts)
    phones = [i for s2 in op.storefronts for i in s2.idents if i.kind == "phone" and i.role != "hub"]
    pays = [i for s2 in op.storefronts for i in s2.idents if i.kind == "paypal"]
    lines = [f"# Test buy {n:02d} - notes ({rng.choice(['D. Whitfield', 'R. Okafor', 'M. Lindqvist'])})", "",
             f"Ordered from {s.names[-1]} ({DISPLAY[s.marketplace]}, {s.url}) on 2026-09-{rng.randint(1, 28):02d}."]
    if phones:
        lines.append(f"Called {noisy_phone(rng, phones[0].value, level)} on WhatsApp; the agent said the parcel "
                     "ships from their own warehouse.")
    if pays:
        lines.append(f"Refund offered through PayPal {noisy_value(rng, pays[0], level)}.")
    if other is not s:
        lines.append(f"The packing slip names {other.names[0]} as the sender.")
    lines += ["", "Follow-up: compare with the earlier capture of the shop."]
    return ("\n".join(lines) + "\n").encode("utf-8")
