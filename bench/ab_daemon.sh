#!/usr/bin/env bash
# Interleaved A/B of the daemon alone in the race (docs/benchmarks.md, "Issue 10, second pass"): each round runs
# every variant once, in turn, at one rate and the current net.unix.max_dgram_qlen, so machine load drifts over all
# variants alike. Prints one line per run and the medians per variant.
#
#   bench/ab_daemon.sh ROUNDS RATE SECONDS VARIANT...
#   VARIANT = name=RACE_BINARY[,NAME=VALUE...]   the race binary (its own daemon next to it) and daemon environment
#
# e.g. bench/ab_daemon.sh 3 10000 8 old=bench/out/race-A/race new=bench/Race/bin/Release/net10.0/race \
#        tc=bench/Race/bin/Release/net10.0/race,DOTNET_TieredCompilation=1
# An old build is a copy of bench/Race/bin/Release/net10.0 made before the change (inside the repo, so the race
# finds the repo's generated files).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 4 ] || { sed -n '2,12p' "$0" >&2; exit 2; }
rounds=$1 rate=$2 seconds=$3
shift 3
out=bench/out/ab
mkdir -p "$out"
: > "$out/runs.tsv"
for round in $(seq 1 "$rounds"); do
  for variant in "$@"; do
    name=${variant%%=*}
    spec=${variant#*=}
    IFS=, read -r -a parts <<< "$spec"
    env_args=()
    for e in "${parts[@]:1}"; do env_args+=(--daemon-env "$e"); done
    dir="$out/$name-$round"
    # One corpus for every run (made by the first, from real HAProxy).
    mkdir -p "$dir"
    if [ -f "$out/corpus.bin" ]; then cp "$out/corpus.bin" "$dir/"; fi
    "${parts[0]}" run --out "$dir" --receivers daemon --rates "$rate" --seconds "$seconds" "${env_args[@]}" > "$dir.log" 2>&1
    if [ ! -f "$out/corpus.bin" ]; then cp "$dir/corpus.bin" "$out/"; fi
    line=$(python3 - "$dir" "$name" "$round" <<'EOF'
import glob, json, sys
r = json.load(open(glob.glob(sys.argv[1] + "/results-q*.json")[0]))
run = r["runs"][0]
p = run.get("delivery_p99")
p99 = "-" if p is None else (f">{p['lower_ms']:.0f}" if p["upper_ms"] in ("Infinity", None) else f"{p['ms']:.1f}")
print(f"{sys.argv[2]}\t{sys.argv[3]}\t{run['cpu_per100k']:.2f}\t{run['peak_rss_mib']:.1f}\t{p99}\t{run['received']}\t{run['eagain']}\t{r['machine']['load_before']}")
EOF
)
    echo "$line" | tee -a "$out/runs.tsv"
  done
done
python3 - "$out/runs.tsv" <<'EOF'
import statistics, sys
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1]) if l.strip()]
print("variant\tCPU s/100k (median)\tpeak RSS MiB (median)\tp99 ms (median)\truns")
for name in dict.fromkeys(r[0] for r in rows):
    mine = [r for r in rows if r[0] == name]
    p99 = [float(r[4]) for r in mine if r[4] not in ("-",) and not r[4].startswith(">")]
    print(f"{name}\t{statistics.median(float(r[2]) for r in mine):.2f}\t{statistics.median(float(r[3]) for r in mine):.1f}\t"
          f"{statistics.median(p99) if p99 else '-'}\t{len(mine)}")
EOF
