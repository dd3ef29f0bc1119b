#!/usr/bin/env python3
"""The old REST contract, route by route, against a running master at SCHEDD_URL.

Written the way the old web UI and the old shell scripts talk to the master: plain HTTP and
JSON, with the old paths, field names and units, and nothing from schedd's own code. The
contract is docs/rest-api.md; the routes are the old system's (see its README) plus the
three its web UI called that its master never had: GET /job/running,
GET /log/:name/:timestamp and GET /log/stats/all.

It runs real commands: the master must have a worker (embedded mode, `schedd-master --dev`,
has one). Every job it saves is named ct<random>-..., and is deleted at the end.

    SCHEDD_URL=http://127.0.0.1:8070 python3 tests/api/contract.py

Prints one line per check and ends with `N passed, M failed`; exits 1 if any failed.
Python 3 standard library only.
"""

import http.client
import json
import os
import random
import socket
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

BASE = os.environ.get("SCHEDD_URL", "http://127.0.0.1:8070").rstrip("/")
API = BASE + "/api/v1"
# How long a condition may take to come true (a run to be recorded, a kill to land).
DEADLINE = 60.0
# Each request; the master answers in milliseconds, so this only bounds a hang.
REQUEST_TIMEOUT = 30.0
MIB = 1024 * 1024

# Reserved: routes where a job name would be (GET /job/list, GET /log/stats/all, ...).
ROUTE_WORDS = ["list", "running", "all", "next"]

N = random.randint(10000, 99999)
PREFIX = f"ct{N}"

passed = 0
failed = 0


class Mismatch(Exception):
    """What the master answered is not what the contract says."""


def check(what, fn):
    """Runs one check; prints `ok` or `FAIL` with why. Returns fn's value, or None."""
    global passed, failed
    try:
        value = fn()
    except Exception as e:  # one broken check must not stop the others
        failed += 1
        detail = str(e) if isinstance(e, Mismatch) else f"{type(e).__name__}: {e}"
        print(f"FAIL {what}: {detail}", flush=True)
        return None
    passed += 1
    print(f"ok   {what}", flush=True)
    return value


def expect(cond, why):
    if not cond:
        raise Mismatch(why)


def short(value, limit=300):
    text = value if isinstance(value, str) else json.dumps(value)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


# ---------------------------------------------------------------- the HTTP client


class Resp:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.text = body.decode("utf-8", "replace")
        try:
            self.json = json.loads(self.text)
        except ValueError:
            self.json = None

    def __repr__(self):
        return f"HTTP {self.status} {short(self.text)}"


def seg(name):
    """A path segment, percent-encoded as a client library does; dots too, so `..` reaches
    the server as a name and not as a path step."""
    return urllib.parse.quote(name, safe="").replace(".", "%2E")


def call(method, path, query=None, body=None, raw=None, content_type="application/json"):
    """One request to API + path. `body` is sent as JSON, `raw` as it is."""
    url = API + path
    if query:
        url += "?" + urllib.parse.urlencode(query)
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None and content_type is not None:
        req.add_header("Content-Type", content_type)
    try:
        with urllib.request.urlopen(req, timeout=REQUEST_TIMEOUT) as r:
            return Resp(r.status, r.headers, r.read())
    except urllib.error.HTTPError as e:
        return Resp(e.code, e.headers, e.read())


def envelope(r, status=200):
    """Checks that `r` is the envelope {code, message, data} at HTTP `status`."""
    expect(r.status == status, f"HTTP {r.status}, want {status}: {short(r.text)}")
    env = r.json
    expect(isinstance(env, dict), f"not a JSON object: {short(r.text)}")
    expect(set(env) >= {"code", "message", "data"}, f"not the envelope: {short(env)}")
    expect(type(env["code"]) is int, f"code is not an integer: {short(env)}")
    expect(isinstance(env["message"], str), f"message is not a string: {short(env)}")
    ctype = r.headers.get("Content-Type", "")
    expect(ctype.startswith("application/json"), f"Content-Type {ctype!r}, want application/json")
    return env


def ok(r):
    """The data of a successful answer: HTTP 200, code 0, message `success`."""
    env = envelope(r)
    expect(env["code"] == 0, f"code {env['code']} ({env['message']!r}), want 0")
    expect(env["message"] == "success", f"message {env['message']!r}, want 'success'")
    return env["data"]


def err(r, code, field=None, status=200):
    """An error answer: the envelope with `code`, data null, and a message naming `field`."""
    env = envelope(r, status)
    expect(env["code"] == code, f"code {env['code']} ({env['message']!r}), want {code}")
    expect(env["data"] is None, f"data {short(env['data'])}, want null on an error")
    expect(env["message"].strip() != "", "the message is empty")
    if field is not None:
        expect(
            field.lower() in env["message"].lower(),
            f"message {env['message']!r} does not name {field!r}",
        )
    return env["message"]


def wait_for(what, fn, deadline=DEADLINE):
    """Calls fn until it returns something other than None, for at most `deadline` seconds."""
    end = time.monotonic() + deadline
    last = None
    while True:
        try:
            value = fn()
        except Exception as e:  # the master may answer an error while a run settles
            value, last = None, e
        if value is not None:
            return value
        if time.monotonic() >= end:
            raise Mismatch(f"timed out after {deadline:.0f}s waiting for {what}"
                           + (f" (last error: {last})" if last else ""))
        time.sleep(0.2)


def now():
    return int(time.time())


def is_int(v):
    return type(v) is int


def is_num(v):
    return type(v) in (int, float)


def unix_s(v, field):
    """`v` is a time in Unix seconds near now (so neither milliseconds nor zero)."""
    expect(is_int(v), f"{field} = {v!r} is not an integer")
    expect(abs(v - now()) < 2 * 86400, f"{field} = {v} is not Unix seconds near now ({now()})")


def unix_ms(v, field):
    expect(is_int(v), f"{field} = {v!r} is not an integer")
    expect(abs(v - now() * 1000) < 2 * 86400 * 1000,
           f"{field} = {v} is not Unix milliseconds near now ({now() * 1000})")


def job_list(keyword=None):
    return ok(call("GET", "/job/list", {"keyword": keyword} if keyword is not None else None))


def job_names():
    return sorted(j["name"] for j in job_list())


def get_job(name):
    return call("GET", f"/job/{seg(name)}")


def logs_of(name, **query):
    q = {"jobName": name, "pageSize": 100}
    q.update(query)
    return ok(call("GET", "/log/list", q))


def finished(records):
    return [r for r in records if r.get("status") != "running"]


def sse(path, query=None, max_events=None):
    """Reads the server-sent events at `path` until the stream ends or `max_events` came.
    Returns (status, content type, [(event, data)])."""
    u = urllib.parse.urlsplit(API + path)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=REQUEST_TIMEOUT)
    target = u.path + ("?" + urllib.parse.urlencode(query) if query else "")
    conn.request("GET", target, headers={"Accept": "text/event-stream"})
    r = conn.getresponse()
    ctype = r.getheader("Content-Type", "")
    if not ctype.startswith("text/event-stream"):
        body = r.read()
        conn.close()
        return r.status, ctype, Resp(r.status, r.headers, body)
    events, name, data = [], "message", []
    try:
        while max_events is None or len(events) < max_events:
            line = r.readline()
            if not line:
                break
            line = line.decode("utf-8", "replace").rstrip("\r\n")
            if line == "":
                if data:
                    events.append((name, "\n".join(data)))
                name, data = "message", []
            elif line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].lstrip(" "))
    finally:
        conn.close()
    return r.status, ctype, events


def post_huge(path, body):
    """POSTs a large body as curl does: `Expect: 100-continue`, the body only after the
    server said go on (or did not answer within curl's 1 s). Returns a Resp, or raises
    Mismatch when the connection ends without an HTTP answer."""
    u = urllib.parse.urlsplit(API + path)
    sock = socket.create_connection((u.hostname, u.port), timeout=REQUEST_TIMEOUT)
    received = b""
    try:
        head = (f"POST {u.path} HTTP/1.1\r\nHost: {u.netloc}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                "Expect: 100-continue\r\nConnection: close\r\n\r\n")
        sock.sendall(head.encode())
        sock.settimeout(1.0)
        try:
            received = sock.recv(65536)
        except socket.timeout:
            received = b""
        sock.settimeout(REQUEST_TIMEOUT)
        if received == b"" or received.startswith(b"HTTP/1.1 100"):
            received = received.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in received else b""
            try:
                sock.sendall(body)
            except OSError:
                pass  # the server stopped reading: its answer may still be there
        while True:
            try:
                chunk = sock.recv(65536)
            except OSError:
                break
            if not chunk:
                break
            received += chunk
    finally:
        sock.close()
    if not received.startswith(b"HTTP/1."):
        raise Mismatch(f"the connection ended without an HTTP answer ({short(repr(received))})")
    head, _, rest = received.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = http.client.HTTPMessage()
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers[k.strip()] = v.strip()
    if headers.get("Transfer-Encoding", "").lower() == "chunked":
        out, data = b"", rest
        while data:
            size_line, _, data = data.partition(b"\r\n")
            size = int(size_line.split(b";")[0] or b"0", 16)
            if size == 0:
                break
            out, data = out + data[:size], data[size + 2:]
        rest = out
    return Resp(status, headers, rest)


# ---------------------------------------------------------------- the checks


def job_doc(name, **fields):
    """A job as the old UI saved it: the old fields, times left for the master to set."""
    doc = {"name": name, "command": "echo hi", "cronExpr": "0 0 0 1 1 *", "timeout": 0,
           "disabled": False, "createdAt": 0, "updatedAt": 0}
    doc.update(fields)
    return doc


def check_job_fields(job, want):
    expect(isinstance(job, dict), f"the job is not an object: {short(job)}")
    for k, v in want.items():
        expect(job.get(k) == v, f"{k} = {job.get(k)!r}, want {v!r} in {short(job)}")
    for k in ("name", "command", "cronExpr"):
        expect(isinstance(job.get(k), str), f"{k} is not a string: {short(job)}")
    expect(is_int(job.get("timeout")), f"timeout is not an integer (seconds): {short(job)}")
    expect(type(job.get("disabled")) is bool, f"disabled is not a boolean: {short(job)}")
    unix_s(job.get("createdAt"), "createdAt")
    unix_s(job.get("updatedAt"), "updatedAt")


def check_record(rec, job, command=None):
    """An execution record: the old document's fields and units plus schedd's."""
    expect(isinstance(rec, dict), f"the record is not an object: {short(rec)}")
    strings = ("executionId", "jobName", "command", "output", "error", "workerIp", "stderr",
               "workerId", "trigger", "status")
    for k in strings:
        expect(isinstance(rec.get(k), str), f"{k} is missing or not a string in {short(rec)}")
    expect(rec["jobName"] == job, f"jobName {rec['jobName']!r}, want {job!r}")
    if command is not None:
        expect(rec["command"] == command, f"command {rec['command']!r}, want {command!r}")
    # A running execution has not ended: its end times are 0.
    running = rec.get("status") == "running"
    for k in ("planTime", "scheduleTime", "startTime") + (() if running else ("endTime",)):
        unix_s(rec.get(k), k)
        unix_ms(rec.get(k + "Ms"), k + "Ms")
        expect(rec[k + "Ms"] // 1000 == rec[k],
               f"{k} = {rec[k]} is not {k}Ms = {rec[k + 'Ms']} in seconds")
    if not running:
        expect(rec["endTimeMs"] >= rec["startTimeMs"],
               f"it ended before it started: {short(rec)}")
    expect(is_int(rec.get("exitCode")), f"exitCode is not an integer: {short(rec)}")
    expect(type(rec.get("isTimeout")) is bool, f"isTimeout is not a boolean: {short(rec)}")
    expect(type(rec.get("outputTruncated")) is bool, "outputTruncated is not a boolean")
    expect(is_int(rec.get("attempt")) and rec["attempt"] >= 1, f"attempt {rec.get('attempt')!r}")
    expect(rec["trigger"] in ("schedule", "manual", "retry", "catch-up"),
           f"trigger {rec['trigger']!r}")
    expect(rec["status"] in ("running", "success", "failed", "timeout", "killed", "skipped",
                             "lost"), f"status {rec['status']!r}")


def check_stats(s, job_name, period):
    expect(isinstance(s, dict), f"stats are not an object: {short(s)}")
    for k in ("totalCount", "successCount", "failCount", "timeoutCount", "killedCount"):
        expect(is_int(s.get(k)) and s[k] >= 0, f"{k} = {s.get(k)!r} in {short(s)}")
    for k in ("avgDuration", "p50Duration", "p95Duration"):
        expect(is_num(s.get(k)) and s[k] >= 0, f"{k} = {s.get(k)!r} is not seconds")
    expect(s.get("period") == period, f"period {s.get('period')!r}, want {period}")
    expect(s.get("jobName") == job_name, f"jobName {s.get('jobName')!r}, want {job_name!r}")
    expect(is_num(s.get("successRate")) and 0 <= s["successRate"] <= 1,
           f"successRate {s.get('successRate')!r} is not a fraction")
    expect(s["successCount"] + s["failCount"] <= s["totalCount"],
           f"success + fail > total: {short(s)}")
    expect(s["timeoutCount"] <= s["failCount"], f"timeouts are not in failCount: {short(s)}")
    expect("lastRun" in s, "lastRun is missing")
    if s["lastRun"] is not None:
        unix_s(s["lastRun"], "lastRun")
    return s


def run_checks():
    state = {}

    # ---- the basics
    def info():
        d = ok(call("GET", "/info"))
        expect(isinstance(d.get("version"), str) and d["version"], f"version in {short(d)}")
        expect(d.get("mode") in ("embedded", "cluster"), f"mode {d.get('mode')!r}")
        expect(isinstance(d.get("defaultTimezone"), str), f"defaultTimezone in {short(d)}")
        unix_s(d.get("startedAt"), "startedAt")
        state["tz"] = d["defaultTimezone"]
    check("GET /info: version, mode, defaultTimezone, startedAt in seconds", info)

    def openapi():
        r = call("GET", "/openapi.json")
        expect(r.status == 200, repr(r))
        doc = r.json
        expect(isinstance(doc, dict) and str(doc.get("openapi", "")).startswith("3"),
               f"not an OpenAPI 3 document: {short(r.text)}")
        state["openapi"] = doc
    check("GET /openapi.json is an OpenAPI 3 document", openapi)

    def openapi_routes():
        doc = state["openapi"]
        base = "".join(s.get("url", "") for s in doc.get("servers", [])[:1]).rstrip("/")
        have = {(m.upper(), base + p) for p, ops in doc.get("paths", {}).items() for m in ops
                if m in ("get", "post", "put", "delete", "patch")}
        want = {("POST", "/job/save"), ("DELETE", "/job/{name}"), ("GET", "/job/list"),
                ("GET", "/job/{name}"), ("POST", "/job/kill/{name}"),
                ("POST", "/job/disable/{name}"), ("POST", "/job/enable/{name}"),
                ("GET", "/job/running"), ("POST", "/job/run/{name}"),
                ("GET", "/job/next/{name}"), ("GET", "/job/next"), ("GET", "/log/list"),
                ("GET", "/log/{name}"), ("GET", "/log/{name}/{timestamp}"),
                ("GET", "/log/stats/{name}"), ("GET", "/log/stats/all"),
                ("GET", "/log/running"), ("GET", "/worker/list"), ("GET", "/worker/stats"),
                ("GET", "/events"), ("GET", "/log/tail/{name}"), ("GET", "/info")}
        want = {(m, "/api/v1" + p) for m, p in want}
        missing = sorted(want - {(m, p if p.startswith("/api/v1") else "/api/v1" + p)
                                 for m, p in have})
        expect(not missing, f"routes of docs/rest-api.md missing: {missing}")
        ids = [op.get("operationId") for ops in doc["paths"].values() for op in ops.values()
               if isinstance(op, dict) and op.get("operationId")]
        dups = sorted({i for i in ids if ids.count(i) > 1})
        expect(not dups, f"operationIds are not unique (OpenAPI requires it): {dups}")
    check("GET /openapi.json: every route of the contract, unique operationIds", openapi_routes)

    def unknown_route():
        problems = []
        for method, path in (("GET", "/no-such-route"), ("GET", "/job/a/b/c"),
                             ("GET", "/log/stats/a/b"), ("POST", "/no-such-route"),
                             ("PUT", "/job/save")):
            try:
                err(call(method, path, raw=b"{}" if method != "GET" else None), 1000,
                    status=404)
            except Mismatch as e:
                problems.append(f"{method} /api/v1{path}: {e}")
        expect(not problems, "; ".join(problems))
    check("unknown route: the envelope (code 1000, data null) with HTTP 404", unknown_route)

    # ---- empty lists are [] (a job that does not exist has no records)
    ghost = f"{PREFIX}-ghost"

    def empty_lists():
        d = ok(call("GET", "/log/list", {"jobName": ghost}))
        expect(d == {"logs": [], "total": 0, "page": 1, "size": 20},
               f"want {{logs: [], total: 0, page: 1, size: 20}}, got {short(d)}")
        d = ok(call("GET", "/log/list", {"jobName": ghost, "status": "running"}))
        expect(d["logs"] == [], f"logs {short(d['logs'])}, want []")
        d = ok(call("GET", "/log/running", {"jobName": ghost}))
        expect(d == [], f"log/running {short(d)}, want []")
        d = job_list("zz-no-job-matches-this-zz")
        expect(d == [], f"job/list {short(d)}, want []")
        d = ok(call("GET", "/job/running"))
        expect(isinstance(d, list), f"job/running {short(d)}, want a list")
        d = ok(call("GET", "/worker/list"))
        expect(isinstance(d, list), f"worker/list {short(d)}, want a list")
    check("empty lists are [] never null (log/list, log/running, job/list, job/running)",
          empty_lists)

    def ghost_stats():
        s = check_stats(ok(call("GET", f"/log/stats/{seg(ghost)}")), ghost, 7)
        expect(s["totalCount"] == 0 and s["lastRun"] is None, f"stats of no runs: {short(s)}")
    check("GET /log/stats/:name of a job with no runs: zero counts, lastRun null", ghost_stats)

    def missing_job():
        for method, path in (("GET", "/job/{}"), ("DELETE", "/job/{}"),
                             ("POST", "/job/kill/{}"), ("POST", "/job/disable/{}"),
                             ("POST", "/job/enable/{}"), ("POST", "/job/run/{}"),
                             ("GET", "/job/next/{}")):
            try:
                err(call(method, path.format(seg(ghost))), 1002)
            except Mismatch as e:
                raise Mismatch(f"{method} {path.format(ghost)}: {e}")
    check("a job that does not exist: code 1002 on get, delete, kill, disable, enable, run, next",
          missing_job)

    def missing_log():
        env = envelope(call("GET", f"/log/{seg(ghost)}"))
        expect(env["code"] in (1000, 1002) and env["data"] is None,
               f"GET /log/{ghost}: {short(env)}, want code 1000 or 1002 and data null")
    check("GET /log/:name of a job that does not exist: an error, data null", missing_log)

    # ---- bad input: 1001 naming the field, and nothing stored
    before = check("GET /job/list before the bad input", job_names)
    bad_name_list = ["a/b", "..", *ROUTE_WORDS, "x" * 200, "", "-dash", "a b", "ünï"]

    def save_rejected(what, raw=None, body=None, field=None, content_type="application/json"):
        def run():
            r = call("POST", "/job/save", body=body, raw=raw, content_type=content_type)
            err(r, 1001, field)
            if isinstance(body, dict) and isinstance(body.get("name"), str) and body["name"]:
                names = job_names()
                expect(body["name"] not in names, f"{body['name']!r} was stored anyway")
        check(f"POST /job/save {what}: code 1001" + (f" naming {field}" if field else ""), run)

    save_rejected("with bad JSON", raw=b'{"name": "x", "command": ')
    save_rejected("with a JSON array", raw=json.dumps([job_doc(f"{PREFIX}-arr")]).encode())
    save_rejected("with an empty body", raw=b"")
    save_rejected("with JSON null", raw=b"null")
    save_rejected("with a JSON string", raw=b'"a job"')
    for name in bad_name_list:
        save_rejected(f"with name {short(name, 40)!r}", body=job_doc(name), field="name")
    save_rejected("without a name", body={"command": "echo hi", "cronExpr": "* * * * *"},
                  field="name")
    save_rejected("with a number as name", body=job_doc(42), field="name")
    for cron in ("not a cron", "* * *", "61 * * * * *", "* * * * * * * *", ""):
        save_rejected(f"with cronExpr {cron!r}", body=job_doc(f"{PREFIX}-badcron",
                                                               cronExpr=cron), field="cronExpr")
    save_rejected("without a cronExpr", body={"name": f"{PREFIX}-nocron", "command": "echo"},
                  field="cronExpr")
    save_rejected("with an empty command", body=job_doc(f"{PREFIX}-nocmd", command=""),
                  field="command")
    save_rejected("with timeout -1", body=job_doc(f"{PREFIX}-neg", timeout=-1), field="timeout")
    save_rejected("with a string timeout", body=job_doc(f"{PREFIX}-strto", timeout="10s"),
                  field="timeout")
    save_rejected("with disabled \"yes\"", body=job_doc(f"{PREFIX}-dis", disabled="yes"),
                  field="disabled")
    save_rejected("with overlap \"sometimes\"", body=job_doc(f"{PREFIX}-ovl",
                                                             overlap="sometimes"),
                  field="overlap")
    save_rejected("with timezone \"Mars/Olympus\"", body=job_doc(f"{PREFIX}-tz",
                                                                 timezone="Mars/Olympus"),
                  field="timezone")

    def huge():
        name = f"{PREFIX}-huge"
        body = json.dumps(job_doc(name, command="echo " + "x" * (10 * MIB))).encode()
        r = post_huge("/job/save", body)
        if r.status == 413:
            env = envelope(r, 413)
            expect(env["code"] == 1001, f"code {env['code']}, want 1001 with HTTP 413")
        else:
            err(r, 1001)
        expect(name not in job_names(), f"{name} was stored anyway")
        err(get_job(name), 1002)
    check("POST /job/save with a 10 MiB body: refused (HTTP 413 or code 1001), nothing stored",
          huge)

    def after_bad_input():
        after = job_names()
        expect(before is not None, "the list before failed")
        expect(after == before, f"the job list changed: added {sorted(set(after) - set(before))}"
               f", removed {sorted(set(before) - set(after))}")
    check("GET /job/list after the bad input: nothing stored", after_bad_input)

    # Bad names on every route that takes one. A name that is a route of its own there
    # (GET /job/list, GET /log/stats/all, ...) is that route, not a bad name; with another
    # method (DELETE /job/list) it is that route too, and the answer may be the 404 of a
    # route without that method.
    name_routes = [
        ("GET", "/job/{}", {"list", "running", "next"}),
        ("DELETE", "/job/{}", set()),
        ("POST", "/job/kill/{}", set()),
        ("POST", "/job/disable/{}", set()),
        ("POST", "/job/enable/{}", set()),
        ("POST", "/job/run/{}", set()),
        ("GET", "/job/next/{}", set()),
        ("GET", "/log/{}", {"list", "running"}),
        ("GET", "/log/{}/1700000000", set()),
        ("GET", "/log/stats/{}", {"all"}),
        ("GET", "/log/tail/{}", set()),
    ]
    for method, path, routes in name_routes:
        def bad_names(method=method, path=path, routes=routes):
            problems = []
            for name in bad_name_list:
                if name in routes or name == "":
                    continue
                r = call(method, path.format(seg(name)))
                try:
                    if method != "GET" and name in ROUTE_WORDS and r.status == 404:
                        err(r, 1000, status=404)
                    else:
                        err(r, 1001, "name")
                except Mismatch as e:
                    problems.append(f"{short(name, 20)!r}: {e}")
            expect(not problems, "; ".join(problems))
        check(f"{method} {path.format(':name')} with bad names: code 1001 naming name",
              bad_names)
    check("GET /job/list after the bad names: nothing stored",
          lambda: expect(job_names() == before, "the job list changed: added "
                         f"{sorted(set(job_names()) - set(before or []))}"))

    def route_words():
        # Valid names by the name rules, but the last segment of a route: a job so named is
        # refused, or reachable at every route of a job.
        problems = []
        for word, path, want in (("save", "/job/save", 0), ("stats", "/log/stats/1000000000",
                                                             1000), ("tail", "/log/tail/x", 0)):
            r = call("POST", "/job/save", body=job_doc(word))
            if envelope(r)["code"] == 1001:
                continue
            try:
                ok(r)
                env = envelope(call("GET", path))
                expect(env["code"] == want and (want != 0 or env["data"]["name"] == word),
                       f"GET {path} of the job {word!r}: {short(env)}")
                env = envelope(call("DELETE", f"/job/{word}"))
                expect(env["code"] == 0, f"DELETE /job/{word}: {short(env)}")
            except Mismatch as e:
                problems.append(f"a job named {word!r} was saved, but {e}")
        expect(not problems, "; ".join(problems))
    check("a job named like a route (save, stats, tail): refused with 1001, or reachable",
          route_words)

    # ---- a job, saved the way the old UI saved one
    runner = f"{PREFIX}-run"
    command = f"echo contract-{N}"
    runner_doc = job_doc(runner, command=command, cronExpr="* * * * * *",
                         description=f"Contract Runner Desc{N}", oldUiField={"kept": [1, 2]})

    def save_runner():
        job = ok(call("POST", "/job/save", body=runner_doc))
        check_job_fields(job, {"name": runner, "command": command, "cronExpr": "* * * * * *",
                               "timeout": 0, "disabled": False})
        expect(job.get("oldUiField") == {"kept": [1, 2]},
               f"an unknown field was not kept: {short(job)}")
        state["runner"] = job
    check("POST /job/save: the saved job, old fields as stored, times in seconds", save_runner)

    def get_runner():
        job = ok(get_job(runner))
        check_job_fields(job, {"name": runner, "command": command, "cronExpr": "* * * * * *",
                               "oldUiField": {"kept": [1, 2]}})
        expect(job.get("timezone") == state.get("tz"),
               f"timezone {job.get('timezone')!r}, want the default {state.get('tz')!r}")
    check("GET /job/:name: the job as stored, the default zone stamped, unknown fields kept",
          get_runner)

    others = {
        "sleep": job_doc(f"{PREFIX}-sleep", command="sleep 300"),
        "slow": job_doc(f"{PREFIX}-slow", command="sleep 30", timeout=1),
        "fail": job_doc(f"{PREFIX}-fail", command="echo bad >&2; exit 3"),
    }
    for key, doc in others.items():
        check(f"POST /job/save {doc['name']} (runs only when asked)",
              lambda doc=doc: check_job_fields(ok(call("POST", "/job/save", body=doc)),
                                               {"name": doc["name"]}))

    def resave_keeps_created():
        first = state["runner"]
        job = ok(call("POST", "/job/save", body=runner_doc))
        expect(job["createdAt"] == first["createdAt"],
               f"createdAt {job['createdAt']}, want {first['createdAt']} kept from the first save")
        expect(job["updatedAt"] >= first["updatedAt"], "updatedAt went back")
    check("POST /job/save again: createdAt kept, updatedAt not earlier", resave_keeps_created)

    def listing():
        jobs = job_list()
        names = [j["name"] for j in jobs]
        expect(names == sorted(names), f"not by name: {names[:10]}")
        expect({runner, others["fail"]["name"]} <= set(names), "our jobs are not listed")
        for j in jobs:
            if j["name"] == runner:
                check_job_fields(j, {"command": command})
    check("GET /job/list: every job, by name, with the job fields", listing)

    def keyword():
        for kw, what in ((PREFIX.upper(), "the name, any case"),
                         (f"CONTRACT-{N}", "the command, any case"),
                         (f"desc{N}", "the description, any case")):
            names = [j["name"] for j in job_list(kw)]
            expect(runner in names, f"keyword {kw!r} ({what}) did not find {runner}: {names}")
            if what.startswith("the name"):
                expect(all(PREFIX in n.lower() or PREFIX.upper() in n.upper() for n in names),
                       f"keyword {kw!r} found jobs without it: {names}")
        names = [j["name"] for j in job_list(f"contract-{N}")]
        expect(names == [runner], f"keyword contract-{N}: {names}, want only {runner}")
    check("GET /job/list?keyword=: matches name, command or description, any case", keyword)

    def next_of_job():
        d = ok(call("GET", f"/job/next/{seg(runner)}", {"count": 3}))
        times = d.get("times")
        expect(isinstance(times, list) and len(times) == 3 and all(map(is_int, times)),
               f"times {short(d)}")
        for t in times:
            unix_s(t, "times[]")
        expect(times[1] - times[0] == 1 and times[2] - times[1] == 1,
               f"an every-second job fires each second: {times}")
        expect(d.get("timezone") == state.get("tz"), f"timezone {d.get('timezone')!r}")
        d = ok(call("GET", f"/job/next/{seg(runner)}"))
        expect(len(d.get("times", [])) == 5, f"count defaults to 5: {short(d)}")
    check("GET /job/next/:name?count=3: three fire times in seconds; default count 5",
          next_of_job)

    def next_of_expr():
        d = ok(call("GET", "/job/next", {"cronExpr": "0 0 12 * * *", "timezone": "Europe/Berlin",
                                         "count": 2}))
        times = d.get("times")
        expect(isinstance(times, list) and len(times) == 2, f"times {short(d)}")
        expect(times[1] - times[0] in (82800, 86400, 90000), f"a day apart: {times}")
        expect(d.get("timezone") == "Europe/Berlin", f"timezone {d.get('timezone')!r}")
    check("GET /job/next?cronExpr=&timezone=&count=: fire times of an expression", next_of_expr)

    # ---- bad query parameters
    bad_queries = [
        ("/log/list", {"page": "abc"}, "page"),
        ("/log/list", {"page": "-1"}, "page"),
        ("/log/list", {"pageSize": "100000"}, "pageSize"),
        ("/log/list", {"pageSize": "abc"}, "pageSize"),
        ("/log/list", {"since": "abc"}, "since"),
        ("/log/list", {"until": "yesterday"}, "until"),
        ("/log/list", {"status": "bogus"}, "status"),
        ("/log/list", {"jobName": "a/b"}, "name"),
        ("/log/running", {"jobName": "a/b"}, "name"),
        (f"/log/stats/{seg(runner)}", {"days": "-1"}, "days"),
        (f"/log/stats/{seg(runner)}", {"days": "367"}, "days"),
        (f"/log/stats/{seg(runner)}", {"days": "abc"}, "days"),
        ("/log/stats/all", {"days": "-1"}, "days"),
        ("/log/stats/all", {"days": "abc"}, "days"),
        (f"/job/next/{seg(runner)}", {"count": "1000"}, "count"),
        (f"/job/next/{seg(runner)}", {"count": "abc"}, "count"),
        ("/job/next", {"cronExpr": "not a cron"}, "cronExpr"),
        ("/job/next", {}, "cronExpr"),
        ("/job/next", {"cronExpr": "* * * * *", "timezone": "Mars/Olympus"}, "timezone"),
        ("/job/next", {"cronExpr": "* * * * *", "count": "1000"}, "count"),
        (f"/log/{seg(runner)}/abc", {}, "time"),
    ]
    for path, query, field in bad_queries:
        shown = path + ("?" + urllib.parse.urlencode(query) if query else "")
        check(f"GET {urllib.parse.unquote(shown)}: code 1001 naming {field}",
              lambda path=path, query=query, field=field: err(call("GET", path, query), 1001,
                                                              field))

    def zero_means_default():
        # As over gRPC, where an unset number reads as 0: 0 asks for the default.
        d = ok(call("GET", "/log/list", {"page": "0", "pageSize": "0"}))
        expect((d.get("page"), d.get("size")) == (1, 20), f"page and size used: {short(d)}")
        d = ok(call("GET", "/log/stats/all", {"days": "0"}))
        expect(d.get("period") == 7, f"period: {short(d)}")
        d = ok(call("GET", "/job/next", {"cronExpr": "* * * * *", "count": "0"}))
        expect(len(d.get("times") or []) == 5, f"times: {short(d)}")
    check("page=0, pageSize=0, days=0, count=0 ask for the defaults (1, 20, 7, 5)",
          zero_means_default)

    # ---- a real run
    def first_records():
        return wait_for(f"two finished runs of {runner} in log/list", lambda: (
            (lambda recs: recs if len(recs) >= 2 else None)(finished(logs_of(runner)["logs"]))))

    recs = check(f"log/list?jobName={runner} has records within {DEADLINE:.0f}s", first_records)
    if recs is None:
        recs = []

    def record_fields():
        expect(recs, "no record")
        rec = recs[0]
        check_record(rec, runner, command)
        expect(rec["status"] == "success", f"status {rec['status']!r}: {short(rec)}")
        expect(rec["output"] == f"contract-{N}\n", f"output {rec['output']!r}")
        expect(rec["exitCode"] == 0 and rec["isTimeout"] is False and rec["error"] == "",
               f"exitCode/isTimeout/error: {short(rec)}")
        expect(rec["trigger"] == "schedule" and rec["attempt"] == 1, f"trigger: {short(rec)}")
        state["rec"] = rec
    check("a record: the old fields with times in seconds, schedd's with ms, status success",
          record_fields)

    def page_shape():
        d = logs_of(runner, pageSize=2)
        expect(set(d) >= {"logs", "total", "page", "size"}, f"keys {sorted(d)}")
        expect(d["page"] == 1 and d["size"] == 2, f"page {d['page']}, size {d['size']}")
        expect(is_int(d["total"]) and d["total"] >= len(d["logs"]), f"total {d['total']}")
        expect(len(d["logs"]) == 2, f"{len(d['logs'])} logs on a page of 2")
        starts = [r["startTimeMs"] for r in d["logs"]]
        expect(starts == sorted(starts, reverse=True), f"not newest first: {starts}")
        d2 = logs_of(runner, page=2, pageSize=1)
        expect(d2["page"] == 2 and d2["size"] == 1 and len(d2["logs"]) == 1, short(d2))
        d = ok(call("GET", "/log/list", {"jobName": runner}))
        expect(d["size"] == 20 and d["page"] == 1, f"defaults page 1 size 20: {short(d)}")
        d = logs_of(runner, page=100000)
        expect(d["logs"] == [] and d["page"] == 100000, f"a page past the end: {short(d)}")
    check("GET /log/list: {logs, total, page, size}, newest first, pages from 1, default 20",
          page_shape)

    def filters():
        d = logs_of(runner, status="success")
        expect(d["logs"] and all(r["status"] == "success" for r in d["logs"]), "status=success")
        d = logs_of(runner, since=now() + 3600)
        expect(d["logs"] == [] and d["total"] == 0, f"since an hour ahead: {short(d)}")
        d = logs_of(runner, until=now() - 86400)
        expect(d["logs"] == [] and d["total"] == 0, f"until a day ago: {short(d)}")
        d = logs_of(runner, since=now() - 3600, until=now() + 60)
        expect(len(d["logs"]) >= 2, f"the last hour: {short(d)}")
    check("GET /log/list?status=&since=&until=: filters in unix seconds", filters)

    def latest():
        rec = ok(call("GET", f"/log/{seg(runner)}"))
        check_record(rec, runner, command)
        first = state["rec"]
        expect(rec["startTimeMs"] >= first["startTimeMs"], "older than a record listed before")
    check("GET /log/:name: the job's latest record", latest)

    def at_second():
        first = state["rec"]
        rec = ok(call("GET", f"/log/{seg(runner)}/{first['startTime']}"))
        check_record(rec, runner, command)
        expect(rec["startTime"] == first["startTime"],
               f"startTime {rec['startTime']}, want {first['startTime']}")
        err(call("GET", f"/log/{seg(runner)}/1000000000"), 1000)
    check("GET /log/:name/:timestamp: the record started that second; 1000 when none",
          at_second)

    def stats():
        s = check_stats(ok(call("GET", f"/log/stats/{seg(runner)}")), runner, 7)
        expect(s["totalCount"] >= 2 and s["successCount"] >= 2, f"counts: {short(s)}")
        expect(s["avgDuration"] < 60, f"avgDuration {s['avgDuration']} of `echo` is not seconds")
        s = check_stats(ok(call("GET", f"/log/stats/{seg(runner)}", {"days": 30})), runner, 30)
    check("GET /log/stats/:name?days=: counts, avgDuration in seconds, period", stats)

    def workers():
        ws = ok(call("GET", "/worker/list"))
        expect(isinstance(ws, list) and ws, f"no worker: {short(ws)}")
        for w in ws:
            expect(w.get("ip") == w.get("workerId") and isinstance(w.get("ip"), str),
                   f"ip is not the worker id: {short(w)}")
            expect(isinstance(w.get("hostname"), str), f"hostname: {short(w)}")
            for k in ("cpuUsage", "memUsage"):
                expect(is_num(w.get(k)) and 0 <= w[k] <= 1, f"{k} {w.get(k)!r} is not 0-1")
                expect(round(w[k], 4) == w[k], f"{k} {w[k]} has more than four decimals")
            unix_ms(w.get("lastSeen"), "lastSeen")
            expect(w.get("status") in ("online", "offline"), f"status {w.get('status')!r}")
        expect(any(w["status"] == "online" for w in ws), "no worker online")
        ids = {rec["workerId"] for rec in recs}
        expect(ids <= {w["workerId"] for w in ws}, f"records name workers not listed: {ids}")
    check("GET /worker/list: ip = worker id, hostname, cpu/mem 0-1, lastSeen ms, status",
          workers)

    def worker_stats():
        s = ok(call("GET", "/worker/stats"))
        for k in ("total", "online", "offline", "running", "capacity"):
            expect(is_int(s.get(k)) and s[k] >= 0, f"{k} {s.get(k)!r} in {short(s)}")
        expect(s["online"] + s["offline"] == s["total"] and s["online"] >= 1, short(s))
        for k in ("avgCpuUsage", "avgMemUsage"):
            expect(is_num(s.get(k)) and 0 <= s[k] <= 1, f"{k} {s.get(k)!r} is not 0-1")
    check("GET /worker/stats: totals, averages 0-1", worker_stats)

    # ---- disable, enable, run, kill
    def disable():
        job = ok(call("POST", f"/job/disable/{seg(runner)}"))
        check_job_fields(job, {"name": runner, "disabled": True})
        job = ok(get_job(runner))
        expect(job["disabled"] is True, "GET does not show it disabled")
        expect(job.get("oldUiField") == {"kept": [1, 2]}, "disable lost an unknown field")
    check("POST /job/disable/:name: the job, disabled, unknown fields kept", disable)

    def enable():
        job = ok(call("POST", f"/job/enable/{seg(runner)}"))
        check_job_fields(job, {"name": runner, "disabled": False})
        expect(ok(get_job(runner))["disabled"] is False, "GET does not show it enabled")
    check("POST /job/enable/:name: the job, enabled", enable)

    def run_now(key, status, **want):
        name = others[key]["name"]
        d = ok(call("POST", f"/job/run/{seg(name)}"))
        expect(isinstance(d, dict) and isinstance(d.get("executionId"), str) and d["executionId"],
               f"data {short(d)}, want {{executionId}}")
        eid = d["executionId"]
        rec = wait_for(f"the record of {eid}", lambda: next(
            (r for r in finished(logs_of(name)["logs"]) if r["executionId"] == eid), None))
        check_record(rec, name, others[key]["command"])
        expect(rec["status"] == status, f"status {rec['status']!r}, want {status!r}")
        expect(rec["trigger"] == "manual", f"trigger {rec['trigger']!r}, want manual")
        for k, v in want.items():
            expect(rec.get(k) == v, f"{k} = {rec.get(k)!r}, want {v!r}")
        return rec

    check("POST /job/run/:name: {executionId}; a failing run is recorded as failed",
          lambda: run_now("fail", "failed", exitCode=3, stderr="bad\n", isTimeout=False))
    check("POST /job/run/:name of a job with timeout 1: recorded as timeout, isTimeout true",
          lambda: run_now("slow", "timeout", isTimeout=True))

    def stats_with_failures():
        f = check_stats(ok(call("GET", f"/log/stats/{seg(others['fail']['name'])}")),
                        others["fail"]["name"], 7)
        expect((f["totalCount"], f["successCount"], f["failCount"], f["timeoutCount"]) ==
               (1, 0, 1, 0), f"one failed run: {short(f)}")
        expect(f["successRate"] == 0, f"successRate {f['successRate']}")
        unix_s(f["lastRun"], "lastRun")
        t = check_stats(ok(call("GET", f"/log/stats/{seg(others['slow']['name'])}")),
                        others["slow"]["name"], 7)
        expect((t["totalCount"], t["successCount"], t["failCount"], t["timeoutCount"]) ==
               (1, 0, 1, 1), f"one timed-out run, counted in failCount too: {short(t)}")
        # A run cut at its 1 s timeout: at least 1 in seconds, thousands in milliseconds.
        expect(0.9 <= t["avgDuration"] < 600, f"avgDuration {t['avgDuration']} is not seconds")
    check("GET /log/stats/:name: failCount includes timeouts; avgDuration in seconds",
          stats_with_failures)

    def stats_all():
        s = check_stats(ok(call("GET", "/log/stats/all")), "", 7)
        expect(s["totalCount"] >= 4 and s["failCount"] >= 2 and s["timeoutCount"] >= 1,
               f"every job's runs: {short(s)}")
        check_stats(ok(call("GET", "/log/stats/all", {"days": 1})), "", 1)
    check("GET /log/stats/all?days=: stats over every job, jobName empty", stats_all)

    sleeper = others["sleep"]["name"]

    def start_sleeper():
        d = ok(call("POST", f"/job/run/{seg(sleeper)}"))
        state["sleep_eid"] = d["executionId"]
        wait_for(f"{sleeper} in GET /job/running",
                 lambda: True if sleeper in ok(call("GET", "/job/running")) else None)
    check("GET /job/running: the names of the jobs running now", start_sleeper)

    def running_records():
        eid = state["sleep_eid"]
        recs = wait_for(f"{eid} in GET /log/running", lambda: (lambda rs: rs if any(
            r["executionId"] == eid for r in rs) else None)(
                ok(call("GET", "/log/running", {"jobName": sleeper}))))
        rec = next(r for r in recs if r["executionId"] == eid)
        expect(rec["status"] == "running" and rec["jobName"] == sleeper, short(rec))
        d = logs_of(sleeper, status="running")
        expect(any(r["executionId"] == eid for r in d["logs"]),
               f"log/list?status=running does not list it: {short(d)}")
    check("GET /log/running?jobName= and log/list?status=running: the running execution",
          running_records)

    def kill():
        eid = state["sleep_eid"]
        d = ok(call("POST", f"/job/kill/{seg(sleeper)}"))
        expect(d is None, f"data {short(d)}, want null")
        rec = wait_for(f"the killed record of {eid}", lambda: next(
            (r for r in finished(logs_of(sleeper)["logs"]) if r["executionId"] == eid), None))
        expect(rec["status"] == "killed", f"status {rec['status']!r}, want killed")
        wait_for(f"{sleeper} gone from GET /job/running",
                 lambda: True if sleeper not in ok(call("GET", "/job/running")) else None)
    check("POST /job/kill/:name: data null; the run ends killed and leaves job/running", kill)

    def tail_latest():
        name = others["fail"]["name"]
        status, ctype, events = sse(f"/log/tail/{seg(name)}")
        expect(status == 200 and ctype.startswith("text/event-stream"),
               f"HTTP {status} {ctype}: {events!r}")
        recs = [json.loads(d) for _, d in events]
        expect(any(isinstance(r, dict) and r.get("jobName") == name for r in recs),
               f"no record of {name} in {short(repr(events))}")
    check("GET /log/tail/:name with nothing running: ends at once with the latest record",
          tail_latest)

    def events_resync():
        status, ctype, events = sse("/events", max_events=1)
        expect(status == 200 and ctype.startswith("text/event-stream"), f"HTTP {status} {ctype}")
        expect(events and events[0][0] == "resync", f"first event {events[:1]!r}, want resync")
    check("GET /events: an event stream that starts with resync", events_resync)

    def manual_run():
        d = ok(call("POST", f"/job/run/{seg(runner)}"))
        eid = d["executionId"]
        rec = wait_for(f"the record of {eid}", lambda: next(
            (r for r in finished(logs_of(runner)["logs"]) if r["executionId"] == eid), None))
        # overlap: forbid, and a scheduled run may be going at that instant: then the
        # manual one is recorded as skipped. Either way it is recorded, as manual.
        expect(rec["trigger"] == "manual" and rec["status"] in ("success", "skipped"),
               short(rec))
    check("POST /job/run/:name of a scheduled job: a manual run, recorded", manual_run)

    def delete():
        job = ok(call("DELETE", f"/job/{seg(runner)}"))
        expect(isinstance(job, dict) and job.get("name") == runner,
               f"data {short(job)}, want the deleted job")
        err(get_job(runner), 1002)
        expect(runner not in job_names(), "still listed")
        err(call("DELETE", f"/job/{seg(runner)}"), 1002)
    check("DELETE /job/:name: the deleted job; then 1002 on get and on a second delete", delete)

    def form_content_type():
        # `curl -d @job.json` sends application/x-www-form-urlencoded. Whatever the master
        # makes of that, it answers with the envelope and no server error.
        name = f"{PREFIX}-curl"
        r = call("POST", "/job/save", raw=json.dumps(job_doc(name)).encode(),
                 content_type="application/x-www-form-urlencoded")
        env = envelope(r)
        expect(env["code"] in (0, 1001), f"code {env['code']}: {short(env)}")
        print(f"     (curl -d style body: code {env['code']} {env['message']!r})", flush=True)
    check("POST /job/save with curl -d's form content type: the envelope", form_content_type)


def cleanup():
    """Deletes every job this run saved, whatever happened: its own, and any reserved name
    the master should have refused."""
    try:
        for j in job_list():
            if j["name"].startswith(PREFIX + "-") or j["name"] in ROUTE_WORDS + ["save", "stats"]:
                call("DELETE", f"/job/{seg(j['name'])}")
    except Exception as e:
        print(f"     (cleanup: {e})", flush=True)


def main():
    print(f"     contract of {API}, jobs named {PREFIX}-*", flush=True)
    ready = check("the master answers GET /job/list", lambda: wait_for(
        "the master", lambda: True if isinstance(job_list(), list) else None, deadline=30))
    if ready:
        try:
            run_checks()
        finally:
            cleanup()
    print(f"{passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
