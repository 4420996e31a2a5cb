"""The run behind bench/lifecycle/run-upgrade: librdkafka's mock cluster (through ctypes), a socket held here the way
systemd's haproxykafka.socket holds it (the daemon gets it as fd 3 with LISTEN_FDS/LISTEN_PID), a stand-in
NOTIFY_SOCKET that tracks MAINPID like systemd, a steady non-blocking sender counting EAGAIN and other errors, then
restarts (SIGTERM, start again) and reloads (SIGUSR2) in turn. Lost = sent without error - delivered (read by kcat)."""
import argparse, ctypes, errno, json, os, re, signal, socket, subprocess, sys, tempfile, threading, time

p = argparse.ArgumentParser()
p.add_argument("--exe"); p.add_argument("--root"); p.add_argument("--rate", type=int); p.add_argument("--cycles", type=int)
p.add_argument("--qlen", type=int); p.add_argument("--steady", type=float, default=3.0)
a = p.parse_args()

rd = ctypes.CDLL("librdkafka.so.1")
rd.rd_kafka_conf_new.restype = ctypes.c_void_p
rd.rd_kafka_new.restype = ctypes.c_void_p
rd.rd_kafka_new.argtypes = [ctypes.c_int, ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
rd.rd_kafka_mock_cluster_new.restype = ctypes.c_void_p
rd.rd_kafka_mock_cluster_new.argtypes = [ctypes.c_void_p, ctypes.c_int]
rd.rd_kafka_mock_cluster_bootstraps.restype = ctypes.c_char_p
rd.rd_kafka_mock_cluster_bootstraps.argtypes = [ctypes.c_void_p]
rd.rd_kafka_mock_topic_create.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int, ctypes.c_int]
err = ctypes.create_string_buffer(512)
rk = rd.rd_kafka_new(0, rd.rd_kafka_conf_new(), err, 512)
mc = rd.rd_kafka_mock_cluster_new(rk, 1)
brokers = rd.rd_kafka_mock_cluster_bootstraps(mc).decode()
# The mock keeps 5 MiB per partition: enough partitions for every line of the run.
for t in (b"webrequest_frontend_text", b"webrequest_errors"):
    rd.rd_kafka_mock_topic_create(mc, t, 64, 1)

table = os.path.join(a.root, "generated/forwarder/parser-table.json")
fp = json.load(open(table))["fingerprint"]
work = tempfile.mkdtemp(prefix="haproxykafka-lifecycle-")
sock_path = os.path.join(work, "haproxykafka.sock")
notify_path = os.path.join(work, "notify.sock")
port = 19000 + os.getpid() % 1000
config = os.path.join(work, "config.yaml")
open(config, "w").write(f"""workers: 1
sdid: haproxykafka@0
hostname: cp9999.demo.wmnet
socket:
  path: {sock_path}
  mode: '0620'
kafka:
  topic: webrequest_frontend_text
  dlq_topic: webrequest_errors
  flush_timeout: 5000
  rdkafka:
    bootstrap.servers: {brokers}
    acks: all
    compression.codec: snappy
    queue.buffering.max.messages: 720000
    queue.buffering.max.ms: 10
    batch.num.messages: 9000
monitoring:
  server_bind: "127.0.0.1:{port}"
  prometheus_prefix: haproxykafka_
parser_table: {table}
dead_letter_path: {work}/dead-letters.jsonl
""")

# systemd's part: the socket (ListenDatagram=, ReceiveBuffer=4M), held across restarts, and the notify socket.
held = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
held.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
held.bind(sock_path)
os.chmod(sock_path, 0o620)
notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
notify.bind(notify_path)
log = open(os.path.join(work, "daemon.log"), "w")
state = {"main": None, "ready": threading.Event(), "mainpid": threading.Event()}

def listen_notify():
    while True:
        msg = notify.recv(4096).decode()
        fields = dict(l.split("=", 1) for l in msg.split("\n") if "=" in l)
        if "MAINPID" in fields and "READY" not in fields:
            state["main"] = int(fields["MAINPID"]); state["mainpid"].set()
        if fields.get("READY") == "1":
            state["ready"].set()
threading.Thread(target=listen_notify, daemon=True).start()

procs = []
def spawn():
    env = dict(os.environ, NOTIFY_SOCKET=notify_path, LISTEN_FDS="1", LISTEN_FDNAMES="haproxykafka.socket")
    state["ready"].clear()
    t0 = time.monotonic()
    pr = subprocess.Popen(["sh", "-c", 'LISTEN_PID=$$ exec "$0" "$@"', a.exe, "-c", config], env=env, stdout=log, stderr=log,
                          close_fds=False, preexec_fn=lambda: os.dup2(held.fileno(), 3))
    procs.append(pr)
    if not state["ready"].wait(60):
        sys.exit("daemon not ready within 60 s; see " + log.name)
    state["main"] = pr.pid
    return time.monotonic() - t0

def wait_gone(pid, timeout=60):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for pr in procs:
            if pr.pid == pid and pr.poll() is not None:
                return True
        try:
            st = open(f"/proc/{pid}/stat").read()
            if st[st.rindex(")") + 2] == "Z":
                return True
        except FileNotFoundError:
            return True
        time.sleep(0.001)
    return False

counts = {"sent": 0, "eagain": 0, "other": 0}
phase_eagain = {}
stop_sending = threading.Event()
phase = ["steady"]
def send():
    s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.setblocking(False)
    head = "<134>1 2024-05-23T15:23:41.859657+00:00 - haproxy 4242 - [haproxykafka@0 server_pid=\"4242\" ip=\"198.51.100.7\" sequence=\""
    tail = ("\" dt=\"23/May/2024:15:23:41.859\" time_backend_response=\"57\" http_status=\"200\" response_size=\"5120\" termination_state=\"--\" "
            "uri_host=\"en.wikipedia.org\" referer=\"-\" user_agent=\"Mozilla/5.0 (X11; Linux x86_64)\" accept_language=\"de\" range=\"-\" accept=\"text/html\" "
            "tls=\"-\" cache_status=\"hit-front\" content_type=\"text/html\" x_analytics=\"ns=0\" x_cache=\"cp1 hit\" backend=\"ATS\" http_method=\"GET\" "
            f"uri_path=\"/wiki/Line\" uri_query=\"-\" schema_fp=\"{fp}\"] 1 57 0 0 200 {{en.wikipedia.org}} {{hit-front}} --\n")
    t0 = time.monotonic(); i = 0
    while not stop_sending.is_set():
        due = int((time.monotonic() - t0) * a.rate)
        while i < due:
            try:
                s.sendto((head + str(i) + tail).encode(), sock_path); counts["sent"] += 1
            except BlockingIOError:
                counts["eagain"] += 1; phase_eagain[phase[0]] = phase_eagain.get(phase[0], 0) + 1
            except OSError as e:
                counts["other"] += 1; counts[errno.errorcode.get(e.errno, str(e.errno))] = counts.get(errno.errorcode.get(e.errno, str(e.errno)), 0) + 1
            i += 1
        time.sleep(0.0005)

print(f"qlen {a.qlen}, rate {a.rate}/s, {a.cycles} restart + {a.cycles} reload cycles; work dir {work}")
first = spawn()
print(f"first start: exec -> READY=1 {first*1000:.0f} ms")
sender = threading.Thread(target=send); sender.start()
time.sleep(a.steady)
results = []
for c in range(a.cycles):
    phase[0] = f"restart{c}"
    main = state["main"]; t0 = time.monotonic()
    os.kill(main, signal.SIGTERM)
    wait_gone(main); stop = time.monotonic() - t0
    start = spawn()
    results.append(("restart", stop, start, time.monotonic() - t0))
    phase[0] = "steady"; time.sleep(a.steady)
    phase[0] = f"reload{c}"
    main = state["main"]; state["mainpid"].clear(); t0 = time.monotonic()
    os.kill(main, signal.SIGUSR2)
    if not state["mainpid"].wait(60):
        sys.exit("no MAINPID after SIGUSR2; see " + log.name)
    handed = time.monotonic() - t0
    wait_gone(main); old_exit = time.monotonic() - t0
    results.append(("reload", handed, old_exit, None))
    phase[0] = "steady"; time.sleep(a.steady)
stop_sending.set(); sender.join()
main = state["main"]; t0 = time.monotonic(); os.kill(main, signal.SIGTERM); wait_gone(main); final_stop = time.monotonic() - t0

out = subprocess.run(["kcat", "-C", "-b", brokers, "-t", "webrequest_frontend_text", "-o", "beginning", "-e", "-q", "-X", "fetch.wait.max.ms=10", "-f", "%s\n"],
                     capture_output=True, text=True, timeout=600).stdout.splitlines()
seqs = [json.loads(l)["sequence"] for l in out]
text = open(log.name).read()
dead = sum(int(m) for m in re.findall(r"dead-lettered (\d+)", text))
for kind, x, y, z in results:
    if kind == "restart":
        print(f"restart: SIGTERM -> exit {x*1000:.0f} ms, exec -> READY=1 {y*1000:.0f} ms, socket without a reader {z*1000:.0f} ms")
    else:
        print(f"reload:  SIGUSR2 -> MAINPID=<new> {x*1000:.0f} ms, SIGUSR2 -> old process exited {y*1000:.0f} ms")
print(f"final stop (SIGTERM -> exit): {final_stop*1000:.0f} ms")
print(f"sender: sent {counts['sent']}, EAGAIN {counts['eagain']}, other errors {counts['other']} {dict((k, v) for k, v in counts.items() if k not in ('sent','eagain','other'))}")
print("EAGAIN by phase: " + ", ".join(f"{k} {v}" for k, v in sorted(phase_eagain.items())))
print(f"delivered (kcat) {len(seqs)}, distinct {len(set(seqs))}, dead-lettered {dead}; lost (sent - delivered - dead-lettered) {counts['sent'] - len(set(seqs)) - dead}")
