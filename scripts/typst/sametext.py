#!/usr/bin/env python3
"""Compares the printed text of two PDFs, as pdftotext extracts it, ignoring line
breaks and all other white space (the two typesetters break lines differently; Typst
also reports the gap between CJK and Latin as a space) and comparing the page numbers
("—N—") apart, since they stand where each typesetter breaks its pages.

    sametext.py GONGWEN.pdf TYPST.pdf

Prints the character counts and either "same text" or every difference (difflib
opcodes, with context). Exit status 1 when they differ. One normalisation, reported
when it applies: Typst's PDFs map the em dash glyph of the page numbers to U+2015
(HORIZONTAL BAR) in their ToUnicode tables, where gongwen writes U+2014; the glyph is
the same (one glyph serves both code points in the Noto CJK faces).
"""
import difflib
import re
import subprocess
import sys


def text(pdf):
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", pdf, "-"], check=True,
                         capture_output=True, text=True).stdout
    return re.sub(r"\s+", "", out)


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    ours, theirs = text(sys.argv[1]), text(sys.argv[2])
    bars = theirs.count("\u2015") - ours.count("\u2015")
    if bars > 0:
        theirs = theirs.replace("\u2015", "\u2014")
        print(f"  (normalised {bars} U+2015 to U+2014 in the Typst text)")
    # Page numbers fall where each typesetter breaks its pages: compared apart.
    num = re.compile("\u2014(\\d+)\u2014")
    pn_ours, pn_theirs = num.findall(ours), num.findall(theirs)
    ours, theirs = num.sub("", ours), num.sub("", theirs)
    print(f"  page numbers: gongwen {' '.join(pn_ours)}; typst {' '.join(pn_theirs)}")
    print(f"  characters (no white space, no page numbers): gongwen {len(ours)}, typst {len(theirs)}")
    if ours == theirs:
        print("  same text")
        return 0
    sm = difflib.SequenceMatcher(None, ours, theirs, autojunk=False)
    for op, a1, a2, b1, b2 in sm.get_opcodes():
        if op == "equal":
            continue
        ctx = ours[max(0, a1 - 10):a1]
        print(f"  {op}: gongwen {ours[a1:a2]!r} typst {theirs[b1:b2]!r} after …{ctx}")
    return 1


if __name__ == "__main__":
    sys.exit(main())
