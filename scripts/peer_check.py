#!/usr/bin/env python3
"""Checks a peer's figures against adhere's: the overall adherence of every patient in adhere's
JSON report against the peer's patient_id,overall_adherence file (scripts/*_report.py --figures).

    peer_check.py ADHERE.json PEER.csv NAME    prints one line; exit 1 when any patient differs
"""
import csv
import json
import sys

adhere = {p["patient_id"]: p["overall_adherence"] for p in json.load(open(sys.argv[1]))["patients"]}
peer = {r["patient_id"]: (float(r["overall_adherence"]) if r["overall_adherence"] else None)
        for r in csv.DictReader(open(sys.argv[2]))}
same = sum(1 for k, v in adhere.items() if k in peer and (v is None) == (peer[k] is None)
           and (v is None or abs(v - peer[k]) < 1e-9))
print("%s: overall adherence equal to adhere's for %d of %d patients (%d patients only in %s's report)"
      % (sys.argv[3], same, len(adhere), len(set(peer) - set(adhere)), sys.argv[3]))
sys.exit(0 if same == len(adhere) else 1)
