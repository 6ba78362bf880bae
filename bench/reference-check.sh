#!/usr/bin/env bash
# The kernel reference check of issue 13 at engine speed (see docs/benchmarks.md, "Kernel checks
# at engine speed"): munmap-all-vs-fault-madvise-lazy@v4.20-fixed, exhaustive BFS, lossless, with
# the default (adaptive) memory budget, run as a user runs it:
#   java -Xmx16g -XX:+UseParallelGC -jar cli/target/mmcheck.jar check v4.20-fixed \
#        --scenario munmap-all-vs-fault-madvise-lazy --workers N --quiet --report text
# For each worker count in $WORKERS (default "1 2") and each of $RUNS runs (default 3), prints the
# check's own summary lines (states, time, states/s, bytes/state) and the whole-process wall,
# CPU and peak memory from /usr/bin/time -v. Measure on a quiet machine; quote medians.
#
#   bench/reference-check.sh                    # build the CLI jar, then 1 and 2 workers, 3 runs each
#   SKIP_BUILD=1 WORKERS=2 RUNS=5 bench/reference-check.sh
#   JAR=/tmp/other.jar SKIP_BUILD=1 bench/reference-check.sh   # another build, for before/after
#   MVN_FLAGS=-Dmaven.repo.local=/tmp/m2/repository bench/reference-check.sh   # build with another local repository
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
jar=${JAR:-cli/target/mmcheck.jar}
if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  mvn -B -q -o ${MVN_FLAGS:-} -DskipTests package -pl cli -am
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for workers in ${WORKERS:-1 2}; do
  for run in $(seq "${RUNS:-3}"); do
    echo "== workers $workers, run $run"
    /usr/bin/time -v java ${JAVA_OPTS:--Xmx16g -XX:+UseParallelGC} -jar "$jar" check v4.20-fixed \
        --scenario munmap-all-vs-fault-madvise-lazy --workers "$workers" --quiet --report text --out "$out" \
        2>"$out/time.txt" | grep -E '^  (states|time|memory):'
    grep -E 'Elapsed \(wall|User time|System time|Maximum resident' "$out/time.txt" | sed 's/^\s*/  /'
  done
done
