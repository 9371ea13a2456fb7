#!/usr/bin/env bash
# Runs every benchmark suite's --quick mode ROUNDS times back to back (issue #25: no native failure in any of them) and
# writes OUT/quick-suites.md: one row per run with its exit code, seconds and any native error in its output.
# Usage: tools/quick-suites.sh ROUNDS OUT [DATA [SUITE...]]   (DATA: the shared data folder, default ../shared/data;
# SUITE...: only these suites). long-study and fmnist-best need the Debian package dataset-fashion-mnist.
set -uo pipefail
cd "$(dirname "$0")/.."
rounds=${1:?rounds}; out=$(realpath -m "${2:?output folder}"); data=$(realpath -m "${3:-../shared/data}")
mkdir -p "$out"
dotnet build test/Microsoft.ML.Reparam.Benchmarks -c Release -v q -nologo > "$out/build.log" 2>&1 || { echo "build failed: $out/build.log"; exit 1; }
suites=(
  "fold" "train-cost" "nkr-study" "reactivation-study" "diffstride-study"
  "seg-study --data $data/segmentation/isbi2012-membrane" "sr-study --data $data/super-resolution"
  "denoise-study --data $data/denoising" "sr-long --data $data/super-resolution" "denoise-long --data $data/denoising"
  "robustness" "service" "int8-study --sr-data $data/super-resolution" "long-study" "fmnist-best" "gc-stress" "conv-check"
)
if [ $# -gt 3 ]; then
  only=" ${*:4} "; kept=()
  for suite in "${suites[@]}"; do [[ "$only" == *" ${suite%% *} "* ]] && kept+=("$suite"); done
  suites=("${kept[@]}")
fi
summary="$out/quick-suites.md"
{
  echo "# Every suite's --quick mode, $rounds times back to back"
  echo
  echo "Command: \`tools/quick-suites.sh $*\`. Started $(date -u '+%Y-%m-%d %H:%M') UTC on $(nproc) cores, CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)."
  echo
  echo "| round | suite | exit code | seconds | native errors in the output |"
  echo "| ---: | --- | ---: | ---: | --- |"
} > "$summary"
failures=0
for round in $(seq 1 "$rounds"); do
  for suite in "${suites[@]}"; do
    name=${suite%% *}; log="$out/round$round-$name.log"; start=$(date +%s)
    # shellcheck disable=SC2086
    dotnet run -c Release --no-build --project test/Microsoft.ML.Reparam.Benchmarks -- $suite --quick --out "$out/round$round" > "$log" 2>&1
    code=$?; seconds=$(( $(date +%s) - start ))
    errors=$(grep -oE "Unknown scalar type|ExternalException[^|]{0,80}|must not be a floating point|Segmentation fault|core dumped" "$log" | sort | uniq -c | tr -s ' ' | paste -sd ';' -)
    # gc-stress provokes TorchSharp's own failures on purpose: only its library probes and fits count.
    if [ "$name" = gc-stress ]; then errors=$(grep -E "^(Library|fits:)" "$log" | grep -vE "(: [0-9]+ calls, 0 exceptions, 0 wrong, 0 crashes|^fits: 0 of [0-9]+ failed)" | paste -sd ';' -); fi
    [ "$code" -ne 0 ] || [ -n "$errors" ] && failures=$((failures + 1))
    echo "| $round | $name | $code | $seconds | ${errors:-none} |" >> "$summary"
    echo "round $round $name: exit $code, ${seconds}s, errors: ${errors:-none}"
  done
done
echo >> "$summary"; echo "Runs with a non-zero exit code or a native error: **$failures** of $(( rounds * ${#suites[@]} ))." >> "$summary"
echo "wrote $summary ($failures failing runs)"
exit $(( failures > 0 ))
