#!/usr/bin/env python3
"""Capture DHCPv4 packets on one interface (run inside a test namespace) and
print one JSON object per packet, flushed:
  {"dir": "in"|"out", "op": 1|2, "type": <opt 53>, "xid": "...", "chaddr": "aa:bb:..",
   "ciaddr", "yiaddr", "siaddr", "giaddr", "sname", "file", "flags",
   "src": "ip:port", "dst": "ip:port", "options": {"<code>": "<hex>"}}
Usage: dhcpsniff.py IFNAME OUTFILE   (stops on SIGTERM/SIGINT)."""
import json, signal, socket, struct, sys

from bootp import options

ifname, outpath = sys.argv[1], sys.argv[2]
ETH_P_ALL = 0x0003
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
s.bind((ifname, 0))
out = open(outpath, "w", buffering=1)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
print("sniffing", ifname, file=sys.stderr, flush=True)

def ip(b):
    return socket.inet_ntoa(b)

while True:
    try:
        frame, addr = s.recvfrom(65535)
    except InterruptedError:
        continue
    except KeyboardInterrupt:
        break
    pkttype = addr[2]
    if len(frame) < 14 + 20 + 8 + 240 or struct.unpack("!H", frame[12:14])[0] != 0x0800:
        continue
    iph = frame[14:]
    ihl = (iph[0] & 0x0F) * 4
    if iph[9] != 17:
        continue
    udp = iph[ihl:]
    sport, dport = struct.unpack("!HH", udp[:4])
    if not ({sport, dport} & {67, 68}):
        continue
    d = udp[8:]
    parsed = options(d)
    if parsed is None:
        continue
    op, htype, hlen, hops, xid, secs, flags = struct.unpack("!BBBBIHH", d[:12])
    opts = {str(c): v.hex() for c, v in parsed.items()}
    rec = {
        "dir": "out" if pkttype == 4 else "in",
        "op": op, "hops": hops,
        "type": int(opts["53"], 16) if "53" in opts and opts["53"] else None,
        "xid": "%08x" % xid, "flags": flags,
        "chaddr": ":".join("%02x" % b for b in d[28:28 + min(hlen, 16)]),
        "ciaddr": ip(d[12:16]), "yiaddr": ip(d[16:20]), "siaddr": ip(d[20:24]),
        "giaddr": ip(d[24:28]),
        "sname": d[44:108].split(b"\0")[0].decode("latin-1"),
        "file": d[108:236].split(b"\0")[0].decode("latin-1"),
        "src": "%s:%d" % (ip(iph[12:16]), sport), "dst": "%s:%d" % (ip(iph[16:20]), dport),
        "ethdst": ":".join("%02x" % b for b in frame[0:6]),
        "options": opts,
    }
    out.write(json.dumps(rec) + "\n")
