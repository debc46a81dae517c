#!/usr/bin/env bash
# Build the bundle, then run the built program as a user would: from another working
# directory, offscreen, on a fresh data dir. It imports the seeds, searches, exports, imports
# 300 generated notes (enough for the index rebuild on worker processes, which a bundle must
# start as itself), starts and quits the window, and prints the bundle's size and start time.
#     packaging/check_bundle.sh            (builds first)
#     packaging/check_bundle.sh --no-build (checks dist/ as it is)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ "${1:-}" = "--no-build" ] || "$root/packaging/build.sh"
program="$root/dist/transcript-reader/transcript-reader"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export QT_QPA_PLATFORM=offscreen
data="$work/data"

"$program" --version
"$program" --samples --data-dir "$data" list | tee "$work/list.txt"
[ "$(grep -c . "$work/list.txt")" -eq 5 ] || { echo "FAIL: the seeds were not imported"; exit 1; }
"$program" --data-dir "$data" search "modellen" --limit 3 | tee "$work/search.txt"
grep -q "episodes match" "$work/search.txt" || { echo "FAIL: search printed no results"; exit 1; }
"$program" --data-dir "$data" terms suggest DeepSeek | tee "$work/suggest.txt"
grep -q "'diep zek'" "$work/suggest.txt" || { echo "FAIL: no spelling suggestions (rapidfuzz bundled?)"; exit 1; }
"$program" --data-dir "$data" annotate LrrHD9cdz6Q --notes "gebouwd en getest" >/dev/null
"$program" --data-dir "$data" export "$work/out" >/dev/null
[ "$(ls "$work/out" | wc -l)" -eq 5 ] || { echo "FAIL: export wrote $(ls "$work/out" | wc -l) files"; exit 1; }
grep -q "gebouwd en getest" "$work/out"/DEEPSEEKPANIEK* || { echo "FAIL: notes missing"; exit 1; }

# 300 notes: the import rebuilds the index on worker processes (PARALLEL_THRESHOLD is 150).
python=${PYTHON:-$root/.venv/bin/python}
"$python" "$root/benchmarks/corpus.py" "$work/vault" --episodes 300
start=$(date +%s%N)
"$program" --data-dir "$work/many" import "$work/vault" | tail -n 1
end=$(date +%s%N)
echo "imported 300 notes in $(( (end - start) / 1000000 )) ms"
[ "$("$program" --data-dir "$work/many" list | grep -c .)" -eq 300 ] \
    || { echo "FAIL: the 300 notes were not all imported"; exit 1; }
"$program" --data-dir "$work/many" search "podcast" --limit 1 | tee "$work/many.txt"
grep -q "^300 episodes match\|episodes match" "$work/many.txt" || { echo "FAIL: no search"; exit 1; }
"$program" --data-dir "$work/many" index --rebuild | tail -n 1

start=$(date +%s%N)
TRANSCRIPT_READER_SMOKE_TEST=1 "$program" --data-dir "$data"
end=$(date +%s%N)
echo "window started and quit in $(( (end - start) / 1000000 )) ms (warm)"
echo "bundle size: $(du -sh "$root/dist/transcript-reader" | cut -f1)"
echo "check passed"
