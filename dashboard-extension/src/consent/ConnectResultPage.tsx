import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useState } from "react";
import { outline } from "../ui";
import { useI18n } from "../i18n";
import { broadcastConnectResult, reasonMessageKey, type ConnectResult } from "./connectResult";

/**
 * The page the consent tab lands on after Amazon (outside the Dashboard, no token):
 * tells the result, forwards it to the Dashboard tab, offers to close this tab.
 */
export function ConnectResultPage({ result }: { result: ConnectResult | "invalid" }) {
  const { t } = useI18n();
  const [closeFailed, setCloseFailed] = useState(false);

  useEffect(() => {
    if (result !== "invalid") broadcastConnectResult(result);
  }, [result]);

  const tone = result === "invalid" ? "default" : result.outcome === "connected" ? "success" : result.outcome === "cancelled" ? "warning" : "critical";
  const title =
    result === "invalid"
      ? t("connectResult.invalid.title")
      : result.outcome === "connected"
        ? t("connectResult.connected.title")
        : result.outcome === "cancelled"
          ? t("connectResult.cancelled.title")
          : t("connectResult.error.title");
  const body =
    result === "invalid"
      ? t("connectResult.invalid.body")
      : result.outcome === "connected"
        ? t("connectResult.connected.body")
        : result.outcome === "cancelled"
          ? t("connectResult.cancelled.body")
          : t(reasonMessageKey(result.reason));
  const symbol = tone === "success" ? "✓" : tone === "critical" ? "✕" : "!";
  const color = tone === "success" ? "success1" : tone === "critical" ? "critical1" : tone === "warning" ? "warning1" : "default2";

  const close = () => {
    window.close();
    // Browsers only close tabs opened by a script; say so if this one stays.
    window.setTimeout(() => setCloseFailed(true), 300);
  };

  return (
    // Inside macaw-ui's <main> (its ThemeProvider renders one).
    <Box
      data-testid="connect-result"
      data-outcome={result === "invalid" ? "invalid" : result.outcome}
      data-reason={result === "invalid" ? undefined : (result.reason ?? undefined)}
      display="flex"
      justifyContent="center"
      padding={8}
    >
      <Box
        display="flex"
        flexDirection="column"
        alignItems="center"
        gap={4}
        padding={8}
        __maxWidth="560px"
        width="100%"
        {...outline(tone === "default" ? "default1" : color === "default2" ? "default1" : color)}
        backgroundColor="default1"
        textAlign="center"
      >
        <Text aria-hidden="true" size={11} fontWeight="bold" color={color}>
          {symbol}
        </Text>
        <Text as="h1" size={9} fontWeight="bold">
          {title}
        </Text>
        <Text as="p" size={5} role={tone === "critical" ? "alert" : "status"}>
          {body}
        </Text>
        {result !== "invalid" && result.reason && result.outcome === "error" && (
          <Text as="p" size={2} color="default2" data-testid="reason-code">
            {t("connectResult.code", { code: result.reason })}
          </Text>
        )}
        <Button variant="primary" onClick={close}>
          {t("connectResult.closeTab")}
        </Button>
        {closeFailed && (
          <Text as="p" size={3} color="default2">
            {t("connectResult.closeHint")}
          </Text>
        )}
      </Box>
    </Box>
  );
}
