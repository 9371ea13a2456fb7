#!/usr/bin/env bash
# Brings src/Microsoft.ML.Reparam/PublicAPI.Unshipped.txt in line with the code: adds the public symbols the analyzer
# reports as undeclared (RS0016) and removes declared ones that are gone (RS0017). Review the diff it leaves: it is the
# change to the public API.
set -euo pipefail
cd "$(dirname "$0")/.."
project=src/Microsoft.ML.Reparam
api=$project/PublicAPI.Unshipped.txt
log=$(mktemp)
dotnet build "$project" -c Release --no-incremental > "$log" 2>&1 || true
grep -oP "RS0017: Symbol '\K.*(?=' is part of the declared API)" "$log" | sort -u > "$log.removed" || true
grep -oP "RS0016: Symbol '\K.*(?=' is not part of the declared public API)" "$log" | sort -u > "$log.added" || true
{
  echo '#nullable enable'
  grep -v '^#nullable' "$api" | grep -vxF -f "$log.removed" | cat - "$log.added" | sort -u
} > "$log.api"
mv "$log.api" "$api"
echo "public API: $(wc -l < "$log.added") added, $(wc -l < "$log.removed") removed"
