"""Serve a built Saleor Dashboard under /dashboard/ with its API address set at serve time (stdlib only).

    python scripts/serve-dashboard.py --root <build folder with index.html> --port 9000 \
        --api-url http://localhost:8000/graphql/

As Saleor's own Docker image does: ``window.__SALEOR_CONFIG__.API_URL`` in index.html is rewritten when the page
is served; any path under /dashboard/ that is not a file gets index.html (the Dashboard routes in the browser).
"""

import argparse
import http.server
import json
import mimetypes
import pathlib
import re
import socketserver

MOUNT = "/dashboard/"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--api-url", required=True)
    args = parser.parse_args()
    root = pathlib.Path(args.root).resolve()
    index, count = re.subn(
        r'API_URL:\s*"[^"]*"', f"API_URL: {json.dumps(args.api_url)}", (root / "index.html").read_text(), count=1
    )
    if not count:
        raise SystemExit(f"no API_URL in {root / 'index.html'}")
    index_bytes = index.encode()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *_):
            pass

        def _send(self, status, body, content_type, cache="no-cache"):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", cache)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_GET(self):
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            if path in ("/", "/dashboard"):
                self.send_response(302)
                self.send_header("Location", MOUNT)
                self.end_headers()
                return
            if not path.startswith(MOUNT):
                return self._send(404, b"not found", "text/plain")
            relative = path[len(MOUNT) :]
            target = (root / relative).resolve()
            if relative and target.is_file() and target.is_relative_to(root) and target.name != "index.html":
                content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
                return self._send(200, target.read_bytes(), content_type, "public, max-age=31536000, immutable")
            if "." in relative.rsplit("/", 1)[-1]:
                return self._send(404, b"not found", "text/plain")  # a missing asset is not the page
            return self._send(200, index_bytes, "text/html; charset=utf-8")

        do_HEAD = do_GET

    class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
        daemon_threads = True
        allow_reuse_address = True

    with Server((args.host, args.port), Handler) as server:
        print(f"dashboard on http://{args.host}:{args.port}{MOUNT} (API {args.api_url})", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
