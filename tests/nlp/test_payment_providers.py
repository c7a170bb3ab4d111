"""More payment providers and bank-account layouts: UPI addresses, PIX keys, PayNow UEN, GCash, Paysera, Interac
e-Transfer e-mails, US routing + account, Australian BSB + account; seller cues in ES/IT/DE/FR. Passages are written
for these tests; look-alikes must not match."""

from __future__ import annotations

import pytest

from nlp.pipeline import extract, load_pipeline


def _found(text: str) -> set[tuple[str, str, str | None]]:
    ex = extract(text, (), nlp=load_pipeline(False))
    return {(text[m.start:m.end], m.label, m.value) for m in ex.mentions}


@pytest.mark.parametrize("text,span,label,value", [
    ("Pay via UPI: meera.crafts@okaxis before dispatch", "meera.crafts@okaxis", "PAYMENT", "meera.crafts@okaxis"),
    ("Chave PIX: 7c1e4b2a-5d3f-4e8b-9a6c-2f1d0e9b8a7c (Loja Sol)", "7c1e4b2a-5d3f-4e8b-9a6c-2f1d0e9b8a7c", "PAYMENT",
     "7C1E4B2A-5D3F-4E8B-9A6C-2F1D0E9B8A7C"),
    ("PayNow UEN 202233871M, thanks", "202233871M", "PAYMENT", "202233871M"),
    ("Paysera account EVP8610001234567 only", "EVP8610001234567", "PAYMENT", "EVP8610001234567"),
    ("Send an Interac e-Transfer to payments@maplecove-goods.example today.", "payments@maplecove-goods.example",
     "PAYMENT", "payments@maplecove-goods.example"),
    ("Wire: routing number 026009593, account 7738201945 (Bank of America)", "7738201945", "PAYMENT", "7738201945"),
    ("Direct deposit: BSB 062-692 acct 10483377", "10483377", "PAYMENT", "10483377"),
    ("Vendedor: relojes_mx22 (MercadoLibre)", "relojes_mx22", "SELLER_ID", "relojes_mx22"),
    ("Verkäufer: uhrwerk-outlet24 bei eBay", "uhrwerk-outlet24", "SELLER_ID", "uhrwerk-outlet24"),
])
def test_payment_provider(text, span, label, value):
    assert (span, label, value) in _found(text)


@pytest.mark.parametrize("text,span,label", [
    ("Team lunch with upi and friends", "and", "PAYMENT"),                        # 'upi' as a stray word
    ("The routing number 026009593 is public; call 555 0142.", "555 0142", "PAYMENT"),  # no account after it
    ("PayNow accepted at the counter 24 hours", "24", "PAYMENT"),
    ("Order 4411223355 shipped, pay later", "4411223355", "PAYMENT"),
])
def test_payment_look_alike(text, span, label):
    assert not any(s == span and lab == label for s, lab, _ in _found(text))
