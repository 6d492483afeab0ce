#!/usr/bin/env python3
"""A stand-in for one phone's xmlService (POST /xmlService) on one address,
for t-phone-trust.sh: it answers `get` of info.dev.Mac with the MAC it is
given (an impostor answers the inventory MAC it leased with), `set` with
RetCode 0 (after which every line's registerCode is 200), and records what
reached it, one JSON object per request, in --log:

  {"auth": "none"|"basic"|"digest"|"other", "cmd": "get"|"set"|...,
   "keys": [item keys], "secret": true when an item or header carried
   --secret}

Values are never written (only keys), so the log holds no password.
--auth basic makes it demand HTTP Basic (user/password --user/--password),
as phones with "Enable Push XML Auth" may; --tls-cert/--tls-key serve
HTTPS with that certificate. Stdlib only; stops on SIGTERM.
"""
import argparse
import base64
import http.server
import json
import re
import signal
import ssl
import sys


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--bind", required=True)
    p.add_argument("--port", type=int, default=80)
    p.add_argument("--mac", required=True, help="12 hex digits answered as info.dev.Mac")
    p.add_argument("--log", required=True)
    p.add_argument("--auth", choices=["none", "basic"], default="none")
    p.add_argument("--user", default="admin")
    p.add_argument("--password", default="")
    p.add_argument("--secret", action="append", default=[], help="text whose arrival is flagged")
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    a = p.parse_args()
    pushed = {"done": False}

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace")
            header = self.headers.get("Authorization") or ""
            scheme = header.split(" ", 1)[0].lower() if header else "none"
            cmd = (re.search(r'cmd="(\w+)"', body) or [None, "?"])[1]
            items = [i.strip() for i in re.findall(r"<Item>(.*?)</Item>", body, re.S)]
            keys = [i.split("=", 1)[0].strip() for i in items]
            secret = any(s and (s in body or s in header) for s in a.secret)
            if scheme == "basic":
                try:
                    secret = secret or any(s and s in base64.b64decode(header[6:]).decode() for s in a.secret)
                except ValueError:
                    pass
            with open(a.log, "a") as f:
                f.write(json.dumps({"auth": scheme if scheme in ("none", "basic", "digest") else "other",
                                    "cmd": cmd, "keys": keys, "secret": secret}) + "\n")
            if a.auth == "basic":
                want = "Basic " + base64.b64encode(f"{a.user}:{a.password}".encode()).decode()
                if header != want:
                    return self.answer(401, "401 Unauthorized\n", [("WWW-Authenticate", 'Basic realm="phone"')])
            if cmd == "set":
                pushed["done"] = True
                return self.answer(200, '<?xml version="1.0"?><FanvilConfiguration><RetCode>0</RetCode></FanvilConfiguration>')
            values = []
            for k in keys:
                if k == "info.dev.Mac":
                    values.append(f"<Item>{k} = {a.mac}</Item>")
                elif k.endswith(".registerCode"):
                    values.append(f"<Item>{k} = {200 if pushed['done'] else 0}</Item>")
                else:
                    values.append(f"<Item>{k} = </Item>")
            self.answer(200, '<?xml version="1.0"?><FanvilConfiguration><RetCode>0</RetCode><info>'
                        + "".join(values) + "</info></FanvilConfiguration>")

        def answer(self, status, text, headers=()):
            data = text.encode()
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = http.server.ThreadingHTTPServer((a.bind, a.port), Handler)
    if a.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(a.tls_cert, a.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"fakephone listening on {a.bind}:{a.port}", file=sys.stderr, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
