#!/usr/bin/env python3
"""Writes Fixtures/shapes/: the sample export (Fixtures/sessions) in the shapes real apps
export, each meaning exactly what the canonical export means (tests compare their figures):

  app-names/     exercise names as apps and exercise libraries spell them
  per-set/       one row per set ("Set #" column instead of a sets count)
  side-in-name/  the side written in the exercise name, no side column
  left-right/    left and right reps in two columns of one row (a row per side written;
                 left-right-reference/ holds the same data in canonical columns: a 'both' step-up row
                 of N reps cannot be written as left/right columns, so both files split it)

Run from the repository root: python3 scripts/make-shape-fixtures.py
"""
import csv, os

SRC = ["Fixtures/sessions/export-2026-09.csv", "Fixtures/sessions/export-2026-10.csv"]
OUT = "Fixtures/shapes"

NAMES = {  # canonical name -> app spellings, used in turn
    "Hip flexor stretch": ["Hip flexor stretch (kneeling)", "HIP FLEXOR STRETCH, KNEELING", "Half-kneeling hip flexor stretches"],
    "hip_flexor_stretch": ["Kneeling Hip Flexor Stretch"],
    "Calf stretch": ["Calf stretch - wall", "Standing calf stretch at wall", "Calf stretch on stair edge (heels off)"],
    "calf_stretch": ["Gastrocnemius stretch"],
    "Step-ups": ["Step ups (forward)", "Box step-up", "Forward Step-Ups"],
    "step_up": ["Lateral step up"],
}
SIDE_WORD = {"left": "left", "l": "left", "right": "right", "r": "right"}


def rows():
    for path in SRC:
        with open(path, encoding="utf-8-sig", newline="") as f:
            yield os.path.basename(path), list(csv.DictReader(f))


def write(path, header, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(data)


def main():
    for name, data in rows():
        header = list(data[0].keys())
        turn = {}
        # App spellings.
        out = []
        for r in data:
            r = dict(r)
            options = NAMES.get(r["exercise"])
            if options:
                i = turn.get(r["exercise"], 0)
                turn[r["exercise"]] = i + 1
                r["exercise"] = options[i % len(options)]
            out.append([r[h] for h in header])
        write(f"{OUT}/app-names/{name}", header, out)
        # One row per set.
        h2 = [("Set #" if h == "sets" else h) for h in header]
        out = []
        for r in data:
            sets = int(r["sets"] or "1")
            if sets == 0:
                out.append([("" if h == "sets" else r[h]) for h in header][:])
                out[-1][header.index("reps")] = "0"
                continue
            for n in range(1, sets + 1):
                out.append([(str(n) if h == "sets" else r[h]) for h in header])
        write(f"{OUT}/per-set/{name}", h2, out)
        # The side in the name.
        h3 = [h for h in header if h != "side"]
        out = []
        for r in data:
            side = SIDE_WORD.get(r["side"].strip().lower())
            r = dict(r)
            if side:
                r["exercise"] = f"{r['exercise']} - {side}" if len(out) % 2 else f"{r['exercise']} ({side[0].upper()})"
            out.append([r[h] for h in h3])
        write(f"{OUT}/side-in-name/{name}", h3, out)
        # Left and right reps columns; the reference says the same in canonical columns.
        h4 = [h for h in header if h not in ("side", "reps")] + ["Reps (L)", "Reps (R)"]
        out, ref = [], []
        for r in data:
            side = SIDE_WORD.get(r["side"].strip().lower(), "both")
            base = [r[h] for h in header if h not in ("side", "reps")]
            if side == "left":
                out.append(base + [r["reps"], ""])
                ref.append(r)
            elif side == "right":
                out.append(base + ["", r["reps"]])
                ref.append(r)
            else:
                out.append(base + [r["reps"], r["reps"]])
                ref.append(dict(r, side="left"))
                ref.append(dict(r, side="right"))
        write(f"{OUT}/left-right/{name}", h4, out)
        write(f"{OUT}/left-right-reference/{name}", header, [[x[h] for h in header] for x in ref])


if __name__ == "__main__":
    main()
