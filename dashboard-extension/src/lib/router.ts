import { useEffect, useState } from "react";

/**
 * Screens live in the app's own path, under the folder the app is served from:
 *   <plugin>/app            home            <plugin>/app/stores/<id>        a store
 *   <plugin>/app/setup      the tasks       <plugin>/app/stores/<id>/edit   its form
 *   <plugin>/app/stores/new the new store   (…/setup?next=new: the tasks, then the form)
 *   <plugin>/app/stores/<id>/listing-settings  the store's listing settings
 *   <plugin>/app/stores/<id>/listing-rules     its listing rules
 *   <plugin>/app/stores/<id>/price-rules[/<rule id>|/new]  its price rules, one of them, a new one
 *   <plugin>/app/stores/<id>/order-settings    the store's order settings
 * The Dashboard's query string (domain, saleorApiUrl, id, theme, …) is kept on every move.
 * The Dashboard's URL follows through `updateRouting` (see useRouteSync in App.tsx):
 * `/dashboard/extensions/app/<app id>/stores/<id>` reloads into the same screen, since the
 * Dashboard 3.23 loads a deep link as `urlJoin(appUrl, <path after the app id>)`.
 * Hash routes (`#/stores/<id>`, the old form, and the links of the pages) still work: they are
 * moved into the path as soon as they are seen.
 */
export type Route =
  | { name: "home" }
  | { name: "setup"; next: "new" | null }
  | { name: "create"; marketplace?: string }
  | { name: "detail"; id: string }
  | { name: "edit"; id: string }
  | { name: "listingSettings"; id: string }
  | { name: "listingRules"; id: string }
  | { name: "priceRules"; id: string }
  | { name: "priceRule"; id: string; ruleId: string }
  | { name: "orderSettings"; id: string };

type Where = Pick<Location, "pathname" | "search" | "hash">;

/** The path of the app's folder (`…/saleor_amazon_channel/app`); "" when served at the root (vite dev). */
export function appBasePath(pathname: string): string {
  const match = pathname.match(/^(.*\/saleor_amazon_channel\/app)(?=\/|$)/);
  return match ? match[1] : "";
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

/** A route from the app's path (after its folder) and query. */
export function parseAppPath(path: string, search = ""): Route {
  const parts = path.split("/").filter(Boolean).map(decode);
  if (parts[0] === "setup" && parts.length === 1) {
    return { name: "setup", next: new URLSearchParams(search).get("next") === "new" ? "new" : null };
  }
  if (parts[0] === "stores") {
    if (parts[1] === "new" && parts.length === 2) {
      // A marketplace to preselect (the "Authorize from Amazon" screen knows the seller's).
      const marketplace = new URLSearchParams(search).get("marketplace");
      return marketplace && /^[A-Z0-9]{1,20}$/.test(marketplace) ? { name: "create", marketplace } : { name: "create" };
    }
    if (parts[1] && parts.length === 2) return { name: "detail", id: parts[1] };
    if (parts[1] && parts[2] === "edit" && parts.length === 3) return { name: "edit", id: parts[1] };
    if (parts[1] && parts[2] === "listing-settings" && parts.length === 3) return { name: "listingSettings", id: parts[1] };
    if (parts[1] && parts[2] === "listing-rules" && parts.length === 3) return { name: "listingRules", id: parts[1] };
    if (parts[1] && parts[2] === "price-rules" && parts.length === 3) return { name: "priceRules", id: parts[1] };
    if (parts[1] && parts[2] === "price-rules" && parts[3] && parts.length === 4) return { name: "priceRule", id: parts[1], ruleId: parts[3] };
    if (parts[1] && parts[2] === "order-settings" && parts.length === 3) return { name: "orderSettings", id: parts[1] };
  }
  return { name: "home" };
}

/** A route from a hash (`#/stores/<id>`, `#/setup?next=new`). */
export function parseRoute(hash: string): Route {
  const [path, query = ""] = hash.replace(/^#/, "").split("?");
  return parseAppPath(path, query);
}

/** The route's path under the app's folder, with its own query (what `updateRouting` sends). */
export function routePath(route: Route): string {
  switch (route.name) {
    case "home":
      return "/";
    case "setup":
      return route.next ? `/setup?next=${route.next}` : "/setup";
    case "create":
      return route.marketplace ? `/stores/new?marketplace=${encodeURIComponent(route.marketplace)}` : "/stores/new";
    case "detail":
      return `/stores/${encodeURIComponent(route.id)}`;
    case "edit":
      return `/stores/${encodeURIComponent(route.id)}/edit`;
    case "listingSettings":
      return `/stores/${encodeURIComponent(route.id)}/listing-settings`;
    case "listingRules":
      return `/stores/${encodeURIComponent(route.id)}/listing-rules`;
    case "priceRules":
      return `/stores/${encodeURIComponent(route.id)}/price-rules`;
    case "priceRule":
      return `/stores/${encodeURIComponent(route.id)}/price-rules/${encodeURIComponent(route.ruleId)}`;
    case "orderSettings":
      return `/stores/${encodeURIComponent(route.id)}/order-settings`;
  }
}

/** The route as an in-page link (`#/…`): clicking it moves the app without reloading the frame. */
export function routeHash(route: Route): string {
  return `#${routePath(route)}`;
}

/** The screen for a location: a hash route if there is one, else the path. */
export function routeAt(where: Where): Route {
  if (/^#\//.test(where.hash)) return parseRoute(where.hash);
  const base = appBasePath(where.pathname);
  return parseAppPath(where.pathname.slice(base.length), where.search);
}

/** The page URL (path + query, no hash) that shows `route`, keeping the Dashboard's parameters. */
export function routeUrl(route: Route, where: Where): string {
  const [path, own = ""] = routePath(route).split("?");
  const params = new URLSearchParams(where.search);
  // The screens' own parameters, and the Log-in URI's one-time ticket, do not follow the merchant.
  for (const own of SCREEN_PARAMS) params.delete(own);
  new URLSearchParams(own).forEach((value, key) => params.set(key, value));
  const query = params.toString();
  return `${appBasePath(where.pathname)}${path}${query ? `?${query}` : ""}`;
}

const SCREEN_PARAMS = ["next", "marketplace", "amazonAuthorization"];

const ROUTE_EVENT = "amazon-channel:route";

/**
 * A screen with unsaved changes: asked before the route changes. It returns true to let the
 * change happen; false to stay (it then asks the merchant, and navigates itself if they agree).
 */
export type LeaveGuard = (targetHash: string) => boolean;
let leaveGuard: LeaveGuard | null = null;

export function setLeaveGuard(guard: LeaveGuard | null): void {
  leaveGuard = guard;
}

export function navigate(route: Route): void {
  if (leaveGuard && !leaveGuard(routeHash(route))) return;
  const url = routeUrl(route, window.location);
  if (url !== window.location.pathname + window.location.search || window.location.hash) {
    window.history.pushState(null, "", url);
  }
  window.dispatchEvent(new Event(ROUTE_EVENT));
  window.scrollTo?.(0, 0);
}

/** The current screen; a hash route is moved into the path (one URL per screen, for the Dashboard). */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => routeAt(window.location));
  useEffect(() => {
    let current = routeAt(window.location);
    const onChange = () => {
      const next = routeAt(window.location);
      const moved = JSON.stringify(next) !== JSON.stringify(current);
      if (moved && leaveGuard && !leaveGuard(routeHash(next))) {
        // Stay: put the address of the current screen back (no event is fired by replaceState).
        window.history.replaceState(null, "", routeUrl(current, window.location));
        return;
      }
      if (window.location.hash) window.history.replaceState(null, "", routeUrl(next, window.location));
      current = next;
      setRoute((previous) => (JSON.stringify(previous) === JSON.stringify(next) ? previous : next));
    };
    onChange();
    window.addEventListener("hashchange", onChange);
    window.addEventListener("popstate", onChange);
    window.addEventListener(ROUTE_EVENT, onChange);
    return () => {
      window.removeEventListener("hashchange", onChange);
      window.removeEventListener("popstate", onChange);
      window.removeEventListener(ROUTE_EVENT, onChange);
    };
  }, []);
  return route;
}
