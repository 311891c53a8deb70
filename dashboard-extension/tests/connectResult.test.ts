import { afterEach, describe, expect, it, vi } from "vitest";
import {
  BROADCAST_CHANNEL_NAME,
  broadcastConnectResult,
  isConnectResultMessage,
  listenForConnectResults,
  parseConnectResult,
  reasonMessageKey,
  REASON_CODES,
} from "../src/consent/connectResult";

describe("parseConnectResult", () => {
  it("is null for ordinary app URLs", () => {
    expect(parseConnectResult("?id=QXBwOjE=&theme=light")).toBeNull();
    expect(parseConnectResult("")).toBeNull();
  });

  it("reads a success", () => {
    expect(parseConnectResult("?connectResult=connected&store=QW1hem9uU3RvcmU6MQ%3D%3D")).toEqual({
      outcome: "connected",
      reason: null,
      knownReason: false,
      storeId: "QW1hem9uU3RvcmU6MQ==",
    });
  });

  it("reads an error with its reason", () => {
    expect(parseConnectResult("?connectResult=error&reason=AMAZON_MD5101&store=")).toEqual({
      outcome: "error",
      reason: "AMAZON_MD5101",
      knownReason: true,
      storeId: null,
    });
  });

  it("gives cancellations the CANCELLED reason", () => {
    const result = parseConnectResult("?connectResult=cancelled&store=abc");
    expect(result).toMatchObject({ outcome: "cancelled", reason: "CANCELLED", knownReason: true, storeId: "abc" });
  });

  it("accepts case variations and flags unknown reasons", () => {
    expect(parseConnectResult("?connectResult=ERROR&reason=sp_api_throttled")).toMatchObject({
      outcome: "error",
      reason: "SP_API_THROTTLED",
      knownReason: true,
    });
    expect(parseConnectResult("?connectResult=error&reason=NEW_CODE")).toMatchObject({ reason: "NEW_CODE", knownReason: false });
  });

  it("drops malformed reasons and rejects unknown outcomes", () => {
    expect(parseConnectResult("?connectResult=error&reason=<script>")).toMatchObject({ reason: null, knownReason: false });
    expect(parseConnectResult("?connectResult=maybe")).toBe("invalid");
  });

  it("maps reasons to message keys", () => {
    expect(reasonMessageKey("STATE_EXPIRED")).toBe("reason.STATE_EXPIRED");
    expect(reasonMessageKey("NOPE")).toBe("reason.UNKNOWN");
    expect(reasonMessageKey(null)).toBe("reason.UNKNOWN");
    expect(REASON_CODES).toContain("PLUGIN_NOT_CONFIGURED");
  });
});

describe("BroadcastChannel hand-off", () => {
  const original = globalThis.BroadcastChannel;
  afterEach(() => {
    globalThis.BroadcastChannel = original;
  });

  it("validates messages", () => {
    expect(isConnectResultMessage({ type: "amazon-connect-result", outcome: "connected" })).toBe(true);
    expect(isConnectResultMessage({ type: "amazon-connect-result", outcome: "hacked" })).toBe(false);
    expect(isConnectResultMessage({ type: "other", outcome: "connected" })).toBe(false);
    expect(isConnectResultMessage("connected")).toBe(false);
  });

  it("delivers the result tab's message to the Dashboard tab", () => {
    // A tiny in-memory BroadcastChannel (same semantics: other instances of the same name get it).
    const instances = new Set<FakeChannel>();
    class FakeChannel {
      onmessage: ((event: MessageEvent) => void) | null = null;
      constructor(readonly name: string) {
        instances.add(this);
      }
      postMessage(data: unknown) {
        for (const other of instances) {
          if (other !== this && other.name === this.name) other.onmessage?.({ data } as MessageEvent);
        }
      }
      close() {
        instances.delete(this);
      }
    }
    globalThis.BroadcastChannel = FakeChannel as unknown as typeof BroadcastChannel;

    const received = vi.fn();
    const stop = listenForConnectResults(received);
    expect([...instances].map((c) => c.name)).toEqual([BROADCAST_CHANNEL_NAME]);
    expect(broadcastConnectResult({ outcome: "error", reason: "SELLER_MISMATCH", knownReason: true, storeId: "s1" })).toBe(true);
    expect(received).toHaveBeenCalledWith({
      type: "amazon-connect-result",
      outcome: "error",
      reason: "SELLER_MISMATCH",
      knownReason: true,
      storeId: "s1",
    });
    stop();
    expect(instances.size).toBe(0);
  });

  it("does nothing without BroadcastChannel", () => {
    // @ts-expect-error simulate an old browser
    globalThis.BroadcastChannel = undefined;
    expect(broadcastConnectResult({ outcome: "connected", reason: null, knownReason: false, storeId: null })).toBe(false);
    expect(typeof listenForConnectResults(() => undefined)).toBe("function");
  });
});
