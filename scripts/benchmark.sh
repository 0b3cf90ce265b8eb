#!/usr/bin/env bash
# Benchmark: makes a large clinic's year of exports, runs the three jobs, and prints wall time,
# throughput and peak memory of each next to the floors measured in the same run.
#
#   scripts/benchmark.sh                       2,000 patients x 365 days (~2.8 M rows, ~270 MB)
#   scripts/benchmark.sh --patients 20 --days 60 --build debug    a quick smoke run (CI)
#
# Besides the year as 12 monthly files it measures the same rows as one file, and the same
# clinic with twice as much older history before the year (three years: one file, and monthly
# files), for report, nightly and trend.
#
# Options: --patients N, --days N, --data DIR (default /tmp/adhere-bench), --runs N (best of,
# default 3), --pairs N (runs of each command taken in turn for the paired ratios, default 7), --build release|debug (default release), --pandas (also time the same report done
# with pandas and XlsxWriter, scripts/pandas_report.py, once; installs them with pip if missing),
# --peers (the pandas, polars and DuckDB peers, scripts/*_report.py, each checked against
# adhere's figures; installs them with pip if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

patients=2000 days=365 data=/tmp/adhere-bench runs=3 pairs=7 build=release pandas=no peers=no
while [ $# -gt 0 ]; do
  case "$1" in
    --patients) patients=$2; shift 2 ;;
    --days) days=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --pairs) pairs=$2; shift 2
      [ "$pairs" -ge 1 ] 2>/dev/null || { echo "benchmark: --pairs takes a number of 1 or more" >&2; exit 64; } ;;
    --build) build=$2; shift 2 ;;
    --pandas) pandas=yes; shift ;;
    --peers) pandas=yes; peers=yes; shift ;;
    *) echo "benchmark: unknown option $1" >&2; exit 64 ;;
  esac
done

scripts/setup.sh
[ -x /usr/bin/time ] || { echo "benchmark: /usr/bin/time is needed (Debian package 'time')" >&2; exit 69; }
swift build -c "$build" --product adhere >&2
swift build -c "$build" --product synth-export >&2
swift build -c "$build" --product floor-bench >&2
bin=".build/$build"

# The data: generated once per size (the generator is deterministic).
stamp="$data/.made-$patients-$days"
if [ ! -f "$stamp" ]; then
  rm -rf "$data"
  # The year ends on the last day of a month, so the report month is the last full month.
  "$bin/synth-export" --out "$data" --patients "$patients" --days "$days" --start 2025-11-01 --files 12 >&2
  touch "$stamp"
fi
end=$(date -d "2025-11-01 + $((days - 1)) days" +%F)
month=$(date -d "$(date -d "$end + 1 day" +%Y-%m-01) - 1 month" +%Y-%m)
bytes=$(cat "$data"/sessions/*.csv | wc -c)
rows=$(( $(cat "$data"/sessions/*.csv | wc -l) - 12 ))
patient=$(awk -F, 'FNR > 1 { print $1; exit }' "$data"/sessions/*.csv)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# best_of CMD...: runs the command $runs times; prints "seconds peak_kB" of the fastest run.
# With fresh=DIR set, DIR (an output folder) is removed before each run: a cold run, with no
# digests or history cache kept from an earlier one.
# The wall time is taken in microseconds around the run by bash's clock, without a process of
# its own ($EPOCHREALTIME; /usr/bin/time's is in hundredths, too coarse for a trend of a few
# milliseconds); the peak memory is /usr/bin/time's (its own start, about a millisecond, is in
# the time, as in every run of every command measured).
best_of() {
  local best="" mem="" t0 t1 t m
  for _ in $(seq "$runs"); do
    [ -z "${fresh:-}" ] || rm -rf "$fresh"
    t0=${EPOCHREALTIME//[.,]/}
    /usr/bin/time -f "%M" -o "$out/time" "$@" >/dev/null 2>"$out/err" || { cat "$out/err" >&2; exit 1; }
    t1=${EPOCHREALTIME//[.,]/}
    read -r m < "$out/time"
    t=$(awk -v us=$(( t1 - t0 )) 'BEGIN{printf "%.4f", us / 1e6}')
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; mem=$m; fi
  done
  echo "$best $mem"
}

# What the report writes (cells, charts, chart series), so that libxlsxwriter alone writes as much.
timings=$(ADHERE_TIMINGS=1 "$bin/adhere" report --month "$month" --plans "$data/plans.csv" --out "$out/reports" --quiet "$data/sessions" 2>&1)
read -r cells charts series <<<"$(sed -n 's/^timing: write .* workbooks, \([0-9]*\) cells, \([0-9]*\) charts, \([0-9]*\) series.*/\1 \2 \3/p' <<<"$timings")"
[ -n "$series" ] || { echo "benchmark: the report did not say what it wrote:" >&2; echo "$timings" >&2; exit 70; }
timings=$(sed 's/^timing: /  /' <<<"$timings")
rows16=$(( (cells + 15) / 16 )); [ "$rows16" -ge 10 ] || rows16=10
scan=$(best_of "$bin/floor-bench" scan "$data"/sessions/*.csv)
simd=$(best_of "$bin/floor-bench" simd-scan "$data"/sessions/*.csv)
write=$(best_of "$bin/floor-bench" write "$rows16" 16 "$out/floor.xlsx")
charted=$(best_of "$bin/floor-bench" write "$rows16" 16 "$out/floor-charts.xlsx" "$charts" "$series")
report_cold=$(fresh="$out/cold" best_of "$bin/adhere" report --month "$month" --plans "$data/plans.csv" --out "$out/cold" --quiet "$data/sessions")
report=$(best_of "$bin/adhere" report --month "$month" --plans "$data/plans.csv" --out "$out/reports" --quiet "$data/sessions")
# trend: through the patient index (kept in $out/index; a first run indexes the exports),
# each run a first one (a new index folder each time), and reading every byte (--no-index).
trend_on() { # DATA: through the index, once the exports are indexed
  "$bin/adhere" trend "$patient" --as-of "$end" --plans "$1/plans.csv" --index-dir "$out/index" "$1/sessions" >/dev/null
  best_of "$bin/adhere" trend "$patient" --as-of "$end" --plans "$1/plans.csv" --index-dir "$out/index" "$1/sessions"
}
trend_first_on() { fresh="$out/index-first" best_of "$bin/adhere" trend "$patient" --as-of "$end" --plans "$1/plans.csv" --index-dir "$out/index-first" "$1/sessions"; }
trend_full_on() { best_of "$bin/adhere" trend "$patient" --as-of "$end" --plans "$1/plans.csv" --no-index "$1/sessions"; }
trend=$(trend_on "$data"); trend_first=$(trend_first_on "$data"); trend_full=$(trend_full_on "$data")
check=$(best_of "$bin/adhere" check "$data/sessions")

# Overlapping exports: the same clinic with each file repeating the last 3 days of the one
# before. The check must drop exactly the rows the generator repeated.
overlapped="$data-overlap"
if [ ! -f "$overlapped/.made-$patients-$days" ]; then
  rm -rf "$overlapped"
  made=$("$bin/synth-export" --out "$overlapped" --patients "$patients" --days "$days" --start 2025-11-01 --files 12 --overlap 3 2>&1)
  sed -n 's/.*; \([0-9]*\) rows repeated by overlapping exports.*/\1/p' <<<"$made" > "$overlapped/.made-$patients-$days"
fi
repeats=$(cat "$overlapped/.made-$patients-$days")
check_overlap=$(best_of "$bin/adhere" check "$overlapped/sessions")
found=$("$bin/adhere" check "$overlapped/sessions" | tail -n 1 | sed -n 's/.* \([0-9]*\) duplicates.*/\1/p')
if [ "$found" != "$repeats" ]; then
  echo "benchmark: check dropped ${found:-?} duplicates in the overlapping exports; the generator repeated $repeats rows" >&2
  exit 1
fi

# Memory against the history read: the same report from the newer half of the files only
# (they hold every day the report looks at), and the trend on a clinic a tenth the size.
half=$(ls "$data"/sessions/*.csv | tail -n $(( $(ls "$data"/sessions/*.csv | wc -l) / 2 )))
report_half=$(best_of "$bin/adhere" report --month "$month" --plans "$data/plans.csv" --out "$out/half" --quiet $half)
small="$data-tenth"
if [ ! -f "$small/.made-$((patients / 10))-$days" ]; then
  rm -rf "$small"
  "$bin/synth-export" --out "$small" --patients $(( patients / 10 > 0 ? patients / 10 : 1 )) --days "$days" --start 2025-11-01 --files 12 >&2
  touch "$small/.made-$((patients / 10))-$days"
fi
# One patient both clinics have, for a like-for-like trend.
both=$(awk -F, 'FNR > 1 { print $1; exit }' "$small"/sessions/*.csv)
trend_big=$(best_of "$bin/adhere" trend "$both" --as-of "$end" --plans "$data/plans.csv" --no-index "$data/sessions")
trend_small=$(best_of "$bin/adhere" trend "$both" --as-of "$end" --plans "$small/plans.csv" --no-index "$small/sessions")

# One file, and three years: the same rows as one export file; the same clinic with twice the
# year's days of older history before it (--history), as monthly files and as one file.
made() { # DIR ARGS...: synth-export once per size
  local dir=$1; shift
  if [ ! -f "$dir/.made-$patients-$days" ]; then
    rm -rf "$dir"; "$bin/synth-export" --out "$dir" --patients "$patients" --days "$days" --start 2025-11-01 "$@" >&2
    touch "$dir/.made-$patients-$days"
  fi
}
made "$data-onefile" --files 1
made "$data-3y" --history $(( 2 * days )) --files $(( 36 * days / 365 > 3 ? 36 * days / 365 : 3 ))
made "$data-3y-onefile" --history $(( 2 * days )) --files 1
report_on() { best_of "$bin/adhere" report --month "$month" --plans "$1/plans.csv" --out "$out/r-$(basename "$1")" --quiet "$1/sessions"; }
nightly_on() { best_of "$bin/adhere" nightly --today "$end" --settle-seconds 0 --first-days 0 --plans "$1/plans.csv" --out "$out/n-$(basename "$1")" --quiet "$1/sessions"; }
report_one=$(report_on "$data-onefile")
report_3y=$(report_on "$data-3y"); report_3y_one=$(report_on "$data-3y-onefile")
nightly=$(nightly_on "$data"); nightly_3y=$(nightly_on "$data-3y"); nightly_3y_one=$(nightly_on "$data-3y-onefile")
trend_3y=$(trend_on "$data-3y-onefile"); trend_3y_months=$(trend_on "$data-3y")
trend_3y_first=$(trend_first_on "$data-3y-onefile"); trend_3y_full=$(trend_full_on "$data-3y-onefile")
bytes3=$(cat "$data-3y"/sessions/*.csv | wc -c)
rows3=$(( $(cat "$data-3y"/sessions/*.csv | wc -l) - $(ls "$data-3y"/sessions/*.csv | wc -l) ))

mb=$(awk "BEGIN{print $bytes/1e6}")
line() { # name seconds kB [MB rows, when not the year's]
  awk -v n="$1" -v t="$2" -v m="$3" -v mb="${4:-$mb}" -v rows="${5:-$rows}" \
    'BEGIN{printf "%-34s %8.3f s %9.0f MB/s %12.0f rows/s %8.0f MB peak\n", n, t, (t>0?mb/t:0), (t>0?rows/t:0), m/1024}'
}
echo "adhere benchmark: $patients patients, $days days, $rows rows, $(awk "BEGIN{printf \"%.0f\", $mb}") MB; report month $month; $(nproc) cores; best of $runs"
line "floor: byte-level RFC 4180 scan" $scan
line "floor: vectorised RFC 4180 scan" $simd
line "floor: libxlsxwriter, $cells cells" $write
line "floor: libxlsxwriter, + $charts charts" $charted
line "adhere report --month $month" $report
line "adhere report, cold (new folder)" $report_cold
line "adhere report, the year as one file" $report_one
line "adhere nightly (month to date)" $nightly
line "adhere trend $patient" $trend
line "trend, first run (indexes)" $trend_first
line "trend, every byte (--no-index)" $trend_full
mb3=$(awk "BEGIN{print $bytes3/1e6}")
line "report, three years, monthly files" $report_3y "$mb3" "$rows3"
line "report, three years, one file" $report_3y_one "$mb3" "$rows3"
line "nightly, three years, monthly files" $nightly_3y "$mb3" "$rows3"
line "nightly, three years, one file" $nightly_3y_one "$mb3" "$rows3"
line "trend, three years, one file" $trend_3y "$mb3" "$rows3"
line "trend, three years, monthly files" $trend_3y_months "$mb3" "$rows3"
line "trend, 3 y one file, first run" $trend_3y_first "$mb3" "$rows3"
line "trend, 3 y one file, --no-index" $trend_3y_full "$mb3" "$rows3"
line "adhere check (all files)" $check
line "adhere check, overlapping exports" $check_overlap \
  "$(cat "$overlapped"/sessions/*.csv | wc -c | awk '{print $1/1e6}')" "$(( $(cat "$overlapped"/sessions/*.csv | wc -l) - 12 ))"
read -r scan_t _ <<<"$scan"; read -r simd_t _ <<<"$simd"; read -r write_t _ <<<"$write"; read -r charted_t _ <<<"$charted"
read -r report_t report_m <<<"$report"; read -r trend_t trend_m <<<"$trend"; read -r check_t _ <<<"$check"
if [ "$patients" != 2000 ] || [ "$days" != 365 ] || [ "$build" != release ]; then
  echo "(the targets are for a release build on 2,000 patients x 365 days; on this size the verdicts below mean nothing)"
fi
read -r cold_t _ <<<"$report_cold"
awk -v r="$report_t" -v k="$cold_t" -v s="$scan_t" -v v="$simd_t" -v w="$write_t" -v wc="$charted_t" -v c="$check_t" -v t="$trend_t" -v rm="$report_m" -v tm="$trend_m" 'BEGIN{
  verdict = "met"; if (r >= 1) verdict = "not met"
  printf "report: %.2f s (target under 1 s: %s); %.2f x (scan floor + cells floor), target at most 1.2 x: %s;\n", r, verdict, r/(s+w), (r/(s+w) <= 1.2 ? "met" : "not met")
  printf "        cold (a new output folder: every file read and hashed) %.2f s, %.2f x (scan floor + cells floor)\n", k, k/(s+w)
  printf "        %.2f x (scan floor + cells-and-charts floor); peak %.0f MB, target under 150 MB: %s\n", r/(s+wc), rm/1024, (rm/1024 < 150 ? "met" : "not met")
  printf "check:  %.2f x the byte-loop scan floor; %.2f x the vectorised scan floor (the target, at most 1.5 x, is judged paired, below)\n", c/s, c/v
  printf "trend:  %.3f s, peak %.0f MB; target under 0.5 s: %s\n", t, tm/1024, (t < 0.5 ? "met" : "not met") }'
# One file or many; three years against one. Each ratio twice: from this run's best times, and
# paired (the two commands run in turn $pairs times, whole processes, the median of the pairs'
# ratios), which stays meaningful when the machine's speed drifts by a third within minutes as
# it does on a shared VM; the target is judged on the paired median.
run_report() { "$bin/adhere" report --month "$month" --plans "$1/plans.csv" --out "$out/p-$(basename "$1")" --quiet "$1/sessions"; }
run_nightly() { "$bin/adhere" nightly --today "$end" --settle-seconds 0 --first-days 0 --plans "$1/plans.csv" --out "$out/q-$(basename "$1")" --quiet "$1/sessions"; }
run_trend() { "$bin/adhere" trend "$patient" --as-of "$end" --plans "$1/plans.csv" --index-dir "$out/index" "$1/sessions"; }
run_check() { "$bin/adhere" check "$1/sessions"; }
run_simd() { "$bin/floor-bench" simd-scan "$1"/sessions/*.csv; }
timed() { # RUN DIR: sets `took` to the run's microseconds, by bash's clock (no process of its own)
  local t0=${EPOCHREALTIME//[.,]/}
  "$1" "$2" >/dev/null 2>"$out/err" || { echo "benchmark: $1 $2 failed:" >&2; cat "$out/err" >&2; exit 1; }
  took=$(( ${EPOCHREALTIME//[.,]/} - t0 ))
}
ratio() { # NAME A B LIMIT RUN_A DIR_A RUN_B DIR_B
  local name=$1 a=$2 b=$3 limit=$4 fa=$5 da=$6 fb=$7 db=$8 ta tb list="" k
  timed "$fa" "$da"; timed "$fb" "$db"  # warm
  for k in $(seq "$pairs"); do
    # In turn, A B then B A, so that neither always runs first.
    if (( k % 2 )); then timed "$fa" "$da"; ta=$took; timed "$fb" "$db"; tb=$took
    else timed "$fb" "$db"; tb=$took; timed "$fa" "$da"; ta=$took; fi
    list="$list $ta:$tb"
  done
  tr ' ' '\n' <<<"$list" | awk -F: 'NF == 2 { print $1 / $2 }' | sort -g | awk -v n="$name" -v a="${a% *}" -v b="${b% *}" -v l="$limit" -v k="$pairs" '
    { v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%s: %.2f x paired (median of %d pairs; %.2f x from the best times; target at most %.2f x: %s)\n", n, m, k, a/b, l, (m <= l ? "met" : "not met") }'
}
ratio "one file:  report on the year as one file / as 12 monthly files" "$report_one" "$report" 1.1 run_report "$data-onefile" run_report "$data"
ratio "history:   report, three years / one year, monthly files" "$report_3y" "$report" 1.25 run_report "$data-3y" run_report "$data"
ratio "history:   report, three years / one year, one file" "$report_3y_one" "$report_one" 1.25 run_report "$data-3y-onefile" run_report "$data-onefile"
ratio "history:   nightly, three years / one year, monthly files" "$nightly_3y" "$nightly" 1.25 run_nightly "$data-3y" run_nightly "$data"
ratio "history:   nightly, three years as one file / one year" "$nightly_3y_one" "$nightly" 1.25 run_nightly "$data-3y-onefile" run_nightly "$data"
ratio "history:   trend, three years as one file / one year" "$trend_3y" "$trend" 1.25 run_trend "$data-3y-onefile" run_trend "$data"
ratio "history:   trend, three years / one year, monthly files" "$trend_3y_months" "$trend" 1.25 run_trend "$data-3y" run_trend "$data"
ratio "check:     check / the vectorised scan floor" "$check" "$simd" 1.5 run_check "$data" run_simd "$data"
awk -v a="${trend_3y_first% *}" -v b="${trend_first% *}" -v c="${trend_3y_full% *}" -v d="${trend_full% *}" 'BEGIN{
  printf "history:   trend, three years as one file / one year: first run (indexing) %.2f x, reading every byte (--no-index) %.2f x\n", a/b, c/d }'
awk -v a="$report_m" -v b="${report_one#* }" -v c="${report_3y#* }" -v d="${report_3y_one#* }" -v e="${nightly_3y_one#* }" 'BEGIN{
  m = a; if (b > m) m = b; if (c > m) m = c; if (d > m) m = d; if (e > m) m = e
  printf "memory:    largest peak of report and nightly over one year, three years, one file and monthly files: %.0f MB (target under 150 MB: %s)\n", m/1024, (m/1024 < 150 ? "met" : "not met") }'
if [ "$pandas" = yes ]; then
  python3 -c "import pandas, xlsxwriter" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check pandas xlsxwriter >&2 \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages pandas xlsxwriter >&2
  slow=$(runs=1 best_of python3 scripts/pandas_report.py --month "$month" --plans "$data/plans.csv" --out "$out/pandas" "$data"/sessions/*.csv)
  line "pandas + XlsxWriter, same report" $slow
  read -r slow_t slow_m <<<"$slow"
  awk -v r="$report_t" -v k="$cold_t" -v p="$slow_t" -v rm="$report_m" -v pm="$slow_m" 'BEGIN{
    printf "pandas: adhere report is %.1f x faster (target at least 15 x: %s; cold %.1f x) in %.0f x less memory\n", p/r, (p/r >= 15 ? "met" : "not met"), p/k, pm/rm }'
fi
if [ "$peers" = yes ]; then
  python3 -c "import polars, duckdb, xlsxwriter" 2>/dev/null || python3 -m pip install --quiet --disable-pip-version-check polars duckdb xlsxwriter >&2 \
    || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages polars duckdb xlsxwriter >&2
  "$bin/adhere" report --month "$month" --plans "$data/plans.csv" --out "$out/check" --json "$out/adhere.json" --quiet "$data/sessions"
  python3 scripts/pandas_report.py --month "$month" --plans "$data/plans.csv" --out "$out/pandas" "$data"/sessions/*.csv >/dev/null
  for peer in polars duckdb; do
    python3 "scripts/${peer}_report.py" --month "$month" --plans "$data/plans.csv" --out "$out/$peer" --figures "$out/$peer.csv" "$data"/sessions/*.csv >/dev/null
    python3 scripts/peer_check.py "$out/adhere.json" "$out/$peer.csv" "$peer" || exit 1
    t=$(runs=1 best_of python3 "scripts/${peer}_report.py" --month "$month" --plans "$data/plans.csv" --out "$out/$peer" "$data"/sessions/*.csv)
    line "$peer + XlsxWriter, same report" $t
    read -r peer_t peer_m <<<"$t"
    awk -v r="$report_t" -v k="$cold_t" -v p="$peer_t" -v rm="$report_m" -v pm="$peer_m" -v n="$peer" 'BEGIN{
      printf "%s: adhere report is %.1f x faster (target at least 5 x: %s; cold %.1f x) in %.0f x less memory\n", n, p/r, (p/r >= 5 ? "met" : "not met"), p/k, pm/rm }'
  done
fi
echo "overlap: check dropped $found duplicates, the rows the generator repeated ($repeats)"
read -r _ half_m <<<"$report_half"; read -r _ big_m <<<"$trend_big"; read -r _ small_m <<<"$trend_small"
awk -v a="$report_m" -v b="$half_m" -v t="$big_m" -v u="$small_m" -v p="$patients" -v id="$both" 'BEGIN{
  printf "memory: report reading the whole year %.0f MB, the newer half of the files %.0f MB; trend of %s among %d patients %.0f MB, among %d %.0f MB\n", a/1024, b/1024, id, p, t/1024, (p >= 10 ? p/10 : 1), u/1024 }'
echo "where the report's time goes (one run, ADHERE_TIMINGS=1):"
echo "$timings"

# --- Workbooks as a clinic opens them, and the report's ratios (issue 14) ---
# LibreOffice converts to PDF (lays out every sheet, as opening and printing do) a whole-clinic
# workbook of about 300 patients and the largest therapist workbook of a 600-patient clinic
# (50 patients): scripts/render-check.py gives seconds, peak memory, pages and the smallest text.
if command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
  for n in 333 600; do
    if [ ! -f "$data-clinic$n/.made" ]; then
      rm -rf "$data-clinic$n"
      "$bin/synth-export" --out "$data-clinic$n" --patients "$n" --days "$days" --start 2025-11-01 --files 12 >&2
      touch "$data-clinic$n/.made"
    fi
  done
  "$bin/adhere" report --month "$month" --by all --plans "$data-clinic333/plans.csv" --out "$out/clinic" --quiet "$data-clinic333/sessions"
  "$bin/adhere" report --month "$month" --plans "$data-clinic600/plans.csv" --out "$out/therapists" --quiet "$data-clinic600/sessions"
  whole="$out/clinic/adhere-$month-all.xlsx"
  largest=$(for f in "$out"/therapists/*.xlsx; do echo "$(unzip -p "$f" xl/worksheets/sheet1.xml | grep -o '<hyperlink ' | wc -l) $f"; done | sort -n | tail -n 1 | cut -d' ' -f2-)
  profile=$(mktemp -d)
  for book in "$whole" "$largest"; do
    # Best of $runs (render-check builds the new profile before its first timing).
    best=""
    for _ in $(seq "$runs"); do
      got=$(python3 scripts/render-check.py --json --profile "$profile" "$book")
      t=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["seconds"])' "$got")
      if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; line=$got; fi
    done
    python3 - "$line" "$(unzip -p "$book" xl/worksheets/sheet1.xml | grep -o '<hyperlink ' | wc -l)" "$(unzip -l "$book" | grep -c 'xl/charts/chart')" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); patients = int(sys.argv[2]); charts = int(sys.argv[3])
target = 10 if "-all" in r["workbook"] else 3
print(f"LibreOffice opens {patients} patients ({charts} charts): {r['seconds']:.2f} s, peak {r['peak_mb']} MB, {r['pages']} pages, "
      f"smallest text {r['smallest_pt']} pt; target at most {target} s: {'met' if r['seconds'] <= target else 'not met'}")
PY
  done
  rm -rf "$profile"
else
  echo "(LibreOffice or pdftotext missing: scripts/setup.sh --tests installs them; no workbook timings)"
fi
