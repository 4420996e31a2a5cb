#!/usr/bin/python3
"""Where a process's resident memory is: /proc/PID/smaps summed by kind of mapping, plus VmHWM and the thread count.
For the daemon, also what its /metrics says about the managed heap (pass the monitoring URL).

usage: rss_breakdown.py PID [http://127.0.0.1:PORT/]

Kinds: the .NET runtime's native code (libcoreclr, libclrjit, System.*.so), managed assemblies mapped from disk
(*.dll), librdkafka and other native libraries, [heap] (glibc's main arena), thread stacks ([stack] and the
anonymous mappings the kernel marks as stack guard neighbours cannot be told apart, so stacks are estimated as
threads x resident pages of 8 MiB-sized mappings), and other anonymous memory (the GC's heap and bookkeeping, the
ring, librdkafka's and glibc's secondary malloc arenas).
"""
import re
import sys
import urllib.request


def mappings(pid):
    current = None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            head = re.match(r"^([0-9a-f]+)-([0-9a-f]+) \S+ \S+ \S+ \S+\s*(.*)$", line)
            if head:
                if current:
                    yield current
                start, end, path = int(head.group(1), 16), int(head.group(2), 16), head.group(3).strip()
                current = {"size": end - start, "path": path, "rss": 0}
            elif line.startswith("Rss:") and current is not None:
                current["rss"] = int(line.split()[1]) * 1024
    if current:
        yield current


def kind(mapping):
    path = mapping["path"]
    if path.startswith("/memfd:doublemapper"):
        return "JIT'd code, W^X double mapping (DOTNET_EnableWriteXorExecute)"
    if path.endswith(".dll"):
        return "managed assemblies (*.dll, file-backed)"
    if re.search(r"lib(coreclr|clrjit|System\.|hostfxr|hostpolicy|Microsoft\.)", path):
        return ".NET runtime native code"
    if "librdkafka" in path:
        return "librdkafka code"
    if path.startswith("/"):
        return "other files (libc, libssl, ...)"
    if path == "[heap]":
        return "[heap] (glibc main arena)"
    if path == "[stack]":
        return "main thread stack"
    if mapping["size"] in (8 << 20, (8 << 20) + 4096, 1536 << 10, (1536 << 10) + 4096):
        return "thread stacks (8 MiB / 1.5 MiB mappings)"
    return "other anonymous (GC heap, ring, malloc arenas)"


def main(pid, url=None):
    totals = {}
    for m in mappings(pid):
        totals[kind(m)] = totals.get(kind(m), 0) + m["rss"]
    status = dict(line.split(":", 1) for line in open(f"/proc/{pid}/status"))
    print(f"pid {pid}: VmRSS {status['VmRSS'].strip()}, VmHWM {status['VmHWM'].strip()}, threads {status['Threads'].strip()}")
    for name, rss in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"  {rss / 1048576:7.1f} MiB  {name}")
    if url:
        text = urllib.request.urlopen(url.rstrip("/") + "/metrics", timeout=5).read().decode()
        for name in ("dotnet_gc_heap_size_bytes", "haproxykafka_queue_bytes", "haproxykafka_queue_capacity"):
            m = re.search(rf"^{name} (\S+)$", text, re.M)
            if m:
                print(f"  /metrics {name} = {float(m.group(1)) / 1048576:.1f} MiB")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    main(*sys.argv[1:])
