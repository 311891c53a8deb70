/**
 * "Amazon listings" on a store's page, like Amazon Sales Channel's tabs: a tab per state with its
 * count, a search and an override filter, a page of listings at a time (previous/next), bulk
 * list/end/relist on the selected rows, the sync with Amazon (followed while it runs), a link to the
 * listing settings, and each listing's drawer.
 */
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useRef, useState } from "react";
import { useAsync, useServices } from "../context";
import { useI18n, type MessageKey } from "../i18n";
import { navigate } from "../lib/router";
import { describeStoreError } from "../stores/wording";
import { Badge, Banner, DataTable, SelectField, Section, TextField, type BadgeTone } from "../ui";
import { ListingDrawer } from "./ListingDrawer";
import {
  COUNT_KEY,
  eligible,
  fetchListingPage,
  fetchListingSync,
  isSyncRunning,
  LISTING_STATES,
  runBulkAction,
  startListingSync,
  type BulkAction,
  type Listing,
  type ListingPage,
  type ListingState,
} from "./listings";

export const SYNC_POLL_MS = 1500;
export const PAGE_SIZE = 20;

export const STATE_TONES: Record<ListingState, BadgeTone> = {
  INCOMPLETE: "warning",
  INELIGIBLE: "neutral",
  READY_TO_LIST: "neutral",
  ACTIVE: "success",
  INACTIVE: "neutral",
  ENDED: "neutral",
  ERROR: "critical",
  THIRD_PARTY: "neutral",
};

type StoreLike = { id: string; name: string; status: string };

export function ListingsSection({ store }: { store: StoreLike }) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const { api } = useServices();
  const sync = useAsync(() => fetchListingSync(api, store.id), [api, store.id]);
  const [tab, setTab] = useState<ListingState>("ACTIVE");
  const [search, setSearch] = useState("");
  const [appliedSearch, setAppliedSearch] = useState("");
  const [override, setOverride] = useState<"" | "yes" | "no">("");
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [page, setPage] = useState<ListingPage | null>(null);
  const [pageError, setPageError] = useState<string | null>(null);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [open, setOpen] = useState<Listing | null>(null);
  const [busy, setBusy] = useState<"sync" | BulkAction | null>(null);
  const [message, setMessage] = useState<{ tone: "critical" | "success" | "warning"; text: string } | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const running = isSyncRunning(sync.data);
  const after = cursors[cursors.length - 1];
  const tabRefs = useRef<Record<string, HTMLButtonElement | null>>({});

  const hasOverride = override === "" ? undefined : override === "yes";
  const runProgress = sync.data ? `${sync.data.status}:${sync.data.sent}:${sync.data.accepted}` : "";
  useEffect(() => {
    let current = true;
    fetchListingPage(api, store.id, { state: [tab], search: appliedSearch, hasOverride }, PAGE_SIZE, after).then(
      (next) => {
        if (!current) return;
        setPage(next);
        setPageError(null);
      },
      (error: unknown) => {
        if (current) setPageError(error instanceof Error ? error.message : String(error));
      },
    );
    return () => {
      current = false;
    };
  }, [api, store.id, tab, appliedSearch, hasOverride, after, runProgress, reloadKey]);

  // A new filter starts at the first page with nothing selected (adjusted while rendering).
  const filterKey = `${tab}|${appliedSearch}|${override}`;
  const [shownFilter, setShownFilter] = useState(filterKey);
  if (shownFilter !== filterKey) {
    setShownFilter(filterKey);
    setCursors([null]);
    setSelected(new Set());
  }

  useEffect(() => {
    const timer = setTimeout(() => setAppliedSearch(search), 300);
    return () => clearTimeout(timer);
  }, [search]);

  const reloadSync = sync.reload;
  useEffect(() => {
    if (!running) return undefined;
    const timer = setInterval(() => void reloadSync(), SYNC_POLL_MS);
    return () => clearInterval(timer);
  }, [running, reloadSync]);

  const errorText = (error: unknown) => t("error.generic", { message: error instanceof Error ? error.message : String(error) });

  const startSync = async () => {
    setBusy("sync");
    setMessage(null);
    try {
      const result = await startListingSync(api, store.id);
      if (result.errors.length > 0) setMessage({ tone: "critical", text: result.errors.map((e) => describeStoreError(i18n, e)).join(" ") });
      else if (result.sync) sync.setData(result.sync);
    } catch (error) {
      setMessage({ tone: "critical", text: errorText(error) });
    } finally {
      setBusy(null);
    }
  };

  /** After a change: the page and the counts again. */
  const refresh = () => {
    setReloadKey((key) => key + 1);
    void sync.reload();
  };

  const rows = page?.listings ?? [];
  const chosen = rows.filter((row) => selected.has(row.id));
  const bulk = async (action: BulkAction) => {
    const ids = eligible(chosen, action).map((row) => row.id);
    if (ids.length === 0) return;
    setBusy(action);
    setMessage(null);
    try {
      const result = await runBulkAction(api, store.id, action, ids);
      if (result.errors.length > 0) setMessage({ tone: "critical", text: result.errors.map((e) => describeStoreError(i18n, e)).join(" ") });
      else setMessage({ tone: "success", text: t(`listings.done.${action}`, { count: result.listings.length }) });
      setSelected(new Set());
      refresh();
    } catch (error) {
      setMessage({ tone: "critical", text: errorText(error) });
    } finally {
      setBusy(null);
    }
  };

  const s = sync.data;
  const counts = s?.counts;
  const connected = store.status !== "NOT_CONNECTED";
  const stateLabel = (state: ListingState) => t(`listings.state.${state}` as MessageKey);
  const bulkActions: BulkAction[] = (["list", "end", "relist"] as const).filter((action) => eligible(rows, action).length > 0);
  const allSelected = rows.length > 0 && rows.every((row) => selected.has(row.id));

  const onTabKey = (event: React.KeyboardEvent, index: number) => {
    const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    event.preventDefault();
    const next = LISTING_STATES[(index + step + LISTING_STATES.length) % LISTING_STATES.length];
    setTab(next);
    tabRefs.current[next]?.focus();
  };

  return (
    <Section
      title={t("listings.title")}
      actions={
        <>
          <Button variant="primary" disabled={!connected || running || busy !== null} onClick={startSync} data-testid="listings-sync">
            {busy === "sync" ? t("action.working") : t("listings.sync")}
          </Button>
          <Button variant="secondary" onClick={() => navigate({ name: "listingSettings", id: store.id })} data-testid="listings-settings">
            {t("listings.settings")}
          </Button>
        </>
      }
    >
      <Box data-testid="listings-section" data-sync-status={s?.status ?? "NONE"} data-sync-id={s?.id ?? ""} data-pending={String(counts?.pending ?? 0)} display="flex" flexDirection="column" gap={4}>
        <Text color="default2">{t("listings.intro")}</Text>
        {message && (
          <Banner tone={message.tone} onDismiss={() => setMessage(null)} testId="listings-message">
            <Text>{message.text}</Text>
          </Banner>
        )}
        {!connected && !s && <Text color="default2">{t("listings.connectFirst")}</Text>}
        {s && (
          <Text size={3} color="default2" data-testid="listings-sync-state" role="status">
            {running
              ? t("listings.syncRunning", { phase: i18n.tDynamic(`listings.phase.${s.phase}`, "listings.phase.scan"), sent: s.sent, accepted: s.accepted })
              : s.status === "FAILED"
                ? t("listings.syncFailed", { date: formatDateTime(s.finishedAt), reason: s.lastError ?? s.lastErrorCode ?? "" })
                : t("listings.syncDone", { date: formatDateTime(s.finishedAt), sent: s.sent, accepted: s.accepted, rejected: s.rejected })}
            {counts && counts.pending > 0 ? ` · ${t("listings.pending", { count: counts.pending })}` : ""}
          </Text>
        )}

        <Box role="tablist" aria-label={t("listings.tabs")} display="flex" gap={1} flexWrap="wrap" borderBottomStyle="solid" borderBottomWidth={1} borderColor="default1">
          {LISTING_STATES.map((state, index) => {
            const active = tab === state;
            return (
              <Box
                as="button"
                key={state}
                ref={(element: HTMLButtonElement | null) => {
                  tabRefs.current[state] = element;
                }}
                role="tab"
                type="button"
                id={`listings-tab-${state}`}
                aria-selected={active}
                aria-controls="listings-panel"
                tabIndex={active ? 0 : -1}
                data-state={state}
                data-count={counts ? String(counts[COUNT_KEY[state]]) : ""}
                onClick={() => setTab(state)}
                onKeyDown={(event: React.KeyboardEvent) => onTabKey(event, index)}
                paddingX={3}
                paddingY={2}
                backgroundColor="default1"
                color="default1"
                borderStyle="none"
                borderBottomStyle="solid"
                __borderBottomWidth="3px"
                borderColor={active ? "accent1" : "default1"}
                cursor="pointer"
                fontWeight={active ? "bold" : "regular"}
                fontSize={3}
              >
                {stateLabel(state)}
                {counts ? ` (${counts[COUNT_KEY[state]]})` : ""}
              </Box>
            );
          })}
        </Box>

        <Box id="listings-panel" role="tabpanel" aria-labelledby={`listings-tab-${tab}`} display="flex" flexDirection="column" gap={4} data-testid="listings-panel" data-tab={tab}>
          <Box display="flex" gap={3} flexWrap="wrap" alignItems="flex-end">
            <Box __minWidth="260px" flexGrow="1">
              <TextField type="search" name="listings-search" label={t("listings.search")} value={search} onChange={setSearch} />
            </Box>
            <Box __minWidth="200px">
              <SelectField
                name="listings-override"
                label={t("listings.overrideFilter")}
                value={override}
                onChange={(value) => setOverride(value as "" | "yes" | "no")}
                options={[
                  { value: "", label: t("listings.overrideAll") },
                  { value: "yes", label: t("listings.overrideYes", { count: counts?.overrides ?? 0 }) },
                  { value: "no", label: t("listings.overrideNo") },
                ]}
              />
            </Box>
          </Box>

          {tab === "ERROR" && <Text size={3} color="default2">{t("listings.help.ERROR")}</Text>}
          {tab === "INCOMPLETE" && <Text size={3} color="default2">{t("listings.help.INCOMPLETE")}</Text>}

          {pageError && (
            <Banner tone="critical" testId="listings-page-error">
              <Text>{t("error.generic", { message: pageError })}</Text>
            </Banner>
          )}

          {rows.length > 0 && bulkActions.length > 0 && (
            <Box display="flex" gap={3} alignItems="center" flexWrap="wrap" data-testid="listings-bulk">
              <Box as="label" display="flex" gap={2} alignItems="center">
                <input
                  type="checkbox"
                  checked={allSelected}
                  onChange={() => setSelected(allSelected ? new Set() : new Set(rows.map((row) => row.id)))}
                />
                <Text size={3}>{t("listings.selectPage")}</Text>
              </Box>
              <Text size={3} color="default2" data-testid="listings-selected">
                {t("listings.selected", { count: chosen.length })}
              </Text>
              {bulkActions.map((action) => (
                <Button
                  key={action}
                  variant={action === "end" ? "error" : "secondary"}
                  size="small"
                  disabled={busy !== null || eligible(chosen, action).length === 0}
                  onClick={() => void bulk(action)}
                  data-action={action}
                >
                  {busy === action ? t("action.working") : t(`listings.bulk.${action}`, { count: eligible(chosen, action).length })}
                </Button>
              ))}
            </Box>
          )}

          {page && rows.length === 0 && !pageError && (
            <Text color="default2" data-testid="listings-empty">
              {t("listings.empty")}
            </Text>
          )}
          {rows.length > 0 && (
            <Box overflowX="auto">
              <DataTable
                testId="listings-table"
                tableAttributes={{ "data-total": String(page?.totalCount ?? 0) }}
                rows={rows}
                rowKey={(row) => row.id}
                rowAttributes={(row) => ({ "data-sku": row.sellerSku, "data-state": row.state, "data-listing-id": row.id })}
                columns={[
                  {
                    header: t("listings.col.select"),
                    cell: (row) => (
                      <input
                        type="checkbox"
                        aria-label={t("listings.selectRow", { sku: row.sellerSku })}
                        checked={selected.has(row.id)}
                        onChange={() =>
                          setSelected((previous) => {
                            const next = new Set(previous);
                            if (next.has(row.id)) next.delete(row.id);
                            else next.add(row.id);
                            return next;
                          })
                        }
                      />
                    ),
                  },
                  {
                    header: t("listings.col.product"),
                    cell: (row) => (
                      <Box display="flex" flexDirection="column" alignItems="flex-start" gap={1}>
                        <Button variant="tertiary" size="small" onClick={() => setOpen(row)} data-testid="listing-open">
                          {row.name || row.sellerSku}
                        </Button>
                        {row.reasonCode && (
                          <Text size={2} color="default2">
                            {reasonText(i18n, row)}
                          </Text>
                        )}
                        {row.issues.length > 0 && (
                          <Text size={2} color="critical1" data-testid="listing-issue-summary">
                            {row.issues[0].code}: {row.issues[0].message}
                          </Text>
                        )}
                      </Box>
                    ),
                  },
                  { header: t("listings.col.sku"), cell: (row) => <Text size={3}>{row.sellerSku}</Text> },
                  { header: t("listings.col.asin"), cell: (row) => <Text size={3}>{row.asin || t("app.none")}</Text> },
                  { header: t("listings.col.price"), nowrap: true, cell: (row) => <Text size={3}>{priceText(i18n, row.desired.price, row.desired.currency)}</Text> },
                  { header: t("listings.col.quantity"), cell: (row) => <Text size={3}>{row.desired.quantity ?? t("app.none")}</Text> },
                  {
                    header: t("listings.col.state"),
                    cell: (row) => (
                      <Box display="flex" gap={1} flexWrap="wrap">
                        <Badge tone={STATE_TONES[row.state]}>{stateLabel(row.state)}</Badge>
                        {row.inProgress && <Badge tone="neutral">{t("listings.inProgress")}</Badge>}
                        {row.hasOverride && <Badge tone="warning">{t("listings.overridden")}</Badge>}
                      </Box>
                    ),
                  },
                ]}
              />
            </Box>
          )}
          {page && (
            <Box display="flex" gap={3} alignItems="center" as="nav" aria-label={t("listings.pagination")}>
              <Text size={2} color="default2" data-testid="listings-shown">
                {t("listings.shown", { from: page.totalCount === 0 ? 0 : (cursors.length - 1) * PAGE_SIZE + 1, to: (cursors.length - 1) * PAGE_SIZE + rows.length, total: page.totalCount })}
              </Text>
              <Button variant="secondary" size="small" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
                {t("listings.previous")}
              </Button>
              <Button
                variant="secondary"
                size="small"
                disabled={!page.pageInfo.hasNextPage}
                onClick={() => setCursors([...cursors, page.pageInfo.endCursor])}
              >
                {t("listings.next")}
              </Button>
            </Box>
          )}
        </Box>
      </Box>
      <ListingDrawer
        storeId={store.id}
        listing={open}
        onClose={() => setOpen(null)}
        onChanged={(next) => {
          setOpen(next);
          refresh();
        }}
      />
    </Section>
  );
}

type I18nLike = ReturnType<typeof useI18n>;

/** Why a listing cannot be offered: the plugin's English, or the catalog's words in other locales. */
export function reasonText(i18n: I18nLike, listing: Pick<Listing, "reasonCode" | "reason">): string {
  if (!listing.reasonCode) return "";
  const key = `listings.reason.${listing.reasonCode}`;
  if (i18n.locale !== "en" || !listing.reason) return i18n.tDynamic(key, "listings.reason.UNKNOWN");
  return listing.reason;
}

export function priceText(i18n: I18nLike, price: string | null, currency: string | null): string {
  if (price == null) return i18n.t("app.none");
  try {
    return currency ? new Intl.NumberFormat(i18n.locale, { style: "currency", currency }).format(Number(price)) : price;
  } catch {
    return `${price} ${currency ?? ""}`.trim();
  }
}
