#!/usr/bin/env bash
# Rewrites specs/src/test/resources/catalogue-states.tsv, the distinct-state count of every default
# catalogue check that CatalogueTest pins, from a run of the default catalogue. Use it only for a
# change that is meant to move a count, and say why in the commit.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$here/specs/src/test/resources/catalogue-states.tsv"
{
  echo "# The distinct-state count of every default catalogue check: the regression oracle of refactors."
  echo "# A change that moves a count says why in its commit. Regenerate with scripts/catalogue-states.sh."
  "$here/mmcheck" catalogue --quiet | awk '$3 == "as" && $4 == "expected" && $6 == "states" { gsub(",", "", $5); print $1 "\t" $5 }'
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $(grep -vc '^#' "$out") counts to $out"
