#!/usr/bin/env python3
"""Opens a workbook the way a clinic does, with LibreOffice (headless conversion to PDF, which
lays out every sheet as opening and printing do), and says what it took and what came out:

  render-check.py WORKBOOK.xlsx            seconds, peak memory, pages per sheet, smallest text
  render-check.py --check WORKBOOK.xlsx    also compares the PDF with the workbook's cells and
                                           exits 1 on a problem: text printed over other text,
                                           a cell's text cut or missing, text under 8 points,
                                           About on more than two pages
  options: --json (one JSON object instead of the line), --keep DIR (keep the PDF there),
           --profile DIR (LibreOffice user profile to use, kept between runs; default: a new one.
           A new or empty profile is first made by converting a one-cell workbook, so the timing
           is that of a LibreOffice that has run before, not of its very first start)

The seconds and memory are the conversion's own (wall clock; the largest resident set of the
LibreOffice processes). The smallest text is read from the PDF's content streams: each text
drawing operator's font size times the scale of the text and graphics matrices in force. Needs
LibreOffice (soffice), pdftotext (poppler-utils) and, for --check, openpyxl.
"""
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
import zlib

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice") or "/usr/bin/soffice"


def convert(workbook, outdir, profile):
    """Converts to PDF in outdir; returns (seconds, peak kB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.monotonic()
    r = subprocess.run([SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", outdir, workbook],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seconds = time.monotonic() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    pdf = os.path.join(outdir, os.path.splitext(os.path.basename(workbook))[0] + ".pdf")
    if r.returncode != 0 or not os.path.exists(pdf):
        sys.exit(f"render-check: LibreOffice could not convert {workbook}: {r.stdout}{r.stderr}")
    return pdf, seconds, max(peak, before)


def warm_profile(profile, scratch):
    """Starts LibreOffice once with the profile (its first start builds it)."""
    tiny = os.path.join(scratch, "warm-up.xlsx")
    with zipfile.ZipFile(tiny, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="A" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        z.writestr("xl/worksheets/sheet1.xml", '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>')
    convert(tiny, scratch, profile)


# MARK: - Font sizes

NUMBER = rb"[-+]?(?:\d+\.?\d*|\.\d+)"
TOKEN = re.compile(rb"/[^\s/\[\]()<>{}%]+|\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>|\[|\]|" + NUMBER + rb"|[A-Za-z'\"*]+")


def multiply(a, b):
    return [a[0] * b[0] + a[1] * b[2], a[0] * b[1] + a[1] * b[3],
            a[2] * b[0] + a[3] * b[2], a[2] * b[1] + a[3] * b[3],
            a[4] * b[0] + a[5] * b[2] + b[4], a[4] * b[1] + a[5] * b[3] + b[5]]


def text_sizes(stream):
    """The effective size of every text drawn by a content stream."""
    sizes = []
    ctm = [1, 0, 0, 1, 0, 0]
    stack = []
    tm = [1, 0, 0, 1, 0, 0]
    size = 0.0
    operands = []
    for tok in TOKEN.findall(stream):
        c = tok[:1]
        if tok in (b"[", b"]"):
            continue
        if c.isdigit() or c in b"+-.":
            operands.append(float(tok))
            continue
        if c in b"/(<":
            operands.append(tok)
            continue
        op = tok
        if op == b"q":
            stack.append(ctm[:])
        elif op == b"Q":
            ctm = stack.pop() if stack else [1, 0, 0, 1, 0, 0]
        elif op == b"cm" and len(operands) >= 6:
            ctm = multiply(operands[-6:], ctm)
        elif op == b"BT":
            tm = [1, 0, 0, 1, 0, 0]
        elif op == b"Tm" and len(operands) >= 6:
            tm = operands[-6:]
        elif op == b"Tf" and operands and isinstance(operands[-1], float):
            size = operands[-1]
        elif op in (b"Tj", b"TJ", b"'", b'"'):
            m = multiply(tm, ctm)
            # The height of a unit of text space: the length of the matrix's second row.
            scale = (m[2] ** 2 + m[3] ** 2) ** 0.5
            sizes.append(round(size * scale, 2))
        operands = []
    return sizes


def pdf_sizes(path):
    data = open(path, "rb").read()
    sizes = []
    for m in re.finditer(rb"\d+ 0 obj\s*<<(.*?)>>\s*stream\r?\n", data, re.S):
        header = m.group(1)
        if b"/Length1" in header or b"/Subtype/Image" in header or b"/Subtype /Image" in header:
            continue
        end = data.find(b"endstream", m.end())
        raw = data[m.end():end]
        try:
            stream = zlib.decompress(raw) if b"FlateDecode" in header else raw
        except zlib.error:
            continue
        if b"Tf" in stream and b"BT" in stream:
            sizes += text_sizes(stream)
    return sizes


# MARK: - Text on the pages

def pdf_pages(path):
    """Each page's text (pdftotext, layout kept) and words with their boxes."""
    layout = subprocess.run(["pdftotext", "-layout", path, "-"], stdout=subprocess.PIPE, check=True).stdout.decode()
    texts = layout.split("\f")
    bbox = subprocess.run(["pdftotext", "-bbox", path, "-"], stdout=subprocess.PIPE, check=True).stdout.decode()
    pages = []
    for page in re.findall(r"<page [^>]*>(.*?)</page>", bbox, re.S):
        words = []
        for x0, y0, x1, y1, w in re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page):
            words.append((float(x0), float(y0), float(x1), float(y1), unescape(w)))
        pages.append(words)
    return texts, pages


def unescape(s):
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


def sheet_of_pages(texts, sheets):
    """The sheet each page prints, from its footer ("<title>   <sheet>, page N of M")."""
    out = []
    for t in texts:
        lines = [l for l in t.splitlines() if l.strip()]
        footer = next((l for l in reversed(lines) if re.search(r", page \d+ of \d+\s*$", l)), "")
        before = re.sub(r", page \d+ of \d+\s*$", "", footer).rstrip()
        found = [n for n in sorted(sheets, key=len, reverse=True) if before.endswith(n)]
        out.append(found[0] if found else None)
    return out


def overlaps(words):
    """Pairs of words printed over each other (boxes sharing more than a third of the smaller)."""
    found = []
    ordered = sorted(words, key=lambda w: w[1])
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b[1] >= a[3]:
                break
            w = min(a[2], b[2]) - max(a[0], b[0])
            h = min(a[3], b[3]) - max(a[1], b[1])
            if w <= 0 or h <= 0:
                continue
            smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
            if smaller > 0 and w * h > smaller / 3:
                found.append((a[4], b[4]))
    return found


def print_columns(workbook):
    """Each sheet's printed columns from its print area (None: all), as (first, last) 0-based."""
    with zipfile.ZipFile(workbook) as z:
        xml = z.read("xl/workbook.xml").decode()
    names = re.findall(r'<sheet [^>]*name="([^"]*)"', xml)
    areas = {}
    for sheet_id, ref in re.findall(r'<definedName name="_xlnm.Print_Area" localSheetId="(\d+)">([^<]*)</definedName>', xml):
        cols = re.findall(r"\$([A-Z]+)", ref.split("!")[-1])
        def index(letters):
            n = 0
            for ch in letters:
                n = n * 26 + ord(ch) - 64
            return n - 1
        if len(cols) >= 2:
            areas[unescape(names[int(sheet_id)])] = (index(cols[0]), index(cols[1]))
    return areas


def cell_words(workbook):
    """The words of every text cell that prints, by sheet."""
    import warnings
    import openpyxl
    from openpyxl.utils import column_index_from_string
    warnings.simplefilter("ignore")
    wb = openpyxl.load_workbook(workbook)
    areas = print_columns(workbook)
    out = {}
    for ws in wb.worksheets:
        first, last = areas.get(ws.title, (0, 1 << 20))
        words = []
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and first <= column_index_from_string(c.column_letter) - 1 <= last:
                    words += c.value.split()
        out[ws.title] = words
    return out


def check(workbook, texts, pages, sheet_names, sizes):
    problems = []
    smallest = min(sizes) if sizes else None
    if smallest is not None and smallest < 7.95:   # 8 pt is written 7.99 at times
        problems.append(f"text printed at {smallest} pt (under 8 pt)")
    per_sheet = {}
    for name in sheet_names:
        per_sheet[name] = sum(1 for s in sheet_names_of_pages if s == name)
    if per_sheet.get("About", 0) > 2:
        problems.append(f"About prints on {per_sheet['About']} pages (at most 2)")
    for n, (words, sheet) in enumerate(zip(pages, sheet_names_of_pages), 1):
        for w in words:
            if re.fullmatch(r"#+", w[4]):
                problems.append(f"page {n} ({sheet}): a number or date too wide for its column (printed '{w[4]}')")
        for a, b in overlaps(words):
            problems.append(f"page {n} ({sheet}): '{a}' printed over '{b}'")
    expected = cell_words(workbook)
    for sheet, words in expected.items():
        printed = {}
        joined = []
        for words_on_page, s in zip(pages, sheet_names_of_pages):
            if s != sheet:
                continue
            for w in words_on_page:
                printed[w[4]] = printed.get(w[4], 0) + 1
                joined.append(w[4])
        need = {}
        for w in words:
            need[w] = need.get(w, 0) + 1
        for w, count in need.items():
            if printed.get(w, 0) >= count:
                continue
            # Two cells' words printed close together read as one word; a long word wrapped at
            # a hyphen, slash or comma prints as consecutive pieces: all there either way.
            whole = sum(1 for p in joined if w in p and p != w)
            pieces = 0
            for k, p in enumerate(joined):
                if p and w.startswith(p) and p != w:
                    text = p
                    for q in joined[k + 1:k + 12]:   # pdftotext may read another column's word between
                        if q and w.startswith(text + q):
                            text += q
                            if text == w:
                                pieces += 1
                                break
            if whole + pieces + printed.get(w, 0) >= count:
                continue
            problems.append(f"{sheet}: '{w}' is in {count} cell(s) but printed {printed.get(w, 0)} time(s) (cut, or not printed)")
    return problems


def main(argv):
    global sheet_names_of_pages
    args = argv[1:]
    want_check = "--check" in args
    want_json = "--json" in args
    keep = None
    profile = None
    files = []
    i = 0
    while i < len(args):
        a = args[i]
        if a == "--keep":
            keep = args[i + 1]; i += 2; continue
        if a == "--profile":
            profile = args[i + 1]; i += 2; continue
        if a not in ("--check", "--json"):
            files.append(a)
        i += 1
    if len(files) != 1:
        sys.exit(__doc__)
    workbook = os.path.abspath(files[0])
    scratch = tempfile.mkdtemp(prefix="render-check-")
    try:
        if profile is None:
            profile = os.path.join(scratch, "profile")
        if not os.path.isdir(profile) or not os.listdir(profile):
            warm_profile(os.path.abspath(profile), scratch)
        outdir = keep or scratch
        os.makedirs(outdir, exist_ok=True)
        pdf, seconds, peak = convert(workbook, outdir, os.path.abspath(profile))
        sizes = pdf_sizes(pdf)
        texts, pages = pdf_pages(pdf)
        with zipfile.ZipFile(workbook) as z:
            sheets = [unescape(n) for n in re.findall(r'<sheet [^>]*name="([^"]*)"', z.read("xl/workbook.xml").decode())]
        sheet_names_of_pages = sheet_of_pages(texts[:len(pages)], sheets)
        counts = {s: sheet_names_of_pages.count(s) for s in sheets}
        result = {"workbook": files[0], "seconds": round(seconds, 2), "peak_mb": round(peak / 1024), "pages": len(pages),
                  "pages_per_sheet": counts, "smallest_pt": min(sizes) if sizes else None}
        if want_check:
            result["problems"] = check(workbook, texts, pages, sheets, sizes)
        if want_json:
            print(json.dumps(result, ensure_ascii=False))
        else:
            per = ", ".join(f"{s} {n}" for s, n in counts.items())
            print(f"render-check: {os.path.basename(workbook)} to PDF with LibreOffice in {result['seconds']:.2f} s, "
                  f"peak {result['peak_mb']} MB; {len(pages)} pages ({per}); smallest text {result['smallest_pt']} pt")
            problems = result.get("problems", [])
            for p in problems[:40]:
                print(f"  problem: {p}")
            if len(problems) > 40:
                print(f"  ... and {len(problems) - 40} more")
        return 1 if result.get("problems") else 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


sheet_names_of_pages = []

if __name__ == "__main__":
    sys.exit(main(sys.argv))
