import { Box, Button, Checkbox, Text } from "@saleor/macaw-ui";
import { useState, type ReactNode } from "react";
import { CopyField, ErrorState, FlashBanner, Loading, outline, PageHeader, ToneText } from "../ui";
import { useAsync, useFlash, useServices } from "../context";
import { isMessageKey, useI18n, type I18n } from "../i18n";
import { fetchSetup, updateSetupTask } from "../lib/api";
import { PLUGIN_PAGE_PATH } from "../lib/host";
import { navigate, routeHash } from "../lib/router";
import type { AmazonChannelSetup, SetupTaskKey } from "../lib/types";

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
      {...outline(state === "missing" ? "critical1" : state === "done" ? "success1" : "default1")}
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
        {...outline(state === "missing" ? "critical1" : state === "done" ? "success1" : "default1", "50%")}
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

type TaskKey = SetupTaskKey | "PLUGIN";

/**
 * Six tasks. The plugin checks what it can (its configuration: the SP-API application's credentials
 * are in it); the merchant ticks what only they can know, and the tick is stored on the server for
 * the whole staff (another admin, another browser, sees the same list).
 */
export function SetupChecklist({
  setup,
  setupError,
  onRetry,
  onToggle,
  saving,
  appInstalled = false,
}: {
  setup?: AmazonChannelSetup;
  setupError?: unknown;
  onRetry?: () => void;
  onToggle?: (key: SetupTaskKey, done: boolean) => void;
  saving?: SetupTaskKey | null;
  /** Inside the Dashboard's frame: the Dashboard only opens installed apps. */
  appInstalled?: boolean;
}) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const pluginState: TaskState = !setup ? "todo" : setup.isConfigured && setup.missingConfiguration.length === 0 ? "done" : "missing";
  const ticked = new Map((setup?.tasks ?? []).map((task) => [task.key, task]));
  const stateOf = (key: TaskKey): TaskState => {
    if (key === "PLUGIN") return pluginState;
    if (key === "SP_API_APP" && pluginState === "done") return "done"; // its credentials are configured
    return ticked.get(key)?.done ? "done" : "todo";
  };
  const tick = (key: SetupTaskKey, title: string) => {
    if (!onToggle || !setup?.tasks) return null;
    const task = ticked.get(key);
    const auto = key === "SP_API_APP" && pluginState === "done";
    return (
      <Box display="flex" flexDirection="column" gap={1}>
        {auto ? (
          <Text size={2} color="default2" data-testid="task-auto">
            {t("setup.auto")}
          </Text>
        ) : (
          <Checkbox
            checked={Boolean(task?.done)}
            disabled={saving === key}
            onCheckedChange={(checked) => onToggle(key, checked === true)}
            aria-label={t("setup.markDone", { task: title })}
            data-testid="task-tick"
          >
            <Text size={3}>{t("setup.markDoneShort")}</Text>
          </Checkbox>
        )}
        {task?.done && task.updatedBy && !auto && (
          <Text size={2} color="default2">
            {t("setup.doneBy", { actor: task.updatedBy, date: formatDateTime(task.updatedAt) })}
          </Text>
        )}
      </Box>
    );
  };
  const keys: TaskKey[] = ["SELLER_ACCOUNT", "PRIMARY_USER", "ATTRIBUTES", "SP_API_APP", "PLUGIN", "SELLER_SETTINGS"];
  const done = keys.filter((key) => stateOf(key) === "done").length;
  const titles = {
    SELLER_ACCOUNT: t("setup.task.sellerAccount.title"),
    PRIMARY_USER: t("setup.task.primaryUser.title"),
    ATTRIBUTES: t("setup.task.attributes.title"),
    SP_API_APP: t("setup.task.spApi.title"),
    SELLER_SETTINGS: t("setup.task.sellerSettings.title"),
  };
  return (
    <Box display="flex" flexDirection="column" gap={3}>
      {setup && (
        <Text as="p" size={3} fontWeight="medium" data-testid="setup-progress" role="status">
          {t("setup.progress", { done, total: keys.length })}
        </Text>
      )}
      <Box as="ol" display="flex" flexDirection="column" gap={3} padding={0} margin={0} data-testid="setup-checklist">
        <Task index={1} testId="task-seller-account" state={stateOf("SELLER_ACCOUNT")} title={titles.SELLER_ACCOUNT}>
          <Text as="p">{t("setup.task.sellerAccount.body")}</Text>
          {tick("SELLER_ACCOUNT", titles.SELLER_ACCOUNT)}
        </Task>
        <Task index={2} testId="task-primary-user" state={stateOf("PRIMARY_USER")} title={titles.PRIMARY_USER}>
          <Text as="p">{t("setup.task.primaryUser.body")}</Text>
          {tick("PRIMARY_USER", titles.PRIMARY_USER)}
        </Task>
        <Task index={3} testId="task-attributes" state={stateOf("ATTRIBUTES")} title={titles.ATTRIBUTES}>
          <Text as="p">{t("setup.task.attributes.body")}</Text>
          {tick("ATTRIBUTES", titles.ATTRIBUTES)}
        </Task>
        <Task index={4} testId="task-sp-api" state={stateOf("SP_API_APP")} title={titles.SP_API_APP}>
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
          {tick("SP_API_APP", titles.SP_API_APP)}
          {setupError ? <ErrorState error={setupError} onRetry={onRetry} /> : null}
        </Task>
        <Task index={5} testId="task-plugin" state={pluginState} title={t("setup.task.plugin.title")}>
          <PluginPageLink />
          {setup && pluginState === "done" && <Text as="p">{t("setup.task.plugin.ok")}</Text>}
          {setup && appInstalled && (
            <Text as="p" data-testid="app-installed">
              {t("setup.task.plugin.appInstalled")}
            </Text>
          )}
          {setup && pluginState === "missing" && (
            <Text as="p" color="critical1" data-testid="missing-configuration">
              {t("setup.task.plugin.missing", {
                fields: setup.missingConfiguration.map((field) => configName(i18n, field)).join(", ") || t("app.none"),
              })}
            </Text>
          )}
          {setup && (
            <Text size={2} color="default2">
              {t("setup.auto")}
            </Text>
          )}
        </Task>
        <Task index={6} testId="task-seller-settings" state={stateOf("SELLER_SETTINGS")} title={titles.SELLER_SETTINGS}>
          <Text as="p">{t("setup.task.sellerSettings.body")}</Text>
          {tick("SELLER_SETTINGS", titles.SELLER_SETTINGS)}
        </Task>
      </Box>
    </Box>
  );
}

export function SetupPage({ next }: { next: "new" | null }) {
  const { t } = useI18n();
  const { api, host } = useServices();
  const { showFlash } = useFlash();
  const setup = useAsync(() => fetchSetup(api), [api]);
  const [saving, setSaving] = useState<SetupTaskKey | null>(null);

  const toggle = async (key: SetupTaskKey, done: boolean) => {
    if (!setup.data) return;
    const before = setup.data;
    // Shown at once; the server's answer (who ticked it, when) replaces it.
    setup.setData({
      ...before,
      tasks: (before.tasks ?? []).map((task) => (task.key === key ? { ...task, done } : task)),
    });
    setSaving(key);
    try {
      setup.setData(await updateSetupTask(api, key, done));
    } catch (error) {
      setup.setData(before);
      showFlash({ tone: "critical", text: t("setup.saveFailed", { message: error instanceof Error ? error.message : String(error) }) });
    } finally {
      setSaving(null);
    }
  };

  return (
    <Box>
      <PageHeader
        title={t("setup.title")}
        subtitle={next === "new" ? t("setup.firstStoreIntro") : t("setup.intro")}
        back={{ href: routeHash({ name: "home" }), label: t("setup.backHome") }}
      />
      <FlashBanner />
      {setup.loading && !setup.data ? <Loading /> : null}
      <SetupChecklist setup={setup.data} setupError={setup.error} onRetry={setup.reload} onToggle={toggle} saving={saving} appInstalled={host.mode === "dashboard"} />
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
