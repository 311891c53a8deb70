import { actions, reportWidgetHeightFromElement } from "@saleor/app-sdk/app-bridge";
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useRef } from "react";
import { ErrorState, Loading } from "../ui";
import { StatusBadge } from "./badges";
import { useAsync, useServices } from "../context";
import { useI18n } from "../i18n";
import { fetchStores } from "../lib/api";
import { countryFlag } from "../lib/flags";
import { statusPresentation, storeState } from "./status";

/**
 * The Dashboard home-page widget (`?view=widget`, Saleor 3.23+): how many stores, which ones
 * need attention, and a way into the app page.
 */
export function WidgetPage() {
  const { t, formatDate } = useI18n();
  const { api, host } = useServices();
  const stores = useAsync(() => fetchStores(api), [api]);
  const root = useRef<HTMLDivElement>(null);

  // Tell the Dashboard how tall the widget is (ignored by Dashboards that size widgets themselves).
  useEffect(() => {
    const bridge = host.appBridge;
    const element = root.current;
    if (!bridge || !element || typeof ResizeObserver === "undefined") return;
    const report = () => {
      try {
        reportWidgetHeightFromElement(bridge, element);
      } catch {
        /* no secure context for action IDs */
      }
    };
    const observer = new ResizeObserver(report);
    observer.observe(element);
    report();
    return () => observer.disconnect();
  }, [host]);

  const openApp = () => {
    const bridge = host.appBridge;
    const id = bridge?.getState().id;
    if (bridge && id) {
      void bridge.dispatch(actions.Redirect({ to: `/extensions/app/${encodeURIComponent(id)}` })).catch(() => undefined);
    } else {
      const url = new URL(window.location.href);
      url.searchParams.delete("view");
      url.hash = "#/";
      window.location.href = url.href;
    }
  };

  const list = stores.data ?? [];
  const attention = list.filter((store) => statusPresentation(store.status).needsAttention);

  return (
    <Box ref={root} padding={4} display="flex" flexDirection="column" gap={3} data-testid="widget">
      {/* The widget is a document of its own (its frame): its heading is that document's h1. */}
      <Text as="h1" size={6} fontWeight="bold">
        {t("app.title")}
      </Text>
      {stores.loading && !stores.data ? <Loading /> : null}
      {stores.error && !stores.data ? <ErrorState error={stores.error} onRetry={stores.reload} /> : null}
      {stores.data && (
        <>
          <Text size={3} color="default2" data-testid="widget-summary">
            {list.length === 0
              ? t("home.empty.title")
              : attention.length > 0
                ? t("home.attention", { count: attention.length })
                : t("widget.allGood", { count: list.length })}
          </Text>
          {attention.length > 0 && (
            <Box as="ul" display="flex" flexDirection="column" gap={2} padding={0} margin={0}>
              {attention.map((store) => (
                <Box as="li" key={store.id} display="flex" justifyContent="space-between" alignItems="center" gap={2} flexWrap="wrap">
                  <Text size={3} fontWeight="medium">
                    {countryFlag(store.marketplace.countryCode)} {store.name}
                  </Text>
                  <Box display="flex" gap={2} alignItems="center">
                    {storeState(store).showsExpiry && store.authorizationExpiresAt && (
                      <Text size={2} color="default2">
                        {t("card.authorizationExpires")} {formatDate(store.authorizationExpiresAt)}
                      </Text>
                    )}
                    <StatusBadge status={store.status} />
                  </Box>
                </Box>
              ))}
            </Box>
          )}
        </>
      )}
      <Box>
        <Button variant="secondary" size="small" onClick={openApp}>
          {t("widget.open")}
        </Button>
      </Box>
    </Box>
  );
}
