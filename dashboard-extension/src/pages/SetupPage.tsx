import { Box, Button, Text } from "@saleor/macaw-ui";
import type { ReactNode } from "react";
import { CopyField, ErrorState, FlashBanner, Loading, PageHeader, ToneText } from "../components/ui";
import { useAsync, useServices } from "../context";
import { isMessageKey, useI18n, type I18n } from "../i18n";
import { fetchSetup } from "../lib/api";
import { PLUGIN_PAGE_PATH } from "../lib/host";
import { navigate, routeHash } from "../lib/router";
import type { AmazonChannelSetup } from "../lib/types";

type TaskState = "done" | "todo" | "missing";

const MARKS: Record<TaskState, { symbol: string; color: "success1" | "default2" | "critical1" }> = {
  done: { symbol: "✓", color: "success1" },
  todo: { symbol: "○", color: "default2" },
  missing: { symbol: "!", color: "critical1" },
};

function Task({ index, title, state, children, testId }: { index: number; title: string; state: TaskState; children: ReactNode; testId: string }) {
  const { t } = useI18n();
  const mark = MARKS[state];
  return (
    <Box
      as="li"
      data-testid={testId}
      data-state={state}
      display="flex"
      gap={4}
      padding={4}
      borderRadius={4}
      borderStyle="solid"
      borderWidth={1}
      borderColor={state === "missing" ? "critical1" : state === "done" ? "success1" : "default1"}
      backgroundColor="default1"
    >
      <Box
        aria-hidden="true"
        display="flex"
        alignItems="center"
        justifyContent="center"
        flexShrink="0"
        __width="32px"
        __height="32px"
        borderRadius="50%"
        borderStyle="solid"
        borderWidth={1}
        borderColor={state === "missing" ? "critical1" : state === "done" ? "success1" : "default1"}
      >
        <Text fontWeight="bold" color={mark.color}>
          {mark.symbol}
        </Text>
      </Box>
      <Box display="flex" flexDirection="column" gap={2} flexGrow="1" __minWidth="0">
        <Box display="flex" justifyContent="space-between" gap={2} flexWrap="wrap">
          <Text as="h2" size={5} fontWeight="bold">
            {index}. {title}
          </Text>
          <Text size={2} fontWeight="medium" color={mark.color} data-testid="task-state">
            {t(`setup.state.${state}`)}
          </Text>
        </Box>
        {children}
      </Box>
    </Box>
  );
}

/** To the plugin's page in the Dashboard, where the SP-API settings are (only inside the Dashboard). */
function PluginPageLink() {
  const { t } = useI18n();
  const { host } = useServices();
  if (host.mode !== "dashboard") return null;
  return (
    <Box>
      <Button type="button" variant="secondary" size="small" data-testid="plugin-page-link" onClick={() => void host.openDashboardPage(PLUGIN_PAGE_PATH)}>
        {t("setup.task.plugin.open", { name: t("setup.task.plugin.name") })}
      </Button>
    </Box>
  );
}

function configName(i18n: I18n, field: string): string {
  const key = `config.${field}`;
  return isMessageKey(key) ? i18n.t(key) : field;
}

export function SetupChecklist({ setup, setupError, onRetry }: { setup?: AmazonChannelSetup; setupError?: unknown; onRetry?: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const pluginState: TaskState = !setup ? "todo" : setup.isConfigured && setup.missingConfiguration.length === 0 ? "done" : "missing";
  return (
    <Box as="ol" display="flex" flexDirection="column" gap={3} padding={0} margin={0} data-testid="setup-checklist">
      <Task index={1} testId="task-seller-account" state="todo" title={t("setup.task.sellerAccount.title")}>
        <Text as="p">{t("setup.task.sellerAccount.body")}</Text>
      </Task>
      <Task index={2} testId="task-primary-user" state="todo" title={t("setup.task.primaryUser.title")}>
        <Text as="p">{t("setup.task.primaryUser.body")}</Text>
      </Task>
      <Task index={3} testId="task-attributes" state="todo" title={t("setup.task.attributes.title")}>
        <Text as="p">{t("setup.task.attributes.body")}</Text>
      </Task>
      <Task index={4} testId="task-sp-api" state="todo" title={t("setup.task.spApi.title")}>
        <Text as="p">{t("setup.task.spApi.body")}</Text>
        {setup && (
          <Box display="flex" flexDirection="column" gap={3}>
            <CopyField label={t("setup.redirectUri")} value={setup.redirectUri} testId="redirect-uri" />
            <CopyField label={t("setup.loginUri")} value={setup.loginUri} testId="login-uri" />
            {setup.draftApp && (
              <ToneText as="p" size={3} tone="warning">
                {t("setup.draftApp")}
              </ToneText>
            )}
          </Box>
        )}
        {setupError ? <ErrorState error={setupError} onRetry={onRetry} /> : null}
      </Task>
      <Task index={5} testId="task-plugin" state={pluginState} title={t("setup.task.plugin.title")}>
        <PluginPageLink />
        {setup && pluginState === "done" && <Text as="p">{t("setup.task.plugin.ok")}</Text>}
        {setup && pluginState === "missing" && (
          <Text as="p" color="critical1" data-testid="missing-configuration">
            {t("setup.task.plugin.missing", {
              fields: setup.missingConfiguration.map((field) => configName(i18n, field)).join(", ") || t("app.none"),
            })}
          </Text>
        )}
      </Task>
      <Task index={6} testId="task-seller-settings" state="todo" title={t("setup.task.sellerSettings.title")}>
        <Text as="p">{t("setup.task.sellerSettings.body")}</Text>
      </Task>
    </Box>
  );
}

export function SetupPage({ next }: { next: "new" | null }) {
  const { t } = useI18n();
  const { api } = useServices();
  const setup = useAsync(() => fetchSetup(api), [api]);

  return (
    <Box>
      <PageHeader
        title={t("setup.title")}
        subtitle={next === "new" ? t("setup.firstStoreIntro") : t("setup.intro")}
        back={{ href: routeHash({ name: "home" }), label: t("setup.backHome") }}
      />
      <FlashBanner />
      {setup.loading && !setup.data ? <Loading /> : null}
      <SetupChecklist setup={setup.data} setupError={setup.error} onRetry={setup.reload} />
      {/* On the right, clear of the Dashboard's announcement cards (bottom-left). */}
      <Box display="flex" gap={3} marginTop={6} justifyContent="flex-end">
        <Button variant="secondary" onClick={() => navigate({ name: "home" })}>
          {t("setup.backHome")}
        </Button>
        {next === "new" ? (
          <Button variant="primary" onClick={() => navigate({ name: "create" })}>
            {t("setup.continue")}
          </Button>
        ) : (
          <Button variant="primary" onClick={() => navigate({ name: "create" })}>
            {t("home.addStore")}
          </Button>
        )}
      </Box>
    </Box>
  );
}
