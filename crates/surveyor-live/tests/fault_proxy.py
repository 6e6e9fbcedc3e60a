"""A loopback fault-injecting proxy for surveyor-live's tests: forwards every request to an
upstream AWS endpoint on 127.0.0.1 (moto) and answers chosen operations with throttling,
server errors or AccessDenied instead, shaped as each AWS protocol shapes its errors.

usage: fault_proxy.py UPSTREAM_URL RULE... [--max-seconds N]
  RULE = service:Operation=kind[:count]   (Operation may be *; count: how many times, default all)
  kind = throttle | 500 | denied
  service is the SigV4 signing name (ec2, sqs, s3, wafv2, monitoring, ...).

Prints the port it listens on, then serves until killed or --max-seconds pass.
GET /__faults answers with the faults injected so far (JSON)."""

import http.client
import json
import os
import re
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

args = [a for a in sys.argv[1:]]
max_seconds = 300
if "--max-seconds" in args:
    i = args.index("--max-seconds")
    max_seconds = int(args[i + 1])
    del args[i : i + 2]
upstream = urllib.parse.urlparse(args[0])
if upstream.hostname not in ("127.0.0.1", "localhost"):
    sys.exit("fault_proxy: the upstream must be on loopback")

RULES = []
for spec in args[1:]:
    target, _, action = spec.partition("=")
    service, _, op = target.partition(":")
    kind, _, count = action.partition(":")
    RULES.append({"service": service, "op": op or "*", "kind": kind, "left": int(count) if count else -1})
LOCK = threading.Lock()
INJECTED = []

SCOPE = re.compile(r"Credential=[^/]+/\d+/[^/]+/([^/]+)/aws4_request")
CODES = {
    "throttle": (400, "ThrottlingException", "Rate exceeded"),
    "500": (500, "InternalFailure", "injected internal error"),
    "denied": (403, "AccessDeniedException", "User is not authorized to perform this operation (injected)"),
}
QUERY_CODES = {"throttle": "Throttling", "500": "InternalFailure", "denied": "AccessDenied"}
S3_OPS = {"encryption": "GetBucketEncryption", "notification": "GetBucketNotificationConfiguration",
          "versioning": "GetBucketVersioning", "lifecycle": "GetBucketLifecycleConfiguration",
          "publicAccessBlock": "GetPublicAccessBlock", "location": "GetBucketLocation"}


def operation(handler, body):
    target = handler.headers.get("X-Amz-Target", "")
    if target:
        return target.rsplit(".", 1)[-1], "json"
    m = re.search(r"/operation/([A-Za-z]+)", handler.path)
    if m:
        return m.group(1), "cbor"
    if body and b"Action=" in body:
        form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        return form.get("Action", [""])[0], "query"
    query = urllib.parse.urlparse(handler.path).query
    for key, op in S3_OPS.items():
        if re.search(rf"(^|&){key}(=|&|$)", query):
            return op, "rest-xml"
    return handler.command + " " + urllib.parse.urlparse(handler.path).path, "rest"


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path == "/__faults":
            return self.reply(200, {"Content-Type": "application/json"}, json.dumps(INJECTED).encode())
        m = SCOPE.search(self.headers.get("Authorization", ""))
        service = m.group(1) if m else ""
        op, protocol = operation(self, body)
        kind = None
        with LOCK:
            for r in RULES:
                if r["service"] == service and r["op"] in ("*", op) and r["left"] != 0:
                    r["left"] -= 1
                    kind = r["kind"]
                    INJECTED.append({"service": service, "operation": op, "kind": kind})
                    break
        if kind:
            return self.fault(kind, protocol, service)
        self.forward(body)

    def fault(self, kind, protocol, service):
        status, code, message = CODES[kind]
        if protocol in ("json", "rest", "cbor"):
            headers = {"Content-Type": "application/x-amz-json-1.1", "x-amzn-ErrorType": code}
            return self.reply(status, headers, json.dumps({"__type": code, "message": message}).encode())
        qcode = QUERY_CODES[kind]
        if protocol == "rest-xml":
            if kind == "denied":
                qcode = "AccessDenied"
            xml = f"<Error><Code>{qcode}</Code><Message>{message}</Message></Error>"
        elif service == "ec2":
            xml = f"<Response><Errors><Error><Code>{qcode if kind != 'denied' else 'UnauthorizedOperation'}</Code><Message>{message}</Message></Error></Errors><RequestID>x</RequestID></Response>"
        else:
            xml = f"<ErrorResponse><Error><Type>Sender</Type><Code>{qcode}</Code><Message>{message}</Message></Error><RequestId>x</RequestId></ErrorResponse>"
        return self.reply(status, {"Content-Type": "text/xml"}, xml.encode())

    def forward(self, body):
        conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=30)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "transfer-encoding")}
        conn.request(self.command, self.path, body=body or None, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        out = {k: v for k, v in resp.getheaders() if k.lower() not in ("connection", "transfer-encoding", "content-length")}
        conn.close()
        self.reply(resp.status, out, data)

    def reply(self, status, headers, data):
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = handle_any


server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
print(server.server_address[1], flush=True)
threading.Timer(max_seconds, lambda: os._exit(0)).start()
server.serve_forever()
