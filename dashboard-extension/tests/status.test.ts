import { describe, expect, it } from "vitest";
import { statusPresentation, storeActions } from "../src/stores/status";
import { STORE_STATUSES } from "../src/lib/types";

describe("status presentation", () => {
  it("NOT_CONNECTED: neutral, Connect store", () => {
    expect(statusPresentation("NOT_CONNECTED")).toEqual({ tone: "neutral", needsAttention: false, connectAction: "connect" });
  });

  it("CONNECTED: success, no connect action", () => {
    expect(statusPresentation("CONNECTED")).toEqual({ tone: "success", needsAttention: false, connectAction: null });
  });

  it.each(["AUTHORIZATION_EXPIRING", "AUTHORIZATION_EXPIRED", "AUTHORIZATION_REVOKED", "ERROR"])(
    "%s stands out with Reconnect",
    (status) => {
      const presentation = statusPresentation(status);
      expect(presentation.needsAttention).toBe(true);
      expect(presentation.connectAction).toBe("reconnect");
      expect(["warning", "critical"]).toContain(presentation.tone);
    },
  );

  it("expiring is a warning, expired/revoked/error are critical", () => {
    expect(statusPresentation("AUTHORIZATION_EXPIRING").tone).toBe("warning");
    expect(statusPresentation("AUTHORIZATION_EXPIRED").tone).toBe("critical");
    expect(statusPresentation("AUTHORIZATION_REVOKED").tone).toBe("critical");
    expect(statusPresentation("ERROR").tone).toBe("critical");
  });

  it("treats an unknown status as an error", () => {
    expect(statusPresentation("SOMETHING_NEW")).toEqual(statusPresentation("ERROR"));
  });

  it("covers every status of the contract", () => {
    for (const status of STORE_STATUSES) expect(statusPresentation(status)).toBeTruthy();
  });
});

describe("card actions", () => {
  it("offers Connect store to a new store", () => {
    expect(storeActions({ status: "NOT_CONNECTED", isActive: true })).toEqual(["connect", "view", "deactivate", "delete"]);
  });

  it("offers no connect action to a connected store", () => {
    expect(storeActions({ status: "CONNECTED", isActive: true })).toEqual(["view", "deactivate", "delete"]);
  });

  it("puts Reconnect first for stores that need renewal", () => {
    for (const status of ["AUTHORIZATION_EXPIRING", "AUTHORIZATION_EXPIRED", "AUTHORIZATION_REVOKED", "ERROR"]) {
      expect(storeActions({ status: status as never, isActive: true })[0]).toBe("reconnect");
    }
  });

  it("offers Activate to an inactive store", () => {
    expect(storeActions({ status: "CONNECTED", isActive: false })).toEqual(["view", "activate", "delete"]);
  });
});
