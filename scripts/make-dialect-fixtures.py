#!/usr/bin/env python3
"""Makes Fixtures/dialects/vendor-b/ from the canonical sample export in Fixtures/sessions/.

The same rows, as another vendor's app exports them: semicolon-separated, Windows-1252,
CRLF line ends, DD.MM.YYYY HH:MM dates, and that vendor's header names. A report on it must
give exactly the figures of the canonical export. Run from the repository root; the output
is committed, so this only needs running again when the canonical fixture changes.
"""
import csv
import io
import re
from pathlib import Path

HEADERS = {
    "patient_id": "Patient #", "patient_name": "Name", "therapist": "Clinician", "clinic": "Site",
    "performed_at": "Session date", "exercise": "Exercise name", "side": "Side", "sets": "Sets",
    "reps": "Repetitions", "hold_seconds": "Hold time", "pain": "NPRS", "notes": "Comment",
}
ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?$")


def vendor_date(value):
    m = ISO.match(value)
    if not m:
        return value
    y, mo, d, hh, mi = m.groups()
    return f"{d}.{mo}.{y}" + (f" {hh}:{mi}" if hh else "")


for source in sorted(Path("Fixtures/sessions").glob("*.csv")):
    rows = list(csv.reader(io.StringIO(source.read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    date_col = header.index("performed_at")
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([HEADERS[h] for h in header])
    for row in rows[1:]:
        if len(row) > date_col:
            row[date_col] = vendor_date(row[date_col])
        writer.writerow(row)
    target = Path("Fixtures/dialects/vendor-b") / source.name.replace("export", "vendorb")
    target.write_bytes(out.getvalue().encode("cp1252"))
    print(f"wrote {target}")


# Small files: the same five sessions in each dialect adhere reads. Every one must read to
# the same entries (see Tests/IngestTests/DialectFixtureTests.swift).
SMALL = [
    # id, name, therapist, (y, m, d, hh, mi), exercise, side, reps, hold, pain
    ("D1", "Ó Súilleabháin", "Dana Whitfield", (2026, 10, 5, 18, 30), "Hip flexor stretch", "left", 10, "12.5", "3.5"),
    ("D1", "Ó Súilleabháin", "Dana Whitfield", (2026, 10, 5, 18, 31), "Hip flexor stretch", "right", 10, "12.5", ""),
    ("D2", "Zoë Müller", "Sam Okafor", (2026, 10, 13, 21, 5), "Calf stretch", "both", 8, "", "2"),
    ("D2", "Zoë Müller", "Sam Okafor", (2026, 10, 13, 21, 15), "Step-ups", "", 14, "", ""),
    ("D3", "Łukasz Nowak", "Sam Okafor", (2026, 10, 31, 23, 50), "Step-ups", "right", 20, "", "1"),
]


def small(name, sep, encoding, newline, date, header, bom=b""):
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=sep, lineterminator=newline)
    writer.writerow(header)
    for pid, pname, ther, (y, mo, d, hh, mi), ex, side, reps, hold, pain in SMALL:
        if encoding == "cp1252" and pname.startswith("Ł"):
            pname = "Lukasz Nowak"  # not in Windows-1252: a real export would have dropped it too
        if sep == ";":
            hold, pain = hold.replace(".", ","), pain.replace(".", ",")
        writer.writerow([pid, pname, ther, date(y, mo, d, hh, mi), ex, side, reps, hold, pain])
    target = Path("Fixtures/dialects") / name
    target.write_bytes(bom + out.getvalue().encode(encoding))
    print(f"wrote {target}")


canonical = ["patient_id", "patient_name", "therapist", "performed_at", "exercise", "side", "reps", "hold_seconds", "pain"]
small("canonical.csv", ",", "utf-8", "\n", lambda y, mo, d, hh, mi: f"{y}-{mo:02}-{d:02}T{hh:02}:{mi:02}:00", canonical)
small("semicolon-windows1252-decimal-comma.csv", ";", "cp1252", "\r\n",
      lambda y, mo, d, hh, mi: f"{d:02}.{mo:02}.{y} {hh:02}:{mi:02}",
      ["Patient #", "Name", "Clinician", "Session date", "Exercise name", "Side", "Repetitions", "Hold (s)", "Pain (0-10)"])
small("excel-unicode-text-utf16.csv", "\t", "utf-16-le", "\r\n",
      lambda y, mo, d, hh, mi: f"{mo}/{d}/{y} {hh % 12 or 12}:{mi:02} {'PM' if hh >= 12 else 'AM'}",
      ["MRN", "Patient name", "Provider", "Completed at", "Exercise", "Side", "Reps", "Hold time", "NPRS"], bom=b"\xff\xfe")
small("pipe-cr-two-digit-years.csv", "|", "utf-8", "\r",
      lambda y, mo, d, hh, mi: f"{d:02}.{mo:02}.{y % 100:02} {hh:02}:{mi:02}",
      ["Client ID", "Client name", "Clinician", "Date", "Activity", "Limb", "Repetitions", "Hold", "Pain score"])
small("bom-crlf-iso-offset.csv", ",", "utf-8", "\r\n",
      lambda y, mo, d, hh, mi: f"{y}-{mo:02}-{d:02}T{hh:02}:{mi:02}:00+01:00",
      ["Patient ID", "Patient Name", "Therapist", "Performed", "Exercise Name", "SIDE", "REPS", "Hold Seconds", "Pain"],
      bom=b"\xef\xbb\xbf")
