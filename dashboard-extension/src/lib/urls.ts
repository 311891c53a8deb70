/** The plugin path when the app cannot tell it from its own URL (e.g. `vite dev`). */
export const DEFAULT_PLUGIN_PATH = "/plugins/global/saleor_amazon_channel";

/**
 * The plugin's base URL, derived from the app's own URL: the app is served at
 * `<plugin>/app/...`, so everything from the last `/app/` on is stripped.
 * `https://shop.example.com/plugins/global/saleor_amazon_channel/app/?id=..#/stores`
 *   → `https://shop.example.com/plugins/global/saleor_amazon_channel`
 */
export function pluginBaseUrl(href: string): string {
  const url = new URL(href);
  const path = url.pathname;
  const index = path.lastIndexOf("/app/");
  let base: string;
  if (index >= 0) base = path.slice(0, index);
  else if (path.endsWith("/app")) base = path.slice(0, -"/app".length);
  else base = DEFAULT_PLUGIN_PATH;
  return `${url.origin}${base}`;
}

/** `POST <plugin>/graphql/` */
export function pluginGraphqlUrl(href: string): string {
  return `${pluginBaseUrl(href)}/graphql/`;
}

/** Only http(s) URLs may be opened from the UI (a consent URL is never `javascript:`). */
export function isSafeExternalUrl(value: string | null | undefined): value is string {
  if (!value) return false;
  try {
    const url = new URL(value);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}
