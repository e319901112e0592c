# A man in the middle for the process tests: forwards every GET to an upstream server on 127.0.0.1 and
# lets the test rewrite each answer's body (serve(upstream, port, rewrite), rewrite(path, body) -> body).
import http.server
import urllib.error
import urllib.request


def serve(upstream, port, rewrite):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            try:
                with urllib.request.urlopen(upstream + self.path) as r:
                    status, ctype, body = r.status, r.headers.get("content-type"), r.read()
            except urllib.error.HTTPError as e:
                status, ctype, body = e.code, e.headers.get("content-type"), e.read()
            body = rewrite(self.path, body)
            self.send_response(status)
            self.send_header("content-type", ctype or "application/octet-stream")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    http.server.HTTPServer(("127.0.0.1", port), Handler).serve_forever()
