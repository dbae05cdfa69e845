#!/usr/bin/env python3
"""`make bench`: the gateway side by side with nginx and HAProxy, on loopback, in one run.

Starts, on 127.0.0.1 and free ports, an nginx upstream (a small JSON document, and 1 MiB at /big) and, in front
of it, nginx, HAProxy and `acme gateway`, each with N = 1 and N = 2 workers or threads. Every scenario runs
through every proxy with the same wrk settings, in rounds interleaved so that machine noise hits all alike:

  1 bare proxy, small GET      2 POST with a 4 KiB body     3 1 MiB response      4 1,000 connections
  5 jwt (HS256) + rate-limiting local    6 jwt + rate-limiting redis    7 10,000 routes, the last one matched
  8 jwt (HS256, token cached) + acl + cors, with an Origin header
  9 round-robin over 4 targets (the same nginx on four ports)
  10 bare, while the configuration is reloaded (SIGHUP) every 200 ms

Scenarios 5-10 run the gateway alone and compare it with its own bare figure (scenario 1, same N); 5, 6 and 8 are
skipped, with the reason, while `acme config check` rejects a configuration naming their plugins.

A request that takes over 2 s (wrk --timeout) counts as a socket error; requests/s × mean latency far below
the connections opened (Little's law) means requests never answered, and fails the row too.

Measured: requests/s, p50 and p99 (wrk's), RSS of the proxy's processes at idle, after each run and at 1,000
connections, CPU time per request (utime + stime of the proxy's processes from /proc), and a failure check: any
non-2xx response or socket error, or no request at all, marks the row failed.

Writes the table to stdout and Benchmarks/results/latest.md, and a chart of requests/s to
Benchmarks/results/latest.svg. Everything it starts is stopped on every way out; traffic goes to 127.0.0.1 only.

Environment:
  BENCH_DURATION   seconds per measured run (default 5)
  BENCH_ROUNDS     interleaved rounds; the table shows each figure's median (default 3)
  BENCH_WARMUP     seconds of warm-up before each proxy's first run of a scenario (default 1)
  BENCH_THREADS    the N values, comma-separated (default 1,2)
  BENCH_SCENARIOS  which scenarios, comma-separated (default 1,2,3,4,5,6,7,8,9,10)
  BENCH_RESULTS    output folder (default Benchmarks/results)
  ACME             the gateway binary (default .build/release/acme)

Standard library only: it needs python3, nginx, haproxy and wrk (installed when missing), and redis-server for
scenario 6.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime
import hashlib
import hmac
import http.client
import json
import os
import platform
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")

DURATION = int(os.environ.get("BENCH_DURATION", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WARMUP = int(os.environ.get("BENCH_WARMUP", "1"))
THREADS = [int(n) for n in os.environ.get("BENCH_THREADS", "1,2").split(",") if n.strip()]
SCENARIOS = {int(s) for s in os.environ.get("BENCH_SCENARIOS", "1,2,3,4,5,6,7,8,9,10").split(",") if s.strip()}
RESULTS = Path(os.environ.get("BENCH_RESULTS", str(ROOT / "Benchmarks" / "results")))
ACME = os.environ.get("ACME", str(ROOT / ".build" / "release" / "acme"))

WRK_THREADS = 1
CONNECTIONS = 64
MANY_CONNECTIONS = 1000
ROUND_ROBIN_TARGETS = 4
RELOAD_INTERVAL = 0.2
ROUTE_COUNT = 10_000
SMALL_JSON = '{"ok":true,"service":"bench","n":1}'
JWT_SECRET = "bench-secret-0123456789abcdef0123456789abcdef"
SERVICE_NAME_OF_ROUTES = "bench"
BENCH_ORIGIN = "https://app.example"


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# MARK: - processes


class Processes:
    """Everything the run starts, each in its own session so that its workers can be stopped with it."""

    def __init__(self) -> None:
        self.started: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, argv: list[str], env: dict[str, str] | None = None, log_path: Path | None = None):
        out = open(log_path, "ab") if log_path else subprocess.DEVNULL
        process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )
        self.started.append((name, process))
        return process

    def stop_all(self) -> None:
        for _, process in reversed(self.started):
            if process.poll() is None:
                try:
                    process.terminate()
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 5
        for _, process in reversed(self.started):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
            # The process group is the process's own session (start_new_session): its workers, nothing else.
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
        self.started.clear()


def process_tree(pid: int) -> list[int]:
    """`pid` and its descendants (nginx's master and workers)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError, ValueError):
            continue
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo.extend(children.get(current, []))
    return tree


def rss_bytes(pid: int) -> int:
    """Summed resident set of the process tree (shared pages counted in each process, as `ps` shows them)."""
    total = 0
    for member in process_tree(pid):
        try:
            with open(f"/proc/{member}/statm") as f:
                total += int(f.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
    return total


def cpu_seconds(pid: int) -> float:
    """utime + stime of the process tree, all threads included."""
    total = 0
    for member in process_tree(pid):
        try:
            with open(f"/proc/{member}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / CLK_TCK


def free_ports(count: int) -> list[int]:
    sockets = []
    for _ in range(count):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        sockets.append(s)
    ports = [s.getsockname()[1] for s in sockets]
    for s in sockets:
        s.close()
    return ports


def request(port: int, method: str = "GET", path: str = "/", body: bytes | None = None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        data = response.read()
        return response.status, data
    finally:
        connection.close()


def wait_ready(port: int, process: subprocess.Popen, path: str = "/", headers=None, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    last = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited with status {process.returncode} before answering")
        try:
            status, _ = request(port, path=path, headers=headers)
            if 200 <= status < 300:
                return
            last = f"status {status}"
        except OSError as error:
            last = str(error)
        time.sleep(0.1)
    raise RuntimeError(f"not ready on port {port} after {seconds:.0f} s: {last}")


# MARK: - configurations


def write_upstream_nginx(work: Path, port: int, more_ports: list[int]) -> Path:
    (work / "upstream").mkdir()
    (work / "upstream" / "big").write_bytes(os.urandom(1 << 20))
    conf = work / "upstream.conf"
    extra_listens = "".join(f"        listen 127.0.0.1:{extra} backlog=4096;\n" for extra in more_ports)
    conf.write_text(f"""
{user_line()}
worker_processes 2;
daemon off;
pid {work}/upstream.pid;
error_log {work}/upstream-error.log warn;
worker_rlimit_nofile 16384;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path {work}/upstream-body;
    server {{
        listen 127.0.0.1:{port} backlog=4096;
{extra_listens}        location = /big {{ alias {work}/upstream/big; default_type application/octet-stream; }}
        location / {{ default_type application/json; return 200 '{SMALL_JSON}'; }}
    }}
}}
""")
    return conf


def user_line() -> str:
    # As root, nginx's workers would run as nobody and could not read the run's private folder.
    return "user root;" if os.geteuid() == 0 else ""


def write_nginx_proxy(work: Path, name: str, workers: int, port: int, upstream: int) -> Path:
    conf = work / f"{name}.conf"
    conf.write_text(f"""
{user_line()}
worker_processes {workers};
daemon off;
pid {work}/{name}.pid;
error_log {work}/{name}-error.log warn;
worker_rlimit_nofile 16384;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    keepalive_requests 1000000;
    client_body_temp_path {work}/{name}-body;
    proxy_temp_path {work}/{name}-proxy;
    upstream backend {{ server 127.0.0.1:{upstream}; keepalive 256; keepalive_requests 1000000; }}
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        location / {{
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }}
    }}
}}
""")
    return conf


def write_haproxy(work: Path, name: str, threads: int, port: int, upstream: int) -> Path:
    conf = work / f"{name}.cfg"
    conf.write_text(f"""
global
    nbthread {threads}
    maxconn 8000
defaults
    mode http
    option http-keep-alive
    http-reuse always
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend proxy
    bind 127.0.0.1:{port}
    default_backend upstream
backend upstream
    server upstream 127.0.0.1:{upstream}
""")
    return conf


def gateway_config(directory: Path, upstream: int | list[int], routes: list[dict], plugins: dict) -> Path:
    """A configuration directory: one service to `upstream` (a list of ports: the long form, round-robin)."""
    (directory / "routes").mkdir(parents=True, exist_ok=True)
    (directory / "plugins.json").write_text(json.dumps(plugins, indent=2))
    service: dict = {"name": SERVICE_NAME_OF_ROUTES}
    if isinstance(upstream, list):
        service["upstream"] = {"targets": [{"target": f"127.0.0.1:{port}"} for port in upstream]}
    else:
        service["url"] = f"http://127.0.0.1:{upstream}"
    document = {"service": service, "routes": routes}
    (directory / "routes" / "bench.json").write_text(json.dumps(document, indent=1))
    return directory


BARE_ROUTES = [{"name": "bench", "paths": ["/"], "strip_path": False}]
NO_PLUGINS = {"consumers": [], "plugins": []}


def many_routes() -> tuple[list[dict], str]:
    routes = [{"name": f"r{i:05d}", "paths": [f"/r/{i:05d}"], "strip_path": False} for i in range(ROUTE_COUNT)]
    return routes, f"/r/{ROUTE_COUNT - 1:05d}"


def jwt_plugins(rate_limiting: dict) -> dict:
    return {
        "consumers": [
            {
                "username": "bench",
                "credentials": {"jwt": [{"key": "bench", "algorithm": "HS256", "secret": JWT_SECRET}]},
            }
        ],
        "plugins": [
            {"name": "jwt", "config": {}},
            {"name": "rate-limiting", "config": rate_limiting},
        ],
    }


def jwt_acl_cors_plugins() -> dict:
    return {
        "consumers": [
            {
                "username": "bench",
                "groups": ["bench"],
                "credentials": {"jwt": [{"key": "bench", "algorithm": "HS256", "secret": JWT_SECRET}]},
            }
        ],
        "plugins": [
            {"name": "jwt", "config": {"claims_to_verify": ["exp"]}},
            {"name": "acl", "config": {"allow": ["bench"]}},
            {"name": "cors", "config": {"origins": [BENCH_ORIGIN], "credentials": True}},
        ],
    }


def hs256_token() -> str:
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    claims = {"iss": "bench", "sub": "bench", "exp": int(time.time()) + 86_400}
    payload = b64(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(JWT_SECRET.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64(signature)}"


def config_check(directory: Path) -> tuple[bool, str]:
    result = subprocess.run(
        [ACME, "config", "check", str(directory)], capture_output=True, text=True, timeout=60,
        env={**os.environ, "LOG_LEVEL": "warning"},
    )
    output = (result.stdout + result.stderr).strip().splitlines()
    return result.returncode == 0, (output[0] if output else f"exit status {result.returncode}")


# MARK: - wrk


@dataclasses.dataclass
class WrkResult:
    requests: int = 0
    rps: float = 0.0
    p50_ms: float = 0.0
    avg_ms: float = 0.0
    p99_ms: float = 0.0
    non_2xx: int = 0
    socket_errors: int = 0
    output: str = ""


def to_ms(text: str) -> float:
    for unit, factor in (("us", 0.001), ("ms", 1.0), ("s", 1000.0), ("m", 60_000.0)):
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)


def parse_wrk(output: str) -> WrkResult:
    result = WrkResult(output=output)
    for line in output.splitlines():
        words = line.split()
        if not words:
            continue
        if words[0] == "Latency" and len(words) > 1 and words[1][0].isdigit():
            result.avg_ms = to_ms(words[1])
        elif words[0] == "50%":
            result.p50_ms = to_ms(words[1])
        elif words[0] == "99%":
            result.p99_ms = to_ms(words[1])
        elif words[0] == "Requests/sec:":
            result.rps = float(words[1])
        elif len(words) > 2 and words[1] == "requests" and words[2] == "in":
            result.requests = int(words[0])
        elif line.strip().startswith("Non-2xx or 3xx responses:"):
            result.non_2xx = int(words[-1])
        elif line.strip().startswith("Socket errors:"):
            result.socket_errors = sum(int(w.strip(",")) for w in words[2:] if w.strip(",").isdigit())
    return result


def wrk(port: int, scenario: "Scenario", seconds: int, latency: bool = True) -> WrkResult:
    argv = ["wrk", f"-t{WRK_THREADS}", f"-c{scenario.connections}", f"-d{seconds}s", "--timeout", "2s"]
    if latency:
        argv.append("--latency")
    for header in scenario.headers:
        argv += ["-H", header]
    if scenario.script:
        argv += ["-s", str(scenario.script)]
    argv.append(f"http://127.0.0.1:{port}{scenario.path}")
    completed = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60)
    return parse_wrk(completed.stdout + completed.stderr)


# MARK: - the run


@dataclasses.dataclass
class Proxy:
    key: str  # nginx, haproxy, gateway, gateway-10k, gateway-jwt-local, -jwt-redis, -jwt-acl-cors, -rr, -reload
    kind: str  # nginx, haproxy, gateway: the column of the chart
    threads: int
    port: int
    process: subprocess.Popen
    idle_rss: int = 0


@dataclasses.dataclass
class Scenario:
    number: int
    title: str
    path: str = "/"
    connections: int = CONNECTIONS
    headers: list[str] = dataclasses.field(default_factory=list)
    script: Path | None = None
    proxy_keys: tuple[str, ...] = ("nginx", "haproxy", "gateway")
    baseline: str = "nginx"  # the ratio's denominator: nginx's row, or the gateway's bare row
    skipped: str = ""


@dataclasses.dataclass
class Row:
    scenario: Scenario
    proxy: Proxy
    runs: list[WrkResult] = dataclasses.field(default_factory=list)
    cpu_per_request_us: list[float] = dataclasses.field(default_factory=list)
    rss_after: list[int] = dataclasses.field(default_factory=list)
    failure: str = ""

    def median(self, field: str) -> float:
        values = [getattr(run, field) for run in self.runs]
        return statistics.median(values) if values else 0.0

    @property
    def rss(self) -> float:
        return statistics.median(self.rss_after) if self.rss_after else 0.0


def measure(row: Row, warm: bool) -> None:
    proxy, scenario = row.proxy, row.scenario
    if proxy.process.poll() is not None:
        return
    if warm and WARMUP > 0:
        wrk(proxy.port, scenario, WARMUP, latency=False)
    samples: list[int] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.25):
            samples.append(rss_bytes(proxy.process.pid))

    def reload() -> None:
        while not stop.wait(RELOAD_INTERVAL):
            proxy.process.send_signal(signal.SIGHUP)

    sampler = threading.Thread(target=sample, daemon=True)
    reloader = threading.Thread(target=reload, daemon=True)
    cpu_before = cpu_seconds(proxy.process.pid)
    sampler.start()
    if proxy.key == "gateway-reload":
        reloader.start()
    result = wrk(proxy.port, scenario, DURATION)
    stop.set()
    sampler.join()
    if reloader.is_alive():
        reloader.join()
    cpu_after = cpu_seconds(proxy.process.pid)
    # At 1,000 connections the figure is the peak while they were open; elsewhere the RSS right after the run.
    rss = max(samples) if scenario.connections >= MANY_CONNECTIONS and samples else rss_bytes(proxy.process.pid)
    row.runs.append(result)
    row.rss_after.append(rss)
    if result.requests:
        row.cpu_per_request_us.append((cpu_after - cpu_before) / result.requests * 1e6)
    problems = []
    if proxy.process.poll() is not None:
        problems.append(f"exited with status {proxy.process.returncode}")
    if result.requests == 0:
        problems.append("no request completed")
    if result.non_2xx:
        problems.append(f"{result.non_2xx} non-2xx")
    if result.socket_errors:
        problems.append(f"{result.socket_errors} socket errors")
    # wrk keeps every connection busy, so requests/s × mean latency is how many were busy on average (Little's
    # law). Far fewer than opened means requests that were never answered: wrk does not count those.
    busy = result.rps * result.avg_ms / 1000
    if result.requests and busy < scenario.connections / 2:
        problems.append(f"stalled: {busy:.0f} of {scenario.connections} connections busy on average")
    if problems and not row.failure:
        row.failure = ", ".join(problems)
    elif problems:
        row.failure += "; " + ", ".join(problems)


def preflight(row: Row) -> None:
    """One request of the scenario's kind before measuring, so that a broken set-up says why. The row is measured
    all the same (a proxy that hangs once may serve the rest), but stays failed."""
    scenario = row.scenario
    headers = dict(h.split(": ", 1) for h in scenario.headers)
    method, body = ("POST", b"x" * 4096) if scenario.number == 2 else ("GET", None)
    try:
        status, data = request(row.proxy.port, method, scenario.path, body, headers)
    except OSError as error:
        row.failure = f"preflight: {error}"
        return
    if not 200 <= status < 300:
        row.failure = f"preflight: status {status} {data[:80].decode(errors='replace')}"
    elif scenario.number == 3 and len(data) != 1 << 20:
        row.failure = f"preflight: {len(data)} bytes instead of 1 MiB"


def main() -> int:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = 65_536 if hard == resource.RLIM_INFINITY else min(hard, 65_536)
    if soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < 3 * MANY_CONNECTIONS:
        log(f"bench: open files limit {resource.getrlimit(resource.RLIMIT_NOFILE)[0]} is too low for 1,000 connections")
        return 1
    if not os.access(ACME, os.X_OK):
        log(f"bench: no gateway binary at {ACME} (swift build -c release --product acme)")
        return 1
    subprocess.run([str(ROOT / "scripts" / "install-packages.sh"), "nginx", "haproxy", "wrk"], check=True)

    processes = Processes()

    def stop(signum, _frame):
        raise SystemExit(128 + signum)

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)

    work = Path(tempfile.mkdtemp(prefix="acme-bench."))
    started_at = datetime.datetime.now(datetime.timezone.utc)
    try:
        rows, proxies, skipped = run(work, processes)
    except SystemExit:
        log("bench: interrupted; stopping everything it started")
        raise
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up short
        processes.stop_all()
        shutil.rmtree(work, ignore_errors=True)
    report(rows, proxies, skipped, started_at)
    return 0


def run(work: Path, processes: Processes):
    gateway_env = {**os.environ, "LOG_LEVEL": "warning"}
    ports = iter(free_ports(40))
    upstream_port = next(ports)
    target_ports = [next(ports) for _ in range(ROUND_ROBIN_TARGETS)]
    upstream_conf = write_upstream_nginx(work, upstream_port, target_ports)
    upstream = processes.start("upstream", ["nginx", "-c", str(upstream_conf)])
    wait_ready(upstream_port, upstream)

    # Which gateway configurations this build accepts: scenarios 5 and 6 need the jwt and rate-limiting plugins.
    routes_10k, last_path = many_routes()
    token = hs256_token()
    auth = [f"Authorization: Bearer {token}"]
    redis_port = next(ports)
    redis_variants = [
        {"minute": 1_000_000_000, "policy": "redis", "redis_host": "127.0.0.1", "redis_port": redis_port},
        {"minute": 1_000_000_000, "policy": "redis", "redis": {"host": "127.0.0.1", "port": redis_port}},
    ]
    plugin_configs: dict[str, Path | str] = {}
    if 5 in SCENARIOS:
        directory = gateway_config(
            work / "check-jwt-local", upstream_port, BARE_ROUTES,
            jwt_plugins({"minute": 1_000_000_000, "policy": "local"}),
        )
        accepted, message = config_check(directory)
        plugin_configs["gateway-jwt-local"] = directory if accepted else f"`acme config check` rejects it: {message}"
    if 6 in SCENARIOS:
        message = ""
        for index, variant in enumerate(redis_variants):
            directory = gateway_config(work / f"check-jwt-redis-{index}", upstream_port, BARE_ROUTES, jwt_plugins(variant))
            accepted, message = config_check(directory)
            if accepted:
                plugin_configs["gateway-jwt-redis"] = directory
                break
        else:
            plugin_configs["gateway-jwt-redis"] = f"`acme config check` rejects it: {message}"
    if 8 in SCENARIOS:
        directory = gateway_config(work / "check-jwt-acl-cors", upstream_port, BARE_ROUTES, jwt_acl_cors_plugins())
        accepted, message = config_check(directory)
        plugin_configs["gateway-jwt-acl-cors"] = directory if accepted else f"`acme config check` rejects it: {message}"
    if isinstance(plugin_configs.get("gateway-jwt-redis"), Path):
        subprocess.run([str(ROOT / "scripts" / "install-packages.sh"), "redis-server"], check=True)
        redis = processes.start(
            "redis",
            ["redis-server", "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", redis_port), timeout=0.2).close()
                break
            except OSError:
                if redis.poll() is not None:
                    raise RuntimeError("redis-server exited at start")
                time.sleep(0.05)

    scenarios = [
        Scenario(1, "bare proxy, small GET"),
        Scenario(2, "POST, 4 KiB body", script=write_post_script(work)),
        Scenario(3, "1 MiB response", path="/big"),
        Scenario(4, "1,000 connections", connections=MANY_CONNECTIONS),
        Scenario(5, "jwt HS256 + rate-limiting local", headers=auth, proxy_keys=("gateway-jwt-local",),
                 baseline="gateway"),
        Scenario(6, "jwt HS256 + rate-limiting redis", headers=auth, proxy_keys=("gateway-jwt-redis",),
                 baseline="gateway"),
        Scenario(7, f"{ROUTE_COUNT:,} routes, last matched", path=last_path, proxy_keys=("gateway-10k",),
                 baseline="gateway"),
        Scenario(8, "jwt HS256 (cached) + acl + cors", headers=auth + [f"Origin: {BENCH_ORIGIN}"],
                 proxy_keys=("gateway-jwt-acl-cors",), baseline="gateway"),
        Scenario(9, f"round-robin over {ROUND_ROBIN_TARGETS} targets", proxy_keys=("gateway-rr",), baseline="gateway"),
        Scenario(10, f"bare, reloading every {RELOAD_INTERVAL * 1000:.0f} ms", proxy_keys=("gateway-reload",),
                 baseline="gateway"),
    ]
    scenarios = [s for s in scenarios if s.number in SCENARIOS]
    skipped = []
    for scenario in scenarios:
        for key in scenario.proxy_keys:
            if isinstance(plugin_configs.get(key), str):
                scenario.skipped = f"plugins missing, {plugin_configs[key]}"
        if scenario.skipped:
            skipped.append(scenario)
            log(f"bench: scenario {scenario.number} ({scenario.title}) skipped: {scenario.skipped}")
    scenarios = [s for s in scenarios if not s.skipped]
    needed = {key for s in scenarios for key in s.proxy_keys} | {"gateway"}  # the bare gateway is every baseline

    proxies: dict[tuple[str, int], Proxy] = {}
    for threads in THREADS:
        for key in (
            "nginx", "haproxy", "gateway", "gateway-10k", "gateway-jwt-local", "gateway-jwt-redis",
            "gateway-jwt-acl-cors", "gateway-rr", "gateway-reload",
        ):
            if key not in needed:
                continue
            port, name = next(ports), f"{key}-{threads}"
            if key == "nginx":
                conf = write_nginx_proxy(work, name, threads, port, upstream_port)
                process = processes.start(name, ["nginx", "-c", str(conf)])
            elif key == "haproxy":
                conf = write_haproxy(work, name, threads, port, upstream_port)
                process = processes.start(name, ["haproxy", "-db", "-f", str(conf)], log_path=work / f"{name}.log")
            else:
                if key in ("gateway", "gateway-reload"):
                    directory = gateway_config(work / name, upstream_port, BARE_ROUTES, NO_PLUGINS)
                elif key == "gateway-rr":
                    directory = gateway_config(work / name, target_ports, BARE_ROUTES, NO_PLUGINS)
                elif key == "gateway-10k":
                    directory = gateway_config(work / name, upstream_port, routes_10k, NO_PLUGINS)
                else:
                    directory = plugin_configs[key]
                argv = [ACME, "gateway", "--config", str(directory), "--threads", str(threads),
                        "--proxy-listen", f"127.0.0.1:{port}", "--admin-listen", f"127.0.0.1:{next(ports)}"]
                process = processes.start(name, argv, env=gateway_env, log_path=work / f"{name}.log")
            ready_path = last_path if key == "gateway-10k" else "/"
            ready_headers = dict(h.split(": ", 1) for h in auth) if "jwt" in key else None
            try:
                wait_ready(port, process, ready_path, ready_headers)
            except RuntimeError as error:
                log_file = work / f"{name}.log"
                detail = log_file.read_text()[-2000:] if log_file.exists() else ""
                raise RuntimeError(f"{name}: {error}\n{detail}") from None
            time.sleep(0.5)
            kind = "gateway" if key.startswith("gateway") else key
            proxies[(key, threads)] = Proxy(key, kind, threads, port, process, idle_rss=rss_bytes(process.pid))
            log(f"bench: {name} on 127.0.0.1:{port}, idle RSS {proxies[(key, threads)].idle_rss / 2**20:.1f} MB")

    rows: list[Row] = []
    for scenario in scenarios:
        for threads in THREADS:
            for key in scenario.proxy_keys:
                row = Row(scenario, proxies[(key, threads)])
                preflight(row)
                if row.failure:
                    log(f"bench: scenario {scenario.number}, {key} N={threads}: {row.failure}")
                rows.append(row)

    runs = len([r for r in rows if not r.failure]) * ROUNDS
    log(f"bench: {runs} runs of {DURATION} s in {ROUNDS} rounds, about {runs * (DURATION + 0.5) / 60:.1f} minutes")
    for round_number in range(ROUNDS):
        for scenario in scenarios:
            group = [r for r in rows if r.scenario is scenario]
            shift = round_number % len(group)
            for row in group[shift:] + group[:shift]:  # a different proxy goes first in each round
                measure(row, warm=round_number == 0)
        summary = ", ".join(
            f"{r.scenario.number}/{r.proxy.key}/{r.proxy.threads} {r.runs[-1].rps:.0f}" for r in rows if r.runs
        )
        log(f"bench: round {round_number + 1} of {ROUNDS}: {summary}")
    return rows, proxies, skipped


def write_post_script(work: Path) -> Path:
    script = work / "post.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        'wrk.body = string.rep("x", 4096)\n'
    )
    return script


# MARK: - report


def baseline_row(rows: list[Row], row: Row) -> Row | None:
    for other in rows:
        if other.proxy.threads != row.proxy.threads:
            continue
        if row.scenario.baseline == "nginx" and other.scenario is row.scenario and other.proxy.key == "nginx":
            return other
        if row.scenario.baseline == "gateway" and other.scenario.number == 1 and other.proxy.key == "gateway":
            return other
    return None


def ratio(value: float, base: float) -> str:
    return f"{value / base:.2f}×" if base and value else "–"


def machine_lines(started_at: datetime.datetime) -> list[str]:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PHYS_PAGES") * PAGE / 2**30

    def version(argv: list[str]) -> str:
        try:
            completed = subprocess.run(argv, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            return "?"
        text = (completed.stdout + completed.stderr).strip().splitlines()
        return text[0] if text else "?"

    commit = version(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    dirty = subprocess.run(["git", "-C", str(ROOT), "diff", "--quiet", "HEAD", "--", "Sources", "Package.swift"]).returncode
    return [
        f"- date: {started_at.strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {platform.node()}, {cpu}, {os.cpu_count()} cores, {memory:.0f} GiB, "
        f"{platform.system()} {platform.release()}; load average before the run {os.getloadavg()[0]:.2f}",
        f"- gateway: commit {commit}{' with local changes' if dirty else ''}, release build",
        f"- peers: {version(['nginx', '-v'])}; {version(['haproxy', '-v'])}; {version(['wrk', '-v'])}",
        f"- load: wrk -t{WRK_THREADS} -c{CONNECTIONS} (scenario 4: -c{MANY_CONNECTIONS}) --timeout 2s, {DURATION} s per run, "
        f"{WARMUP} s warm-up before each proxy's first run of a scenario, {ROUNDS} interleaved rounds; "
        f"figures are medians over the rounds",
    ]


def report(rows: list[Row], proxies: dict, skipped: list[Scenario], started_at: datetime.datetime) -> None:
    lines = ["# make bench: the gateway beside nginx and HAProxy", ""]
    lines += machine_lines(started_at)
    lines += [
        "",
        "N is nginx's `worker_processes`, HAProxy's `nbthread` and the gateway's `--threads`. The upstream is one "
        "nginx (2 workers) on the same machine; wrk, the proxy and the upstream share the 2 cores. Ratios are to "
        "nginx at the same N (scenarios 1-4) or to the gateway's own bare figure at the same N (5-8). RSS is the "
        "proxy's processes summed (nginx: master and workers) right after the run; in scenario 4, the peak while "
        "the 1,000 connections were open. CPU is the proxy's utime + stime per request.",
        "",
        "| # | scenario | N | proxy | requests/s | ratio | p50 ms | p99 ms | p99 ratio | CPU µs/req | RSS MB | check |",
        "| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in rows:
        base = baseline_row(rows, row)
        rps, p50, p99 = row.median("rps"), row.median("p50_ms"), row.median("p99_ms")
        is_base = base is row
        lines.append(
            f"| {row.scenario.number} | {row.scenario.title} | {row.proxy.threads} | {row.proxy.key} | "
            f"{rps:,.0f} | {'1.00×' if is_base else ratio(rps, base.median('rps') if base else 0)} | "
            f"{p50:.2f} | {p99:.2f} | {'1.00×' if is_base else ratio(p99, base.median('p99_ms') if base else 0)} | "
            f"{statistics.median(row.cpu_per_request_us) if row.cpu_per_request_us else 0:.1f} | "
            f"{row.rss / 2**20:.1f} | {'**failed**: ' + row.failure if row.failure else 'ok'} |"
        )
    for scenario in skipped:
        lines.append(f"| {scenario.number} | {scenario.title} | | | | | | | | | | skipped: {scenario.skipped} |")

    lines += ["", "| proxy | N | idle RSS MB | RSS at 1,000 connections MB |", "| --- | --- | ---: | ---: |"]
    for (key, threads), proxy in proxies.items():
        many = [r for r in rows if r.proxy is proxy and r.scenario.connections >= MANY_CONNECTIONS]
        at_many = f"{many[0].rss / 2**20:.1f}" if many and many[0].rss_after else "–"
        lines.append(f"| {key} | {threads} | {proxy.idle_rss / 2**20:.1f} | {at_many} |")

    lines += ["", "## Goals (issues 4, 5, 6 and 8)", ""] + goal_lines(rows, proxies, skipped)
    lines += [
        "",
        "![requests/s per scenario and proxy](latest.svg)",
        "",
        "Reproduce: `make bench` (`BENCH_DURATION`, `BENCH_ROUNDS`, `BENCH_THREADS`, `BENCH_SCENARIOS`; see "
        "`Benchmarks/bench.py`). Micro-benchmarks: `cd Benchmarks && swift package benchmark`.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.md").write_text(text)
    (RESULTS / "latest.svg").write_text(chart(rows, started_at))
    log(f"bench: wrote {RESULTS / 'latest.md'} and {RESULTS / 'latest.svg'}")


def goal_lines(rows: list[Row], proxies: dict, skipped: list[Scenario]) -> list[str]:
    def find(number: int, key: str, threads: int = 1) -> Row | None:
        return next((r for r in rows if r.scenario.number == number and r.proxy.key == key
                     and r.proxy.threads == threads), None)

    def verdict(ok: bool) -> str:
        return "met" if ok else "**missed**"

    out = []
    bare, nginx = find(1, "gateway"), find(1, "nginx")
    if bare and nginx and bare.runs and nginx.runs:
        throughput = bare.median("rps") / nginx.median("rps")
        p99 = bare.median("p99_ms") / nginx.median("p99_ms")
        out.append(f"- bare, N = 1, throughput ≥ 1.0× nginx: {throughput:.2f}× — {verdict(throughput >= 1.0)}")
        out.append(f"- bare, N = 1, p99 ≤ 1.2× nginx's: {p99:.2f}× — {verdict(p99 <= 1.2)}")
    for number, key, goal, label in (
        (5, "gateway-jwt-local", 0.85, "jwt + local rate limit ≥ 0.85× bare"),
        (6, "gateway-jwt-redis", 0.6, "jwt + redis rate limit ≥ 0.6× bare"),
        (7, "gateway-10k", 0.95, f"{ROUTE_COUNT:,} routes ≥ 0.95× bare"),
        (8, "gateway-jwt-acl-cors", 0.85, "jwt (cached) + acl + cors ≥ 0.85× bare"),
        (9, "gateway-rr", 0.95, f"round-robin over {ROUND_ROBIN_TARGETS} targets ≥ 0.95× bare"),
    ):
        row = find(number, key)
        skip = next((s for s in skipped if s.number == number), None)
        if skip:
            out.append(f"- {label}: not measured, {skip.skipped}")
        elif row and bare and row.runs and bare.runs:
            value = row.median("rps") / bare.median("rps")
            out.append(f"- {label} (N = 1): {value:.2f}× — {verdict(value >= goal)}")
    reloading = find(10, "gateway-reload")
    if reloading and bare and reloading.runs and bare.runs:
        out.append(
            f"- p99 while reloading every {RELOAD_INTERVAL * 1000:.0f} ms (N = 1): {reloading.median('p99_ms'):.2f} ms, "
            f"without: {bare.median('p99_ms'):.2f} ms ({reloading.median('p99_ms') / bare.median('p99_ms'):.2f}×); "
            f"failed requests while reloading: {sum(r.non_2xx + r.socket_errors for r in reloading.runs)}"
        )
    gateway = proxies.get(("gateway", 1))
    if gateway:
        idle = gateway.idle_rss / 2**20
        out.append(f"- idle RSS ≤ 30 MB (N = 1): {idle:.1f} MB — {verdict(idle <= 30)}")
        many = find(4, "gateway")
        if many and many.rss_after:
            peak = many.rss / 2**20
            out.append(f"- RSS at 1,000 connections ≤ 100 MB (N = 1): {peak:.1f} MB — {verdict(peak <= 100)}")
    failed = [r for r in rows if r.failure]
    out.append(f"- failed rows: {len(failed)}" + (" — " + "; ".join(
        f"{r.scenario.number} {r.proxy.key} N={r.proxy.threads}: {r.failure}" for r in failed) if failed else ""))
    return out


COLORS = {"nginx": "#2e7d32", "haproxy": "#1565c0", "gateway": "#ef6c00"}


def chart(rows: list[Row], started_at: datetime.datetime) -> str:
    """A grouped bar chart of requests/s: one panel per N, a group per scenario, a bar per proxy."""
    width, panel_height, top, left, right, bottom_pad = 960, 300, 60, 80, 20, 70
    threads = sorted({r.proxy.threads for r in rows})
    numbers = sorted({r.scenario.number for r in rows})
    kinds = [k for k in ("nginx", "haproxy", "gateway") if any(r.proxy.kind == k for r in rows)]
    height = top + len(threads) * (panel_height + bottom_pad) + 10
    peak = max([r.median("rps") for r in rows] + [1.0])
    step = nice_step(peak / 5)
    y_max = step * (int(peak / step) + 1)
    titles = {r.scenario.number: r.scenario.title for r in rows}
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left}" y="24" font-size="16" font-weight="bold">Requests/s per scenario and proxy '
        f'(median of {ROUNDS} rounds, {DURATION} s each)</text>',
        f'<text x="{left}" y="42" fill="#555">{started_at.strftime("%Y-%m-%d")}, {os.cpu_count()} cores, loopback; '
        f'a crossed bar failed its check (non-2xx, socket errors or no answer)</text>',
    ]
    for index, kind in enumerate(kinds):
        x = width - right - 90 * (len(kinds) - index)
        out.append(f'<rect x="{x}" y="50" width="12" height="12" fill="{COLORS[kind]}"/>')
        out.append(f'<text x="{x + 16}" y="60">{kind}</text>')
    plot_width = width - left - right
    group_width = plot_width / max(1, len(numbers))
    bar_width = min(40.0, (group_width - 20) / max(1, len(kinds)))
    for panel, n in enumerate(threads):
        y0 = top + panel * (panel_height + bottom_pad)
        base_y = y0 + panel_height
        out.append(f'<text x="{left}" y="{y0 + 4}" font-weight="bold">N = {n}</text>')
        value = 0.0
        while value <= y_max + 1e-9:
            y = base_y - value / y_max * (panel_height - 20)
            out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="#ddd"/>')
            out.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value / 1000:,.0f}k</text>')
            value += step
        for g, number in enumerate(numbers):
            gx = left + g * group_width
            group = [r for r in rows if r.scenario.number == number and r.proxy.threads == n]
            bars = [(kind, next((r for r in group if r.proxy.kind == kind), None)) for kind in kinds]
            bars = [(kind, r) for kind, r in bars if r]
            start = gx + (group_width - bar_width * len(bars)) / 2
            for b, (kind, row) in enumerate(bars):
                rps = row.median("rps")
                h = rps / y_max * (panel_height - 20)
                x = start + b * bar_width
                out.append(f'<rect x="{x:.1f}" y="{base_y - h:.1f}" width="{bar_width - 3:.1f}" height="{h:.1f}" '
                           f'fill="{COLORS[kind]}"><title>{kind} N={n}: {rps:,.0f} requests/s</title></rect>')
                out.append(f'<text x="{x + (bar_width - 3) / 2:.1f}" y="{base_y - h - 4:.1f}" font-size="10" '
                           f'text-anchor="middle">{short_number(rps)}</text>')
                if row.failure:
                    out.append(f'<text x="{x + (bar_width - 3) / 2:.1f}" y="{base_y - h - 16:.1f}" font-size="10" '
                               f'text-anchor="middle" fill="#c62828">failed</text>')
                    out.append(f'<path d="M{x:.1f},{base_y - h:.1f} L{x + bar_width - 3:.1f},{base_y:.1f} '
                               f'M{x + bar_width - 3:.1f},{base_y - h:.1f} L{x:.1f},{base_y:.1f}" '
                               f'stroke="#c62828" stroke-width="2"/>')
            label = f"{number}. {titles[number]}"
            out.append(f'<text x="{gx + group_width / 2:.1f}" y="{base_y + 16}" text-anchor="middle" '
                       f'font-size="11">{escape(shorten(label, 30))}</text>')
        out.append(f'<line x1="{left}" y1="{base_y}" x2="{width - right}" y2="{base_y}" stroke="#333"/>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def short_number(value: float) -> str:
    if value >= 10_000:
        return f"{value / 1000:.0f}k"
    if value >= 1000:
        return f"{value / 1000:.1f}k"
    return f"{value:.0f}"


def nice_step(raw: float) -> float:
    magnitude = 10 ** len(str(int(max(raw, 1)))) / 10
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


if __name__ == "__main__":
    sys.exit(main())
