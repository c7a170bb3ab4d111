"""Word lists and makers of fictional names, identifiers and addresses for the synthetic corpus.

Everything is invented: shop names from common retail words, companies from Chinese place names and
trade words, documentation-range IP addresses (RFC 5737), example-looking domains. Makers take the
generator's ``random.Random`` so that a seed gives the same world.
"""

from __future__ import annotations

import random
import string

SHOP_WORDS = ["Sunny", "Bloom", "Home", "Kick", "Zone", "Luxe", "Outlet", "Golden", "Time", "Cozy", "Nest", "Trendy",
              "Mega", "Deals", "Vintage", "Star", "Dragon", "Gear", "Phoenix", "Apparel", "Best", "Price", "Mall",
              "Lotus", "Maple", "Pearl", "River", "Jade", "Lucky", "Leaf", "Breeze", "Crystal", "Dew", "Meadow",
              "Velvet", "Rose", "Orchid", "Oasis", "Lantern", "Bamboo", "Harbor", "Wizard", "Galley", "Bright",
              "Sky", "Moon", "Garden", "Daisy", "Lane", "Tulip", "Petal", "Aurora", "Silver", "Lining", "Emerald",
              "Coral", "Willow", "Summit", "Cedar", "Pine", "Amber", "Ivory", "Nova", "Zen", "Pixel", "Urban"]
SHOP_SUFFIXES = ["Shop", "Store", "Outlet", "Direct", "Mall", "Boutique", "Official", "Deals", "Home", "Co",
                 "Trading", "Supply", "Express", "Mart", "Essentials", "Goods"]
CITIES = [  # (city, province, postcode, district, phone area code)
    ("Shenzhen", "Guangdong", "518000", "Longhua District", "755"),
    ("Guangzhou", "Guangdong", "510620", "Tianhe District", "20"),
    ("Yiwu", "Zhejiang", "322000", "Choujiang Street", "579"),
    ("Hangzhou", "Zhejiang", "310000", "Binjiang District", "571"),
    ("Dongguan", "Guangdong", "523000", "Chang'an Town", "769"),
    ("Ningbo", "Zhejiang", "315000", "Yinzhou District", "574"),
    ("Xiamen", "Fujian", "361000", "Siming District", "592"),
    ("Quanzhou", "Fujian", "362000", "Fengze District", "595"),
]
STREETS = ["Tianhe Road", "Bao'an Avenue", "Chouzhou North Road", "Xinghe Road", "Hengda Street",
           "Wanda Plaza Road", "Jiangnan Avenue", "Huanshi East Road", "Binhai Avenue", "Futian Road",
           "Longgang Avenue", "Minzhi Street", "Songbai Road", "Nanshan Avenue", "Qianhai Road"]
BUILDINGS = ["Xinghe Century Building", "Hengda Plaza", "Tower A, Jinlong Center", "Block B, Huafeng Park",
             "Wing Tat Industrial Building", "Zhongshan Business Center", "Block C, Kexing Science Park"]
TRADE_WORDS = ["Huaxin", "Kewei", "Mingyue", "Haoyunlai", "Jinfeng", "Xinyuan", "Ruixiang", "Tianli", "Yuanda",
               "Hengtai", "Longsheng", "Baiyun", "Fuxing", "Zhongda", "Meijia", "Jiahe", "Shengda", "Huamei",
               "Anxin", "Boyuan", "Chenguang", "Dingsheng", "Fengyuan", "Guanghui", "Hongda", "Jiayi", "Kaixuan",
               "Lianhe", "Mingde", "Nuoya", "Qiancheng", "Ruifeng", "Shunda", "Tongxin", "Weiye", "Xinhe"]
TRADE_KINDS = ["Trading Co., Ltd.", "E-commerce Co., Ltd.", "Technology Co., Ltd.",
               "Import & Export Co., Ltd.", "Household Products Co., Ltd.", "Network Technology Co., Ltd."]
MAIL_HOSTS = ["gmail.com", "outlook.com", "163.com", "qq.com", "hotmail.com", "126.com", "yahoo.com"]
MOBILE_PREFIXES = ["138", "139", "135", "136", "137", "150", "151", "152", "158", "159", "186", "187", "188"]
TLDS = ["com", "shop", "store", "net", "online", "top"]
FIRST_NAMES = ["Li", "Wang", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou"]
GIVEN_NAMES = ["Wei", "Fang", "Na", "Min", "Jing", "Lei", "Yan", "Jun", "Tao", "Ping", "Hui", "Qiang"]
AMAZON_CHARS = string.ascii_uppercase + string.digits


def shop_name(rng: random.Random) -> str:
    words = rng.sample(SHOP_WORDS, rng.choice((1, 2, 2)))
    return " ".join([*words, rng.choice(SHOP_SUFFIXES)])


def company_name(rng: random.Random, city: str) -> str:
    return f"{city} {rng.choice(TRADE_WORDS)} {rng.choice(TRADE_WORDS)} {rng.choice(TRADE_KINDS)}"


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(GIVEN_NAMES)}"


def slug(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def email_address(rng: random.Random, base: str, host: str | None = None) -> str:
    host = host or rng.choice(MAIL_HOSTS)
    local = slug(base)[:12] + rng.choice(["", ".cs", ".service", ".pay", ".shop", "88", "2024", ".help"])
    return f"{local}{rng.randint(1, 999)}@{host}"


def mobile(rng: random.Random) -> str:
    """An E.164 Chinese mobile number: '+8613800138000'."""
    return f"+86{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 99_999_999):08d}"


def address(rng: random.Random, city_row: tuple[str, str, str, str, str]) -> str:
    city, province, postcode, district, _ = city_row
    room = f"Room {rng.randint(1, 30)}{rng.randint(1, 20):02d}"
    return (f"{room}, {rng.choice(BUILDINGS)}, {rng.randint(1, 399)} {rng.choice(STREETS)}, {district}, "
            f"{city}, {province} {postcode}, China")


def ip_address(rng: random.Random) -> str:
    """An address in the documentation ranges (RFC 5737) or the carrier-grade NAT range (RFC 6598, where
    mobile logins come from): never a real host."""
    if rng.random() < 0.2:
        net = rng.choice(["192.0.2", "198.51.100", "203.0.113"])
        return f"{net}.{rng.randint(1, 254)}"
    return f"100.{rng.randint(64, 127)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def domain_name(rng: random.Random, base: str) -> str:
    return f"{slug(base)[:18]}-{rng.choice(['shop', 'store', 'outlet', 'deals', 'official', 'mall'])}." \
           f"{rng.choice(TLDS)}"


def amazon_id(rng: random.Random) -> str:
    return "A" + "".join(rng.choices(AMAZON_CHARS, k=13))


def near_name(rng: random.Random, name: str) -> str:
    """A decoy's name: one small change to a real shop's name ('Sunny Bloom Shop' -> 'SunnyBloom Shop')."""
    words = name.split()
    choice = rng.randrange(4)
    if choice == 0 and len(words) > 1:
        i = rng.randrange(len(words) - 1)
        return " ".join([*words[:i], words[i] + words[i + 1], *words[i + 2:]])
    if choice == 1:
        return name + rng.choice([" US", " Official", " 2", " Store", "-US"])
    if choice == 2:
        return name.replace("o", "0", 1) if "o" in name else name + " Co"
    return " ".join(words[:-1] + [rng.choice([s for s in SHOP_SUFFIXES if s != words[-1]])])
