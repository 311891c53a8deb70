"""Feeds' and reports' documents: uploaded to and downloaded from the pre-signed URLs Amazon gives.

The URLs carry their own signature (no access token is sent to them) and expire after 5 minutes.
Documents are larger than API answers: they get their own size cap (``MAX_DOCUMENT_BYTES``, also after
GZIP decompression, ``compressionAlgorithm``) and deadline.
"""

import zlib

from saleor_amazon_channel.amazon.errors import AmazonUnavailable
from saleor_amazon_channel.amazon.http import AmazonHttp, Retry
from saleor_amazon_channel.amazon.sp_api import error_from_response

MAX_DOCUMENT_BYTES = 200 * 1024 * 1024
DOCUMENT_DEADLINE = 300.0


def _client(http: AmazonHttp) -> AmazonHttp:
    return AmazonHttp(max_attempts=http.max_attempts, max_body_bytes=MAX_DOCUMENT_BYTES, deadline=DOCUMENT_DEADLINE,
                      sleep=http.sleep)


def upload(http: AmazonHttp, url: str, content: bytes, content_type: str) -> None:
    with _client(http) as documents:
        response = documents.request("PUT", url, retry=Retry.SAFE, data=content,
                                     headers={"Content-Type": content_type})
    if not 200 <= response.status_code < 300:
        raise error_from_response(response)


def download(http: AmazonHttp, url: str, compression: str | None = None) -> bytes:
    with _client(http) as documents:
        response = documents.request("GET", url, retry=Retry.SAFE)
    if response.status_code != 200:
        raise error_from_response(response)
    content = response.content
    if (compression or "").upper() == "GZIP":
        content = _gunzip(content)
    return content


def _gunzip(content: bytes) -> bytes:
    """GZIP decompression that stops past ``MAX_DOCUMENT_BYTES`` (a small file may inflate enormously)."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        result = inflater.decompress(content, MAX_DOCUMENT_BYTES + 1)
    except zlib.error:
        raise AmazonUnavailable("Amazon's document could not be decompressed.", code="bad_document") from None
    if len(result) > MAX_DOCUMENT_BYTES or inflater.unconsumed_tail:
        raise AmazonUnavailable("Amazon's document is larger than the plugin reads.", code="document_too_large")
    return result
