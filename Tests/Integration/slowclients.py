#!/usr/bin/env python3
"""Slow clients for t-slow-clients.sh: from each --sources address, keep up
to --per-source connections open to HOST:PORT (reopening those the server
closes), each sending a request a byte every --interval seconds:
  body: a whole head with Content-Length: 100000000, then the body, a byte at a time
  head: a head that never ends (one header value growing a byte at a time)
for --duration seconds, at most --max-attempts connections per source.
Rewrites --out (JSON) every tick: connections opened, failed to connect,
answered (by status code), closed without an answer (lifetime under 1 s:
refused at accept; else: cut), the longest lifetime of a cut one, and the
age of the oldest one still open. Ends by closing every connection."""
import argparse
import json
import os
import selectors
import socket
import time

p = argparse.ArgumentParser()
p.add_argument("host")
p.add_argument("port", type=int)
p.add_argument("--sources", nargs="+", required=True)
p.add_argument("--per-source", type=int, default=20)
p.add_argument("--mode", choices=["body", "head"], default="body")
p.add_argument("--path", default="/x.cfg")
p.add_argument("--interval", type=float, default=1.0)
p.add_argument("--duration", type=float, default=30.0)
p.add_argument("--max-attempts", type=int, default=500)
p.add_argument("--header", action="append", default=[], help="an extra header line (Name: value)")
p.add_argument("--out", required=True)
a = p.parse_args()
EXTRA = "".join(h + "\r\n" for h in a.header)

if a.mode == "body":
    HEAD = f"POST {a.path} HTTP/1.1\r\nHost: {a.host}\r\n{EXTRA}Content-Type: application/json\r\nContent-Length: 100000000\r\n\r\n"
else:
    HEAD = f"GET {a.path} HTTP/1.1\r\nHost: {a.host}\r\n{EXTRA}X-Slow: "
sel = selectors.DefaultSelector()
conns = {src: [] for src in a.sources}       # open connections per source
attempts = {src: 0 for src in a.sources}
stats = {"opened": 0, "connect_failed": 0, "answered": {}, "refused_fast": 0, "cut": 0,
         "cut_max_lifetime": 0.0, "cut_min_lifetime": None, "oldest_open": 0.0, "done": False}


class Conn:
    def __init__(self, src, sock):
        self.src, self.sock, self.opened, self.reply = src, sock, time.monotonic(), b""


def closed(c):
    life = time.monotonic() - c.opened
    if c.reply:
        code = c.reply.split(b" ", 2)[1].decode(errors="replace") if c.reply.count(b" ") else "?"
        stats["answered"][code] = stats["answered"].get(code, 0) + 1
    elif life < 1.0:
        stats["refused_fast"] += 1
    else:
        stats["cut"] += 1
        stats["cut_max_lifetime"] = max(stats["cut_max_lifetime"], round(life, 2))
        low = stats["cut_min_lifetime"]
        stats["cut_min_lifetime"] = round(life, 2) if low is None else min(low, round(life, 2))
    try:
        sel.unregister(c.sock)
    except (KeyError, ValueError):
        pass
    c.sock.close()
    conns[c.src].remove(c)


def write_out():
    now = time.monotonic()
    stats["oldest_open"] = round(max((now - c.opened for cs in conns.values() for c in cs), default=0.0), 2)
    stats["open"] = sum(len(cs) for cs in conns.values())
    with open(a.out + ".tmp", "w") as f:
        json.dump(stats, f)
    os.replace(a.out + ".tmp", a.out)


def top_up():
    for src in a.sources:
        while len(conns[src]) < a.per_source and attempts[src] < a.max_attempts:
            attempts[src] += 1
            try:
                s = socket.create_connection((a.host, a.port), timeout=1, source_address=(src, 0))
                s.sendall(HEAD.encode())
                s.setblocking(False)
            except OSError:
                stats["connect_failed"] += 1
                continue
            stats["opened"] += 1
            c = Conn(src, s)
            conns[src].append(c)
            sel.register(s, selectors.EVENT_READ, c)


def drain(until):
    while True:
        left = until - time.monotonic()
        if left <= 0:
            return
        for key, _ in sel.select(timeout=left):
            c = key.data
            try:
                data = c.sock.recv(65536)
            except OSError:
                data = b""
            if data:
                c.reply += data
            else:
                closed(c)


end = time.monotonic() + a.duration
while time.monotonic() < end:
    top_up()
    for cs in list(conns.values()):
        for c in list(cs):
            try:
                c.sock.send(b"a")
            except BlockingIOError:
                pass
            except OSError:
                closed(c)
    write_out()
    drain(min(end, time.monotonic() + a.interval))
write_out()
for cs in list(conns.values()):
    for c in list(cs):
        c.sock.close()
stats["done"] = True
write_out()
