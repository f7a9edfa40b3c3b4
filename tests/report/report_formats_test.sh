#!/usr/bin/env bash
# Every report format from a real sweep of a shipped plan, checked as a person would: the PDF's
# pages rendered (pdftoppm) and not blank, its text holding every section and service; the
# JUnit XML well-formed with one case per disaster x service and failures exactly where the
# result says missed; the HTML self-contained with inline SVG; the Markdown with its tables.
# Usage: report_formats_test.sh FIREDRILL SOURCE_DIR
set -u
bin=$1 src=$2
cd "$src" || exit 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export FIREDRILL_HISTORY=$tmp/history.sqlite  # runs are recorded here, not in the home folder
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
for tool in pdftoppm pdftotext pdfinfo xmllint python3; do
  command -v $tool >/dev/null || { echo "FAIL: $tool missing (make deps)"; exit 1; }
done
export QT_QPA_PLATFORM=offscreen

plan=scenarios/plans/managed-aws.json
"$bin" sweep $plan --trials 200 --seed 11 -j 2 -q --json "$tmp/sweep.json" --report "$tmp/inline.html"
rc=$?; [[ $rc -le 1 ]] || { echo "FAIL: sweep exited $rc"; exit 1; }
[[ -s "$tmp/inline.html" ]] || fail "sweep --report wrote no report"

for ext in html pdf md xml json; do
  "$bin" report "$tmp/sweep.json" -o "$tmp/report.$ext" --prepared-by "A. Tester, SRE"
  rc=$?
  [[ $rc -le 1 ]] || fail "report -o report.$ext exited $rc"
  [[ -s "$tmp/report.$ext" ]] || fail "report.$ext is empty"
done
# The exit code follows the verdict, like run and sweep: this plan misses its region targets.
"$bin" report "$tmp/sweep.json" --format md -o - >"$tmp/stdout.md"
[[ $? -eq 1 ]] || fail "report of a missed target should exit 1"
cmp -s "$tmp/stdout.md" <(sed 's/A. Tester, SRE/______________________________/' "$tmp/report.md") ||
  fail "markdown on stdout differs from the file (but for the preparer)"

# Expected from the sweep's result itself: services, cells, and the failures of the 5% rule.
python3 - "$tmp/sweep.json" >"$tmp/expected.txt" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for o in r["outcomes"]:
    missed = o["p_miss"]["rto"]["p"] > 0.05 or o["p_miss"]["rpo"]["p"] > 0.05
    print(f'{o["disaster"]}\t{o["service"]}\t{"failure" if missed else "ok"}')
PY
cells=$(wc -l <"$tmp/expected.txt")
[[ $cells -gt 0 ]] || fail "no outcomes in the sweep"

# --- PDF: pages exist and none is blank; the text has every section and service.
pages=$(pdfinfo "$tmp/report.pdf" | awk '/^Pages:/ {print $2}')
[[ ${pages:-0} -ge 5 ]] || fail "PDF has ${pages:-0} pages, expected at least 5"
pdftoppm -r 50 -gray "$tmp/report.pdf" "$tmp/page"
rendered=$(ls "$tmp"/page-*.pgm 2>/dev/null | wc -l)
[[ $rendered -eq ${pages:-0} ]] || fail "pdftoppm rendered $rendered of $pages pages"
for pgm in "$tmp"/page-*.pgm; do
  # Binary PGM: three header lines, then one byte per pixel; count the pixels that are not white.
  inked=$(tail -n +4 "$pgm" | tr -d '\377' | wc -c)
  [[ $inked -ge 1500 ]] || fail "$(basename "$pgm") looks blank ($inked non-white pixels)"
done
pdftotext -layout "$tmp/report.pdf" "$tmp/report.txt"
for section in "Sign-off" "Executive summary" "Scope" "Assumptions" "Results" "Distributions" \
               "Representative timeline" "What dominates RTO and bounds RPO" "Drill history" "Reproducibility"; do
  grep -q "$section" "$tmp/report.txt" || fail "PDF text lacks the section \"$section\""
  grep -q "$section" "$tmp/report.html" || fail "HTML lacks the section \"$section\""
  grep -q "^## $section" "$tmp/report.md" || fail "Markdown lacks the section \"$section\""
done
grep -q "page 1 of $pages" "$tmp/report.txt" || fail "PDF has no page numbers"
grep -q "A. Tester, SRE" "$tmp/report.txt" || fail "PDF sign-off lacks the preparer"
for service in $(cut -f2 "$tmp/expected.txt" | sort -u); do
  grep -q "$service" "$tmp/report.txt" || fail "PDF text lacks the service $service"
done

# --- JUnit: well-formed, one case per disaster x service, failures where the rule says.
xmllint --noout "$tmp/report.xml" || fail "JUnit XML does not parse"
python3 - "$tmp/report.xml" >"$tmp/actual.txt" <<'PY' || fail "cannot read the JUnit XML"
import sys, xml.etree.ElementTree as ET
for case in ET.parse(sys.argv[1]).getroot().iter("testcase"):
    print(f'{case.get("classname")}\t{case.get("name")}\t{"failure" if case.find("failure") is not None else "ok"}')
PY
diff "$tmp/expected.txt" "$tmp/actual.txt" >/dev/null ||
  { fail "JUnit cases differ from the sweep's verdicts"; diff "$tmp/expected.txt" "$tmp/actual.txt" | head; }
grep -q failure "$tmp/expected.txt" || fail "expected at least one failure (the plan loses a region)"

# --- HTML: self-contained, charts inline.
for html in "$tmp/report.html" "$tmp/inline.html"; do
  if grep -n -i -E 'http:|https:|src=|<link|@import|url\(' "$html" | head -3 | grep .; then
    fail "$(basename "$html") refers to something outside the file"
  fi
  svgs=$(grep -o '<svg' "$html" | wc -l)
  [[ $svgs -ge 3 ]] || fail "$(basename "$html") has $svgs inline charts"
done
# The same charts in every format: Markdown names each one the HTML draws.
charts=$(grep -c '^\*Chart (in the HTML and PDF reports)' "$tmp/report.md")
[[ $(grep -o '<svg' "$tmp/report.html" | wc -l) -eq $charts ]] || fail "HTML draws a different number of charts than the $charts Markdown names"
python3 -c "import html.parser,sys; html.parser.HTMLParser().feed(open(sys.argv[1]).read())" "$tmp/report.html" ||
  fail "HTML does not parse"

# --- Markdown tables, JSON model.
grep -q '^| verdict | service | disruption class |' "$tmp/report.md" || fail "Markdown lacks the summary table"
rows=$(grep -c '^| [a-z-]* | [a-z-]* | [a-z_-]* | [0-9]' "$tmp/report.md")
[[ $rows -ge $cells ]] || fail "Markdown results table has $rows rows for $cells cells"
python3 -c "
import json,sys
j=json.load(open(sys.argv[1])); assert j['schema']=='firedrill.report/1', j['schema']
assert len(j['cells'])==int(sys.argv[2]), len(j['cells'])
" "$tmp/report.json" "$cells" || fail "JSON report is not the report model"

# --- run --report and bad input.
"$bin" run $plan --seed 7 -q --report "$tmp/run.xml"
[[ $? -le 1 ]] || fail "run --report failed"
xmllint --noout "$tmp/run.xml" || fail "run --report JUnit does not parse"
expect_2() {  # expect exit code 2 and a message containing $1
  local want=$1; shift
  "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  [[ $rc -eq 2 ]] || fail "$* exited $rc, expected 2"
  grep -q -- "$want" "$tmp/err" || { fail "$*: message lacks \"$want\""; cat "$tmp/err"; }
}
expect_2 "no such file" report "$tmp/missing.json" -o "$tmp/x.html"
expect_2 "/schema: expected \"firedrill.result/1\"" report $plan -o "$tmp/x.html"
expect_2 "expected a file ending in" report "$tmp/sweep.json" -o "$tmp/x.docx"
expect_2 "expected a file for a pdf report" report "$tmp/sweep.json" -f pdf -o -
expect_2 "expected a file ending in" sweep $plan --trials 2 --report "$tmp/x.txt"
expect_2 "--report needs the whole sweep" sweep $plan --trials 2 --shard 1/2 --report "$tmp/x.md"
python3 -c "
import json,sys; j=json.load(open(sys.argv[1])); j['shard']={'index':1,'count':2}; json.dump(j,open(sys.argv[2],'w'))
" "$tmp/sweep.json" "$tmp/part.json"
expect_2 "/shard: expected a whole sweep" report "$tmp/part.json" -o "$tmp/x.md"

if [[ $fails -gt 0 ]]; then echo "$fails check(s) failed"; exit 1; fi
echo "ok: every report format from a $cells-cell sweep, $pages PDF pages"
