// The Dashboard's own URL helpers, used by tests/dashboardUrls.test.ts as the reference (no @types packages).
declare module "qs" {
  export function stringify(params: unknown, options?: { arrayFormat?: "indices" | "brackets" | "repeat" | "comma" }): string;
}
declare module "url-join" {
  export default function urlJoin(...parts: string[]): string;
}
