/**
 * "Amazon listings" on a store's page: a tab per state with its count (Amazon Sales Channel's tabs),
 * a search, the listings with what Saleor wants next to what Amazon shows and Amazon's issues in its
 * own words, bulk list / end / relist on the selected rows, and "Sync now" with the run's progress.
 */
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useState } from "react";
import { useAsync, useServices } from "../context";
import { useI18n, type MessageKey } from "../i18n";
import { isSafeExternalUrl } from "../lib/urls";
import { describeStoreError } from "../stores/wording";
import { Badge, Banner, DataTable, Section, TextField, type BadgeTone } from "../ui";
import {
  ACTIONS_OF,
  COUNT_OF,
  fetchListingPage,
  fetchListingSync,
  formatOffer,
  isSyncing,
  LISTING_STATES,
  runBulkAction,
  startListingSync,
  type BulkAction,
  type Listing,
  type ListingPage,
  type ListingState,
} from "./listings";

export const POLL_INTERVAL_MS = 1500;
const PAGE_SIZE = 50;

type StoreLike = { id: string; name: string; status: string };

export const STATE_TONES: Record<ListingState, BadgeTone> = {
  ACTIVE: "success",
  INACTIVE: "neutral",
  READY_TO_LIST: "neutral",
  INCOMPLETE: "warning",
  ERROR: "critical",
  ENDED: "neutral",
  THIRD_PARTY: "neutral",
};

export function ListingsSection({ store }: { store: StoreLike }) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const { api } = useServices();
  const sync = useAsync(() => fetchListingSync(api, store.id), [api, store.id]);
  const [tab, setTab] = useState<ListingState>("ACTIVE");
  const [search, setSearch] = useState("");
  const [query, setQuery] = useState("");
  const [page, setPage] = useState<ListingPage | null>(null);
  const [pageError, setPageError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [message, setMessage] = useState<{ tone: "critical" | "success"; text: string } | null>(null);
  const [busy, setBusy] = useState<"sync" | "more" | BulkAction | null>(null);
  const [reloads, setReloads] = useState(0);
  const syncing = isSyncing(sync.data);

  const syncStatus = sync.data?.status;
  const syncSent = sync.data?.sent;
  useEffect(() => {
    let current = true;
    fetchListingPage(api, store.id, { state: [tab], search: query }, PAGE_SIZE).then(
      (next) => {
        if (!current) return;
        setPage(next);
        setPageError(null);
        setSelected((previous) => new Set(next.listings.filter((l) => previous.has(l.id)).map((l) => l.id)));
      },
      (error: unknown) => {
        if (current) setPageError(error instanceof Error ? error.message : String(error));
      },
    );
    return () => {
      current = false;
    };
  }, [api, store.id, tab, query, syncStatus, syncSent, reloads]);

  const reloadSync = sync.reload;
  useEffect(() => {
    if (!syncing) return undefined;
    const timer = setInterval(() => void reloadSync(), POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [syncing, reloadSync]);

  useEffect(() => {
    const timer = setTimeout(() => setQuery(search), 300);
    return () => clearTimeout(timer);
  }, [search]);

  const failed = (error: unknown) =>
    setMessage({ tone: "critical", text: t("error.generic", { message: error instanceof Error ? error.message : String(error) }) });

  const startSync = async () => {
    setBusy("sync");
    setMessage(null);
    try {
      const result = await startListingSync(api, store.id);
      if (result.errors.length > 0) {
        setMessage({ tone: "critical", text: result.errors.map((error) => describeStoreError(i18n, error)).join(" ") });
      } else if (result.sync) {
        sync.setData(result.sync);
      }
    } catch (error) {
      failed(error);
    } finally {
      setBusy(null);
    }
  };

  const act = (action: BulkAction) => async () => {
    setBusy(action);
    setMessage(null);
    try {
      const result = await runBulkAction(api, action, store.id, [...selected]);
      if (result.errors.length > 0) {
        setMessage({ tone: "critical", text: result.errors.map((error) => describeStoreError(i18n, error)).join(" ") });
      } else {
        setMessage({ tone: "success", text: t(`listings.done.${action}` as MessageKey, { count: result.listings.length }) });
        setSelected(new Set());
        setReloads((n) => n + 1);
        void sync.reload();
      }
    } catch (error) {
      failed(error);
    } finally {
      setBusy(null);
    }
  };

  const more = async () => {
    if (!page?.pageInfo.endCursor) return;
    setBusy("more");
    try {
      const next = await fetchListingPage(api, store.id, { state: [tab], search: query }, PAGE_SIZE, page.pageInfo.endCursor);
      setPage({ ...next, listings: [...page.listings, ...next.listings] });
    } catch (error) {
      setPageError(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(null);
    }
  };

  const s = sync.data;
  const connected = store.status !== "NOT_CONNECTED";
  const stateLabel = (state: ListingState) => t(`listings.state.${state}` as MessageKey);
  const toggle = (id: string) =>
    setSelected((previous) => {
      const next = new Set(previous);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const selectable = (l: Listing) => ACTIONS_OF[l.state].length > 0 && l.variantId !== null;

  return (
    <Section
      title={t("listings.title")}
      actions={
        <Button variant="primary" disabled={!connected || syncing || busy !== null} onClick={startSync} data-testid="listings-sync">
          {busy === "sync" ? t("action.working") : t("listings.syncNow")}
        </Button>
      }
    >
      <Box data-testid="listings-section" data-sync-status={s?.status ?? "NONE"} display="flex" flexDirection="column" gap={4}>
        <Text color="default2">{t("listings.intro")}</Text>
        {message && (
          <Banner tone={message.tone} onDismiss={() => setMessage(null)} testId="listings-message">
            <Text>{message.text}</Text>
          </Banner>
        )}
        {!connected && !s && <Text color="default2">{t("listings.connectFirst")}</Text>}
        {s && syncing && (
          <Text size={3} data-testid="listings-progress">
            {t("listings.syncing", { phase: t(`listings.phase.${s.phase}` as MessageKey), sent: s.sent, pending: s.counts.pending })}
          </Text>
        )}
        {s && !syncing && (
          <Text size={3} color="default2" data-testid="listings-last-sync">
            {s.status === "FAILED"
              ? t("listings.failed", { date: formatDateTime(s.finishedAt), reason: s.lastError ?? s.lastErrorCode ?? "" })
              : t("listings.finished", { date: formatDateTime(s.finishedAt), accepted: s.accepted, rejected: s.rejected })}
          </Text>
        )}

        <Box role="tablist" aria-label={t("listings.title")} display="flex" gap={2} flexWrap="wrap" data-testid="listings-tabs">
          {LISTING_STATES.map((state) => (
            <Button
              key={state}
              role="tab"
              aria-selected={tab === state}
              variant={tab === state ? "primary" : "secondary"}
              size="small"
              onClick={() => {
                setTab(state);
                setSelected(new Set());
              }}
              data-state={state}
            >
              {stateLabel(state)}
              {s ? ` (${s.counts[COUNT_OF[state]]})` : ""}
            </Button>
          ))}
        </Box>

        <Box display="flex" gap={3} flexWrap="wrap" alignItems="flex-end">
          <Box __minWidth="260px" flexGrow="1">
            <TextField type="search" name="listings-search" label={t("listings.search")} value={search} onChange={setSearch} />
          </Box>
          {ACTIONS_OF[tab].map((action) => (
            <Button
              key={action}
              variant="secondary"
              disabled={selected.size === 0 || busy !== null}
              onClick={act(action)}
              data-testid={`listings-${action}`}
            >
              {busy === action ? t("action.working") : t(`listings.action.${action}` as MessageKey, { count: selected.size })}
            </Button>
          ))}
        </Box>

        {pageError && (
          <Banner tone="critical" testId="listings-page-error">
            <Text>{t("error.generic", { message: pageError })}</Text>
          </Banner>
        )}
        {page && page.listings.length === 0 && <Text color="default2">{t("listings.empty")}</Text>}
        {page && page.listings.length > 0 && (
          <Box overflowX="auto">
            <DataTable
              testId="listings-table"
              tableAttributes={{ "data-total": String(page.totalCount) }}
              rows={page.listings}
              rowKey={(l) => l.id}
              rowAttributes={(l) => ({ "data-state": l.state, "data-sku": l.sellerSku })}
              columns={[
                {
                  header: t("listings.col.select"),
                  cell: (l) =>
                    selectable(l) ? (
                      <input
                        type="checkbox"
                        checked={selected.has(l.id)}
                        onChange={() => toggle(l.id)}
                        aria-label={t("listings.selectRow", { sku: l.sellerSku })}
                      />
                    ) : null,
                },
                { header: t("listings.col.product"), cell: (l) => <Text size={3}>{l.name || t("app.none")}</Text> },
                { header: t("listings.col.sku"), cell: (l) => <Text size={3}>{l.sellerSku}</Text> },
                { header: t("listings.col.asin"), cell: (l) => <ListingAsin listing={l} /> },
                { header: t("listings.col.state"), cell: (l) => <ListingStateCell listing={l} stateLabel={stateLabel} /> },
                { header: t("listings.col.price"), cell: (l) => <DesiredVsAmazon listing={l} field="price" /> },
                { header: t("listings.col.quantity"), cell: (l) => <DesiredVsAmazon listing={l} field="quantity" /> },
                { header: t("listings.col.issues"), cell: (l) => <ListingIssues listing={l} /> },
              ]}
            />
          </Box>
        )}
        {page && (
          <Box display="flex" gap={3} alignItems="center">
            <Text size={2} color="default2" data-testid="listings-shown">
              {t("listings.shown", { shown: page.listings.length, total: page.totalCount })}
            </Text>
            {page.pageInfo.hasNextPage && (
              <Button variant="secondary" size="small" disabled={busy !== null} onClick={more}>
                {busy === "more" ? t("action.working") : t("listings.more")}
              </Button>
            )}
          </Box>
        )}
      </Box>
    </Section>
  );
}

function ListingStateCell({ listing: l, stateLabel }: { listing: Listing; stateLabel: (state: ListingState) => string }) {
  const { t, tDynamic } = useI18n();
  return (
    <Box display="flex" flexDirection="column" alignItems="flex-start" gap={1}>
      <Badge tone={STATE_TONES[l.state]}>{stateLabel(l.state)}</Badge>
      {l.reasonCode && (
        <Text size={2} color="default2">
          {tDynamic(`listings.reason.${l.reasonCode}`, "listings.reason.OTHER")}
        </Text>
      )}
      {l.inProgress && (
        <Text size={2} color="default2">
          {t("listings.inProgress")}
        </Text>
      )}
      {l.fulfillmentChannel !== "DEFAULT" && (
        <Text size={2} color="default2">
          {t("listings.fba")}
        </Text>
      )}
    </Box>
  );
}

function DesiredVsAmazon({ listing: l, field }: { listing: Listing; field: "price" | "quantity" }) {
  const { t } = useI18n();
  const desired = formatOffer(l.desired)[field];
  const amazon = formatOffer(l.onAmazon)[field];
  return (
    <Box display="flex" flexDirection="column" gap={1}>
      <Text size={3}>{desired ?? t("app.none")}</Text>
      <Text size={2} color="default2">
        {t("listings.onAmazon", { value: amazon ?? t("app.none") })}
      </Text>
    </Box>
  );
}

function ListingAsin({ listing: l }: { listing: Listing }) {
  const { t } = useI18n();
  const link = isSafeExternalUrl(l.productUrl) ? l.productUrl : null;
  return l.asin && link ? (
    <a href={link} target="_blank" rel="noopener noreferrer">
      <Text size={3} color="accent1">
        {l.asin}
      </Text>
    </a>
  ) : (
    <Text size={3}>{l.asin ?? t("app.none")}</Text>
  );
}

function ListingIssues({ listing: l }: { listing: Listing }) {
  const { t } = useI18n();
  if (l.issues.length === 0) return <Text size={3}>{t("app.none")}</Text>;
  // Amazon's own words, as Amazon sent them.
  return (
    <Box display="flex" flexDirection="column" gap={1} data-testid="listing-issues">
      {l.issues.map((issue, index) => (
        <Text key={index} size={2} color={issue.severity === "ERROR" ? "critical1" : "default2"}>
          {issue.code}: {issue.message}
        </Text>
      ))}
    </Box>
  );
}
