import { useEffect, useState } from "react";

/** A tiny hash router: the iframe URL keeps the Dashboard's query params, the screen is in the hash. */
export type Route =
  | { name: "home" }
  | { name: "setup"; next: "new" | null }
  | { name: "create"; marketplace?: string }
  | { name: "detail"; id: string }
  | { name: "edit"; id: string };

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, "");
  const [path, query = ""] = raw.split("?");
  const parts = path.split("/").filter(Boolean).map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
  if (parts[0] === "setup" && parts.length === 1) {
    return { name: "setup", next: new URLSearchParams(query).get("next") === "new" ? "new" : null };
  }
  if (parts[0] === "stores") {
    if (parts[1] === "new" && parts.length === 2) {
      // A marketplace to preselect (the "Authorize from Amazon" screen knows the seller's).
      const marketplace = new URLSearchParams(query).get("marketplace");
      return marketplace && /^[A-Z0-9]{1,20}$/.test(marketplace) ? { name: "create", marketplace } : { name: "create" };
    }
    if (parts[1] && parts.length === 2) return { name: "detail", id: parts[1] };
    if (parts[1] && parts[2] === "edit" && parts.length === 3) return { name: "edit", id: parts[1] };
  }
  return { name: "home" };
}

export function routeHash(route: Route): string {
  switch (route.name) {
    case "home":
      return "#/";
    case "setup":
      return route.next ? `#/setup?next=${route.next}` : "#/setup";
    case "create":
      return route.marketplace ? `#/stores/new?marketplace=${encodeURIComponent(route.marketplace)}` : "#/stores/new";
    case "detail":
      return `#/stores/${encodeURIComponent(route.id)}`;
    case "edit":
      return `#/stores/${encodeURIComponent(route.id)}/edit`;
  }
}

export function navigate(route: Route): void {
  const hash = routeHash(route);
  if (window.location.hash !== hash) window.location.hash = hash;
  window.scrollTo?.(0, 0);
}

/**
 * A screen with unsaved changes: asked before the route changes. It returns true to let the
 * change happen; false to stay (it then asks the merchant, and navigates itself if they agree).
 */
export type LeaveGuard = (targetHash: string) => boolean;
let leaveGuard: LeaveGuard | null = null;

export function setLeaveGuard(guard: LeaveGuard | null): void {
  leaveGuard = guard;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    let current = window.location.hash;
    const onChange = () => {
      const target = window.location.hash;
      if (target === current) return;
      if (leaveGuard && !leaveGuard(target)) {
        // Stay: put the address back without another hashchange.
        window.history.replaceState(window.history.state, "", `${window.location.pathname}${window.location.search}${current}`);
        return;
      }
      current = target;
      setRoute(parseRoute(target));
    };
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
