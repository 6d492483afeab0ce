#!/usr/bin/env python3
"""Helpers for t-crash.sh (standard library only).

  crashcheck.py acks PCAP SERVER_IP OUT
      Read a classic pcap (Ethernet, as written by `tcpdump -w`), keep every
      DHCPACK (option 53 = 5) sent by SERVER_IP from port 67 and write one
      line per ACK to OUT: "<epoch seconds> <yiaddr> <chaddr>". Ethernet,
      IPv4, UDP and BOOTP are parsed by hand. Prints one line of counts:
      "frames=N discover=N offer=N request=N ack=N nak=N clients=N".

  crashcheck.py check ACKS LEASES_JSON RUNS [LABEL]
      ACKS: the file written by `acks`. LEASES_JSON: `autoprov leases --json`.
      RUNS: one line per server run, "<run> <ready epoch> <end epoch>"
      (end = the moment it was killed or stopped). Checks that
        - every ACKed (ip, mac) is in the table as bound with that MAC (missing)
        - no IP is bound to two MACs in the table (ip_conflicts)
        - no MAC holds two bound IPs in the table (mac_conflicts)
        - no IP was ACKed to two different MACs (ack_conflicts)
      Prints details of every problem (first 20 of each kind), the ACKs per
      server run, then the summary line
      "acks_seen=N pairs=N leases_bound=N missing=N wrong_mac=N
       ip_conflicts=N mac_conflicts=N ack_conflicts=N" (wrong_mac: how many
      of the missing pairs have their IP bound to another MAC). Exits 1 if
      any count of a problem is not zero.
"""
import json
import socket
import struct
import sys
from collections import defaultdict

from bootp import options


def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        raise SystemExit("pcap %s: truncated global header (%d bytes)" % (path, len(data)))
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        raise SystemExit("pcap %s: not a classic pcap file (magic %s)" % (path, magic.hex()))
    nano = magic in (b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    if linktype != 1:
        raise SystemExit("pcap %s: link type %d, expected 1 (Ethernet)" % (path, linktype))
    off = 24
    div = 1e9 if nano else 1e6
    while off + 16 <= len(data):
        sec, frac, incl, _orig = struct.unpack(endian + "IIII", data[off:off + 16])
        off += 16
        frame = data[off:off + incl]
        off += incl
        if len(frame) < incl:
            break  # last record cut short (capture stopped mid-write)
        yield sec + frac / div, frame


def dhcp_of(frame):
    """(src ip, sport, bootp payload) of an Ethernet/IPv4/UDP frame, or None."""
    if len(frame) < 14 + 20 + 8 or struct.unpack("!H", frame[12:14])[0] != 0x0800:
        return None
    iph = frame[14:]
    if iph[0] >> 4 != 4 or iph[9] != 17:
        return None
    ihl = (iph[0] & 0x0F) * 4
    frag = struct.unpack("!H", iph[6:8])[0]
    if frag & 0x1FFF:
        return None
    udp = iph[ihl:]
    if len(udp) < 8:
        return None
    sport, dport = struct.unpack("!HH", udp[:4])
    if not ({sport, dport} & {67, 68}):
        return None
    return socket.inet_ntoa(iph[12:16]), sport, udp[8:]


def msg_type(d):
    opts = options(d)
    if not opts or len(opts.get(53, b"")) < 1:
        return None
    return opts[53][0]


def cmd_acks(pcap, server_ip, out):
    counts = defaultdict(int)
    clients = set()
    frames = 0
    with open(out, "w") as o:
        for ts, frame in read_pcap(pcap):
            frames += 1
            p = dhcp_of(frame)
            if p is None:
                continue
            src, sport, d = p
            t = msg_type(d)
            if t is None or len(d) < 34:
                continue
            hlen = min(d[2], 16)
            mac = ":".join("%02x" % b for b in d[28:28 + hlen])
            counts[t] += 1
            if d[0] == 1:
                clients.add(mac)
            if d[0] == 2 and t == 5 and src == server_ip and sport == 67:
                o.write("%.6f %s %s\n" % (ts, socket.inet_ntoa(d[16:20]), mac))
    print("frames=%d discover=%d offer=%d request=%d ack=%d nak=%d clients=%d" % (
        frames, counts[1], counts[2], counts[3], counts[5], counts[6], len(clients)))


def cmd_check(acks_path, leases_path, runs_path, label="check"):
    runs = []
    with open(runs_path) as f:
        for line in f:
            if line.strip():
                r, start, end = line.split()
                runs.append((int(r), float(start), float(end)))

    def run_index(ts):
        # runs are consecutive; an ACK belongs to the first run that had not
        # yet ended when it was captured (50 ms slack for clock granularity)
        for r, start, end in runs:
            if ts <= end + 0.05:
                return r, start, end
        return None

    def run_of(ts):
        x = run_index(ts)
        if x is None:
            return "after the last server run (?)"
        r, start, end = x
        return "server run %d: %.3fs after it was ready, %.3fs before it was killed/stopped" % (
            r, ts - start, end - ts)

    acks = []
    with open(acks_path) as f:
        for line in f:
            if line.strip():
                ts, ip, mac = line.split()
                acks.append((float(ts), ip, mac.lower()))
    with open(leases_path) as f:
        leases = json.load(f)

    first_ack = {}
    ip_macs = defaultdict(set)
    mac_ips = defaultdict(set)
    for ts, ip, mac in acks:
        first_ack.setdefault((ip, mac), ts)
        ip_macs[ip].add(mac)
        mac_ips[mac].add(ip)

    table = defaultdict(list)      # ip -> [(mac, state)]
    bound_ip = defaultdict(set)    # ip -> macs (bound)
    bound_mac = defaultdict(set)   # mac -> ips (bound)
    for row in leases:
        ip, mac, state = row["ip"], row["mac"].lower(), row["state"]
        table[ip].append((mac, state))
        if state == "bound":
            bound_ip[ip].add(mac)
            bound_mac[mac].add(ip)
    n_bound = sum(len(v) for v in bound_ip.values())

    def p(msg):
        print("%s: %s" % (label, msg))

    missing = []
    for (ip, mac), ts in sorted(first_ack.items(), key=lambda kv: kv[1]):
        if mac not in bound_ip.get(ip, ()):
            missing.append((ts, ip, mac))
    for ts, ip, mac in missing[:20]:
        p("MISSING ACKed %s -> %s (first ACK at %.6f, %s); table has %s; MAC's bound IPs in table: %s" % (
            ip, mac, ts, run_of(ts), table.get(ip) or "no row",
            sorted(bound_mac.get(mac, ())) or "none"))
    ip_conf = sorted(ip for ip, macs in bound_ip.items() if len(macs) > 1 or len(table[ip]) > 1)
    for ip in ip_conf[:20]:
        p("IP CONFLICT in table: %s rows %s" % (ip, table[ip]))
    mac_conf = sorted(mac for mac, ips in bound_mac.items() if len(ips) > 1)
    for mac in mac_conf[:20]:
        p("MAC CONFLICT in table: %s bound to %s" % (mac, sorted(bound_mac[mac])))
    ack_conf = sorted(ip for ip, macs in ip_macs.items() if len(macs) > 1)
    for ip in ack_conf[:20]:
        ws = sorted((first_ack[(ip, m)], m) for m in ip_macs[ip])
        p("ACK CONFLICT: %s ACKed to %s" % (ip, "; ".join(
            "%s first at %.6f (%s)" % (m, t, run_of(t)) for t, m in ws)))
    multi = sorted(mac for mac, ips in mac_ips.items() if len(ips) > 1)
    if multi:
        p("note: %d MAC(s) were ACKed more than one address, e.g. %s -> %s" % (
            len(multi), multi[0], sorted(mac_ips[multi[0]])))

    per_run = defaultdict(int)
    for ts, _ip, _mac in acks:
        x = run_index(ts)
        per_run[x[0] if x else -1] += 1
    if runs:
        p("ACKs per server run: " + " ".join("%d:%d" % (r, per_run[r]) for r, _s, _e in runs))
        p("runs_with_acks=%d" % sum(1 for r, _s, _e in runs if per_run[r] > 0))

    wrong_mac = sum(1 for _ts, ip, _mac in missing if bound_ip.get(ip))
    print("acks_seen=%d pairs=%d leases_bound=%d missing=%d wrong_mac=%d ip_conflicts=%d mac_conflicts=%d "
          "ack_conflicts=%d" % (len(acks), len(first_ack), n_bound, len(missing), wrong_mac, len(ip_conf),
                                len(mac_conf), len(ack_conf)))
    return 1 if (missing or ip_conf or mac_conf or ack_conf) else 0


def main(argv):
    if len(argv) >= 5 and argv[1] == "acks":
        cmd_acks(argv[2], argv[3], argv[4])
        return 0
    if len(argv) >= 5 and argv[1] == "check":
        return cmd_check(*argv[2:6])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
