"""Feed and report documents behind their pre-signed URLs (S3 at Amazon).

createFeedDocument hands out a URL to PUT the feed's content to; getFeedDocument
and getReportDocument hand out URLs to GET a document from.  The URLs carry an
expiry and a signature (five minutes, as Amazon's), are served by the emulator
itself and need no access token; they are not SP-API, so never counted, throttled
or faulted.  Errors answer in S3's XML dialect.
"""

from __future__ import annotations

from .selling import SellingState
from .web import Request, Response

DOCUMENT_PATH = r"/sp-api-documents/(?P<document_id>[0-9a-f-]{36})"


def _s3_error(status: int, code: str, message: str) -> Response:
    body = f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{message}</Message></Error>'
    return Response(status, body.encode(), [("Content-Type", "application/xml")])


def _same_type(a: str, b: str) -> bool:
    return a.replace(" ", "").lower() == b.replace(" ", "").lower()


class DocumentStorage:
    def __init__(self, selling: SellingState):
        self.selling = selling

    def routes(self):
        return [("GET", DOCUMENT_PATH, self.download), ("PUT", DOCUMENT_PATH, self.upload)]

    def download(self, request: Request, document_id: str) -> Response:
        self.selling.tick()
        document = self.selling.document_for_url(document_id, request.query)
        if document is None:
            return _s3_error(403, "AccessDenied", "Request has expired or the signature does not match.")
        if document.body is None:
            return _s3_error(404, "NoSuchKey", "The specified key does not exist.")
        return Response(200, document.body, [("Content-Type", document.content_type)])

    def upload(self, request: Request, document_id: str) -> Response:
        with self.selling.lock:
            document = self.selling.document_for_url(document_id, request.query)
            if document is None or document.kind != "feed-input":
                return _s3_error(403, "AccessDenied", "Request has expired or the signature does not match.")
            if not _same_type(request.headers.get("content-type", ""), document.content_type):
                return _s3_error(403, "SignatureDoesNotMatch",
                                 "The Content-Type must be the contentType given to createFeedDocument.")
            document.body = request.body
        return Response(200, b"", [("ETag", '"emulator"')])
