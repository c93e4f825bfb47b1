#!/usr/bin/env bash
# Makes docs/images/wuchuan-page1.png, the README's opening picture: page 1 of the
# Wuchuan example as Gongwen's PDF (left) and as its DOCX opened in LibreOffice
# (right), both rasterised by pdftoppm.
# Needs: go, soffice (libreoffice-writer-nogui), pdftoppm (poppler-utils), python3.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpi=${DPI:-40}

go run ./cmd/gongwen render examples/wuchuan-2023.json -o "$tmp" >/dev/null

# The DOCX embeds its stand-in font subsets under the official names, so LibreOffice
# needs no fonts of its own (a fresh profile, the machine's fontconfig).
mkdir -p "$tmp/home" "$tmp/lo"
HOME="$tmp/home" soffice --headless --norestore \
  --convert-to pdf --outdir "$tmp/lo" "$tmp/wuchuan-2023.docx" >/dev/null

pdftoppm -f 1 -l 1 -r "$dpi" -gray "$tmp/wuchuan-2023.pdf" "$tmp/pdf"
pdftoppm -f 1 -l 1 -r "$dpi" -gray "$tmp/lo/wuchuan-2023.pdf" "$tmp/docx"

# Side by side with a thin grey gap, written as an 8-bit greyscale PNG (stdlib only).
/usr/bin/env python3 - "$tmp"/pdf*.pgm "$tmp"/docx*.pgm docs/images/wuchuan-page1.png <<'PY'
import struct, sys, zlib
def pgm(path):
    data = open(path, 'rb').read()
    parts, i = [], 0
    while len(parts) < 4:
        while data[i:i+1].isspace(): i += 1
        j = i
        while not data[j:j+1].isspace(): j += 1
        parts.append(data[i:j]); i = j
    w, h = int(parts[1]), int(parts[2])
    px = data[i+1:]
    return w, h, [px[r*w:(r+1)*w] for r in range(h)]
(w1, h1, a), (w2, h2, b) = pgm(sys.argv[1]), pgm(sys.argv[2])
gap, frame = 12, 1
h = max(h1, h2) + 2 * gap
w = w1 + w2 + 3 * gap
def row(y):
    out = bytearray([0xDD]) * w
    for (x0, rows) in ((gap, a), (2 * gap + w1, b)):
        yy = y - gap
        if 0 <= yy < len(rows):
            out[x0:x0+len(rows[yy])] = rows[yy]
    return bytes(out)
raw = b''.join(b'\x00' + row(y) for y in range(h))
def chunk(t, d): return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, 0, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(raw, 9)) + chunk(b'IEND', b'')
open(sys.argv[3], 'wb').write(png)
print(sys.argv[3], w, 'x', h, len(png), 'bytes')
PY
