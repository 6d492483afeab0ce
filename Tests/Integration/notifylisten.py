#!/usr/bin/env python3
"""A fake systemd notify socket for t-systemd.sh.

    notifylisten.py SOCKET_PATH OUT_FILE NETNS

Binds an AF_UNIX datagram socket at SOCKET_PATH (mode 0666, so that an
unprivileged server can write to it) and appends one JSON line per datagram
to OUT_FILE: {"t": monotonic seconds, "msg": the datagram}. When a datagram
carries READY=1, the line also has "listening": the sockets listening in
NETNS at that instant (`ss -Htuln`, "udp:67", "tcp:8080", ...), taken
right away, so that a READY=1 sent before the listeners were bound shows.
"""
import json
import os
import socket
import subprocess
import sys
import time

path, out, netns = sys.argv[1:4]
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
os.chmod(path, 0o666)
with open(out, "a", buffering=1) as f:
    f.write(json.dumps({"t": time.monotonic(), "msg": "(listening)"}) + "\n")
    while True:
        data = sock.recv(65536).decode("utf-8", "replace")
        line = {"t": time.monotonic(), "msg": data}
        if "READY=1" in data.split("\n"):
            ss = subprocess.run(["ip", "netns", "exec", netns, "ss", "-Htuln"],
                                capture_output=True, text=True).stdout
            listening = set()
            for row in ss.splitlines():
                fields = row.split()
                if len(fields) >= 5:
                    listening.add(fields[0] + ":" + fields[4].rsplit(":", 1)[-1])
            line["listening"] = sorted(listening)
        f.write(json.dumps(line) + "\n")
