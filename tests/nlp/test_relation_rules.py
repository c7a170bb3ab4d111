"""Relations across segments: a listing block that names its store last, the storefront of a paragraph over
the company named in a later sentence, an e-mail's sender carried into the body (recipients excluded),
and platform domains / companies never taken as a seller's."""

from __future__ import annotations

from nlp.pipeline import extract, load_pipeline


def _rels(text: str, watchlist=()):
    ex = extract(text, watchlist, nlp=load_pipeline(False))
    return {(r.type, ex.mentions[r.head].text, ex.mentions[r.tail].text, r.confidence) for r in ex.relations}


def test_figures_of_a_listing_block_go_to_the_store_named_below_them():
    text = ("Lakeshore Trail Backpack 40L Waterproof Hiking Daypack\n"
            "US $31.50 · 2,204 reviews · 6,000+ sold\n"
            "Store: Pinecrest Outdoor Store · Store no. 918273645")
    rels = _rels(text)
    assert ("SCALE_OF", "Pinecrest Outdoor Store", "2,204 reviews", "low") in rels
    assert ("SCALE_OF", "Pinecrest Outdoor Store", "6,000+ sold", "low") in rels
    assert ("SCALE_OF", "Pinecrest Outdoor Store", "US $31.50", "low") in rels


def test_a_later_sentence_naming_the_operator_keeps_identifiers_with_the_storefront():
    text = ('Platform reply about the store "Lantern Bay Goods" (merchant ID A2LANTERNBAY7Q).\n'
            "Registered operator: Fuzhou Lantern Bay Trading Co., Ltd.\n"
            "Contact e-mail on file: lanternbay.cs@outlook.com")
    rels = _rels(text)
    assert ("USES", "Lantern Bay Goods", "lanternbay.cs@outlook.com", "low") in rels
    assert ("OPERATED_BY", "Lantern Bay Goods", "Fuzhou Lantern Bay Trading Co., Ltd.", "high") in rels
    assert not any(h == "Fuzhou Lantern Bay Trading Co., Ltd." and t == "lanternbay.cs@outlook.com"
                   for _, h, t, _ in rels)


def test_an_email_sender_store_carries_into_the_body_and_recipients_are_not_its_identifiers():
    text = ('From: "Ridgeline Gear Store" <help@ridgeline-gear-store.com>\n'
            "To: testbuyer.0907@example.com\n"
            "Subject: Your order\n\n"
            "Your parcel left today, tracking YT2509071234567890. For help add WhatsApp +86 137 0000 4411.")
    rels = _rels(text)
    heads = {h for _, h, _, _ in rels}
    assert heads == {"Ridgeline Gear Store"}
    tails = {t for _, _, t, _ in rels}
    assert {"help@ridgeline-gear-store.com", "YT2509071234567890", "+86 137 0000 4411"} <= tails
    assert "testbuyer.0907@example.com" not in tails


def test_platform_domains_and_companies_are_never_a_sellers():
    text = ('The storefront "Quill & Ember Studio" (Seller ID A3QUILLEMBER8Z) on Amazon.com sold us a fake '
            "Lumora lamp. PayPal, Inc. shall restrain the account quillember.pay@gmail.com.")
    rels = _rels(text, ["Lumora"])
    assert not any(t == "Amazon.com" for _, _, t, _ in rels)
    assert not any(h == "PayPal, Inc." for _, h, _, _ in rels)
    assert ("SELLS", "Quill & Ember Studio", "Lumora", "high") in rels


def test_a_denied_link_is_low_confidence_and_a_stated_one_high():
    stated = _rels('The store "Marsh Wren Home" is operated by Tallowby Commerce LLC since 2023.')
    denied = _rels('The store "Marsh Wren Home" is NOT affiliated with Tallowby Commerce LLC at all.')
    assert ("OPERATED_BY", "Marsh Wren Home", "Tallowby Commerce LLC", "high") in stated
    assert ("OPERATED_BY", "Marsh Wren Home", "Tallowby Commerce LLC", "low") in denied
    assert not any(conf == "high" for *_, conf in denied)


def test_an_identifier_the_passage_says_is_not_the_sellers_is_low_confidence():
    stated = _rels('The store "Marsh Wren Home" lists the phone +44 20 7946 0321 on its contact page.')
    denied = _rels('The store "Marsh Wren Home" lists the phone +44 20 7946 0321, which is not the seller\'s.')
    assert ("USES", "Marsh Wren Home", "+44 20 7946 0321", "high") in stated
    assert ("USES", "Marsh Wren Home", "+44 20 7946 0321", "low") in denied
