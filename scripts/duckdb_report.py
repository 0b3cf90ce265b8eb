#!/usr/bin/env python3
"""The monthly report written with DuckDB (SQL over the CSV files) and XlsxWriter: a peer the
benchmark measures adhere against (scripts/benchmark.sh --peers). Not part of adhere, and not a
second source of figures.

The same work as scripts/pandas_report.py, as SQL: every row of every file read as text and
checked (patient id, date, reps, sets, hold, pain, side), repeated rows dropped, exercise names
mapped; the month's figures (active days from the plans or the 28-day rule, dose-based
adherence per exercise and overall, change from last month, session and monitoring days,
step-ups per ISO week and their six-week trend, pain change and maximum) as views; the
needs-attention reasons and the workbooks in Python (scripts/peer_workbooks.py, laid out as the
pandas peer's). Like the pandas peer it follows domain.md closely but not in every corner.

    duckdb_report.py --month 2026-10 --plans plans.csv --out DIR [--figures FILE.csv] FILE.csv...
"""
import argparse
import datetime

import duckdb

import peer_workbooks

EXERCISES = {"hipflexorstretch": ("hip_flexor_stretch", 10, 10.0), "calfstretch": ("calf_stretch", 10, None),
             "stepups": ("step_up", None, None), "stepup": ("step_up", None, None)}
SIDES = {"": "B", "b": "B", "both": "B", "bilateral": "B", "l": "L", "left": "L", "r": "R", "right": "R"}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--month", required=True)
    ap.add_argument("--plans")
    ap.add_argument("--out", required=True)
    ap.add_argument("--figures", help="also write patient_id,overall_adherence here (to check against adhere's)")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    first = datetime.date.fromisoformat(a.month + "-01")
    last = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    prev_first = (first - datetime.timedelta(days=1)).replace(day=1)
    look_first = last - datetime.timedelta(days=41)
    monday = look_first - datetime.timedelta(days=look_first.weekday())
    span_first = min(prev_first, monday) - datetime.timedelta(days=27)

    db = duckdb.connect()
    db.execute("CREATE TABLE names AS SELECT * FROM (VALUES %s) t(name, key, reps_per_side, hold)" % ", ".join(
        "('%s', '%s', %s, %s)" % (n, k, r or "NULL", h or "NULL") for n, (k, r, h) in EXERCISES.items()))
    db.execute("CREATE TABLE sides AS SELECT * FROM (VALUES %s) t(word, side)" % ", ".join("('%s', '%s')" % kv for kv in SIDES.items()))
    db.execute("""CREATE TABLE raw AS SELECT * FROM read_csv(?, all_varchar = true, union_by_name = true)""", [a.files])
    db.execute("""
        CREATE TABLE checked AS
        SELECT trim(coalesce(patient_id, '')) AS pid, patient_name AS name, therapist, clinic,
               try_cast(trim(performed_at) AS TIMESTAMP) AS ts,
               coalesce(n.key, 'other ' || exercise) AS key,
               coalesce(s.side, '?') AS side,
               coalesce(try_cast(trim(sets) AS DOUBLE), CASE WHEN trim(coalesce(sets, '')) = '' THEN 1 END) AS sets,
               try_cast(trim(reps) AS DOUBLE) AS reps,
               try_cast(trim(hold_seconds) AS DOUBLE) AS hold, try_cast(trim(pain) AS DOUBLE) AS pain, notes,
               (trim(coalesce(hold_seconds, '')) <> '' AND try_cast(trim(hold_seconds) AS DOUBLE) IS NULL)
               OR (trim(coalesce(pain, '')) <> '' AND try_cast(trim(pain) AS DOUBLE) IS NULL) AS bad_text
        FROM raw
        LEFT JOIN names n ON n.name = regexp_replace(lower(exercise), '[^a-z0-9]', '', 'g')
        LEFT JOIN sides s ON s.word = lower(trim(coalesce(raw.side, '')))""")
    db.execute("""
        CREATE TABLE good AS SELECT pid, name, therapist, clinic, ts, key, side, sets * reps AS reps, hold, pain, notes
        FROM checked
        WHERE NOT bad_text AND pid <> '' AND ts IS NOT NULL AND reps IS NOT NULL AND reps >= 0 AND reps % 1 = 0
          AND sets IS NOT NULL AND sets >= 0 AND sets % 1 = 0 AND side <> '?' AND coalesce(pain BETWEEN 0 AND 10, true)""")
    rows, kept = db.execute("SELECT (SELECT count(*) FROM checked), (SELECT count(*) FROM good)").fetchone()
    db.execute("CREATE TABLE entries AS SELECT DISTINCT *, CAST(ts AS DATE) AS day FROM good")
    unique = db.execute("SELECT count(*) FROM entries").fetchone()[0]
    db.execute("CREATE TABLE df AS SELECT * FROM entries WHERE day BETWEEN ? AND ?", [span_first, last])

    if a.plans:
        db.execute("""
            CREATE TABLE plans AS
            SELECT patient_id AS pid, n.key, CAST(start_date AS DATE) AS start,
                   CAST(coalesce(nullif(end_date, ''), '2199-12-31') AS DATE) AS "end",
                   try_cast(p.reps_per_side AS DOUBLE) AS reps_per_side, try_cast(p.hold_seconds AS DOUBLE) AS hold,
                   CAST(sessions_per_week AS INTEGER) AS spw
            FROM read_csv(?, all_varchar = true) p
            LEFT JOIN names n ON n.name = regexp_replace(lower(exercise), '[^a-z0-9]', '', 'g')""", [a.plans])
    else:
        db.execute('CREATE TABLE plans (pid VARCHAR, key VARCHAR, start DATE, "end" DATE, reps_per_side DOUBLE, hold DOUBLE, spw INTEGER)')

    db.execute("""
        CREATE TABLE slots AS
        WITH active AS (
            SELECT DISTINCT pid, CAST(day + to_days(CAST(o AS INTEGER)) AS DATE) AS day
            FROM (SELECT DISTINCT pid, day FROM df WHERE pid NOT IN (SELECT pid FROM plans)), range(28) r(o)
            WHERE day + to_days(CAST(o AS INTEGER)) <= $last),
        all_slots AS (
            SELECT a.pid, n.key, a.day, n.reps_per_side, n.hold, 7 AS spw, 0 AS rank
            FROM active a, (SELECT DISTINCT key, reps_per_side, hold FROM names) n
            UNION ALL
            SELECT pid, key, CAST(d AS DATE), reps_per_side, hold, spw, 1 + row_number() OVER () AS rank
            FROM plans, generate_series(CAST(greatest(start, $span) AS TIMESTAMP), CAST(least("end", $last) AS TIMESTAMP), INTERVAL 1 DAY) g(d))
        SELECT pid, key, day, arg_max(reps_per_side, rank) AS reps_per_side, arg_max(hold, rank) AS hold, arg_max(spw, rank) AS spw
        FROM all_slots GROUP BY pid, key, day""", {"last": last, "span": span_first})
    db.execute("""
        CREATE TABLE doses AS
        WITH per_day AS (
            SELECT e.pid, e.key, e.day,
                   sum(CASE WHEN e.side <> 'R' THEN e.reps ELSE 0 END) AS l, sum(CASE WHEN e.side <> 'L' THEN e.reps ELSE 0 END) AS r,
                   sum(e.reps) AS reps
            FROM df e JOIN slots s USING (pid, key, day)
            WHERE e.hold IS NULL OR s.hold IS NULL OR e.hold >= s.hold
            GROUP BY ALL)
        SELECT s.*, CASE WHEN s.reps_per_side IS NULL THEN CAST(coalesce(p.reps, 0) > 0 AS DOUBLE)
                         ELSE (least(coalesce(p.l, 0), s.reps_per_side) + least(coalesce(p.r, 0), s.reps_per_side)) / (2 * s.reps_per_side) END AS dose,
               s.spw / 7 AS expected
        FROM slots s LEFT JOIN per_day p USING (pid, key, day)""")
    adherence = """
        SELECT pid, avg(a) AS overall,
               max(a) FILTER (key = 'hip_flexor_stretch') AS hip_flexor_stretch,
               max(a) FILTER (key = 'calf_stretch') AS calf_stretch, max(a) FILTER (key = 'step_up') AS step_up
        FROM (SELECT pid, key, least(1, sum(dose) / sum(expected)) AS a FROM doses WHERE day BETWEEN $a AND $b GROUP BY ALL)
        GROUP BY pid"""
    db.execute("CREATE TABLE now AS " + adherence, {"a": first, "b": last})
    db.execute("CREATE TABLE before AS " + adherence, {"a": prev_first, "b": first - datetime.timedelta(days=1)})
    db.execute("""
        CREATE TABLE steps AS SELECT pid, day, date_trunc('week', day) AS week, sum(reps) AS reps
        FROM df WHERE key = 'step_up' GROUP BY ALL""")
    db.execute("CREATE TABLE pain_day AS SELECT pid, day, max(pain) AS pain FROM df WHERE pain IS NOT NULL GROUP BY ALL")
    patients = db.execute("""
        WITH names AS (SELECT pid, arg_max(name, ts) AS name, arg_max(therapist, ts) AS therapist, arg_max(clinic, ts) AS clinic
                       FROM df GROUP BY pid),
        trend AS (
            SELECT pid, CASE WHEN n >= 4 THEN 700 * (n * sxy - sx * sy) / (n * sxx - sx * sx) / (sy / n) END AS trend
            FROM (SELECT pid, count(*) AS n, sum(x) AS sx, sum(reps) AS sy, sum(x * x) AS sxx, sum(x * reps) AS sxy
                  FROM (SELECT pid, reps, CAST(day - $look AS DOUBLE) AS x FROM steps WHERE day >= $look AND reps > 0) GROUP BY pid)),
        pain AS (
            SELECT pid, avg(pain) FILTER (day > $last - 14) - avg(pain) FILTER (day BETWEEN $look AND $look + 13) AS pain_change
            FROM pain_day GROUP BY pid),
        days AS (
            SELECT pid, count(DISTINCT day) FILTER (day >= $first) AS session_days,
                   count(DISTINCT day) FILTER (day > $last - 30) AS monitoring, max(day) AS last_entry,
                   count(*) FILTER (day > $last - 7) AS recent,
                   sum(reps) FILTER (key = 'step_up' AND day >= $first) AS step_reps, max(pain) FILTER (day >= $first) AS max_pain
            FROM df GROUP BY pid)
        SELECT now.pid, names.name, names.therapist, names.clinic, now.overall, now.hip_flexor_stretch, now.calf_stretch,
               now.step_up, days.session_days, days.monitoring, days.step_reps, trend.trend, pain.pain_change, days.max_pain,
               now.overall - before.overall AS change, days.last_entry, days.recent
        FROM now LEFT JOIN names USING (pid) LEFT JOIN before USING (pid) LEFT JOIN trend USING (pid)
        LEFT JOIN pain USING (pid) LEFT JOIN days USING (pid)""",
        {"look": look_first, "last": last, "first": first}).fetchall()
    columns = ["pid", "name", "therapist", "clinic", "overall", "hip_flexor_stretch", "calf_stretch", "step_up",
               "session_days", "monitoring", "step_reps", "trend", "pain_change", "max_pain", "change", "last_entry", "recent"]
    patients = [dict(zip(columns, r)) for r in patients]
    for p in patients:
        p["needs"] = peer_workbooks.reasons(p)
    weeks = {}
    for pid, week, reps in db.execute("""SELECT pid, CAST(week AS DATE), sum(reps) FROM steps WHERE day >= ? GROUP BY ALL ORDER BY 1, 2""",
                                      [min(first, look_first)]).fetchall():
        weeks.setdefault(pid, []).append((week, reps))
    pains = {}
    for pid, week, mx, mean in db.execute("""SELECT pid, CAST(date_trunc('week', day) AS DATE), max(pain), avg(pain) FROM pain_day GROUP BY ALL""").fetchall():
        pains.setdefault(pid, {})[week] = (mx, mean)
    patients = peer_workbooks.report_order(patients)
    peer_workbooks.write(a.out, a.month, "duckdb", patients, weeks, pains)
    if a.figures:
        peer_workbooks.save_figures(a.figures, patients)
    print("duckdb: %d rows kept, %d rejected, %d duplicates; %d patients" % (unique, rows - kept, kept - unique, len(patients)))


if __name__ == "__main__":
    main()
