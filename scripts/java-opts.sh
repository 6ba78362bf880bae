# The JVM flags mmcheck runs with unless MMCHECK_JAVA_OPTS is set; sourced by ./mmcheck and
# scripts/readme-figures.sh so that the figures are measured as users run.
mmcheck_java_opts() {
  local opts="-Xmx16g -XX:+UseParallelGC"
  # The heap in transparent huge pages where the kernel offers them: the visited set's random
  # probes then miss the TLB less (about 9 % faster on the reference check, docs/benchmarks.md).
  if grep -qE '\[(always|madvise)\]' /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null; then
    opts="$opts -XX:+UseTransparentHugePages"
  fi
  echo "${MMCHECK_JAVA_OPTS:-$opts}"
}
