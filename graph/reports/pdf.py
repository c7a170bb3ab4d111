"""PDF rendering of a report Document, offline, with fpdf2.

Tables are laid out here rather than by fpdf2's ``table()``, whose line breaking re-measures the growing line
for every character (a 300-defendant memo took minutes): text is wrapped greedily with cached character
widths and drawn line by line, and a row taller than the rest of the page continues on the next one under a
repeated header.

The font is a Unicode TrueType font found on the machine (DejaVu, from Debian's ``fonts-dejavu-core``), with
a CJK font as fallback when one is installed (Droid Sans Fallback from ``fonts-droid-fallback``, WenQuanYi, Noto
CJK): Chinese names and addresses are common in this evidence. A character no font covers is written as
``[U+XXXX]`` (never dropped silently); without DejaVu the core Helvetica font is used and characters outside
Latin-1 become '?'. The HTML version always has every character.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone
from pathlib import Path

from graph.reports.document import SVG_FONT, Document, Heading, Paragraph, Picture, Table

FONT_DIRS = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu", "/usr/local/share/fonts",
             "/Library/Fonts", "C:/Windows/Fonts")
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
CJK_FONTS = ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
             "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
             "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
TABLE_SIZE, LINE, PAD, BASELINE = 7, 3.4, 1.0, 0.9


def find_font() -> dict[str, Path] | None:
    for d in FONT_DIRS:
        paths = {style: Path(d) / name for style, name in FONT_FILES.items()}
        if all(p.is_file() for p in paths.values()):
            return paths
    return None


def _pdf_date(date: str) -> datetime:
    try:
        dt = datetime.fromisoformat(date[:19])
    except ValueError:
        dt = datetime(2000, 1, 1)
    return dt.replace(tzinfo=timezone.utc) if dt.tzinfo is None else dt


class _Writer:
    def __init__(self, doc: Document):
        from fpdf import FPDF

        self.pdf = pdf = FPDF(orientation="landscape", format="A4")
        pdf.set_creation_date(_pdf_date(doc.date))
        pdf.set_producer("infringer-graph")
        pdf.set_title(doc.title)
        self.fonts = find_font()
        self.family = "DejaVu" if self.fonts else "Helvetica"
        for style, path in (self.fonts or {}).items():
            pdf.add_font("DejaVu", style, str(path))
        self.primary: set[int] = set(pdf.fonts["dejavu"].cmap) if self.fonts else set(range(256))
        self.covered = set(self.primary)
        self.cjk = cjk = next((p for p in CJK_FONTS if Path(p).is_file()), None) if self.fonts else None
        if cjk:
            pdf.add_font("Fallback", "", cjk)
            pdf.set_fallback_fonts(["fallback"], exact_match=False)
            self.covered |= set(pdf.fonts["fallback"].cmap)
        pdf.set_auto_page_break(True, margin=12)
        self.widths: dict[tuple[str, str], float] = {}

    def text(self, s: object, primary_only: bool = False) -> str:
        s = "" if s is None else str(s)
        if not self.fonts:
            return s.encode("latin-1", "replace").decode("latin-1")
        covered = self.primary if primary_only else self.covered
        if all(ord(c) in covered or c in "\n\t" for c in s):
            return s
        return "".join(c if ord(c) in covered or c in "\n\t" else f"[U+{ord(c):04X}]" for c in s)

    def font(self, style: str, size: float) -> None:
        self.pdf.set_font(self.family, style, size)
        self.style = f"{style}{size}"

    def width(self, s: str) -> float:
        total = 0.0
        for ch in s:
            w = self.widths.get((self.style, ch))
            if w is None:
                w = self.widths[(self.style, ch)] = self._measure(ch)
            total += w
        return total

    def _measure(self, run: str) -> float:
        if not self.cjk or ord(run[0]) in self.primary:
            return self.pdf.get_string_width(run)
        family, style, size = self.pdf.font_family, self.pdf.font_style, self.pdf.font_size_pt
        self.pdf.set_font("Fallback", "", size)
        w = self.pdf.get_string_width(run)
        self.pdf.set_font(family, style, size)
        return w

    def draw(self, x: float, y: float, line: str) -> None:
        """``text()`` draws with one font: runs the main font lacks are drawn with the CJK fallback."""
        if not self.cjk or all(ord(c) in self.primary for c in line):
            self.pdf.text(x, y, line)
            return
        family, style, size = self.pdf.font_family, self.pdf.font_style, self.pdf.font_size_pt
        run, main = "", True
        for c in line + "\0":
            here = ord(c) in self.primary or c == "\0"
            if (here != main or c == "\0") and run:
                self.pdf.set_font(family if main else "Fallback", style if main else "", size)
                self.pdf.text(x, y, run)
                x += self.pdf.get_string_width(run)
                run = ""
            main = here
            run += c if c != "\0" else ""
        self.pdf.set_font(family, style, size)

    def wrap(self, s: str, room: float) -> list[str]:
        lines: list[str] = []
        for para in self.text(s).split("\n"):
            line, used = "", 0.0
            for word in para.split(" "):
                w = self.width(word)
                sep = self.width(" ") if line else 0.0
                if used + sep + w <= room:
                    line, used = (line + " " + word if line else word), used + sep + w
                    continue
                if line:
                    lines.append(line)
                line, used = "", 0.0
                for ch in word:  # a word wider than the cell breaks anywhere
                    cw = self.width(ch)
                    if used + cw > room and line:
                        lines.append(line)
                        line, used = "", 0.0
                    line, used = line + ch, used + cw
            lines.append(line)
        return lines or [""]

    def paragraph(self, s: str, style: str = "", size: float = 8, height: float = 4.5) -> None:
        self.font(style, size)
        self.pdf.multi_cell(0, height, self.text(s), new_x="LMARGIN", new_y="NEXT")

    def _row(self, cells: list[list[str]], widths: list[float], bold: bool) -> float:
        pdf, n = self.pdf, max(len(c) for c in cells)
        height = n * LINE + 2 * PAD
        x0, y0 = pdf.l_margin, pdf.get_y()
        self.font("B" if bold else "", TABLE_SIZE)
        if bold:
            pdf.set_fill_color(235, 235, 235)
        x = x0
        for lines, w in zip(cells, widths):
            pdf.rect(x, y0, w, height, style="DF" if bold else "D")
            for i, line in enumerate(lines):
                if line:
                    self.draw(x + PAD, y0 + PAD + (i + 1) * LINE - BASELINE, line)
            x += w
        pdf.set_xy(x0, y0 + height)
        return height

    def table(self, t: Table) -> None:
        pdf = self.pdf
        rel = t.widths or tuple(1 for _ in t.columns)
        widths = [pdf.epw * r / sum(rel) for r in rel]
        self.font("B", TABLE_SIZE)
        header = [self.wrap(c, w - 2 * PAD) for c, w in zip(t.columns, widths)]
        self.font("", TABLE_SIZE)
        bottom = pdf.h - pdf.b_margin
        header_h = max(len(c) for c in header) * LINE + 2 * PAD
        if pdf.get_y() + header_h + LINE + 2 * PAD > bottom:
            pdf.add_page()
        self._row(header, widths, True)
        for row in t.rows:
            self.font("", TABLE_SIZE)
            cells = [self.wrap(v, w - 2 * PAD) for v, w in zip(row, widths)]
            while cells:
                fit = int((bottom - pdf.get_y() - 2 * PAD) // LINE)
                if fit < 1:
                    pdf.add_page()
                    self._row(header, widths, True)
                    continue
                part = [c[:fit] for c in cells]
                self._row([p or [""] for p in part], widths, False)
                cells = [c[fit:] for c in cells] if any(len(c) > fit for c in cells) else []
        pdf.ln(2)

    def picture(self, p: Picture) -> None:
        svg = p.svg.replace(SVG_FONT, 'font-family="DejaVu"' if self.fonts else 'font-family="Helvetica"')
        try:
            self.pdf.image(io.BytesIO(self.text(svg, primary_only=True).encode("utf-8")), w=min(self.pdf.epw, 180))
        except Exception:  # noqa: BLE001 - a picture fpdf2 cannot draw is left out of the PDF, not fatal
            self.paragraph("(network picture: see the HTML version)")
        self.paragraph(p.caption, size=7, height=4)


def render_pdf(doc: Document) -> bytes:
    w = _Writer(doc)
    w.pdf.add_page()
    w.paragraph(doc.title, "B", 15, 8)
    w.paragraph(f"{doc.subtitle} — {doc.date}", size=9, height=5)
    for b in doc.blocks:
        if isinstance(b, Heading):
            w.pdf.ln(3)
            w.paragraph(b.text, "B", 12 if b.level <= 2 else 10, 6)
        elif isinstance(b, Paragraph):
            w.paragraph(b.text)
        elif isinstance(b, Table):
            w.table(b)
        elif isinstance(b, Picture):
            w.picture(b)
    return bytes(w.pdf.output())
