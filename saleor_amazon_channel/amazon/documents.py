"""Feeds' and reports' documents: uploaded to and downloaded from the pre-signed URLs Amazon gives.

The URLs carry their own signature (no access token is sent to them) and expire after 5 minutes.
Downloads are capped (``MAX_DOCUMENT_BYTES``) and may be GZIP-compressed (``compressionAlgorithm``).
"""

import gzip
import zlib

from saleor_amazon_channel.amazon.errors import AmazonUnavailable
from saleor_amazon_channel.amazon.http import AmazonHttp, Retry
from saleor_amazon_channel.amazon.sp_api import error_from_response

MAX_DOCUMENT_BYTES = 200 * 1024 * 1024


def upload(http: AmazonHttp, url: str, content: bytes, content_type: str) -> None:
    response = http.request("PUT", url, retry=Retry.SAFE, data=content, headers={"Content-Type": content_type})
    if not 200 <= response.status_code < 300:
        raise error_from_response(response)


def download(http: AmazonHttp, url: str, compression: str | None = None) -> bytes:
    response = http.request("GET", url, retry=Retry.SAFE, stream=True)
    if response.status_code != 200:
        raise error_from_response(response)
    chunks, size = [], 0
    for chunk in response.iter_content(64 * 1024):
        size += len(chunk)
        if size > MAX_DOCUMENT_BYTES:
            response.close()
            raise AmazonUnavailable("Amazon's document is larger than the plugin reads.", code="document_too_large")
        chunks.append(chunk)
    content = b"".join(chunks)
    if (compression or "").upper() == "GZIP":
        try:
            content = gzip.decompress(content)
        except (OSError, EOFError, zlib.error):
            raise AmazonUnavailable("Amazon's document could not be decompressed.", code="bad_document") from None
    return content
