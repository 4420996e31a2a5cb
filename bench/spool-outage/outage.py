#!/usr/bin/env python3
"""A broker outage under load, with the disk spool: how many lines are lost, spooled, replayed, and what EAGAIN,
RSS and the spool look like. Real pieces: the daemon as its own process and librdkafka's mock cluster (created here
through Debian's librdkafka, as tests/Harness/MockKafkaCluster.cs does), taken down and brought back.

    bench/spool-outage/outage.py DAEMON [--rate 3000] [--healthy 20] [--outage 120] [--after 20]

DAEMON is a built haproxykafka (e.g. tests/Forwarder.Tests/bin/Debug/net10.0/haproxykafka). The sender paces lines
like HAProxy (non-blocking, EAGAIN counted, never retried). The mock cluster keeps only 5 MiB per partition, so the
topic has 64 partitions and delivery is read from the daemon's ledger (/debug/state), not from the topic.
"""
import argparse
import ctypes
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOPIC = "webrequest_frontend_text"
DLQ = "webrequest_frontend_dlq"


def mock_cluster():
    lib = ctypes.CDLL("librdkafka.so.1")
    lib.rd_kafka_conf_new.restype = ctypes.c_void_p
    lib.rd_kafka_new.restype = ctypes.c_void_p
    lib.rd_kafka_new.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
    lib.rd_kafka_mock_cluster_new.restype = ctypes.c_void_p
    lib.rd_kafka_mock_cluster_new.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.rd_kafka_mock_cluster_bootstraps.restype = ctypes.c_char_p
    lib.rd_kafka_mock_cluster_bootstraps.argtypes = [ctypes.c_void_p]
    lib.rd_kafka_mock_topic_create.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int]
    lib.rd_kafka_mock_broker_set_down.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.rd_kafka_mock_broker_set_up.argtypes = [ctypes.c_void_p, ctypes.c_int]
    error = ctypes.create_string_buffer(512)
    client = lib.rd_kafka_new(0, lib.rd_kafka_conf_new(), error, 512)
    cluster = lib.rd_kafka_mock_cluster_new(client, 1)
    for topic in (TOPIC, DLQ):
        lib.rd_kafka_mock_topic_create(cluster, topic.encode(), 64, 1)
    return lib, cluster, lib.rd_kafka_mock_cluster_bootstraps(cluster).decode()


def line(fingerprint, sequence):
    return (f'<134>1 2024-05-23T15:23:41.859657+00:00 - haproxy 4242 - [haproxykafka@0 server_pid="4242" ip="198.51.100.7" '
            f'sequence="{sequence}" dt="23/May/2024:15:23:41.859" time_backend_response="57" http_status="200" response_size="5120" '
            'termination_state="--" uri_host="en.wikipedia.org" referer="-" user_agent="Mozilla/5.0 (X11; Linux x86_64)" '
            'accept_language="de" range="-" accept="text/html" tls="-" cache_status="hit-front" content_type="text/html" '
            'x_analytics="ns=0" x_cache="cp1 hit" backend="ATS" http_method="GET" '
            f'uri_path="/wiki/Line_{sequence}" uri_query="-" schema_fp="{fingerprint}"] {sequence} 57 0 0 200 '
            '{en.wikipedia.org} {hit-front} --\n').encode()


def state(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/debug/state", timeout=5) as r:
        return json.load(r)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        return {k: int(v.split()[0]) for k, v in (l.split(":", 1) for l in f if l.startswith(("VmRSS", "VmHWM")))}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("daemon")
    p.add_argument("--rate", type=int, default=3000)
    p.add_argument("--healthy", type=int, default=20)
    p.add_argument("--outage", type=int, default=120)
    p.add_argument("--after", type=int, default=20)
    a = p.parse_args()

    lib, cluster, bootstrap = mock_cluster()
    table = os.path.join(ROOT, "generated", "forwarder", "parser-table.json")
    fingerprint = json.load(open(table))["fingerprint"]
    work = tempfile.mkdtemp(prefix="hk-outage-")
    sock_path, port = os.path.join(work, "hk.sock"), 19341 + os.getpid() % 1000
    with open(os.path.join(work, "config.yaml"), "w") as f:
        f.write(f"""workers: 1
sdid: haproxykafka@0
hostname: bench.local
socket:
  path: {sock_path}
  mode: '0620'
kafka:
  topic: {TOPIC}
  dlq_topic: {DLQ}
  flush_timeout: 2000
  rdkafka:
    bootstrap.servers: {bootstrap}
    acks: all
    compression.codec: snappy
    queue.buffering.max.messages: 720000
    queue.buffering.max.ms: 10
    batch.num.messages: 9000
    reconnect.backoff.max.ms: 500
    message.timeout.ms: 30000
monitoring:
  server_bind: "127.0.0.1:{port}"
  prometheus_prefix: haproxykafka_
  stall_timeout: 600s
transform_rules:
  haproxy_format: "02/Jan/2006:15:04:05.000"
  date_format: "2006-01-02T15:04:05Z"
  date_tz: UTC
parser_table: {table}
dead_letter_path: {work}/dead-letters.jsonl
spool:
  path: {work}/spool
  max_bytes: 4GiB
""")
    daemon = subprocess.Popen([a.daemon, "-c", os.path.join(work, "config.yaml")], stdout=open(os.path.join(work, "daemon.log"), "w"), stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                time.sleep(0.2)
        out = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        out.setblocking(False)
        phases = [("healthy", a.healthy), ("outage", a.outage), ("after", a.after)]
        sent = {n: 0 for n, _ in phases}
        eagain = {n: 0 for n, _ in phases}
        peak = {"spool_bytes": 0, "rss_kib": 0}
        seq = 0
        for name, seconds in phases:
            if name == "outage":
                lib.rd_kafka_mock_broker_set_down(cluster, 1)
            if name == "after":
                lib.rd_kafka_mock_broker_set_up(cluster, 1)
            start = time.time()
            next_sample = start
            while (now := time.time()) < start + seconds:
                due = int((now - start) * a.rate)
                while sent[name] + eagain[name] < due:
                    try:
                        out.sendto(line(fingerprint, seq), sock_path)
                        sent[name] += 1
                    except BlockingIOError:
                        eagain[name] += 1
                    seq += 1
                if now >= next_sample:
                    s = state(port)
                    peak["spool_bytes"] = max(peak["spool_bytes"], s["spool"]["bytes"])
                    peak["rss_kib"] = max(peak["rss_kib"], rss_kib(daemon.pid)["VmRSS"])
                    next_sample = now + 1
                time.sleep(0.001)
            print(f"{name}: {seconds} s at {a.rate}/s: sent {sent[name]}, EAGAIN {eagain[name]} ({100.0 * eagain[name] / max(1, sent[name] + eagain[name]):.3f} %)", flush=True)
        stopped = time.time()
        while True:
            s = state(port)
            c = s["counters"]
            if (c["in_flight"] == 0 and s["spool"]["records"] == 0) or time.time() > stopped + 600:
                break
            time.sleep(1)
        drained = time.time() - stopped
        total_sent = sum(sent.values())
        print(f"spool empty {drained:.1f} s after the load stopped; peak spool {peak['spool_bytes'] / 2**20:.1f} MiB, peak RSS {peak['rss_kib'] / 1024:.0f} MiB")
        print(f"ledger: {json.dumps(c)}; spool: {json.dumps(s['spool'])}")
        lost = total_sent - c["delivered"] - c["dead_lettered"] - c["dropped"]
        print(f"sent {total_sent}, received {c['received']}, delivered {c['delivered']}, dead-lettered {c['dead_lettered']}, dropped {c['dropped']}: not delivered {total_sent - c['delivered']} (duplicates make this negative), unaccounted {lost}")
    finally:
        daemon.terminate()
        daemon.wait(60)
        print(f"daemon log and spool left in {work}")


if __name__ == "__main__":
    sys.exit(main())
