import { Box, Button, Text, useTheme } from "@saleor/macaw-ui";
import { useEffect, useRef, type ReactNode } from "react";
import { useFlash, type FlashTone } from "../context";
import { useI18n } from "../i18n";
import { GraphQLRequestError } from "../lib/graphql";
import { TextLink } from "./layout";
import { outline, TONE_COLORS, ToneText, type BadgeTone } from "./theme";

export function Banner({
  tone,
  children,
  onDismiss,
  testId,
  boxRef,
}: {
  tone: FlashTone;
  children: ReactNode;
  onDismiss?: () => void;
  testId?: string;
  boxRef?: React.Ref<HTMLDivElement>;
}) {
  const { t } = useI18n();
  const colors = TONE_COLORS[tone];
  return (
    <Box
      ref={boxRef}
      role={tone === "critical" ? "alert" : "status"}
      data-testid={testId ?? "banner"}
      data-tone={tone}
      display="flex"
      justifyContent="space-between"
      alignItems="flex-start"
      gap={3}
      padding={4}
      {...outline(colors.border, 3)}
      // Tone backgrounds stay pale in the dark theme: keep the theme's surface, mark the tone on the edge.
      backgroundColor="default1"
      __borderLeftWidth="6px"
      marginBottom={4}
    >
      <Box display="flex" flexDirection="column" gap={2}>
        {children}
      </Box>
      {onDismiss && (
        <Button variant="tertiary" size="small" onClick={onDismiss}>
          {t("app.dismiss")}
        </Button>
      )}
    </Box>
  );
}

export function Badge({ tone, children, testId, ...rest }: { tone: BadgeTone; children: ReactNode; testId?: string; [data: `data-${string}`]: string | undefined }) {
  const colors = TONE_COLORS[tone];
  // The dark theme's tone text colours are pale, like its tone backgrounds: badges keep the surface there.
  const dark = useTheme().theme === "defaultDark";
  return (
    <Box
      as="span"
      data-testid={testId}
      data-tone={tone}
      display="inline-flex"
      alignItems="center"
      paddingX={2}
      paddingY={0.5}
      {...outline(colors.border, 3)}
      backgroundColor={dark && tone !== "neutral" ? "default1" : colors.bg}
      {...rest}
    >
      {tone === "warning" ? (
        <ToneText tone="warning" size={2} fontWeight="medium">
          {children}
        </ToneText>
      ) : (
        <Text size={2} fontWeight="medium" color={colors.text}>
          {children}
        </Text>
      )}
    </Box>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <Box padding={6} role="status" aria-live="polite">
      <Text color="default2">{t("app.loading")}</Text>
    </Box>
  );
}

/** A load error: sign-in, permission, network, or other; with "Try again". */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  let title: string;
  let body: string;
  if (error instanceof GraphQLRequestError && error.kind === "unauthorized") {
    title = t("auth.unauthorized.title");
    body = t("auth.unauthorized.body");
  } else if (error instanceof GraphQLRequestError && error.kind === "forbidden") {
    title = t("auth.forbidden.title");
    body = t("auth.forbidden.body");
  } else if (error instanceof GraphQLRequestError && error.kind === "network") {
    title = t("error.network");
    body = "";
  } else {
    title = t("error.generic", { message: error instanceof Error ? error.message : String(error) });
    body = "";
  }
  return (
    <Banner tone="critical" testId="load-error">
      <Text fontWeight="bold">{title}</Text>
      {body && <Text>{body}</Text>}
      {onRetry && (
        <Box>
          <Button variant="secondary" size="small" onClick={onRetry}>
            {t("app.retry")}
          </Button>
        </Box>
      )}
    </Banner>
  );
}

/**
 * The app's confirmation / error banner (set by actions, shown by the page that follows). It sits in
 * the flow of the page, covering nothing; a new one out of sight (Save clicked at the bottom of a
 * long form) is scrolled into view.
 */
export function FlashBanner() {
  const { flash, clearFlash } = useFlash();
  const box = useRef<HTMLDivElement | null>(null);
  const id = flash?.id;
  useEffect(() => {
    const element = box.current;
    if (id === undefined || !element || typeof element.scrollIntoView !== "function") return;
    const { top, bottom } = element.getBoundingClientRect();
    if (top < 0 || bottom > window.innerHeight) element.scrollIntoView({ block: "nearest" });
  }, [id]);
  if (!flash) return null;
  return (
    <Banner key={flash.id} boxRef={box} tone={flash.tone} onDismiss={clearFlash} testId="flash">
      <Text>{flash.text}</Text>
      {flash.link && (
        <Text size={3}>
          {flash.link.hint ? `${flash.link.hint} ` : ""}
          <TextLink href={flash.link.href} external>
            {flash.link.label}
          </TextLink>
        </Text>
      )}
    </Banner>
  );
}
