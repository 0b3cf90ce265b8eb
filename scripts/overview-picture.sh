#!/usr/bin/env bash
# Renders the README's picture of the clinic overview (docs/overview.png): a synthetic clinic of
# 48 patients from March to October 2026 (synth-export), its October overview printed by
# LibreOffice headless to PDF, the Overview and Six months pages rasterised with pdftoppm,
# trimmed and stacked. Needs LibreOffice and poppler-utils (pdftoppm).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product adhere >&2
swift build --product synth-export >&2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.build/debug/synth-export --out "$work/data" --patients 48 --days 245 --start 2026-03-01 --files 8 >&2
.build/debug/adhere report --month 2026-10 --plans "$work/data/plans.csv" --out "$work/out" --quiet "$work/data/sessions"
soffice --headless --convert-to pdf --outdir "$work" "$work/out/adhere-2026-10-overview.xlsx" >/dev/null
pdftoppm -r 110 -f 1 -l 2 "$work/adhere-2026-10-overview.pdf" "$work/page"
python3 - "$work" docs/overview.png <<'PY'
import glob, struct, sys, zlib

def read_ppm(path):
    data = open(path, "rb").read()
    magic, size, _, pixels = data.split(b"\n", 3)
    w, h = map(int, size.split())
    return w, h, [pixels[y * w * 3:(y + 1) * w * 3] for y in range(h)]

def trim(w, h, rows, pad=12):
    ink = lambda row: [x for x in range(w) if min(row[3 * x:3 * x + 3]) < 245]
    ys = [y for y in range(h) if ink(rows[y])]
    xs = [x for y in ys for x in ink(rows[y])]
    x0, x1 = max(0, min(xs) - pad), min(w, max(xs) + pad)
    return x1 - x0, [r[3 * x0:3 * x1] for r in rows[max(0, ys[0] - pad):min(h, ys[-1] + pad)]]

pages = [trim(*read_ppm(p)) for p in sorted(glob.glob(sys.argv[1] + "/page-*.ppm"))]
width = max(w for w, _ in pages)
white = lambda n: b"\xff" * 3 * n
out = []
for i, (w, rows) in enumerate(pages):
    if i: out += [white(width)] * 20
    out += [r + white(width - w) for r in rows]

def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

raw = b"".join(b"\x00" + r for r in out)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, len(out), 8, 2, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
open(sys.argv[2], "wb").write(png)
PY
echo "wrote docs/overview.png"
