import { Box, ThemeProvider, useTheme, Text } from "@saleor/macaw-ui";
import { useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import { ConnectProvider } from "./consent/connect";
import { AppServicesProvider, useFlash, type AppServices } from "./context";
import { I18nProvider, pickLocale, useI18n, type Locale } from "./i18n";
import { createGraphQLClient } from "./lib/graphql";
import type { Host } from "./lib/host";
import { routeHash, routePath, useRoute, type Route } from "./lib/router";
import { pluginGraphqlUrl } from "./lib/urls";
import { HomePage } from "./stores/HomePage";
import { SetupPage } from "./setup/SetupPage";
import { StoreDetailPage } from "./stores/StoreDetailPage";
import { StoreFormPage } from "./stores/StoreFormPage";
import { WidgetPage } from "./stores/WidgetPage";
import { AmazonAuthorizationPage } from "./consent/AmazonAuthorizationPage";
import { ListingSettingsPage } from "./listings/ListingSettingsPage";
import { ListingRulesPage } from "./rules/ListingRulesPage";
import { PriceRulePage, PriceRulesPage } from "./rules/PriceRulesPage";
import { OrderSettingsPage } from "./orders/OrderSettingsPage";
import { Banner, GlobalStyles } from "./ui";

/** How long to wait for the Dashboard's handshake before saying the page must be opened from it. */
export const HANDSHAKE_TIMEOUT_MS = 8000;

type Theme = "light" | "dark";

function ThemeSync({ theme }: { theme: Theme }) {
  const { setTheme } = useTheme();
  useEffect(() => {
    setTheme(theme === "dark" ? "defaultDark" : "defaultLight");
  }, [theme, setTheme]);
  return null;
}

/** Theme + locale, shared by the app and the connect-result page. */
export function Frame({ theme, locale, children }: { theme: Theme; locale: Locale; children: ReactNode }) {
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  return (
    <ThemeProvider defaultTheme={theme === "dark" ? "defaultDark" : "defaultLight"}>
      <ThemeSync theme={theme} />
      <GlobalStyles />
      <I18nProvider locale={locale}>
        <Box backgroundColor="default1" color="default1" __minHeight="100vh">
          {children}
        </Box>
      </I18nProvider>
    </ThemeProvider>
  );
}

/** Tells the Dashboard each screen the merchant moves to (not the one the frame was opened on). */
function useRouteSync(host: Host, route: Route) {
  const path = routePath(route);
  const synced = useRef(path);
  useEffect(() => {
    if (synced.current === path) return;
    synced.current = path;
    host.updateRoute(path);
  }, [host, path]);
}

/** How long a new screen may take to render its heading before the focus stops waiting for it. */
const HEADING_WAIT_MS = 3000;

/**
 * On a screen change: clear the previous screen's banner and move the focus to the new screen's
 * heading (once it is rendered: a store page loads first), as a screen reader user needs.
 */
function useScreenChange(key: string) {
  const { screenChanged } = useFlash();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    screenChanged();
    const started = Date.now();
    let timer = 0;
    const focusHeading = () => {
      const heading = document.querySelector<HTMLElement>("main [data-page-heading]");
      if (heading) heading.focus({ preventScroll: true });
      else if (Date.now() - started < HEADING_WAIT_MS) timer = window.setTimeout(focusHeading, 50);
    };
    timer = window.setTimeout(focusHeading, 0);
    return () => window.clearTimeout(timer);
  }, [key, screenChanged]);
}

function Screens({ host }: { host: Host }) {
  const route = useRoute();
  useRouteSync(host, route);
  useScreenChange(routeHash(route));
  // Amazon's Log-in URI sent the browser here (the Dashboard passes its query string on to the iframe).
  const [authorization, setAuthorization] = useState(() => new URLSearchParams(window.location.search).get("amazonAuthorization"));
  if (authorization && route.name === "home") {
    return <AmazonAuthorizationPage authorization={authorization} onDone={() => setAuthorization(null)} />;
  }
  switch (route.name) {
    case "setup":
      return <SetupPage next={route.next} />;
    case "create":
      return <StoreFormPage storeId={null} marketplace={route.marketplace} />;
    // The store page edits in place (Saleor's pattern); the old edit address opens it.
    case "edit":
    case "detail":
      return <StoreDetailPage key={route.id} storeId={route.id} />;
    case "listingSettings":
      return <ListingSettingsPage key={route.id} storeId={route.id} />;
    case "listingRules":
      return <ListingRulesPage key={route.id} storeId={route.id} />;
    case "priceRules":
      return <PriceRulesPage key={route.id} storeId={route.id} />;
    case "priceRule":
      return <PriceRulePage key={`${route.id}/${route.ruleId}`} storeId={route.id} ruleId={route.ruleId} />;
    case "orderSettings":
      return <OrderSettingsPage key={route.id} storeId={route.id} />;
    default:
      return <HomePage />;
  }
}

function WaitingForDashboard({ timedOut }: { timedOut: boolean }) {
  const { t } = useI18n();
  if (!timedOut) {
    return (
      <Box padding={8} role="status">
        <Text color="default2">{t("app.waitingForDashboard")}</Text>
      </Box>
    );
  }
  return (
    <Box padding={8}>
      <Banner tone="critical" testId="no-handshake">
        <Text fontWeight="bold">{t("auth.unauthorized.title")}</Text>
        <Text>{t("auth.unauthorized.body")}</Text>
      </Banner>
    </Box>
  );
}

export function App({ host }: { host: Host }) {
  const snapshot = useSyncExternalStore(host.subscribe, host.snapshot);
  const urlParams = useMemo(() => new URLSearchParams(window.location.search), []);
  const locale = pickLocale(snapshot.dashboardLocale, urlParams.get("locale"), navigator.languages);
  const [timedOut, setTimedOut] = useState(false);

  useEffect(() => {
    if (snapshot.ready) return;
    const timer = window.setTimeout(() => setTimedOut(true), HANDSHAKE_TIMEOUT_MS);
    return () => window.clearTimeout(timer);
  }, [snapshot.ready]);

  const services = useMemo<AppServices>(
    () => ({
      host,
      api: createGraphQLClient({ url: pluginGraphqlUrl(window.location.href), getToken: host.getToken }),
      saleor: createGraphQLClient({
        url: () => host.getSaleorApiUrl() || `${window.location.origin}/graphql/`,
        getToken: host.getToken,
      }),
    }),
    [host],
  );

  const waiting = host.mode === "dashboard" && !(snapshot.ready && snapshot.hasToken);

  return (
    <Frame theme={snapshot.theme} locale={locale}>
      <AppServicesProvider services={services}>
        {waiting ? (
          <WaitingForDashboard timedOut={timedOut} />
        ) : urlParams.get("view") === "widget" ? (
          <WidgetPage />
        ) : (
          <ConnectProvider>
            {/* macaw-ui's ThemeProvider already renders the page's <main>: a second one would nest. */}
            <Box padding={6} __maxWidth="1280px" marginX="auto" data-testid="app-content">
              <Screens host={host} />
            </Box>
          </ConnectProvider>
        )}
      </AppServicesProvider>
    </Frame>
  );
}
