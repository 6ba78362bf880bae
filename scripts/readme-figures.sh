#!/usr/bin/env bash
# Re-measures the figures the README quotes and rewrites its two generated blocks:
#   <!-- BEGIN sample ... -->  the output of ./mmcheck bugs check --all --quiet
#   <!-- BEGIN figures ... --> times of the catalogue, the bug corpus, mvn -B verify and the
#                              exhaustive checks, with the machine, the JDK and the other
#                              processes' use of the CPUs while each ran
# Everything else in the README that a run can check (counts, the sample's verdicts and states)
# is checked by cli/src/test/java/dev/mmcheck/cli/ReadmeTest.java against the real output.
#
#   scripts/readme-figures.sh            # everything: about 10 minutes on 2 cores
#   scripts/readme-figures.sh --sample   # only the sample block (under a minute)
#   scripts/readme-figures.sh --skip-exhaustive   # all but the exhaustive checks (they take about
#                                        # an hour on a shared machine); the block says they were not run
#
# Measure on a quiet machine: before each measurement the script waits (up to QUIET_WAIT seconds,
# default 1800) until other processes have used less than MAX_OTHER cores (default 0.2) for 30 s,
# and it records how many cores other processes used during each measurement (from /proc/stat,
# minus the measured command's own CPU time), so a figure taken on a busy machine says so.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
sample_only=0
skip_exhaustive=0
for arg in "$@"; do
  case $arg in
    --sample) sample_only=1 ;;
    --skip-exhaustive) skip_exhaustive=1 ;;
    *) echo "readme-figures.sh: unknown argument '$arg' (use --sample or --skip-exhaustive)" >&2; exit 2 ;;
  esac
done

max_other=${MAX_OTHER:-0.2}
quiet_wait=${QUIET_WAIT:-1800}
hz=$(getconf CLK_TCK)
work=target/readme-figures
mkdir -p "$work"

# CPU time (seconds, all cores) the machine has spent busy since boot.
busy() { awk -v hz="$hz" '/^cpu / { printf "%.2f", ($2 + $3 + $4 + $7 + $8 + $9) / hz }' /proc/stat; }

# Sets cpu_seconds to the CPU seconds used so far by this shell's finished children: the second
# line of bash's times builtin, which must run in this shell, not in a pipe or $(...) (a subshell
# has children of its own).
children_cpu() {
  times > "$work/times"
  cpu_seconds=$(awk 'NR == 2 { split($0, f, /[ ms]+/); printf "%.2f", f[1] * 60 + f[2] + f[3] * 60 + f[4] }' "$work/times")
}

wait_quiet() {
  local waited=0 quiet=0 b0 b1
  while (( quiet < 30 )); do
    if (( waited >= quiet_wait )); then
      echo "readme-figures.sh: the machine did not go quiet in ${quiet_wait}s; measuring anyway (recorded)" >&2
      return
    fi
    b0=$(busy)
    sleep 5
    b1=$(busy)
    waited=$((waited + 5))
    if awk -v a="$b0" -v b="$b1" -v m="$max_other" 'BEGIN { exit !((b - a) / 5 < m) }'; then
      quiet=$((quiet + 5))
    else
      quiet=0
    fi
  done
}

# Runs a command quietly, its output in $work/$1.out; prints "<wall seconds> <other processes' cores>".
timed() {
  local name=$1
  shift
  wait_quiet
  local start end b0 b1 c0 c1
  children_cpu
  c0=$cpu_seconds
  b0=$(busy)
  start=$(date +%s.%N)
  "$@" > "$work/$name.out" 2> "$work/$name.err" || true
  end=$(date +%s.%N)
  b1=$(busy)
  children_cpu
  c1=$cpu_seconds
  awk -v s="$start" -v e="$end" -v b0="$b0" -v b1="$b1" -v c0="$c0" -v c1="$c1" \
    'BEGIN { w = e - s; o = ((b1 - b0) - (c1 - c0)) / w; printf "%.0f %.2f", w, (o < 0 ? 0 : o) }'
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
# shellcheck source=java-opts.sh
source "$(dirname "${BASH_SOURCE[0]}")/java-opts.sh"
read -r -a java_opts <<< "$(mmcheck_java_opts)"
mmcheck=(java "${java_opts[@]}" -jar cli/target/mmcheck.jar)

read -r bugs_s bugs_other <<< "$(timed bugs "${mmcheck[@]}" bugs check --all --quiet --out "$work/bugs")"
if (( ! sample_only )); then
  read -r catalogue_s catalogue_other <<< "$(timed catalogue "${mmcheck[@]}" catalogue --quiet --out "$work/catalogue")"
fi
if (( ! sample_only && ! skip_exhaustive )); then
  names=$("${mmcheck[@]}" list checks | awk '/exhaustive profile only/ && /^munmap-/ {print $1}')
  # shellcheck disable=SC2086
  read -r _ exhaustive_other <<< "$(timed exhaustive "${mmcheck[@]}" catalogue --exhaustive $names --quiet --workers 2 \
    --report text --out "$work/exhaustive")"
  exhaustive_rows=$(awk '/ states / { for (i = 2; i <= NF; i++) if ($i == "states") n = $(i - 1);
                                      for (i = 2; i <= NF; i++) if ($i == "s") t = $(i - 1);
                                      printf "| %s | %s | %s s |\n", $1, n, t }' "$work/exhaustive.out")
fi

# The sample: as a user sees it, with the report folder as it would be by default.
sed 's|^reports written to .*|reports written to /home/me/mmcheck/mmcheck-reports|' "$work/bugs.out" > "$work/sample.txt"

cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
mem=$(awk '/MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)
jdk=$(java -version 2>&1 | head -1)

write_figures() {
  {
    echo "Measured by \`scripts/readme-figures.sh\` on $(date -u +%Y-%m-%d): $(nproc) CPUs ($cpu), ${mem} GiB RAM,"
    echo "$jdk."
    echo "Each command ran once the machine had been quiet for 30 s; \"others\" is how many cores other"
    echo "processes used on average while it ran. Wall time includes the JVM's start (the jar is built before"
    echo "timing); check time is the sum of the runs' own times. Default search options (as many workers as"
    echo "cores)."
    echo
    echo "| what | wall time | check time | others |"
    echo "|---|---|---|---|"
    echo "| default catalogue, $(grep -c ' states ' "$work/catalogue.out") checks (\`./mmcheck catalogue --quiet\`) | $(human "$catalogue_s") | $(check_time "$work/catalogue.out") s | $catalogue_other |"
    echo "| historical bugs, $(grep -c ' states ' "$work/bugs.out") runs (\`./mmcheck bugs check --all --quiet\`) | $(human "$bugs_s") | $(check_time "$work/bugs.out") s | $bugs_other |"
    echo "| every test (\`mvn -B verify\`, after a first build) | ${verify_time:-measuring} | | ${verify_other:-} |"
    echo
    if (( skip_exhaustive )); then
      echo "The exhaustive profile's largest checks were not run for these figures (\`--skip-exhaustive\`);"
      echo "see [docs/benchmarks.md](docs/benchmarks.md) for their latest measurements."
    else
      echo "The exhaustive profile's largest checks (\`./mmcheck catalogue --exhaustive NAME --workers 2\`; others:"
      echo "$exhaustive_other cores), each of which must hold:"
      echo
      echo "| check | distinct states | time |"
      echo "|---|---:|---:|"
      echo "$exhaustive_rows"
    fi
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
  read -r verify_s verify_other <<< "$(timed verify mvn -B verify)"
  verify_time=$(human "$verify_s")
  if ! grep -q "BUILD SUCCESS" "$work/verify.out"; then
    verify_time="$verify_time (the build FAILED: see $work/verify.out)"
  fi
  write_figures
fi
echo "README.md rewritten"
