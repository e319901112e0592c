# A man in the middle for the tiles test: forwards every GET to the exchange, and flips the first byte
# of the one response whose path is the victim's (argv: upstream URL, port to listen on, victim path).
import http.server
import sys
import urllib.error
import urllib.request

upstream, port, victim = sys.argv[1], int(sys.argv[2]), sys.argv[3]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        try:
            with urllib.request.urlopen(upstream + self.path) as r:
                status, ctype, body = r.status, r.headers.get("content-type"), r.read()
        except urllib.error.HTTPError as e:
            status, ctype, body = e.code, e.headers.get("content-type"), e.read()
        if self.path == victim and body:
            body = bytes([body[0] ^ 1]) + body[1:]
        self.send_response(status)
        self.send_header("content-type", ctype or "application/octet-stream")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
