#!/usr/bin/env python3
"""Writes the DHCPv4 fuzz seed corpus into Fuzz/corpus/dhcpv4/.

The valid seeds are byte for byte the fixtures of
Tests/DHCPv4Tests/Fixtures.swift (FixtureCorpusTests checks this); the
others are the malformed cases of DecodeErrorTests, so the fuzzer starts
next to every error path.
"""
import os
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "dhcpv4")
COOKIE = bytes([0x63, 0x82, 0x53, 0x63])          # magic cookie 99.130.83.99


def zeros(n):
    return bytes(n)


def padded(b):
    return b + zeros(max(0, 300 - len(b)))         # BOOTP minimum: 300 bytes


def header(op=1, hlen=6, xid=b"\xde\xad\xbe\xef", sname=b"", file=b""):
    p = bytes([op, 1, hlen, 0])                    # op, htype Ethernet, hlen, hops 0
    p += xid                                       # xid
    p += zeros(2) + zeros(2)                       # secs 0, flags 0
    p += zeros(16)                                 # ciaddr, yiaddr, siaddr, giaddr
    p += bytes([0x0c, 0x38, 0x3e, 0x07, 0xe1, 0x6c]) + zeros(10)  # chaddr
    p += sname + zeros(64 - len(sname))            # sname
    p += file + zeros(128 - len(file))             # file
    return p + COOKIE


def discover():
    p = bytes([1, 1, 6, 0])                        # BOOTREQUEST, Ethernet, hlen 6, hops 0
    p += bytes([0x39, 0x03, 0xf3, 0x26])           # xid 0x3903f326
    p += zeros(4)                                  # secs 0, flags 0
    p += zeros(16)                                 # ciaddr, yiaddr, siaddr, giaddr
    p += bytes([0x0c, 0x38, 0x3e, 0x07, 0xe1, 0x6c]) + zeros(10)  # chaddr
    p += zeros(64) + zeros(128) + COOKIE           # sname, file, cookie
    p += bytes([53, 1, 1])                         # 53 DISCOVER
    p += bytes([61, 7, 1, 0x0c, 0x38, 0x3e, 0x07, 0xe1, 0x6c])  # 61 client id
    p += bytes([57, 2, 0x02, 0x40])                # 57 max message size 576
    p += bytes([55, 8, 1, 28, 3, 2, 4, 43, 6, 66]) # 55 parameter request list
    p += bytes([60, 10]) + b"Fanvil X6U"           # 60 vendor class
    p += bytes([12, 3]) + b"X6U"                   # 12 host name
    return padded(p + b"\xff")


def relayed_request():
    p = bytes([1, 1, 6, 1])                        # BOOTREQUEST, Ethernet, hlen 6, hops 1
    p += bytes([0x5a, 0x0e, 0x7c, 0x11])           # xid 0x5a0e7c11
    p += bytes([0x00, 0x04, 0x80, 0x00])           # secs 4, flags broadcast
    p += zeros(12) + bytes([10, 20, 30, 1])        # ciaddr, yiaddr, siaddr 0; giaddr 10.20.30.1
    p += bytes([0x0c, 0x38, 0x3e, 0x11, 0x22, 0x33]) + zeros(10)  # chaddr
    p += zeros(64) + zeros(128) + COOKIE           # sname, file, cookie
    p += bytes([50, 4, 10, 20, 30, 100])           # 50 requested IP
    p += bytes([53, 1, 3])                         # 53 REQUEST
    p += bytes([54, 4, 10, 0, 0, 1])               # 54 server identifier
    p += bytes([55, 4, 1, 3, 6, 66])               # 55 parameter request list
    p += bytes([61, 7, 1, 0x0c, 0x38, 0x3e, 0x11, 0x22, 0x33])  # 61 client id
    p += bytes([82, 14, 1, 4, 0x00, 0x14, 0x00, 0x03,           # 82: circuit-id
                2, 6, 0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e])      #     remote-id
    return padded(p + b"\xff")


def overloaded():
    p = bytes([2, 1, 6, 0])                        # BOOTREPLY, Ethernet, hlen 6, hops 0
    p += bytes([0x0b, 0x0e, 0x0f, 0x10])           # xid 0x0b0e0f10
    p += zeros(4)                                  # secs 0, flags 0
    p += zeros(4) + bytes([192, 0, 2, 50]) + bytes([192, 0, 2, 1]) + zeros(4)  # ci/yi/si/giaddr
    p += bytes([0x0c, 0x38, 0x3e, 0x07, 0xe1, 0x6c]) + zeros(10)  # chaddr
    sname = bytes([3, 4, 192, 0, 2, 1, 15, 3]) + b"lan" + b"\xff"
    file = bytes([1, 4, 255, 255, 255, 0, 15, 8]) + b"example." + bytes([51, 4, 0, 0, 0x0e, 0x10, 255])
    p += sname + zeros(64 - len(sname))            # sname holds options
    p += file + zeros(128 - len(file))             # file holds options
    p += COOKIE
    p += bytes([52, 1, 3, 53, 1, 5, 54, 4, 192, 0, 2, 1, 255])  # 52 overload 3, 53 ACK, 54, End
    return padded(p)


def split_option():
    p = header(op=2, xid=bytes([0, 0, 0x33, 0x96]))
    p += bytes([53, 1, 5])                         # 53 ACK
    p += bytes([43, 255]) + b"A" * 255             # 43 part 1
    p += bytes([54, 4, 192, 0, 2, 1])              # 54 server identifier
    p += bytes([43, 45]) + b"B" * 45               # 43 part 2
    return p + b"\xff"


def unknown_options():
    p = header(xid=bytes([0, 0, 0x0e, 0x0e]))
    p += bytes([53, 1, 3, 224, 3, 1, 2, 3, 250, 0, 255])  # 53 REQUEST, 224, 250 empty, End
    return padded(p)


SEEDS = {
    "discover-fanvil": discover(),
    "request-relayed": relayed_request(),
    "ack-overloaded": overloaded(),
    "ack-split-option": split_option(),
    "request-unknown-options": unknown_options(),
    "client-id-255": header() + bytes([61, 255]) + bytes(range(255)) + b"\xff",
    "overload-again-in-file": header(sname=b"tftp.example", file=bytes([52, 1, 3, 12, 3]) + b"abc\xff")
                              + bytes([52, 1, 1, 255]),
    "overload-sname": header(sname=bytes([66, 1]) + b"x") + bytes([52, 1, 2, 255]),
    "no-options-no-end": header(),
    "pad-and-trailing": header() + bytes([0, 0, 53, 1, 1, 0, 255, 12, 200, 255]),
    "bad-cookie": discover()[:236] + bytes([0x63, 0x82, 0x53, 0x64, 255]),
    "hlen-17": header(hlen=17) + b"\xff",
    "option-past-end": header() + bytes([53, 5, 1]),
    "overload-4": header() + bytes([52, 1, 4, 255]),
    "overload-2-bytes": header() + bytes([52, 2, 1, 2, 255]),
    "op-3": header(op=3) + b"\xff",
    "truncated-header": discover()[:100],
}


def main():
    os.makedirs(OUT, exist_ok=True)
    for name, data in SEEDS.items():
        with open(os.path.join(OUT, name + ".bin"), "wb") as f:
            f.write(data)
    print(f"wrote {len(SEEDS)} seeds to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
