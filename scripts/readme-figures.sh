#!/usr/bin/env bash
# Re-measures the figures the README quotes and rewrites its two generated blocks:
#   <!-- BEGIN sample ... -->  the output of ./mmcheck bugs check --all --quiet
#   <!-- BEGIN figures ... --> times of the catalogue, the bug corpus, mvn -B verify and the
#                              exhaustive checks, with the machine, the JDK and its load
# Everything else in the README that a run can check (counts, the sample's verdicts and states)
# is checked by cli/src/test/java/dev/mmcheck/cli/ReadmeTest.java against the real output.
#
#   scripts/readme-figures.sh            # everything: about 10 minutes on 2 cores
#   scripts/readme-figures.sh --sample   # only the sample block (under a minute)
#
# Measure on a quiet machine: the script waits (up to QUIET_WAIT seconds, default 1800) until the
# 1-minute load average is below MAX_LOAD (default 0.5) and records the load before and after.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
sample_only=0
for arg in "$@"; do
  case $arg in
    --sample) sample_only=1 ;;
    *) echo "readme-figures.sh: unknown argument '$arg' (use --sample)" >&2; exit 2 ;;
  esac
done

max_load=${MAX_LOAD:-0.5}
quiet_wait=${QUIET_WAIT:-1800}
work=target/readme-figures
mkdir -p "$work"

load() { cut -d' ' -f1 /proc/loadavg; }

wait_quiet() {
  local waited=0
  while awk -v l="$(load)" -v m="$max_load" 'BEGIN { exit !(l >= m) }'; do
    if (( waited >= quiet_wait )); then
      echo "readme-figures.sh: load still $(load) after ${quiet_wait}s; measuring anyway (recorded)" >&2
      return
    fi
    sleep 10
    waited=$((waited + 10))
  done
}

# Seconds of wall time of a command, its output in $work/$1.out.
timed() {
  local name=$1
  shift
  local start end
  start=$(date +%s.%N)
  "$@" > "$work/$name.out" 2> "$work/$name.err" || true
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.0f", e - s }'
}

# "95 s" or "4 min 10 s".
human() {
  awk -v t="$1" 'BEGIN { if (t < 120) printf "%d s", t; else printf "%d min %d s", t / 60, t % 60 }'
}

# Sum of the per-run times (column "N.NN s") of a one-line-per-run listing.
check_time() {
  awk '{ for (i = 2; i <= NF; i++) if ($i == "s" && $(i - 1) ~ /^[0-9]+\.[0-9]+$/) { t += $(i - 1); break } }
       END { printf "%.0f", t }' "$1"
}

mvn -B -q -DskipTests package -pl cli -am
mmcheck=(java -Xmx16g -XX:+UseParallelGC -jar cli/target/mmcheck.jar)

wait_quiet
load_before=$(load)
bugs_s=$(timed bugs "${mmcheck[@]}" bugs check --all --quiet --out "$work/bugs")
if (( ! sample_only )); then
  catalogue_s=$(timed catalogue "${mmcheck[@]}" catalogue --quiet --out "$work/catalogue")
  names=$("${mmcheck[@]}" list checks | awk '/exhaustive profile only/ && /^munmap-/ {print $1}')
  # shellcheck disable=SC2086
  timed exhaustive "${mmcheck[@]}" catalogue --exhaustive $names --quiet --workers 2 --report text \
    --out "$work/exhaustive" > /dev/null
  exhaustive_rows=$(awk '/ states / { for (i = 2; i <= NF; i++) if ($i == "states") n = $(i - 1);
                                      for (i = 2; i <= NF; i++) if ($i == "s") t = $(i - 1);
                                      printf "| %s | %s | %s s |\n", $1, n, t }' "$work/exhaustive.out")
fi
load_after=$(load)

# The sample: as a user sees it, with the report folder as it would be by default.
sed 's|^reports written to .*|reports written to /home/me/mmcheck/mmcheck-reports|' "$work/bugs.out" > "$work/sample.txt"

cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
mem=$(awk '/MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)
jdk=$(java -version 2>&1 | head -1)

write_figures() {
  {
    echo "Measured by \`scripts/readme-figures.sh\` on $(date -u +%Y-%m-%d): $(nproc) CPUs ($cpu), ${mem} GiB RAM,"
    echo "$jdk; 1-minute load average $load_before before and $load_after after (other processes on"
    echo "the machine). Wall time includes the JVM's start (the jar is built before timing); check time is"
    echo "the sum of the runs' own times. Default search options (as many workers as cores)."
    echo
    echo "| what | wall time | check time |"
    echo "|---|---|---|"
    echo "| default catalogue, $(grep -c ' states ' "$work/catalogue.out") checks (\`./mmcheck catalogue --quiet\`) | $(human "$catalogue_s") | $(check_time "$work/catalogue.out") s |"
    echo "| historical bugs, $(grep -c ' states ' "$work/bugs.out") runs (\`./mmcheck bugs check --all --quiet\`) | $(human "$bugs_s") | $(check_time "$work/bugs.out") s |"
    echo "| every test (\`mvn -B verify\`, after a first build) | ${verify_time:-measuring} | |"
    echo
    echo "The exhaustive profile's largest checks (\`./mmcheck catalogue --exhaustive NAME --workers 2\`), each of which"
    echo "must hold:"
    echo
    echo "| check | distinct states | time |"
    echo "|---|---:|---:|"
    echo "$exhaustive_rows"
  } > "$work/figures.md"
  awk -v file="$work/figures.md" '
    /<!-- BEGIN figures/ { print; while ((getline line < file) > 0) print line; skip = 1; next }
    /<!-- END figures/   { skip = 0 }
    !skip { print }' README.md > "$work/README.md"
  mv "$work/README.md" README.md
}

# Replace a generated block of README.md (between its BEGIN and END markers) by a file.
replace_block() {
  local marker=$1 file=$2
  awk -v marker="$marker" -v file="$file" '
    $0 ~ "<!-- BEGIN " marker { print; print "```"; while ((getline line < file) > 0) print line; print "```"; skip = 1; next }
    $0 ~ "<!-- END " marker   { skip = 0 }
    !skip { print }' README.md > "$work/README.md"
  mv "$work/README.md" README.md
}
replace_block sample "$work/sample.txt"
if (( ! sample_only )); then
  # mvn -B verify checks the README, so it runs once the figures above are in place.
  write_figures
  wait_quiet
  verify_time=$(human "$(timed verify mvn -B verify)")
  if ! grep -q "BUILD SUCCESS" "$work/verify.out"; then
    verify_time="$verify_time (the build FAILED: see $work/verify.out)"
  fi
  load_after=$(load)
  write_figures
fi
echo "README.md rewritten (load $load_before before, $load_after after)"
