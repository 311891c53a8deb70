import { Box, Text, useTheme, type TextProps } from "@saleor/macaw-ui";
import type { ComponentProps } from "react";
import type { FlashTone } from "../context";

/** The tones a badge can take (a store's status, a catalog match's). */
export type BadgeTone = "neutral" | "success" | "warning" | "critical";

export const TONE_COLORS: Record<FlashTone | BadgeTone, { bg: "success1" | "warning1" | "critical1" | "info1" | "default2"; text: "success1" | "warning1" | "critical1" | "info1" | "default1"; border: "success1" | "warning1" | "critical1" | "info1" | "default1" }> = {
  success: { bg: "success1", text: "success1", border: "success1" },
  warning: { bg: "warning1", text: "warning1", border: "warning1" },
  critical: { bg: "critical1", text: "critical1", border: "critical1" },
  info: { bg: "info1", text: "info1", border: "info1" },
  neutral: { bg: "default2", text: "default1", border: "default1" },
};

/**
 * macaw-ui's warning text colour (hsl 36 44% 50%) reads at about 3:1 on the light theme's white and
 * 2.5:1 on its pale yellow; this darker amber reads at 6–7:1. The dark theme's is readable as it is.
 */
const LIGHT_THEME_WARNING_TEXT = "hsla(36, 90%, 26%, 1)";

/**
 * Corrections to macaw-ui's palette for WCAG 2.2 AA, and a visible focus ring. macaw sets its
 * variables inline on <html>; `!important` in a stylesheet is what outranks that.
 * - secondary text: 4.08:1 on white and 3.68:1 on the dark surface, now 5.7:1 and 5.5:1;
 * - white on the red (error) button: 4.30:1 / 3.38:1, now 5.5:1 in both themes;
 * - focus: macaw marks focus with a background tint (1.07:1); a 2px outline reads at 6:1 or more.
 */
export function GlobalStyles() {
  const dark = useTheme().theme === "defaultDark";
  const css = `
:root {
  --mu-colors-text-default2: ${dark ? "hsla(230, 12%, 66%, 1)" : "hsla(180, 1%, 40%, 1)"} !important;
  --mu-colors-background-button-critical-primary: hsla(11, 100%, 40%, 1) !important;
  --mu-colors-background-button-critical-primary-hovered: hsla(11, 100%, 34%, 1) !important;
  --mu-colors-background-button-critical-primary-focused: hsla(11, 100%, 34%, 1) !important;
  --amazon-channel-focus: ${dark ? "hsla(215, 100%, 78%, 1)" : "hsla(234, 96%, 45%, 1)"};
}
/* Scrolling to an element (keyboard focus, scrollIntoView) keeps it clear of the frame's bottom: the save bar,
   and in Saleor Dashboard 3.23 the announcement card over the frame's bottom-left (about 345px at 1280×800). */
html { scroll-padding-bottom: 360px; }
:focus-visible { outline: 2px solid var(--amazon-channel-focus) !important; outline-offset: 2px !important; }
[data-page-heading]:focus { outline: none !important; }
[data-page-heading]:focus-visible { outline: 2px solid var(--amazon-channel-focus) !important; }
.visually-hidden {
  position: absolute !important; width: 1px !important; height: 1px !important; padding: 0 !important;
  margin: -1px !important; overflow: hidden !important; clip: rect(0 0 0 0) !important; white-space: nowrap !important; border: 0 !important;
}`;
  return <style data-testid="global-styles">{css}</style>;
}

/** Text in a tone's colour, readable in both themes. */
export function ToneText({ tone, ...props }: Omit<TextProps, "color"> & { tone: "warning" | "critical" | "success" }) {
  const { theme } = useTheme();
  const colour = tone === "warning" && theme !== "defaultDark" ? { __color: LIGHT_THEME_WARNING_TEXT } : { color: `${tone}1` as const };
  return <Text {...props} {...colour} />;
}

type BoxStyle = ComponentProps<typeof Box>;

/** The one outlined-surface look (cards, banners, badges, tasks, dialogs): a 1px solid border in a theme colour. */
export function outline(borderColor: BoxStyle["borderColor"] = "default1", borderRadius: BoxStyle["borderRadius"] = 4) {
  return { borderStyle: "solid", borderWidth: 1, borderColor, borderRadius } as const;
}
