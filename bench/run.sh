#!/usr/bin/env bash
# The engine benchmark (see docs/benchmarks.md). Builds bench/target/mmcheck-bench.jar and runs
# dev.mmcheck.bench.EngineBench with the recorded JVM flags over
#   grid:     CounterGrid(5, 36, pad), 60,466,176 states, for each pad in $PADS (default "0 7":
#             8- and 64-byte state vectors)
#   peterson: PetersonCounters(4, 9), 60,833,592 states, 8-byte vectors (4 processes with guards)
# for each model in $MODELS (default "grid peterson"). Each configuration (mode x workers) gets one
# warm-up run and three measured runs unless the extra arguments say otherwise; extra arguments go
# to EngineBench (java -jar bench/target/mmcheck-bench.jar --help).
#
#   bench/run.sh                                              # the JDK on PATH (17 here)
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/run.sh  # another JDK
#   MODELS=grid PADS=0 bench/run.sh --runs 5                  # one configuration, more runs
#   SKIP_BUILD=1 bench/run.sh                                 # reuse the built jar
#
# Output: the tables on stdout, a copy per model in bench/target/results/, and one CSV row per run
# appended to bench/target/results/engine-bench.csv. Needs about 12 GiB of free RAM (BENCH_HEAP).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

java=java
if [[ -n ${JAVA_HOME:-} ]]; then
  java=$JAVA_HOME/bin/java
fi
heap=${BENCH_HEAP:-12g}
# Fixed, pre-touched heap (no page faults or heap resizing inside a measurement), the parallel
# collector, and transparent huge pages (fewer TLB misses on the multi-GB visited set).
jvm_flags=(-Xms"$heap" -Xmx"$heap" -XX:+UseParallelGC -XX:+AlwaysPreTouch -XX:+UseTransparentHugePages)
jar=bench/target/mmcheck-bench.jar

if [[ ${SKIP_BUILD:-0} != 1 ]]; then
  mvn -B -q -pl bench -am package -DskipTests
fi

out=bench/target/results
mkdir -p "$out"
feature=$("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')

for model in ${MODELS:-grid peterson}; do
  case $model in
    grid)
      for pad in ${PADS:-0 7}; do
        "$java" "${jvm_flags[@]}" -jar "$jar" --model grid --counters 5 --modulus 36 --pad "$pad" \
          --csv "$out/engine-bench.csv" "$@" | tee "$out/jdk$feature-grid-pad$pad.txt"
      done
      ;;
    peterson)
      "$java" "${jvm_flags[@]}" -jar "$jar" --model peterson --processes 4 --modulus 9 \
        --csv "$out/engine-bench.csv" "$@" | tee "$out/jdk$feature-peterson.txt"
      ;;
    *)
      echo "run.sh: unknown model '$model' (use grid, peterson)" >&2
      exit 2
      ;;
  esac
done
