#!/usr/bin/python3
"""Draws the race's plots from results-q*.json (written by `race run`): loss, CPU per 100k lines, peak RSS and the
daemon's p99 delivery latency against the offered rate, one line per receiver, one panel per
net.unix.max_dgram_qlen. Debian's python3-matplotlib, Agg
backend (headless, its own fonts).

usage: plot_race.py RESULTS_DIR IMAGE_DIR
"""
import glob
import json
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

STYLE = {"raw": ("tab:gray", "o", "raw recv() floor"), "rsyslog": ("tab:orange", "s", "rsyslog + omkafka"),
         "daemon": ("tab:blue", "^", "haproxykafka")}
PLOTS = [
    ("race-loss.png", "lines lost: EAGAIN + inside, % of offered", lambda r: loss(r), False),
    ("race-cpu.png", "receiver CPU seconds per 100k lines", lambda r: r["cpu_per100k"], False),
    ("race-rss.png", "receiver peak RSS (VmHWM), MiB", lambda r: r["peak_rss_mib"], False),
    ("race-latency.png", "p99 datagram to delivery report, ms (daemon's histogram)", lambda r: p99(r), False),
]


def p99(run):
    """The daemon's p99 in ms; None for receivers without it and where it lies beyond the last bucket."""
    quantile = run.get("delivery_p99")
    if quantile is None or quantile["upper_ms"] in (None, "Infinity", float("inf")):
        return None
    return quantile["ms"]


def loss(run):
    offered = run["offered"]
    arrived = run["delivered"] if run["delivered"] is not None else (run["received"] or 0)
    return 100.0 * (offered - arrived) / offered if offered else 0.0


def main(results_dir, image_dir):
    results = sorted((json.load(open(f)) for f in glob.glob(os.path.join(results_dir, "results-q*.json"))),
                     key=lambda r: r["machine"]["qlen"])
    if not results:
        sys.exit(f"plot_race.py: no results-q*.json in {results_dir}")
    os.makedirs(image_dir, exist_ok=True)
    for name, title, value, _ in PLOTS:
        fig, axes = plt.subplots(1, len(results), figsize=(6 * len(results), 4.2), squeeze=False, sharey=True)
        for ax, result in zip(axes[0], results):
            for receiver, (color, marker, label) in STYLE.items():
                runs = [r for r in result["runs"] if r["receiver"] == receiver]
                points = sorted((r["offered_rate"], value(r), r["rate"] is None) for r in runs)
                points = [p for p in points if p[1] is not None and not math.isnan(p[1])]
                if not points:
                    continue
                ax.plot([p[0] for p in points], [p[1] for p in points], color=color, marker=marker, label=label)
                for x, y, is_max in points:
                    if is_max:
                        ax.annotate("max", (x, y), textcoords="offset points", xytext=(4, 4), fontsize=8, color=color)
            ax.set_xscale("log")
            ax.set_xlabel("offered lines/s (log scale; 'max' = back to back)")
            ax.set_title(f"net.unix.max_dgram_qlen = {result['machine']['qlen']}")
            ax.grid(True, which="both", alpha=0.3)
        axes[0][0].set_ylabel(title)
        axes[0][-1].legend(loc="best", fontsize=9)
        fig.suptitle(f"{title} ({results[0]['machine']['cores']} cores, corpus median {results[0]['corpus_median_bytes']} B)")
        fig.tight_layout()
        out = os.path.join(image_dir, name)
        fig.savefig(out, dpi=100)
        plt.close(fig)
        print(f"plot_race.py: wrote {out}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
