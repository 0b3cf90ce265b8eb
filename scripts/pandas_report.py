#!/usr/bin/env python3
"""The monthly report written the usual way, with pandas and XlsxWriter: what the benchmark
measures adhere against (scripts/benchmark.sh --pandas). Not part of adhere, and not a second
source of figures.

It does the report's work in vectorised pandas: reads every row of every file, checks it
(patient id, date, reps, sets, hold, pain, side), drops repeated rows, maps exercise names,
and, for the month, computes per patient the active days (plan dates, or the 28-day rule of
the default protocol), each exercise's dose-based adherence and the overall one, the change
from the previous month, session and monitoring days, step-up volume per ISO week and its
six-week trend, pain change and maximum, and the needs-attention reasons. It then writes one
workbook per therapist: a Summary sheet (worst first) and a Trends sheet with each patient's
weekly table and line charts (step-ups, and pain where recorded), as adhere does.

It follows domain.md closely but not in every corner (one dialect only, no rejects file, no
About sheet), so it is a fair measure of the work, not of every rule.

    pandas_report.py --month 2026-10 --plans plans.csv --out DIR FILE.csv...
"""
import argparse
import os
import re

import numpy as np
import pandas as pd

EXERCISES = {  # normalised name -> (key, reps per side, hold seconds) of the default protocol
    "hipflexorstretch": ("hip_flexor_stretch", 10, 10.0),
    "calfstretch": ("calf_stretch", 10, None),
    "stepups": ("step_up", None, None),
    "stepup": ("step_up", None, None),
}
SIDES = {"": "B", "b": "B", "both": "B", "bilateral": "B", "l": "L", "left": "L", "r": "R", "right": "R"}


TEXT = ["patient_id", "patient_name", "therapist", "clinic", "performed_at", "exercise", "side", "notes"]
NUMBERS = ["sets", "reps", "hold_seconds", "pain"]


def number(raw: pd.Series):
    """The column as numbers, and which cells hold something that is not a number. Clean columns
    were already converted by the C parser; only a dirty one is converted here."""
    if raw.dtype != object:
        return raw.astype(float), pd.Series(False, index=raw.index)
    values = pd.to_numeric(raw, errors="coerce")
    return values, raw.notna() & (raw.astype(str).str.strip() != "") & values.isna()


def per_value(col: pd.Series, f) -> pd.Series:
    """`f` applied once per distinct value of a categorical column (values may merge)."""
    mapped = [f(v) for v in col.cat.categories]
    distinct = sorted(set(mapped))
    position = {v: i for i, v in enumerate(distinct)}
    codes = np.array([position[m] for m in mapped], dtype=np.int32)[col.cat.codes.to_numpy()]
    return pd.Series(pd.Categorical.from_codes(codes, categories=distinct), index=col.index)


def read(files):
    # Text columns as categories (one Python string per distinct value); numbers by the C parser.
    df = pd.concat([pd.read_csv(f, dtype={c: "category" for c in TEXT}, keep_default_na=False,
                                na_values={c: [""] for c in NUMBERS}) for f in files], ignore_index=True)
    for c in TEXT:
        if df[c].dtype != "category":
            df[c] = df[c].astype("category")
    pid = per_value(df["patient_id"], lambda v: v.strip())
    ts = pd.to_datetime(df["performed_at"], format="ISO8601", errors="coerce")
    sets, bad_sets = number(df["sets"])
    reps, bad_reps = number(df["reps"])
    hold, bad_hold = number(df["hold_seconds"])
    pain, bad_pain = number(df["pain"])
    sets = sets.fillna(1)
    side = per_value(df["side"], lambda v: SIDES.get(v.strip().lower(), "?"))
    key = per_value(df["exercise"], lambda v: EXERCISES.get(re.sub(r"[^a-z0-9]", "", v.lower()), ("other " + v,))[0])
    bad = ((pid == "") | ts.isna() | reps.isna() | (reps < 0) | (reps % 1 != 0) | bad_reps
           | (sets < 0) | (sets % 1 != 0) | bad_sets | (side == "?") | bad_hold | bad_pain
           | (pain < 0) | (pain > 10))
    out = pd.DataFrame({
        "pid": pid, "name": df["patient_name"], "therapist": df["therapist"], "clinic": df["clinic"],
        "ts": ts, "key": key, "side": side, "reps": sets * reps, "hold": hold, "pain": pain, "notes": df["notes"],
    })[~bad]
    rejected = int(bad.sum())
    before = len(out)
    out = out.drop_duplicates()
    out["day"] = out["ts"].dt.normalize()
    out["key"] = out["key"].astype(str)
    out["pid"] = out["pid"].astype(str)
    return out, rejected, before - len(out)


def prescriptions(plans_path):
    """The plans file's periods: patient, exercise key, dates, reps per side, hold, sessions/week."""
    plans = pd.read_csv(plans_path, dtype=str, keep_default_na=False) if plans_path else None
    rows = []
    if plans is not None and len(plans):
        plans["key"] = plans["exercise"].map(lambda v: EXERCISES.get(re.sub(r"[^a-z0-9]", "", v.lower()), (None,))[0])
        plans["start"] = pd.to_datetime(plans["start_date"])
        plans["end"] = pd.to_datetime(plans["end_date"].replace("", "2199-12-31"))
        for r in plans.itertuples():
            rows.append((r.patient_id, r.key, r.start, r.end,
                         float(r.reps_per_side) if r.reps_per_side else np.nan,
                         float(r.hold_seconds) if r.hold_seconds else np.nan, int(r.sessions_per_week)))
    return pd.DataFrame(rows, columns=["pid", "key", "start", "end", "reps_per_side", "hold", "spw"])


def figures(df, plans, month):
    first = pd.Timestamp(month + "-01")
    last = first + pd.offsets.MonthEnd(0)
    prev_first = first - pd.offsets.MonthBegin(1)
    look_first = last - pd.Timedelta(days=41)
    span_first = min(prev_first, look_first.to_period("W-SUN").start_time) - pd.Timedelta(days=27)
    df = df[(df["day"] >= span_first) & (df["day"] <= last)]
    days = pd.date_range(span_first, last, freq="D")

    # Names: the latest row of each patient.
    names = df.sort_values("ts").groupby("pid")[["name", "therapist", "clinic"]].last()

    # Active days and prescription per (patient, exercise, day).
    entry = df.groupby(["pid", "day"]).size().unstack(fill_value=0).reindex(columns=days, fill_value=0) > 0
    default_active = entry.T.rolling(28, min_periods=1).max().T.astype(bool)
    planned = set(plans["pid"])
    frames = []
    active = default_active[~default_active.index.isin(planned)].stack()
    active = active[active].reset_index().iloc[:, :2]
    active.columns = ["pid", "day"]
    for key, reps, hold in {v[0]: v for v in EXERCISES.values()}.values():
        d = active.copy()
        d["key"], d["reps_per_side"], d["hold"], d["spw"] = key, reps if reps else np.nan, hold if hold else np.nan, 7
        frames.append(d)
    for p in plans.itertuples():
        d = pd.DataFrame({"day": days[(days >= p.start) & (days <= p.end)]})
        d["pid"], d["key"], d["reps_per_side"], d["hold"], d["spw"] = p.pid, p.key, p.reps_per_side, p.hold, p.spw
        frames.append(d)
    slots = pd.concat(frames, ignore_index=True).drop_duplicates(["pid", "key", "day"], keep="last")

    # Doses: qualifying reps per side, capped at the target.
    rows = df.merge(slots, on=["pid", "key", "day"], how="inner", suffixes=("", "_need"))
    ok = rows["hold"].isna() | rows["hold_need"].isna() | (rows["hold"] >= rows["hold_need"])
    rows = rows[ok]
    rows["left"] = np.where(rows["side"] != "R", rows["reps"], 0)
    rows["right"] = np.where(rows["side"] != "L", rows["reps"], 0)
    per_day = rows.groupby(["pid", "key", "day"]).agg(left=("left", "sum"), right=("right", "sum"),
                                                      reps=("reps", "sum")).reset_index()
    slots = slots.merge(per_day, on=["pid", "key", "day"], how="left").fillna({"left": 0, "right": 0, "reps": 0})
    target = slots["reps_per_side"]
    slots["dose"] = np.where(target.isna(), (slots["reps"] > 0).astype(float),
                             (np.minimum(slots["left"], target) + np.minimum(slots["right"], target)) / (2 * target))
    slots["expected"] = slots["spw"] / 7

    def adherence(a, b):
        w = slots[(slots["day"] >= a) & (slots["day"] <= b)].groupby(["pid", "key"])[["dose", "expected"]].sum()
        w["adherence"] = np.minimum(1, w["dose"] / w["expected"])
        return w["adherence"].unstack()

    now = adherence(first, last)
    before = adherence(prev_first, first - pd.Timedelta(days=1))
    overall = now.mean(axis=1)
    change = overall - before.mean(axis=1).reindex(overall.index)

    # Step-ups: per ISO week, and the trend over the look-back.
    steps = df[df["key"] == "step_up"].groupby(["pid", "day"])["reps"].sum().reset_index()
    steps["week"] = steps["day"] - pd.to_timedelta(steps["day"].dt.day_of_week, unit="D")
    weekly = steps[steps["day"] >= min(first, look_first)].groupby(["pid", "week"])["reps"].sum()
    lb = steps[(steps["day"] >= look_first) & (steps["reps"] > 0)]
    lb = lb.assign(x=(lb["day"] - look_first).dt.days)
    g = lb.assign(xx=lb["x"] ** 2, xy=lb["x"] * lb["reps"]).groupby("pid")
    s = g.agg(n=("x", "size"), sx=("x", "sum"), sy=("reps", "sum"), sxx=("xx", "sum"), sxy=("xy", "sum"))
    slope = (s["n"] * s["sxy"] - s["sx"] * s["sy"]) / (s["n"] * s["sxx"] - s["sx"] ** 2)
    trend = (700 * slope / (s["sy"] / s["n"])).where(s["n"] >= 4)

    # Pain, session days, monitoring days, last entry.
    pain_day = df.dropna(subset=["pain"]).groupby(["pid", "day"])["pain"].max().reset_index()
    late = pain_day[pain_day["day"] > last - pd.Timedelta(days=14)].groupby("pid")["pain"].mean()
    early = pain_day[(pain_day["day"] >= look_first) & (pain_day["day"] < look_first + pd.Timedelta(days=14))].groupby("pid")["pain"].mean()
    pain_change = late - early
    max_pain = pain_day[(pain_day["day"] >= first)].groupby("pid")["pain"].max()
    in_month = df[df["day"] >= first]
    session_days = in_month.groupby("pid")["day"].nunique()
    monitoring = df[df["day"] > last - pd.Timedelta(days=30)].groupby("pid")["day"].nunique()
    last_entry = df.groupby("pid")["day"].max()
    recent = df[df["day"] > last - pd.Timedelta(days=7)].groupby("pid").size()

    out = pd.DataFrame(index=now.index)
    out = out.join(names).join(now).assign(overall=overall, change=change, trend=trend,
                                           pain_change=pain_change, max_pain=max_pain,
                                           session_days=session_days, monitoring=monitoring,
                                           last_entry=last_entry, recent=recent)
    out["step_reps"] = steps[steps["day"] >= first].groupby("pid")["reps"].sum()
    reasons = []
    for r in out.itertuples():
        why = []
        if r.overall < 0.5: why.append("adherence below 50%")
        if r.change <= -0.2: why.append("down 20 points or more since last month")
        if not r.recent > 0: why.append("no entry in the last 7 days")
        if r.trend <= -2: why.append("step-ups declining")
        if r.pain_change >= 2: why.append("pain up 2 points or more")
        if r.max_pain > 5: why.append("pain above 5")
        reasons.append("; ".join(why))
    out["needs"] = reasons
    out = out.sort_values(["needs", "overall"], key=lambda c: (c == "") if c.name == "needs" else c.fillna(2))
    return out, weekly, pain_day


def write(out, weekly, pain_day, month, folder):
    import xlsxwriter
    os.makedirs(folder, exist_ok=True)
    pain_week = pain_day.assign(week=pain_day["day"] - pd.to_timedelta(pain_day["day"].dt.day_of_week, unit="D")) \
        .groupby(["pid", "week"])["pain"].agg(["max", "mean"])
    cols = ["name", "therapist", "clinic", "needs", "overall", "hip_flexor_stretch", "calf_stretch", "step_up",
            "session_days", "monitoring", "step_reps", "trend", "pain_change", "max_pain", "change", "last_entry"]
    weeks_of = {pid: w.droplevel(0) for pid, w in weekly.groupby(level=0)}
    pain_of = {pid: w.droplevel(0) for pid, w in pain_week.groupby(level=0)}
    percent = {"overall", "hip_flexor_stretch", "calf_stretch", "step_up", "change"}
    for therapist, group in out.groupby("therapist", observed=True):
        path = os.path.join(folder, "pandas-%s-%s.xlsx" % (month, re.sub(r"[^A-Za-z0-9]+", "-", therapist)))
        wb = xlsxwriter.Workbook(path, {"strings_to_formulas": False, "nan_inf_to_errors": True})
        pct, date = wb.add_format({"num_format": "0.0%"}), wb.add_format({"num_format": "yyyy-mm-dd"})
        summary, trends = wb.add_worksheet("Summary"), wb.add_worksheet("Trends")
        summary.write_row(0, 0, ["Patient ID"] + cols)
        for i, r in enumerate(group[cols].itertuples(), start=1):
            summary.write_string(i, 0, r[0])
            for j, (c, v) in enumerate(zip(cols, r[1:]), start=1):
                if isinstance(v, pd.Timestamp): summary.write_datetime(i, j, v.to_pydatetime(), date)
                elif isinstance(v, str): summary.write_string(i, j, v)
                elif pd.notna(v): summary.write_number(i, j, float(v), pct if c in percent else None)
        row = 0
        for pid in group.index:
            trends.write_string(row, 0, pid)
            wk = weeks_of.get(pid, pd.Series(dtype=float))
            pw = pain_of.get(pid)
            trends.write_row(row + 1, 0, ["Week", "Step-up reps", "Max pain", "Mean pain"])
            for k, (week, reps) in enumerate(wk.items()):
                trends.write_datetime(row + 2 + k, 0, week.to_pydatetime(), date)
                trends.write_number(row + 2 + k, 1, float(reps))
                if pw is not None and week in pw.index:
                    trends.write_number(row + 2 + k, 2, float(pw.at[week, "max"]))
                    trends.write_number(row + 2 + k, 3, float(pw.at[week, "mean"]))
            if len(wk):
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--month", required=True)
    ap.add_argument("--plans")
    ap.add_argument("--out", required=True)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    df, rejected, duplicates = read(a.files)
    plans = prescriptions(a.plans)
    out, weekly, pain_day = figures(df, plans, a.month)
    write(out, weekly, pain_day, a.month, a.out)
    print("pandas: %d rows kept, %d rejected, %d duplicates; %d patients" % (len(df), rejected, duplicates, len(out)))


if __name__ == "__main__":
    main()
