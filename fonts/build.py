#!/usr/bin/python3
"""Builds the stand-in fonts of gongwen from Debian packages.

Run through build.sh (which installs or downloads the sources). For every face (one
per role, and the fallback face that draws what a role's face lacks) it extracts the
Simplified Chinese face, keeps the characters the face needs, converts CFF outlines
to TrueType quadratic outlines on a grid of 250 units per em (small per-document
subsets; see UNITS_PER_EM), drops hinting and layout tables, renumbers glyphs in
Unicode order (so the character maps stay compact) and writes <face>.ttf: the OFL
faces in this directory (embedded in the executable), the GPL ones in gpl/ (shipped
beside it; see README.md). It also writes ../internal/fonts/coverage.txt, the list of
characters every role must draw, built from Unihan (unicode-data) and the GB 2312
codec, and SOURCES.
"""
import bz2
import hashlib
import math
import os
import subprocess
import sys
import unicodedata

from fontTools.ttLib import TTFont, TTCollection, newTable
from fontTools.ttLib.tables._c_m_a_p import CmapSubtable
from fontTools.pens.basePen import AbstractPen
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.transformPen import TransformPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib.scaleUpem import scale_upem
from fontTools import subset

HERE = os.path.dirname(os.path.abspath(__file__))
COVERAGE = os.path.join(HERE, "..", "internal", "fonts", "coverage.txt")
UNIHAN = "/usr/share/unicode/Unihan_OtherMappings.txt.bz2"

# face -> (Debian package, file, face name (in a collection), licence, whole font?)
# A whole font keeps every character it has (the fallback: the rare characters of
# people's and place names); the others keep the coverage list's characters.
OFL = "SIL Open Font License 1.1 (LICENSE-noto-cjk.txt)"
GPL = "GNU GPL version 3 with the GPL font exception (gpl/COPYING)"
# Fandol comes from texlive-lang-chinese, taken apart with dpkg-deb -x (build.sh sets
# FANDOL_DIR) rather than installed: TeX Live is 2 GB.
FANDOL = "texlive-lang-chinese"
FANDOL_DIR = os.environ.get("FANDOL_DIR", "")
FANDOL_FONTS = "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/"
FACES = {
    "fangsong": (FANDOL, FANDOL_FONTS + "FandolFang-Regular.otf", "FandolFang R", GPL, True),
    "title": ("fonts-noto-cjk", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC Bold", OFL, False),
    "hei": ("fonts-noto-cjk-extra", "/usr/share/fonts/opentype/noto/NotoSansCJK-Medium.ttc", "Noto Sans CJK SC Medium", OFL, False),
    "kai": (FANDOL, FANDOL_FONTS + "FandolKai-Regular.otf", "FandolKai", GPL, True),
    "song": ("fonts-noto-cjk", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", OFL, False),
    "fallback": ("fonts-noto-cjk-extra", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Light.ttc", "Noto Serif CJK SC Light", OFL, True),
}
# The GPL faces are not embedded in the executable (README.md, "Licences").
GPL_DIR = os.path.join(HERE, "gpl")

# FandolKai draws its hanzi smaller than FandolFang in the same cell: median ink
# height 0.916 of FandolFang's over the 7,942 hanzi of U+4E00-9FFF both have, 国 0.939,
# 中 0.970, ink area 0.955. Its hanzi are scaled by 1.04 about the median centre of
# their ink (500, 307 in 1/1000 em; FandolFang's is 498, 308), so that 国 (0.977) and
# 中 (1.009) are well within 5 % of the body's and the ink area (1.03) matches; the
# advance stays one cell, and a wide glyph grows only as far as its ink stays inside
# the cell. Punctuation is not scaled: both Fandol faces draw ，。 the same, in the
# lower left of the cell.
KAI_SCALE = (1.04, 500, 307)

# Appended to the GPL faces' version string (name ID 5).
MODIFIED = ("modified by Gongwen fonts/build.py on 2026-12-01 from texlive-lang-chinese: "
            "TrueType outlines on a 250-unit grid, layout tables and hinting removed")
KAI_NOTE = "hanzi scaled by 1.04 to match FandolFang"

# Units per em of the shipped fonts (the sources have 1000, UKai 1024). The outlines
# are most of every PDF's bytes, and on a coarser grid their coordinate deltas fit in
# one byte far more often: the Wuchuan example's body-font subset is 30% smaller
# deflated than at 1000. One unit is 1/250 em: 0.064 pt (0.023 mm) at 16 pt, 0.088 pt
# at the 22 pt title, below a 600 dpi printer's dot (0.042 mm) and far below what an
# eye resolves on paper. 250 rather than 256 so that every advance is a whole number
# of the PDF's 1/1000 em text space units (4 per font unit): the widths the PDF writer
# declares are then exactly the ones the typesetter used, with no rounding drift.
UNITS_PER_EM = 250

# Maximum error of the cubic-to-quadratic conversion, in units of the new grid
# (1/250 em). The cubic outlines are scaled exactly before the conversion, so the only
# other error is one rounding of each point to the grid.
CU2QU_MAX_ERR = 1.0

DROP_TABLES = ["GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH", "VORG", "vhea", "vmtx",
               "DSIG", "hdmx", "LTSH", "VDMX", "kern", "gasp", "fpgm", "prep", "cvt ",
               "meta", "STAT", "morx", "mort", "feat", "PCLT"]


def unihan(field):
    out = set()
    with bz2.open(UNIHAN, "rt", encoding="utf-8") as f:
        for line in f:
            p = line.rstrip("\n").split("\t")
            if len(p) >= 3 and p[1] == field:
                out.add(int(p[0][2:], 16))
    return out


def gb2312():
    """Every character of GB 2312 (hanzi and the 682 symbols), via Python's codec."""
    out = set()
    for a in range(0xA1, 0xF8):
        for b in range(0xA1, 0xFF):
            try:
                out.add(ord(bytes([a, b]).decode("gb2312")))
            except UnicodeDecodeError:
                pass
    return out


def coverage():
    """Returns {codepoint: reason} for every character each role must draw."""
    groups = [
        ("gb2312", gb2312() | unihan("kGB0")),
        ("tgh", unihan("kTGH")),
        ("ascii", set(range(0x20, 0x7F))),
        ("cjk-punct", set(range(0x3000, 0x3040))),
        ("fullwidth", set(range(0xFF00, 0xFFF0))),
        ("punct", {ord(c) for c in "—…‘’“”‰※·×÷№℃"}),
        ("roman", set(range(0x2160, 0x216C))),
        ("circled", set(range(0x2460, 0x2474))),
    ]
    out = {}
    for name, cps in groups:
        for cp in sorted(cps):
            if unicodedata.category(chr(cp)) in ("Cn", "Cs", "Co"):
                continue  # unassigned: nothing to draw
            out.setdefault(cp, name)
    return out


def open_face(path, face):
    if path.endswith(".ttc"):
        for i, f in enumerate(TTCollection(path).fonts):
            if f["name"].getDebugName(4) == face:
                return TTFont(path, fontNumber=i)
        sys.exit("face %r not in %s" % (face, path))
    return TTFont(path)


# Outline simplification, in units of the new grid: a cubic whose control points lie
# within this distance of its chord becomes a line, and line points within it of the
# straight path between their neighbours are dropped. FandolFang and FandolKai were
# traced with dense points (the Wuchuan example's 520 hanzi: 96,501 points in
# FandolFang against 44,260 in Noto Serif CJK SC Light), which made each PDF's body
# subset twice as large and a render 78 % slower; one unit (the grid's own rounding,
# 0.064 pt at 16 pt) takes FandolFang's to 42,287 points and its deflated subset from
# 156 KB to 85 KB.
SIMPLIFY_TOL = 1.0


def _dist(p, a, b):
    """Distance from point p to the segment a-b."""
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    ll = dx * dx + dy * dy
    if ll == 0:
        return math.hypot(x - x1, y - y1)
    t = ((x - x1) * dx + (y - y1) * dy) / ll
    if t < 0 or t > 1:
        return min(math.hypot(x - x1, y - y1), math.hypot(x - x2, y - y2))
    return abs(dx * (y1 - y) - dy * (x1 - x)) / math.sqrt(ll)


class SimplifyPen(AbstractPen):
    """Straightens flat cubics and drops points of straight runs (tol in the units of
    the outlines drawn into it); the outline moves by at most tol."""

    def __init__(self, out, tol):
        self.out, self.tol = out, tol
        self.cur = self.emitted = None
        self.pend = []

    def moveTo(self, p):
        self.cur = self.emitted = p
        self.pend = []
        self.out.moveTo(p)

    def _flush(self):
        pts, self.pend = self.pend, []
        anchor, i = self.emitted, 0
        while i < len(pts):
            j = i
            while j + 1 < len(pts) and all(_dist(pts[k], anchor, pts[j + 1]) <= self.tol for k in range(i, j + 1)):
                j += 1
            self.out.lineTo(pts[j])
            anchor, i = pts[j], j + 1
        self.emitted = anchor

    def lineTo(self, p):
        if not self.pend:
            self.emitted = self.cur
        self.pend.append(p)
        self.cur = p

    def curveTo(self, *pts):
        if len(pts) == 3 and _dist(pts[0], self.cur, pts[2]) <= self.tol and _dist(pts[1], self.cur, pts[2]) <= self.tol:
            self.lineTo(pts[2])
            return
        self._flush()
        self.out.curveTo(*pts)
        self.cur = self.emitted = pts[-1]

    def qCurveTo(self, *pts):
        self._flush()
        self.out.qCurveTo(*pts)
        self.cur = self.emitted = pts[-1]

    def closePath(self):
        self._flush()
        self.out.closePath()

    def endPath(self):
        self._flush()
        self.out.endPath()

    def addComponent(self, name, transform):
        self.out.addComponent(name, transform)


def is_hanzi(cp):
    return unicodedata.name(chr(cp), "").startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH"))


def cff_to_glyf(font, upem, grow=None):
    """Replaces CFF outlines by TrueType quadratic ones (as fontTools' otf2ttf does) on
    a grid of upem units per em: each cubic is scaled exactly, converted, and its
    points rounded once. The other tables' metrics are scaled to the same grid.
    grow = (factor, cx, cy) also scales the hanzi's outlines about (cx, cy)."""
    scale = upem / font["head"].unitsPerEm
    order = font.getGlyphOrder()
    gs = font.getGlyphSet()
    grown = set()
    if grow:
        grown = {g for cp, g in font.getBestCmap().items() if is_hanzi(cp)}
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(gs)
        cu2qu = Cu2QuPen(pen, CU2QU_MAX_ERR, reverse_direction=True)
        m = (scale, 0, 0, scale, 0, 0)
        if name in grown:
            k, cx, cy = grow
            # A wide glyph grows only as far as its ink stays inside the cell (with
            # one unit of the new grid to spare): the glyphs of a justified line never
            # touch, and a line's last glyph stays inside the type area.
            bp = BoundsPen(gs)
            gs[name].draw(bp)
            if bp.bounds:
                adv = font["hmtx"][name][0]
                spare = 1 / scale
                x0, x1 = bp.bounds[0], bp.bounds[2]
                if x0 < cx:
                    k = min(k, (cx - spare) / (cx - x0))
                if x1 > cx:
                    k = min(k, (adv - spare - cx) / (x1 - cx))
                k = max(k, 1.0)
            m = (scale * k, 0, 0, scale * k, scale * cx * (1 - k), scale * cy * (1 - k))
        gs[name].draw(SimplifyPen(TransformPen(cu2qu, m), SIMPLIFY_TOL / scale))
        glyf[name] = pen.glyph()
    del font["CFF "]
    # hmtx, head, hhea, OS/2, post; the outlines are already on the new grid.
    scale_upem(font, upem)
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for a in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
              "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
              "maxComponentElements"):
        setattr(maxp, a, 0)
    maxp.maxZones = 1
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def renumber(font):
    """Orders glyphs by the first character mapped to them: consecutive characters get
    consecutive glyph ids, so the cmap format 4 is a few hundred idDelta segments
    (gofpdf reads the subtable length as 16 bits; a glyphIdArray would overflow it)."""
    cmap = font.getBestCmap()
    first = {}
    for cp in sorted(cmap):
        first.setdefault(cmap[cp], cp)
    old = font.getGlyphOrder()
    rest = [g for g in old[1:] if g not in first]
    new = [old[0]] + sorted(first, key=lambda g: first[g]) + rest
    # Rename to neutral names: post format 3 stores none anyway.
    rename = {g: ("glyph%05d" % i if i else ".notdef") for i, g in enumerate(new)}
    glyf = font["glyf"]
    hmtx = font["hmtx"]
    glyphs = {}
    metrics = {}
    for g in new:
        gl = glyf[g]
        if gl.isComposite():
            for c in gl.components:
                c.glyphName = rename[c.glyphName]
        glyphs[rename[g]] = gl
        metrics[rename[g]] = hmtx.metrics[g]
    order = [rename[g] for g in new]
    font.setGlyphOrder(order)
    glyf.glyphOrder = order
    glyf.glyphs = glyphs
    hmtx.metrics = metrics
    for t in font["cmap"].tables:
        t.cmap = {cp: rename[g] for cp, g in t.cmap.items()}
    post = font["post"]
    post.formatType = 3.0
    post.extraNames = []
    post.mapping = {}
    if hasattr(post, "glyphOrder"):
        post.glyphOrder = None


# Characters whose default glyph in Noto CJK is proportional but which the GB 2312
# fonts of the official format set on a full cell: the em dash (破折号 "——" is two
# cells). Noto's own Simplified Chinese 'locl' and its 'fwid' feature pick the
# full-width glyph; gofpdf does not shape, so the cmap points at it directly.
FULL_WIDTH = [0x2014]


def full_width(font):
    if "GSUB" not in font:
        return
    gsub = font["GSUB"].table
    lookups = set()
    for fr in gsub.FeatureList.FeatureRecord:
        if fr.FeatureTag == "fwid":
            lookups.update(fr.Feature.LookupListIndex)
    subs = {}
    for li in sorted(lookups):
        for st in gsub.LookupList.Lookup[li].SubTable:
            if st.LookupType == 7:
                st = st.ExtSubTable
            for k, v in getattr(st, "mapping", {}).items():
                subs.setdefault(k, v)
    upem = font["head"].unitsPerEm
    hmtx = font["hmtx"].metrics
    for t in font["cmap"].tables:
        for cp in FULL_WIDTH:
            g = t.cmap.get(cp)
            if g in subs and hmtx[g][0] < upem and hmtx[subs[g]][0] == upem:
                t.cmap[cp] = subs[g]


def connect_dash(font, role):
    """Stretches a rectangular em dash to its full advance: the two halves of 破折号 ——
    then join into one line, as in the GB fonts (Noto's full-width dash keeps side
    bearings, which leave a gap in the middle)."""
    upem = font["head"].unitsPerEm
    name = font.getBestCmap().get(0x2014)
    if name is None:
        return
    glyph = font["glyf"][name]
    adv, _ = font["hmtx"][name]
    if adv != upem or glyph.isComposite() or glyph.numberOfContours != 1:
        return
    coords = glyph.coordinates
    xs = {x for x, _ in coords}
    if len(coords) != 4 or len(xs) != 2:
        print("%s: em dash is not a plain rectangle; left as it is" % role)
        return
    lo = min(xs)
    for i, (x, y) in enumerate(coords):
        coords[i] = (0 if x == lo else adv, y)
    glyph.recalcBounds(font["glyf"])
    font["hmtx"][name] = (adv, 0)


def side_bearings(font):
    """Sets every left side bearing to its glyph's xMin, as TrueType requires (the
    conversion and the scaling move outlines by a fraction of a unit; a rasteriser
    that positions glyphs by the side bearing would shift them)."""
    glyf = font["glyf"]
    hmtx = font["hmtx"]
    for name in font.getGlyphOrder():
        g = glyf[name]
        g.recalcBounds(glyf)
        adv, _ = hmtx[name]
        hmtx[name] = (adv, g.xMin if g.numberOfContours else 0)


def build(role, path, face, keep, whole):
    font = open_face(path, face)
    full_width(font)
    cmap = font.getBestCmap()
    if whole:
        unicodes = list(cmap)
    else:
        unicodes = [cp for cp in cmap if cp in keep]
    opts = subset.Options()
    opts.layout_features = []
    opts.drop_tables = subset.Options().drop_tables + DROP_TABLES
    opts.hinting = False
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    opts.name_languages = [0x409]
    opts.recalc_bounds = True
    opts.prune_unicode_ranges = True
    opts.desubroutinize = True
    s = subset.Subsetter(opts)
    s.populate(unicodes=unicodes)
    s.subset(font)
    src_upem = font["head"].unitsPerEm
    src_adv = {g: adv for g, (adv, _) in font["hmtx"].metrics.items()}
    if "CFF " in font:
        cff_to_glyf(font, UNITS_PER_EM, KAI_SCALE if role == "kai" else None)
    elif src_upem != UNITS_PER_EM:
        scale_upem(font, UNITS_PER_EM)  # TrueType outlines: each point rounded once
    # Advances rounded down (by less than 1/250 em), never up: a line that fits with
    # the source's metrics still fits, in our typesetter and in Word or LibreOffice
    # setting the DOCX with these fonts. (Rounded to nearest, "2021-2025" grew by
    # 0.003 em and LibreOffice dropped the "，" of a line ending "）》，" that no longer
    # fitted.)
    hmtx = font["hmtx"]
    for g, adv in src_adv.items():
        hmtx[g] = (adv * UNITS_PER_EM // src_upem, hmtx[g][1])
    renumber(font)
    connect_dash(font, role)
    side_bearings(font)
    # The Windows cmaps only: format 4 for the BMP (what gofpdf and old readers use)
    # and, when the face has characters beyond it (CJK Extensions B-F), format 12 for
    # all of them.
    cm = font["cmap"]
    full = font.getBestCmap()
    bmp = [t for t in cm.tables if t.platformID == 3 and t.platEncID == 1 and t.format == 4]
    if not bmp:
        sys.exit(role + ": no cmap format 4")
    bmp[0].cmap = {cp: g for cp, g in full.items() if cp <= 0xFFFF}
    cm.tables = bmp
    if any(cp > 0xFFFF for cp in full):
        t12 = CmapSubtable.newSubtable(12)
        t12.platformID, t12.platEncID, t12.language = 3, 10, 0
        t12.cmap = dict(full)
        cm.tables.append(t12)
    if FACES[role][3] == GPL:
        same_vertical_metrics(font)
        # GPL section 5(a): a modified version carries a notice that it was modified.
        name = font["name"]
        for rec in list(name.names):
            if rec.nameID == 5:
                name.setName(rec.toUnicode() + "; " + MODIFIED + ("; " + KAI_NOTE if role == "kai" else ""),
                             5, rec.platformID, rec.platEncID, rec.langID)
    # fsType stays the source's: Noto 0 (installable), Fandol 8 (editable embedding);
    # both allow embedding subsets in documents.
    font["head"].flags &= ~(1 << 13)  # no ClearType-hinted claim
    font.recalcTimestamp = False  # keep the source's dates: deterministic output
    out = os.path.join(GPL_DIR if FACES[role][3] == GPL else HERE, role + ".ttf")
    font.save(out, reorderTables=True)
    got = set(TTFont(out).getBestCmap())
    return out, got


def same_vertical_metrics(font):
    """Gives a Fandol face the line metrics of the Noto faces (hhea, OS/2 win and typo
    line gap; the outlines do not move). An office suite centres a font's line box
    in each line of the document grid, so a face with other metrics puts its
    baseline elsewhere in the line: LibreOffice's FandolFang lines sat 0.9 pt higher
    than its Noto heading lines and off the 28.95 pt grid between them."""
    _, path, face, _, _ = FACES["fallback"]
    noto = open_face(path, face)
    k = UNITS_PER_EM / noto["head"].unitsPerEm
    nh, no = noto["hhea"], noto["OS/2"]
    h, o = font["hhea"], font["OS/2"]
    h.ascent, h.descent, h.lineGap = round(nh.ascent * k), round(nh.descent * k), round(nh.lineGap * k)
    o.usWinAscent, o.usWinDescent = round(no.usWinAscent * k), round(no.usWinDescent * k)
    o.sTypoLineGap = round(no.sTypoLineGap * k)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def owner(path):
    if path.startswith(FANDOL_FONTS):
        return FANDOL
    """The Debian package that installed path (dpkg -S), so SOURCES cannot name the
    wrong one: Noto's Light and Medium weights are in fonts-noto-cjk-extra, its
    Regular and Bold in fonts-noto-cjk."""
    out = subprocess.run(["dpkg-query", "-S", path], capture_output=True, text=True,
                         check=True).stdout
    return out.split(":", 1)[0].strip()


def version(pkg):
    if pkg == FANDOL:
        return os.environ["FANDOL_VERSION"]
    return subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True,
                          text=True, check=True).stdout


def main():
    only = sys.argv[1:]
    cov = coverage()
    with open(COVERAGE, "w", encoding="utf-8") as f:
        f.write("# Characters every role must draw (own face or the fallback face) and the fallback\n"
                "# face must have. Generated by fonts/build.py from Unihan kGB0/kTGH,\n"
                "# the GB 2312 codec and the lists in fonts/README.md. Columns: code point, group.\n")
        for cp in sorted(cov):
            f.write("U+%04X\t%s\n" % (cp, cov[cp]))
    keep = set(cov)
    rows = []
    os.makedirs(GPL_DIR, exist_ok=True)
    for role, (pkg, path, face, licence, whole) in FACES.items():
        if only and role not in only:
            continue
        if owner(path) != pkg:
            sys.exit("%s: %s belongs to %s, not %s" % (role, path, owner(path), pkg))
        src = path
        if pkg == FANDOL:
            src = FANDOL_DIR + path
        out, got = build(role, src, face, keep, whole)
        missing = sorted(keep - got)
        print("%-8s %-28s %9d bytes %6d chars, missing %d: %s" % (
            role, face, os.path.getsize(out), len(got), len(missing),
            "".join(chr(c) for c in missing[:40])))
        deb = ""
        if pkg == FANDOL:
            deb = os.environ["FANDOL_DEB_SHA256"]
        rows.append([os.path.relpath(out, HERE), str(os.path.getsize(out)), pkg, version(pkg), deb, path, face,
                     TTFont(out)["name"].getDebugName(6), sha256(src), licence, sha256(out)])
    if not only:
        with open(os.path.join(HERE, "SOURCES"), "w") as f:
            f.write("# Generated by build.py. One block per font file (gpl/: shipped beside the executable, the others embedded in it).\n")
            heads = ["file", "size", "Debian package", "version", ".deb sha256", "source file", "face",
                     "PostScript name", "source sha256", "licence", "file sha256"]
            for r in rows:
                f.write("\n")
                for h, v in zip(heads, r):
                    if v:
                        f.write("%-16s %s\n" % (h + ":", v))


if __name__ == "__main__":
    main()
