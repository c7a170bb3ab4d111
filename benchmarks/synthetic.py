"""Deterministic synthetic seller tables for benchmarks (not ground truth; that is the Resolution issue's synth)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

HEADER = ["Def. No.", "Seller Alias", "Store URL", "Platform", "PayPal", "E-mail", "Customer Service Phone",
          "Return Address", "Country"]
WORDS = ["Sunny", "Home", "Bloom", "Kick", "Zone", "Luxe", "Outlet", "Golden", "Time", "Cozy", "Nest", "Trendy",
         "Mega", "Deals", "Vintage", "Star", "Dragon", "Gear", "Phoenix", "Apparel", "Best", "Price", "Mall"]
CITIES = [("Shenzhen", "518000", "CN", "+86 138"), ("Yiwu", "322000", "CN", "+86 139"),
          ("Guangzhou", "510000", "CN", "+86 135"), ("Kowloon", "", "HK", "+852 5")]


def _url(rng: random.Random, i: int) -> tuple[str, str]:
    kind = i % 6
    if kind == 0:
        return "Amazon", "https://www.amazon.com/sp?seller=A" + "".join(rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", k=13))
    if kind == 1:
        return "eBay", f"https://www.ebay.com/usr/seller_{i}"
    if kind == 2:
        return "AliExpress", f"https://www.aliexpress.com/store/{1100000000 + i}"
    if kind == 3:
        return "Walmart", f"https://www.walmart.com/seller/{100000000 + i}"
    if kind == 4:
        return "Temu", f"https://www.temu.com/shop-m-{634000000000 + i}.html"
    return "DHgate", f"https://www.dhgate.com/store/{20000000 + i}"


def write_seller_table(path: Path, rows: int, seed: int = 7, per_operator: int = 5) -> Path:
    """A CSV of ``rows`` storefronts; every ``per_operator`` consecutive rows share a PayPal account."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for i in range(rows):
            op = i // per_operator
            city, postcode, country, prefix = CITIES[op % len(CITIES)]
            platform, url = _url(rng, i)
            name = " ".join(rng.sample(WORDS, 3))
            phone = f"{prefix}{op % 10000:04d} {i % 10000:04d}" if country == "CN" else f"{prefix}{op % 1000:03d} {i % 10000:04d}"
            w.writerow([i + 1, name, url, platform, f"op{op}.pay@outlook.com", f"shop{i}.cs@gmail.com", phone,
                        f"Rm {100 + op % 900}, {op % 30 + 1}/F, Block {op % 7}, {city} {postcode}, {country}",
                        country])
    return path
