"""The workbooks the polars and DuckDB peers write (scripts/polars_report.py,
scripts/duckdb_report.py), laid out as the pandas peer's: per therapist a Summary sheet, worst
first, and a Trends sheet with each patient's weekly table and line charts (step-ups, and pain
where recorded). Takes plain Python values, so each peer keeps its own way of computing them."""
import datetime
import os
import re

import xlsxwriter

COLUMNS = ["name", "therapist", "clinic", "needs", "overall", "hip_flexor_stretch", "calf_stretch", "step_up",
           "session_days", "monitoring", "step_reps", "trend", "pain_change", "max_pain", "change", "last_entry"]
PERCENT = {"overall", "hip_flexor_stretch", "calf_stretch", "step_up", "change"}


def write(folder, month, prefix, patients, weeks, pains):
    """patients: dicts with "pid" and COLUMNS, in report order; weeks: pid -> [(monday, step-up
    reps)]; pains: pid -> {monday: (max, mean)}."""
    os.makedirs(folder, exist_ok=True)
    groups = {}
    for p in patients:
        if p["therapist"] is not None:
            groups.setdefault(p["therapist"], []).append(p)
    for therapist, group in groups.items():
        path = os.path.join(folder, "%s-%s-%s.xlsx" % (prefix, month, re.sub(r"[^A-Za-z0-9]+", "-", therapist)))
        wb = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "nan_inf_to_errors": True})
        pct, date = wb.add_format({"num_format": "0.0%"}), wb.add_format({"num_format": "yyyy-mm-dd"})
        summary, trends = wb.add_worksheet("Summary"), wb.add_worksheet("Trends")
        summary.write_row(0, 0, ["Patient ID"] + COLUMNS)
        for i, p in enumerate(group, start=1):
            summary.write_string(i, 0, p["pid"])
            for j, c in enumerate(COLUMNS, start=1):
                v = p[c]
                if isinstance(v, (datetime.date, datetime.datetime)): summary.write_datetime(i, j, v, date)
                elif isinstance(v, str): summary.write_string(i, j, v)
                elif v is not None and v == v: summary.write_number(i, j, float(v), pct if c in PERCENT else None)
        row = 0
        for p in group:
            pid = p["pid"]
            trends.write_string(row, 0, pid)
            wk, pw = weeks.get(pid, []), pains.get(pid)
            trends.write_row(row + 1, 0, ["Week", "Step-up reps", "Max pain", "Mean pain"])
            for k, (week, reps) in enumerate(wk):
                trends.write_datetime(row + 2 + k, 0, week, date)
                trends.write_number(row + 2 + k, 1, float(reps))
                if pw is not None and week in pw:
                    trends.write_number(row + 2 + k, 2, float(pw[week][0]))
                    trends.write_number(row + 2 + k, 3, float(pw[week][1]))
            if wk:
                a, b = row + 2, row + 1 + len(wk)
                chart = wb.add_chart({"type": "line"})
                chart.add_series({"name": "Step-up reps", "categories": ["Trends", a, 0, b, 0], "values": ["Trends", a, 1, b, 1]})
                chart.set_title({"name": "%s: step-ups per week" % pid})
                trends.insert_chart(row, 6, chart, {"x_scale": 0.75, "y_scale": 0.75})
                if pw is not None:
                    chart = wb.add_chart({"type": "line"})
                    chart.add_series({"name": "Max pain", "categories": ["Trends", a, 0, b, 0], "values": ["Trends", a, 2, b, 2]})
                    chart.add_series({"name": "Mean pain", "categories": ["Trends", a, 0, b, 0], "values": ["Trends", a, 3, b, 3]})
                    chart.set_title({"name": "%s: pain per week (0-10)" % pid})
                    trends.insert_chart(row, 13, chart, {"x_scale": 0.75, "y_scale": 0.75})
            row += max(len(wk) + 3, 13)
        wb.close()


def reasons(p):
    """The needs-attention reasons of a patient's figures, as the pandas peer says them."""
    why = []
    def has(k): return p[k] is not None and p[k] == p[k]
    if has("overall") and p["overall"] < 0.5: why.append("adherence below 50%")
    if has("change") and p["change"] <= -0.2: why.append("down 20 points or more since last month")
    if not (p.get("recent") or 0) > 0: why.append("no entry in the last 7 days")
    if has("trend") and p["trend"] <= -2: why.append("step-ups declining")
    if has("pain_change") and p["pain_change"] >= 2: why.append("pain up 2 points or more")
    if has("max_pain") and p["max_pain"] > 5: why.append("pain above 5")
    return "; ".join(why)


def report_order(patients):
    """Patients needing attention first, then the lowest overall adherence (empty last)."""
    return sorted(patients, key=lambda p: (p["needs"] == "", p["overall"] if p["overall"] is not None and p["overall"] == p["overall"] else 2))


def save_figures(path, patients):
    """patient_id,overall_adherence (empty when none), to check a peer's figures against adhere's."""
    with open(path, "w") as f:
        f.write("patient_id,overall_adherence\n")
        for p in patients:
            v = p["overall"]
            f.write("%s,%s\n" % (p["pid"], "" if v is None or v != v else repr(float(v))))
