"""Token bucket, as SP-API applies per application-seller pair."""

from __future__ import annotations

from dataclasses import dataclass

# getMarketplaceParticipations usage plan (sellers.json): about one call per minute, burst 15.
DEFAULT_RATE = 0.0167
DEFAULT_BURST = 15
# searchCatalogItems usage plan (catalogItems_2022-04-01.json): 2 requests per second, burst 2.
CATALOG_RATE = 2.0
CATALOG_BURST = 2


@dataclass
class TokenBucket:
    rate: float
    burst: int
    tokens: float
    updated_at: float

    @classmethod
    def full(cls, rate: float, burst: int, now: float) -> TokenBucket:
        return cls(rate, burst, float(burst), now)

    def take(self, now: float) -> bool:
        # The emulator clock can jump forward (advance_clock), never back.
        elapsed = max(0.0, now - self.updated_at)
        self.tokens = min(float(self.burst), self.tokens + elapsed * self.rate)
        self.updated_at = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False
