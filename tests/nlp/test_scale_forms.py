"""Scale figures: more currency markers (NT$, CA$, AU$, NZ$, S$, MX$, R$), 萬 as ten thousand, Chinese count words
(已售出 / 已卖出 / 成交 / 好评 / 人评价) and measure words, 'N pcs shipped', 'sold more than N units' as the number
and its unit; NOT a sales figure: a fee named after the amount, the price printed before a discount percentage.
Passages are written for these tests."""

from __future__ import annotations

import pytest

from nlp.pipeline import extract, load_pipeline


def _scale(text: str) -> set[tuple[str, str | None, str | None]]:
    ex = extract(text, (), nlp=load_pipeline(False))
    return {(text[m.start:m.end], m.value, m.props.get("scale_kind")) for m in ex.mentions if m.label == "SCALE"}


@pytest.mark.parametrize("text,span,value,kind", [
    ("墨鏡 NT$620 一副，十副起", "NT$620", "620", "price"),
    ("Hoodies from CA$74 at the pop-up", "CA$74", "74", "price"),
    ("Now S$ 31.50 per set", "S$ 31.50", "31.5", "price"),
    ("蝦皮顯示 已售出 3.2萬", "已售出 3.2萬", "32000", "units_sold"),
    ("店铺好评1.4万+，回头客多", "好评1.4万+", "14000", "reviews"),
    ("该款 8600人评价", "8600人评价", "8600", "reviews"),
    ("累计成交 2.7万副", "成交 2.7万副", "27000", "units_sold"),
    ("闲鱼页面显示已卖出 215件", "已卖出 215件", "215", "units_sold"),
    ("We have 12,500 pcs shipped to Europe this year.", "12,500 pcs shipped", "12500", "units_sold"),
    ("The store sold more than 9,400 units of the jacket.", "9,400 units", "9400", "units_sold"),
])
def test_scale_form(text, span, value, kind):
    assert (span, value, kind) in _scale(text)


@pytest.mark.parametrize("text,span", [
    ("Paid £12.40 + £3.10 delivery by card.", "£3.10"),
    ("Shipping was $6.95 shipping fee extra", "$6.95"),
    ("US $21.90   US $54.00   -59%\n3,210 sold", "US $54.00"),
    ("Rm 1203, 12/F, Tower B", "Rm 1203"),
])
def test_not_a_sales_figure(text, span):
    assert not any(s == span for s, _, _ in _scale(text))
