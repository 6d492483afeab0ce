#!/usr/bin/env python3
"""Craft BOOTP/DHCPv4 datagrams (well-formed and hostile) and send them to a
DHCP server from inside a client network namespace. Stdlib only.

Sending: UDP from port 68, bound to IFACE with SO_BINDTODEVICE, to
255.255.255.255:67 (default) or unicast to --server when --unicast is given.
Receiving: an AF_PACKET socket on IFACE sees every reply (broadcast or
unicast) whatever the addresses configured in the namespace.

Every run is bounded in packets and in time. Output is JSON (one object per
line) on stdout; diagnostics go to stderr.

Usage (IFACE is the client interface, e.g. cli0; SERVER the server address):
  dhcpcraft.py IFACE SERVER send KIND [--count N] [--mac MAC] [--sync] [--hex]
      send N crafted packets of KIND (see KINDS); --sync then sends an
      INFORM and waits for its ACK (same server socket, so every earlier
      packet has been handled). Prints {"kind", "sent", "bytes", "hex"?,
      "replies": [...]} where replies are those to the crafted packets' xids.
  dhcpcraft.py IFACE SERVER sync
  dhcpcraft.py IFACE SERVER dora --mac MAC          -> {"ip", "offer", "ack"}
  dhcpcraft.py IFACE SERVER cycle --mac MAC [--decline]
      DISCOVER -> OFFER -> REQUEST -> ACK (-> DECLINE). {"offer": ip|null,
      "ack": ip|null, "nak": bool, "declined": bool}
  dhcpcraft.py IFACE SERVER renew --mac MAC --ip IP  (unicast, ciaddr=IP)
      -> {"reply": "ack"|"nak"|null, "yiaddr"}
  dhcpcraft.py IFACE SERVER release --mac MAC --ip IP
  dhcpcraft.py IFACE SERVER flood --count N --rate PPS [--seed S]
      N DISCOVERs from N random MACs (locally administered 02:...), paced at
      PPS. -> {"sent", "offers", "offered_ips": [...], "seconds"}
"""
import argparse
import json
import os
import random
import select
import socket
import struct
import sys
import time

from bootp import options

COOKIE = b"\x63\x82\x53\x63"
SO_BINDTODEVICE = getattr(socket, "SO_BINDTODEVICE", 25)
ETH_P_IP = 0x0800

DISCOVER, OFFER, REQUEST, DECLINE, ACK, NAK, RELEASE, INFORM = 1, 2, 3, 4, 5, 6, 7, 8
TYPE_NAMES = {1: "discover", 2: "offer", 3: "request", 4: "decline", 5: "ack", 6: "nak",
              7: "release", 8: "inform"}


def mac_bytes(mac):
    b = bytes(int(x, 16) for x in mac.split(":"))
    if len(b) != 6:
        raise SystemExit("bad MAC %r" % mac)
    return b


def random_mac(rng):
    return "02:" + ":".join("%02x" % rng.randrange(256) for _ in range(5))


def ip4(s):
    return socket.inet_aton(s)


def opt(code, value):
    value = bytes(value)
    assert len(value) <= 255
    return bytes([code, len(value)]) + value


def header(op=1, htype=1, hlen=6, hops=0, xid=0, secs=0, flags=0, ciaddr="0.0.0.0",
           yiaddr="0.0.0.0", siaddr="0.0.0.0", giaddr="0.0.0.0", chaddr=b"", sname=b"",
           file=b""):
    """The 236-byte fixed BOOTP header (no cookie)."""
    return (struct.pack("!BBBBIHH", op, htype, hlen, hops, xid, secs, flags)
            + ip4(ciaddr) + ip4(yiaddr) + ip4(siaddr) + ip4(giaddr)
            + chaddr.ljust(16, b"\0")[:16] + sname.ljust(64, b"\0")[:64] + file.ljust(128, b"\0")[:128])


def packet(options=b"", cookie=COOKIE, **hdr):
    return header(**hdr) + cookie + options


def dhcp(mtype, mac, xid, extra=b"", end=True, **hdr):
    """A BOOTREQUEST with option 53 = mtype, client id 61 and `extra` options."""
    mb = mac_bytes(mac)
    opts = opt(53, [mtype]) + opt(61, b"\x01" + mb) + extra + (b"\xff" if end else b"")
    return packet(opts, xid=xid, chaddr=mb, **hdr)


def new_xid():
    return random.SystemRandom().randrange(1, 2 ** 32)


# ------------------------------------------------------------ hostile kinds ---
# kind -> function(mac, xid, server) returning the datagram. The comment says
# what the server is expected to do with it.
def _kinds():
    k = {}
    disc = lambda mac, xid, extra=b"", **h: dhcp(DISCOVER, mac, xid, extra, **h)

    # 1. truncated (malformed)
    k["empty"] = lambda mac, xid, srv: b""
    k["short1"] = lambda mac, xid, srv: b"\x01"
    k["short10"] = lambda mac, xid, srv: disc(mac, xid)[:10]
    k["short239"] = lambda mac, xid, srv: disc(mac, xid)[:239]
    k["nocookie"] = lambda mac, xid, srv: header(xid=xid, chaddr=mac_bytes(mac))          # 236 bytes
    k["badcookie"] = lambda mac, xid, srv: packet(opt(53, [1]) + b"\xff", cookie=b"\x63\x82\x53\x64",
                                                  xid=xid, chaddr=mac_bytes(mac))
    # 2. option lengths past the end (malformed)
    k["optpastend"] = lambda mac, xid, srv: dhcp(DISCOVER, mac, xid, b"\x0c\xc8hello", end=False)
    k["optnolength"] = lambda mac, xid, srv: dhcp(DISCOVER, mac, xid, b"\x0c", end=False)
    k["opt53pastend"] = lambda mac, xid, srv: packet(b"\x35\x05\x01", xid=xid, chaddr=mac_bytes(mac))
    # 3. option overload (52)
    k["overload0"] = lambda mac, xid, srv: disc(mac, xid, opt(52, [0]))                       # malformed
    k["overload4"] = lambda mac, xid, srv: disc(mac, xid, opt(52, [4]))                       # malformed
    k["overload255"] = lambda mac, xid, srv: disc(mac, xid, opt(52, [255]))                   # malformed
    k["overloadlen2"] = lambda mac, xid, srv: disc(mac, xid, opt(52, [1, 2]))                 # malformed
    k["overloadlen0"] = lambda mac, xid, srv: disc(mac, xid, opt(52, []))                     # malformed
    k["overloadtwice"] = lambda mac, xid, srv: disc(mac, xid, opt(52, [1]) + opt(52, [2]))    # malformed (RFC 3396 concat -> 2 bytes)
    # overload=1 and the file field holds an option running past the end of file
    k["overloadfilepastend"] = lambda mac, xid, srv: disc(
        mac, xid, opt(52, [1]), file=b"\x0c\x7fname")                                          # malformed
    k["overloadsnamepastend"] = lambda mac, xid, srv: disc(
        mac, xid, opt(52, [2]), sname=b"\x0c" + bytes([100]) + b"x")               # malformed
    # overload=3, and file/sname each say "overload 3" again (a loop if
    # followed); file carries an invalid overload value, sname a valid one.
    k["overloadloop"] = lambda mac, xid, srv: disc(
        mac, xid, opt(52, [3]), file=opt(52, [3]) + b"\xff", sname=opt(52, [3]) + b"\xff")
    k["overloadnestedbad"] = lambda mac, xid, srv: disc(
        mac, xid, opt(52, [1]), file=opt(52, [9]) + b"\xff")
    # overload=1 (file only); file says overload=2 (sname), and sname holds
    # an option running past its end: answered if the nested 52 is ignored,
    # dropped as malformed if it were followed.
    k["overloadnestedsname"] = lambda mac, xid, srv: disc(
        mac, xid, opt(52, [1]), file=opt(52, [2]) + b"\xff", sname=b"\x0c\x64x")
    # 4. a 255-byte option 61 (valid: must be answered)
    k["long61"] = lambda mac, xid, srv: packet(
        opt(53, [DISCOVER]) + opt(61, b"\x00" + (mac_bytes(mac) * 43)[:254]) + opt(55, [1, 3, 6]) + b"\xff",
        xid=xid, chaddr=mac_bytes(mac))
    # 5. hlen > 16 (malformed)
    k["hlen17"] = lambda mac, xid, srv: disc(mac, xid, hlen=17)
    k["hlen255"] = lambda mac, xid, srv: disc(mac, xid, hlen=255)
    # 6. relay spoofing on the direct interface (spoofed_relay)
    k["giaddrhops0"] = lambda mac, xid, srv: disc(mac, xid, giaddr="198.51.100.1", hops=0)
    k["giaddrself"] = lambda mac, xid, srv: disc(mac, xid, giaddr=srv, hops=1)
    # 6b. INFORM reflection: ciaddr (where the ACK is unicast) outside every
    # configured subnet (inform_foreign_ciaddr)
    k["informforeign"] = lambda mac, xid, srv: dhcp(INFORM, mac, xid, ciaddr="203.0.113.9")
    # 7. not a request
    k["op0"] = lambda mac, xid, srv: disc(mac, xid, op=0)                                     # malformed
    k["op3"] = lambda mac, xid, srv: disc(mac, xid, op=3)                                     # malformed
    k["op255"] = lambda mac, xid, srv: disc(mac, xid, op=255)                                 # malformed
    k["bootreply"] = lambda mac, xid, srv: dhcp(OFFER, mac, xid, opt(54, ip4(srv)), op=2,
                                                yiaddr="192.0.2.200")                         # not_a_request
    k["no53"] = lambda mac, xid, srv: packet(opt(61, b"\x01" + mac_bytes(mac)) + b"\xff",
                                             xid=xid, chaddr=mac_bytes(mac))                  # no_message_type
    k["bootp"] = lambda mac, xid, srv: header(xid=xid, chaddr=mac_bytes(mac)) + COOKIE + b"\xff"  # no_message_type
    k["type2"] = lambda mac, xid, srv: dhcp(OFFER, mac, xid)                                  # unsupported_message_type
    k["type0"] = lambda mac, xid, srv: dhcp(0, mac, xid)                                      # unsupported_message_type
    k["type200"] = lambda mac, xid, srv: dhcp(200, mac, xid)                                  # unsupported_message_type
    k["type2bytes"] = lambda mac, xid, srv: packet(opt(53, [1, 1]) + b"\xff", xid=xid,
                                                   chaddr=mac_bytes(mac))                     # no_message_type
    # well-formed
    k["discover"] = lambda mac, xid, srv: disc(mac, xid, opt(55, [1, 3, 6, 66, 43]))
    k["inform"] = lambda mac, xid, srv: dhcp(INFORM, mac, xid)
    return k


KINDS = _kinds()


# ------------------------------------------------------------------ sockets ---
class Link:
    def __init__(self, iface, server):
        self.iface, self.server = iface, server
        self.tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.tx.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tx.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
        self.tx.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, iface.encode())
        self.tx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.tx.bind(("0.0.0.0", 68))
        self.rx = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_IP))
        self.rx.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.rx.bind((iface, 0))
        self.rx.setblocking(False)
        self.seen = []   # every reply parsed so far, in arrival order

    def send(self, data, unicast=False):
        dst = self.server if unicast else "255.255.255.255"
        return self.tx.sendto(data, (dst, 67))

    def drain_tx(self):
        # replies to port 68 also queue on the sending socket: discard them
        while True:
            r, _, _ = select.select([self.tx], [], [], 0)
            if not r:
                return
            try:
                self.tx.recv(4096)
            except BlockingIOError:
                return

    def replies(self, timeout):
        """Yield parsed server replies (op 2, to port 68) until `timeout` s."""
        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return
            r, _, _ = select.select([self.rx], [], [], left)
            if not r:
                return
            while True:
                try:
                    frame, addr = self.rx.recvfrom(65535)
                except BlockingIOError:
                    break
                if addr[2] == socket.PACKET_OUTGOING:
                    continue
                rep = parse_reply(frame)
                if rep is not None:
                    self.seen.append(rep)
                    yield rep
            self.drain_tx()

    def wait_reply(self, xid, types, timeout):
        for rep in self.replies(timeout):
            if rep["xid"] == xid and rep["type"] in types:
                return rep
        return None


def parse_reply(frame):
    ip = frame[14:]
    if len(ip) < 20 or ip[9] != 17:
        return None
    ihl = (ip[0] & 0x0F) * 4
    udp = ip[ihl:]
    if len(udp) < 8:
        return None
    sport, dport = struct.unpack("!HH", udp[:4])
    if dport != 68 and dport != 67:
        return None
    d = udp[8:]
    opts = options(d)
    if opts is None or d[0] != 2:
        return None
    xid = struct.unpack("!I", d[4:8])[0]
    t = opts.get(53, b"\0")[0] if opts.get(53) else None
    return {"xid": xid, "type": t, "type_name": TYPE_NAMES.get(t, str(t)),
            "yiaddr": socket.inet_ntoa(d[16:20]), "ciaddr": socket.inet_ntoa(d[12:16]),
            "chaddr": ":".join("%02x" % b for b in d[28:34]),
            "dst": "%s:%d" % (socket.inet_ntoa(ip[16:20]), dport),
            "opt61_len": len(opts[61]) if 61 in opts else None,
            "message": opts.get(56, b"").decode("latin-1")}


def out(obj):
    print(json.dumps(obj), flush=True)


# ---------------------------------------------------------------- commands ---
def sync(link, timeout=5.0):
    """INFORM (no lease, no commit) and wait for its ACK: the server has then
    handled every datagram sent before it on this link."""
    xid = new_xid()
    link.send(dhcp(INFORM, "02:00:00:5e:00:01", xid))
    return link.wait_reply(xid, {ACK}, timeout) is not None


def cmd_send(link, a):
    make = KINDS[a.kind]
    rng = random.Random(a.seed)
    xids, sizes, hexes = [], set(), []
    for i in range(a.count):
        mac = a.mac or random_mac(rng)
        xid = new_xid()
        data = make(mac, xid, link.server)
        link.send(data, unicast=a.unicast)
        xids.append(xid)
        sizes.add(len(data))
        if a.hex and i == 0:
            hexes.append(data.hex())
    synced = True
    if a.sync:
        synced = sync(link)
    for _ in link.replies(a.wait):
        pass
    replies = [rep for rep in link.seen if rep["xid"] in xids]
    res = {"kind": a.kind, "sent": a.count, "bytes": sorted(sizes), "synced": synced, "replies": replies}
    if hexes:
        res["hex"] = hexes[0]
    out(res)
    return 0 if synced else 3


def discover(link, mac, timeout):
    xid = new_xid()
    link.send(KINDS["discover"](mac, xid, link.server))
    return link.wait_reply(xid, {OFFER}, timeout)


def request_selecting(link, mac, ip, timeout):
    xid = new_xid()
    link.send(dhcp(REQUEST, mac, xid, opt(50, ip4(ip)) + opt(54, ip4(link.server))))
    return link.wait_reply(xid, {ACK, NAK}, timeout)


def cmd_cycle(link, a):
    res = {"mac": a.mac, "offer": None, "ack": None, "nak": False, "declined": False}
    o = discover(link, a.mac, a.timeout)
    if o is None:
        out(res)
        return 0
    res["offer"] = o["yiaddr"]
    r = request_selecting(link, a.mac, o["yiaddr"], a.timeout)
    if r is not None and r["type"] == ACK:
        res["ack"] = r["yiaddr"]
    elif r is not None:
        res["nak"] = True
        res["message"] = r["message"]
    if a.decline and res["ack"]:
        link.send(dhcp(DECLINE, a.mac, new_xid(), opt(50, ip4(res["ack"])) + opt(54, ip4(link.server))))
        res["declined"] = True
    out(res)
    return 0


def cmd_renew(link, a):
    xid = new_xid()
    link.send(dhcp(REQUEST, a.mac, xid, ciaddr=a.ip), unicast=True)
    r = link.wait_reply(xid, {ACK, NAK}, a.timeout)
    out({"mac": a.mac, "ip": a.ip, "reply": r and r["type_name"], "yiaddr": r and r["yiaddr"],
         "dst": r and r["dst"]})
    return 0


def cmd_release(link, a):
    link.send(dhcp(RELEASE, a.mac, new_xid(), opt(54, ip4(link.server)), ciaddr=a.ip), unicast=True)
    ok = sync(link)
    out({"mac": a.mac, "ip": a.ip, "synced": ok})
    return 0 if ok else 3


def cmd_flood(link, a):
    rng = random.Random(a.seed)
    macs = set()
    while len(macs) < a.count:
        macs.add(random_mac(rng))
    macs = sorted(macs)
    rng.shuffle(macs)
    xids = {}
    offered = {}
    start = time.monotonic()
    deadline = start + a.max_seconds
    sent = 0

    def collect(timeout):
        for rep in link.replies(timeout):
            if rep["type"] == OFFER and rep["xid"] in xids:
                offered[rep["xid"]] = rep["yiaddr"]

    batch = 20
    for i in range(0, len(macs), batch):
        if time.monotonic() > deadline:
            break
        for mac in macs[i:i + batch]:
            xid = new_xid()
            xids[xid] = mac
            link.send(KINDS["discover"](mac, xid, link.server))
            sent += 1
        # pace: where we should be after `sent` packets
        due = start + sent / float(a.rate)
        collect(max(0.0, due - time.monotonic()))
    synced = sync(link, 10.0)
    collect(0.5)
    out({"sent": sent, "offers": len(offered), "offered_ips": sorted(set(offered.values())),
         "offers_detail": [{"mac": xids[x], "ip": ip} for x, ip in offered.items()],
         "seconds": round(time.monotonic() - start, 2), "synced": synced})
    return 0 if synced else 3


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("iface")
    p.add_argument("server")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("send")
    s.add_argument("kind", choices=sorted(KINDS))
    s.add_argument("--count", type=int, default=1)
    s.add_argument("--mac")
    s.add_argument("--seed", type=int, default=None)
    s.add_argument("--unicast", action="store_true")
    s.add_argument("--sync", action="store_true")
    s.add_argument("--wait", type=float, default=0.3, help="seconds to collect replies after sending")
    s.add_argument("--hex", action="store_true")
    sub.add_parser("sync")
    for name in ("cycle", "dora"):
        c = sub.add_parser(name)
        c.add_argument("--mac", required=True)
        c.add_argument("--decline", action="store_true")
        c.add_argument("--timeout", type=float, default=2.0)
    for name in ("renew", "release"):
        c = sub.add_parser(name)
        c.add_argument("--mac", required=True)
        c.add_argument("--ip", required=True)
        c.add_argument("--timeout", type=float, default=3.0)
    f = sub.add_parser("flood")
    f.add_argument("--count", type=int, default=5000)
    f.add_argument("--rate", type=float, default=2500)
    f.add_argument("--seed", type=int, default=1)
    f.add_argument("--max-seconds", type=float, default=20)
    a = p.parse_args()
    if getattr(a, "count", 1) > 20000:
        raise SystemExit("refusing more than 20000 packets")
    link = Link(a.iface, a.server)
    if a.cmd == "send":
        return cmd_send(link, a)
    if a.cmd == "sync":
        ok = sync(link)
        out({"synced": ok})
        return 0 if ok else 3
    if a.cmd in ("cycle", "dora"):
        if a.cmd == "dora":
            a.decline = False
        return cmd_cycle(link, a)
    if a.cmd == "renew":
        return cmd_renew(link, a)
    if a.cmd == "release":
        return cmd_release(link, a)
    if a.cmd == "flood":
        return cmd_flood(link, a)
    return 2


if __name__ == "__main__":
    sys.exit(main())
