#!/usr/bin/python3
"""Builds the embedded stand-in fonts of gongwen from Debian font packages.

Run through build.sh (which installs the sources). For every role it extracts the
Simplified Chinese face, keeps the characters the role needs, converts CFF outlines
to TrueType quadratic outlines (gofpdf reads glyf only) on a grid of 250 units per em
(small per-document subsets; see UNITS_PER_EM), drops hinting and layout tables, renumbers glyphs in Unicode order (so the cmap format 4 stays compact) and
writes <role>.ttf. It also writes ../internal/fonts/coverage.txt, the list of
characters every role must draw, built from Unihan (unicode-data) and the GB 2312
codec, and SOURCES.
"""
import bz2
import hashlib
import os
import subprocess
import sys
import unicodedata

from fontTools.ttLib import TTFont, TTCollection, newTable
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.transformPen import TransformPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib.scaleUpem import scale_upem
from fontTools import subset

HERE = os.path.dirname(os.path.abspath(__file__))
COVERAGE = os.path.join(HERE, "..", "internal", "fonts", "coverage.txt")
UNIHAN = "/usr/share/unicode/Unihan_OtherMappings.txt.bz2"

# role -> (Debian package, file, face name (in a collection), licence)
OFL = "SIL Open Font License 1.1 (LICENSE-noto-cjk.txt)"
APL = "Arphic Public License (LICENSE-arphic-ukai.txt)"
ROLES = {
    "fangsong": ("fonts-noto-cjk-extra", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Light.ttc", "Noto Serif CJK SC Light", OFL),
    "title": ("fonts-noto-cjk", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", "Noto Serif CJK SC Bold", OFL),
    "hei": ("fonts-noto-cjk-extra", "/usr/share/fonts/opentype/noto/NotoSansCJK-Medium.ttc", "Noto Sans CJK SC Medium", OFL),
    "kai": ("fonts-arphic-ukai", "/usr/share/fonts/truetype/arphic/ukai.ttc", "AR PL UKai CN", APL),
    "song": ("fonts-noto-cjk", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC", OFL),
}
BODY = "fangsong"

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
            if cp > 0xFFFF:
                continue  # gofpdf reads cmap format 4 only: BMP characters
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


def cff_to_glyf(font, upem):
    """Replaces CFF outlines by TrueType quadratic ones (as fontTools' otf2ttf does) on
    a grid of upem units per em: each cubic is scaled exactly, converted, and its
    points rounded once. The other tables' metrics are scaled to the same grid."""
    scale = upem / font["head"].unitsPerEm
    order = font.getGlyphOrder()
    gs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(gs)
        cu2qu = Cu2QuPen(pen, CU2QU_MAX_ERR, reverse_direction=True)
        gs[name].draw(TransformPen(cu2qu, (scale, 0, 0, scale, 0, 0)))
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


def build(role, path, face, keep):
    font = open_face(path, face)
    full_width(font)
    cmap = font.getBestCmap()
    if role == BODY:
        unicodes = [cp for cp in cmap if cp <= 0xFFFF]
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
        cff_to_glyf(font, UNITS_PER_EM)
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
    # Only the Windows BMP cmap: gofpdf reads format 4, and nothing here is outside the BMP.
    cm = font["cmap"]
    cm.tables = [t for t in cm.tables if t.platformID == 3 and t.platEncID == 1 and t.format == 4]
    if not cm.tables:
        sys.exit(role + ": no cmap format 4")
    # Installable embedding: the stand-ins are open fonts.
    font["OS/2"].fsType = 0
    font["head"].flags &= ~(1 << 13)  # no ClearType-hinted claim
    font.recalcTimestamp = False  # keep the source's dates: deterministic output
    out = os.path.join(HERE, role + ".ttf")
    font.save(out, reorderTables=True)
    got = set(TTFont(out).getBestCmap())
    return out, got


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def owner(path):
    """The Debian package that installed path (dpkg -S), so SOURCES cannot name the
    wrong one: Noto's Light and Medium weights are in fonts-noto-cjk-extra, its
    Regular and Bold in fonts-noto-cjk."""
    out = subprocess.run(["dpkg-query", "-S", path], capture_output=True, text=True,
                         check=True).stdout
    return out.split(":", 1)[0].strip()


def version(pkg):
    return subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True,
                          text=True, check=True).stdout


def main():
    only = sys.argv[1:]
    cov = coverage()
    with open(COVERAGE, "w", encoding="utf-8") as f:
        f.write("# Characters every role must draw (own font or body fallback) and the body\n"
                "# font must have. Generated by fonts/build.py from Unihan kGB0/kTGH (BMP only),\n"
                "# the GB 2312 codec and the lists in fonts/README.md. Columns: code point, group.\n")
        for cp in sorted(cov):
            f.write("U+%04X\t%s\n" % (cp, cov[cp]))
    keep = set(cov)
    rows = []
    for role, (pkg, path, face, licence) in ROLES.items():
        if only and role not in only:
            continue
        if owner(path) != pkg:
            sys.exit("%s: %s belongs to %s, not %s" % (role, path, owner(path), pkg))
        out, got = build(role, path, face, keep)
        missing = sorted(keep - got)
        print("%-8s %-28s %9d bytes %6d chars, missing %d: %s" % (
            role, face, os.path.getsize(out), len(got), len(missing),
            "".join(chr(c) for c in missing[:40])))
        rows.append([role + ".ttf", str(os.path.getsize(out)), pkg, version(pkg), path, face,
                     sha256(path), licence, sha256(out)])
    if not only:
        with open(os.path.join(HERE, "SOURCES"), "w") as f:
            f.write("# Generated by build.py. One block per embedded font.\n")
            heads = ["file", "size", "Debian package", "version", "source file", "face",
                     "source sha256", "licence", "file sha256"]
            for r in rows:
                f.write("\n")
                for h, v in zip(heads, r):
                    f.write("%-15s %s\n" % (h + ":", v))


if __name__ == "__main__":
    main()
