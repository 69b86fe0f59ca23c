#!/usr/bin/python3
"""Test-only HTTPS server for the MTA-STS fetch test.

Makes, with the openssl command, a CA (ca.pem), a second unrelated CA
(other_ca.pem) and a server certificate signed by the first CA for
mta-sts.<name>.test of every name in BEHAVIOURS, then serves HTTPS on
127.0.0.1 (never anything else) and prints "READY <port>". What it answers
depends on the Host header. Exits when its stdin closes.
"""
import argparse
import http.server
import os
import ssl
import subprocess
import sys
import threading
import time

POLICY = (b"version: STSv1\r\nmode: enforce\r\nmx: mail.good.test\r\n"
          b"mx: *.mx.good.test\r\nmax_age: 604800\r\n")
PATH = "/.well-known/mta-sts.txt"
BEHAVIOURS = ["good", "params", "redirect", "html", "nocontenttype", "big",
              "bigchunked", "notfound", "slow"]


def openssl(*args, cwd):
    subprocess.run(["/usr/bin/openssl", *args], cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def make_certificates(directory):
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    for ca in ("ca", "other_ca"):
        openssl("req", "-x509", *ec, "-keyout", ca + ".key", "-out", ca + ".pem",
                "-days", "2", "-subj", "/CN=mailrep test " + ca, cwd=directory)
    names = ",".join("DNS:mta-sts.%s.test" % b for b in BEHAVIOURS)
    with open(os.path.join(directory, "ext.cnf"), "w") as f:
        f.write("subjectAltName=%s\nbasicConstraints=CA:FALSE\n"
                "extendedKeyUsage=serverAuth\n" % names)
    openssl("req", *ec, "-keyout", "server.key", "-out", "server.csr",
            "-subj", "/CN=mta-sts.good.test", cwd=directory)
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "server.pem", "-days", "2",
            "-extfile", "ext.cnf", cwd=directory)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass

    def reply(self, code, body, content_type="text/plain", length=True, extra=()):
        self.send_response(code)
        if content_type is not None:
            self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        for name, value in extra:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        host = self.headers.get("Host", "").split(":")[0]
        name = host[len("mta-sts."):-len(".test")] if host.startswith("mta-sts.") else ""
        if self.path != PATH:
            self.reply(404, b"not found\n")
        elif name == "good":
            self.reply(200, POLICY)
        elif name == "params":
            self.reply(200, POLICY, "Text/Plain; charset=utf-8")
        elif name == "redirect":
            self.reply(301, POLICY, extra=[("Location", "https://mta-sts.good.test" + PATH)])
        elif name == "html":
            self.reply(200, POLICY, "text/html")
        elif name == "nocontenttype":
            self.reply(200, POLICY, content_type=None)
        elif name == "big":
            self.reply(200, POLICY + b"x: " + b"y" * 100000 + b"\n")
        elif name == "bigchunked":
            self.reply(200, POLICY + b"x: " + b"y" * 100000 + b"\n", length=False)
        elif name == "slow":
            time.sleep(10)
            self.reply(200, POLICY)
        else:
            self.reply(404, b"unknown host\n")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # clients that hang up early are part of the test


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    args = parser.parse_args()
    make_certificates(args.dir)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(os.path.join(args.dir, "server.pem"),
                            os.path.join(args.dir, "server.key"))
    server = Server(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print("READY %d" % server.server_address[1], flush=True)
    sys.stdin.read()  # until the test closes our stdin
    os._exit(0)


if __name__ == "__main__":
    main()
