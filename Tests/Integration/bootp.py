"""The options of a BOOTP/DHCP message, shared by the test tools
(dhcpsniff.py, dhcpcraft.py, crashcheck.py). Stdlib only."""

COOKIE = b"\x63\x82\x53\x63"


def options(d):
    """Options of the DHCP message `d` (bytes from op to the end) as
    {code: bytes}, repeated codes concatenated (RFC 3396); None when `d` is
    too short or has no magic cookie. Stops at End or at a truncated option."""
    if len(d) < 240 or d[236:240] != COOKIE:
        return None
    opts, i = {}, 240
    while i < len(d):
        c = d[i]
        if c == 255:
            break
        if c == 0:
            i += 1
            continue
        if i + 1 >= len(d):
            break
        ln = d[i + 1]
        opts[c] = opts.get(c, b"") + d[i + 2:i + 2 + ln]
        i += 2 + ln
    return opts
