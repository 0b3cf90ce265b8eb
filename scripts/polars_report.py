#!/usr/bin/env python3
"""The monthly report written with polars (lazy queries over the CSV files) and XlsxWriter: a
peer the benchmark measures adhere against (scripts/benchmark.sh --peers). Not part of adhere,
and not a second source of figures.

The same work as scripts/pandas_report.py, in polars' own idiom: one lazy query reads every
row of every file as text, checks it (patient id, date, reps, sets, hold, pain, side), drops
repeated rows and maps exercise names; the figures of the month (active days from the plans or
the 28-day rule, dose-based adherence per exercise and overall, change from last month,
session and monitoring days, step-ups per ISO week and their six-week trend, pain change and
maximum, the needs-attention reasons) are joins and group-bys; the workbooks are written by
scripts/peer_workbooks.py, as the pandas peer lays them out. Like the pandas peer it follows
domain.md closely but not in every corner (one dialect, no rejects file, no About sheet).

    polars_report.py --month 2026-10 --plans plans.csv --out DIR [--figures FILE.csv] FILE.csv...
"""
import argparse
import datetime

import polars as pl

import peer_workbooks

EXERCISES = {  # normalised name -> (key, reps per side, hold seconds) of the default protocol
    "hipflexorstretch": ("hip_flexor_stretch", 10, 10.0),
    "calfstretch": ("calf_stretch", 10, None),
    "stepups": ("step_up", None, None),
    "stepup": ("step_up", None, None),
}
SIDES = {"": "B", "b": "B", "both": "B", "bilateral": "B", "l": "L", "left": "L", "r": "R", "right": "R"}
KEYS = ["hip_flexor_stretch", "calf_stretch", "step_up"]


def number(c):
    """A column as numbers, and whether it holds something that is not a number."""
    text = pl.col(c).str.strip_chars()
    value = text.cast(pl.Float64, strict=False)
    return value, (text.fill_null("") != "") & value.is_null()


def read(files):
    lf = pl.scan_csv(files, infer_schema=False).with_columns(pl.all().fill_null(""))
    sets, bad_sets = number("sets")
    reps, bad_reps = number("reps")
    hold, bad_hold = number("hold_seconds")
    pain, bad_pain = number("pain")
    name = pl.col("exercise").str.to_lowercase().str.replace_all(r"[^a-z0-9]", "")
    checked = lf.select(
        pid=pl.col("patient_id").str.strip_chars(),
        name=pl.col("patient_name"), therapist=pl.col("therapist"), clinic=pl.col("clinic"),
        ts=pl.col("performed_at").str.strip_chars().str.to_datetime(strict=False),
        key=name.replace_strict({k: v[0] for k, v in EXERCISES.items()}, default=pl.lit("other ") + pl.col("exercise")),
        side=pl.col("side").str.strip_chars().str.to_lowercase().replace_strict(SIDES, default="?"),
        sets=sets.fill_null(1.0), reps=reps, hold=hold, pain=pain, notes=pl.col("notes"),
        bad=(bad_sets | bad_reps | bad_hold | bad_pain),
    ).with_columns(
        bad=pl.col("bad") | (pl.col("pid") == "") | pl.col("ts").is_null() | pl.col("reps").is_null()
        | (pl.col("reps") < 0) | (pl.col("reps") % 1 != 0) | (pl.col("sets") < 0) | (pl.col("sets") % 1 != 0)
        | (pl.col("side") == "?") | (pl.col("pain") < 0).fill_null(False) | (pl.col("pain") > 10).fill_null(False)
    )
    counts = checked.select(rows=pl.len(), rejected=pl.col("bad").sum())
    kept = checked.filter(~pl.col("bad")).drop("bad").with_columns(reps=pl.col("sets") * pl.col("reps")).drop("sets")
    unique = kept.unique(maintain_order=True)
    df, n, c = pl.collect_all([unique.with_columns(day=pl.col("ts").dt.date()), kept.select(pl.len()), counts])
    return df, int(c["rejected"][0]), int(n["len"][0]) - df.height


def prescriptions(path):
    if not path:
        return pl.DataFrame(schema={"pid": pl.String, "key": pl.String, "start": pl.Date, "end": pl.Date,
                                    "reps_per_side": pl.Float64, "hold": pl.Float64, "spw": pl.Int64})
    plans = pl.read_csv(path, infer_schema=False).with_columns(pl.all().fill_null(""))
    return plans.select(
        pid=pl.col("patient_id"),
        key=pl.col("exercise").str.to_lowercase().str.replace_all(r"[^a-z0-9]", "").replace_strict(
            {k: v[0] for k, v in EXERCISES.items()}, default=None),
        start=pl.col("start_date").str.to_date(),
        end=pl.when(pl.col("end_date") == "").then(pl.lit("2199-12-31")).otherwise(pl.col("end_date")).str.to_date(),
        reps_per_side=pl.col("reps_per_side").cast(pl.Float64, strict=False),
        hold=pl.col("hold_seconds").cast(pl.Float64, strict=False),
        spw=pl.col("sessions_per_week").cast(pl.Int64),
    )


def figures(df, plans, month):
    first = datetime.date.fromisoformat(month + "-01")
    last = (first.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    prev_first = (first - datetime.timedelta(days=1)).replace(day=1)
    look_first = last - datetime.timedelta(days=41)
    monday = look_first - datetime.timedelta(days=look_first.weekday())
    span_first = min(prev_first, monday) - datetime.timedelta(days=27)
    df = df.filter(pl.col("day").is_between(span_first, last))

    names = df.sort("ts").group_by("pid").agg(pl.col("name", "therapist", "clinic").last())

    # Active days and prescription per (patient, exercise, day): the 28-day rule for patients
    # without a plan, the plan's dates for the others.
    entry_days = df.select("pid", "day").unique()
    default = (entry_days.filter(~pl.col("pid").is_in(plans["pid"].implode()))
               .with_columns(offset=pl.int_ranges(0, 28)).explode("offset")
               .select("pid", day=pl.col("day") + pl.duration(days=pl.col("offset")))
               .filter(pl.col("day") <= last).unique())
    defaults = pl.DataFrame([{"key": k, "reps_per_side": float(r) if r else None, "hold": h, "spw": 7}
                             for k, r, h in {v[0]: v for v in EXERCISES.values()}.values()],
                            schema={"key": pl.String, "reps_per_side": pl.Float64, "hold": pl.Float64, "spw": pl.Int64})
    planned = (plans.with_columns(day=pl.date_ranges(pl.max_horizontal("start", pl.lit(span_first)),
                                                      pl.min_horizontal("end", pl.lit(last))))
               .explode("day").drop_nulls("day").select("pid", "key", "day", "reps_per_side", "hold", "spw"))
    slots = pl.concat([default.join(defaults, how="cross").select(planned.columns), planned]) \
        .unique(["pid", "key", "day"], keep="last", maintain_order=True)

    # Doses: qualifying reps per side, capped at the target.
    rows = df.join(slots, on=["pid", "key", "day"], suffix="_need").filter(
        pl.col("hold").is_null() | pl.col("hold_need").is_null() | (pl.col("hold") >= pl.col("hold_need")))
    per_day = rows.group_by("pid", "key", "day").agg(
        left=pl.when(pl.col("side") != "R").then(pl.col("reps")).otherwise(0).sum(),
        right=pl.when(pl.col("side") != "L").then(pl.col("reps")).otherwise(0).sum(),
        reps=pl.col("reps").sum())
    target = pl.col("reps_per_side")
    slots = slots.join(per_day, on=["pid", "key", "day"], how="left").with_columns(pl.col("left", "right", "reps").fill_null(0)).with_columns(
        dose=pl.when(target.is_null()).then((pl.col("reps") > 0).cast(pl.Float64))
        .otherwise((pl.min_horizontal("left", target) + pl.min_horizontal("right", target)) / (2 * target)),
        expected=pl.col("spw") / 7)

    def adherence(a, b, suffix):
        return (slots.filter(pl.col("day").is_between(a, b)).group_by("pid", "key")
                .agg(pl.col("dose").sum(), pl.col("expected").sum())
                .with_columns(adherence=pl.min_horizontal(pl.lit(1.0), pl.col("dose") / pl.col("expected")))
                .pivot("key", index="pid", values="adherence")
                .with_columns(**{"overall" + suffix: pl.mean_horizontal(pl.exclude("pid"))}))

    now = adherence(first, last, "")
    before = adherence(prev_first, first - datetime.timedelta(days=1), "_before").select("pid", "overall_before")

    # Step-ups per ISO week and the trend over the look-back; pain; days.
    steps = (df.filter(pl.col("key") == "step_up").group_by("pid", "day").agg(pl.col("reps").sum())
             .with_columns(week=pl.col("day").dt.truncate("1w")))
    weekly = (steps.filter(pl.col("day") >= min(first, look_first)).group_by("pid", "week").agg(pl.col("reps").sum())
              .sort("pid", "week"))
    x = (pl.col("day") - pl.lit(look_first)).dt.total_days().cast(pl.Float64)
    trend = (steps.filter((pl.col("day") >= look_first) & (pl.col("reps") > 0)).group_by("pid").agg(
        n=pl.len(), sx=x.sum(), sy=pl.col("reps").sum(), sxx=(x * x).sum(), sxy=(x * pl.col("reps")).sum())
        .with_columns(trend=pl.when(pl.col("n") >= 4).then(
            700 * (pl.col("n") * pl.col("sxy") - pl.col("sx") * pl.col("sy"))
            / (pl.col("n") * pl.col("sxx") - pl.col("sx") ** 2) / (pl.col("sy") / pl.col("n"))))
        .select("pid", "trend"))
    pain_day = df.drop_nulls("pain").group_by("pid", "day").agg(pl.col("pain").max())
    late = pain_day.filter(pl.col("day") > last - datetime.timedelta(days=14)).group_by("pid").agg(late=pl.col("pain").mean())
    early = pain_day.filter(pl.col("day").is_between(look_first, look_first + datetime.timedelta(days=13))) \
        .group_by("pid").agg(early=pl.col("pain").mean())
    days = df.group_by("pid").agg(
        session_days=pl.col("day").filter(pl.col("day") >= first).n_unique(),
        monitoring=pl.col("day").filter(pl.col("day") > last - datetime.timedelta(days=30)).n_unique(),
        last_entry=pl.col("day").max(),
        recent=(pl.col("day") > last - datetime.timedelta(days=7)).sum(),
        step_reps=pl.col("reps").filter((pl.col("key") == "step_up") & (pl.col("day") >= first)).sum(),
        max_pain=pl.col("pain").filter(pl.col("day") >= first).max())

    out = (now.join(names, on="pid", how="left").join(before, on="pid", how="left")
           .join(trend, on="pid", how="left").join(late, on="pid", how="left").join(early, on="pid", how="left")
           .join(days, on="pid", how="left")
           .with_columns(change=pl.col("overall") - pl.col("overall_before"), pain_change=pl.col("late") - pl.col("early")))
    for k in KEYS:
        if k not in out.columns:
            out = out.with_columns(pl.lit(None, pl.Float64).alias(k))
    patients = out.to_dicts()
    for p in patients:
        p["needs"] = peer_workbooks.reasons(p)
    weeks = {pid: list(zip(g["week"], g["reps"])) for (pid,), g in weekly.group_by("pid")}
    pain_week = (pain_day.with_columns(week=pl.col("day").dt.truncate("1w")).group_by("pid", "week")
                 .agg(pl.col("pain").max().alias("max"), pl.col("pain").mean().alias("mean")))
    pains = {}
    for pid, week, mx, mean in pain_week.iter_rows():
        pains.setdefault(pid, {})[week] = (mx, mean)
    return peer_workbooks.report_order(patients), weeks, pains


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--month", required=True)
    ap.add_argument("--plans")
    ap.add_argument("--out", required=True)
    ap.add_argument("--figures", help="also write patient_id,overall_adherence here (to check against adhere's)")
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    df, rejected, duplicates = read(a.files)
    patients, weeks, pains = figures(df, prescriptions(a.plans), a.month)
    peer_workbooks.write(a.out, a.month, "polars", patients, weeks, pains)
    if a.figures:
        peer_workbooks.save_figures(a.figures, patients)
    print("polars: %d rows kept, %d rejected, %d duplicates; %d patients" % (df.height, rejected, duplicates, len(patients)))


if __name__ == "__main__":
    main()
