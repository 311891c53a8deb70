/** "US" → 🇺🇸 (two regional indicator symbols). Anything else → "". */
export function countryFlag(countryCode: string | null | undefined): string {
  if (!countryCode || !/^[A-Za-z]{2}$/.test(countryCode)) return "";
  const code = countryCode.toUpperCase() === "UK" ? "GB" : countryCode.toUpperCase();
  return String.fromCodePoint(...[...code].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}
