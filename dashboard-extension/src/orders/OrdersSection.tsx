/**
 * "Amazon orders" on a store's page: each Amazon order with Amazon's status and the Saleor order it
 * became (opened in the Dashboard), those waiting for a fix first with their reason and a Retry, a
 * filter by status or problem, a search, a page at a time (previous/next), and a link to the order
 * settings. While shown, it refreshes itself every REFRESH_MS (not while the document is hidden, never
 * while a request is unanswered; the page shown stays until the new one comes, filter and page kept).
 */
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useRef, useState } from "react";
import { useAsync, useServices } from "../context";
import { useI18n, type MessageKey } from "../i18n";
import { GraphQLRequestError } from "../lib/graphql";
import { navigate } from "../lib/router";
import { priceText } from "../listings/ListingsSection";
import { describeStoreError } from "../stores/wording";
import { Badge, Banner, DataTable, Section, SelectField, TextField, ToneText, type BadgeTone } from "../ui";
import {
  canRetry,
  fetchOrderPage,
  fetchOrderSync,
  ORDER_PROBLEMS,
  ORDER_STATUSES,
  readOrdersNow,
  retryOrder,
  saleorOrderPath,
  shipmentSummary,
  toOrderFilter,
  type AmazonOrder,
  type AmazonOrderStatus,
  type OrderFilterChoice,
  type OrderPage,
} from "./orders";

export const PAGE_SIZE = 20;
/** How often the section reads the store's orders again while it is shown (the poll itself is Amazon's pace). */
export const REFRESH_MS = 30_000;

export const STATUS_TONES: Record<AmazonOrderStatus, BadgeTone> = {
  PENDING_AVAILABILITY: "neutral",
  PENDING: "neutral",
  UNSHIPPED: "warning",
  PARTIALLY_SHIPPED: "warning",
  SHIPPED: "success",
  CANCELLED: "neutral",
  UNFULFILLABLE: "critical",
};

type StoreLike = { id: string; name: string; status: string };

export function OrdersSection({ store }: { store: StoreLike }) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const { api, host } = useServices();
  const sync = useAsync(() => fetchOrderSync(api, store.id), [api, store.id]);
  const [choice, setChoice] = useState<OrderFilterChoice>("");
  const [search, setSearch] = useState("");
  const [appliedSearch, setAppliedSearch] = useState("");
  const [cursors, setCursors] = useState<Array<string | null>>([null]);
  const [page, setPage] = useState<OrderPage | null>(null);
  const [pageError, setPageError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: "critical" | "success" | "warning"; text: string } | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const after = cursors[cursors.length - 1];
  const pagesInFlight = useRef(0);
  const lastRead = useRef(0);

  useEffect(() => {
    let current = true;
    pagesInFlight.current += 1;
    lastRead.current = Date.now();
    fetchOrderPage(api, store.id, toOrderFilter(choice, appliedSearch), PAGE_SIZE, after)
      .then(
        (next) => {
          if (!current) return;
          setPage(next);
          setPageError(null);
        },
        (error: unknown) => {
          if (current) setPageError(error);
        },
      )
      .finally(() => {
        pagesInFlight.current -= 1;
      });
    return () => {
      current = false;
    };
  }, [api, store.id, choice, appliedSearch, after, reloadKey]);

  // Refresh while shown: the list and the poll state, skipped while hidden or while anything is unanswered.
  const refresh = useRef<() => void>(() => undefined);
  const syncLoading = sync.loading;
  const syncReload = sync.reload;
  const forbidden = pageError instanceof GraphQLRequestError && pageError.kind === "forbidden";
  useEffect(() => {
    refresh.current = () => {
      if (document.hidden || pagesInFlight.current > 0 || syncLoading || busy !== null || forbidden) return;
      setReloadKey((key) => key + 1);
      void syncReload();
    };
  }, [syncLoading, syncReload, busy, forbidden]);
  useEffect(() => {
    const timer = setInterval(() => refresh.current(), REFRESH_MS);
    const shown = () => {
      if (!document.hidden && Date.now() - lastRead.current >= REFRESH_MS) refresh.current();
    };
    document.addEventListener("visibilitychange", shown);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", shown);
    };
  }, []);

  // A new filter starts at the first page (adjusted while rendering).
  const filterKey = `${choice}|${appliedSearch}`;
  const [shownFilter, setShownFilter] = useState(filterKey);
  if (shownFilter !== filterKey) {
    setShownFilter(filterKey);
    setCursors([null]);
  }

  useEffect(() => {
    const timer = setTimeout(() => setAppliedSearch(search), 300);
    return () => clearTimeout(timer);
  }, [search]);

  const problemText = (order: AmazonOrder) =>
    order.problem ? i18n.tDynamic(`orders.problem.${order.problem}`, "orders.problem.other") : "";

  const retry = async (order: AmazonOrder) => {
    setBusy(order.id);
    setMessage(null);
    try {
      const result = await retryOrder(api, order.id);
      if (result.errors.length > 0) {
        setMessage({ tone: "critical", text: result.errors.map((e) => describeStoreError(i18n, e)).join(" ") });
      } else if (result.order?.saleorOrder && !result.order.problem) {
        setMessage({ tone: "success", text: t("orders.retried", { id: order.amazonOrderId, number: result.order.saleorOrder.number }) });
      } else if (result.order) {
        const reason = [problemText(result.order), result.order.problemMessage].filter(Boolean).join(": ");
        setMessage({ tone: "warning", text: t("orders.stillWaiting", { id: order.amazonOrderId, reason }) });
      }
      setReloadKey((key) => key + 1);
      void sync.reload();
    } catch (error) {
      setMessage({ tone: "critical", text: t("error.generic", { message: error instanceof Error ? error.message : String(error) }) });
    } finally {
      setBusy(null);
    }
  };

  const readNow = async () => {
    setBusy("read");
    setMessage(null);
    try {
      const result = await readOrdersNow(api, store.id);
      if (result.errors.length > 0) setMessage({ tone: "critical", text: result.errors.map((e) => describeStoreError(i18n, e)).join(" ") });
      else if (result.sync) sync.setData(result.sync);
      setReloadKey((key) => key + 1);
    } catch (error) {
      setMessage({ tone: "critical", text: t("error.generic", { message: error instanceof Error ? error.message : String(error) }) });
    } finally {
      setBusy(null);
    }
  };

  const s = sync.data;
  const connected = store.status !== "NOT_CONNECTED";
  const rows = page?.orders ?? [];
  const statusLabel = (status: AmazonOrderStatus) => t(`orders.status.${status}` as MessageKey);
  const openInDashboard = host.mode === "dashboard";

  return (
    <Section
      title={t("orders.title")}
      actions={
        <>
          <Button variant="primary" disabled={!connected || busy !== null} onClick={() => void readNow()} data-testid="orders-read">
            {busy === "read" ? t("action.working") : t("orders.readNow")}
          </Button>
          <Button variant="secondary" onClick={() => navigate({ name: "orderSettings", id: store.id })} data-testid="orders-settings">
            {t("orders.settings")}
          </Button>
        </>
      }
    >
      <Box data-testid="orders-section" data-waiting={String(s?.waitingOrders ?? 0)} data-last-poll={s?.lastPollAt ?? ""} display="flex" flexDirection="column" gap={4}>
        <Text color="default2">{t("orders.intro")}</Text>
        {message && (
          <Banner tone={message.tone} onDismiss={() => setMessage(null)} testId="orders-message">
            <Text>{message.text}</Text>
          </Banner>
        )}
        {s && (
          <Text size={3} color="default2" data-testid="orders-sync-state" role="status">
            {s.lastPollAt ? t("orders.lastPoll", { date: formatDateTime(s.lastPollAt) }) : t("orders.neverPolled")}
            {s.lastErrorCode ? ` ${t("orders.pollError", { reason: s.lastErrorMessage || s.lastErrorCode })}` : ""}
          </Text>
        )}
        {s && s.waitingOrders > 0 && (
          <ToneText as="p" size={3} tone="warning" data-testid="orders-waiting">
            {t("orders.waiting", { count: s.waitingOrders })}
          </ToneText>
        )}

        <Box display="flex" gap={3} flexWrap="wrap" alignItems="flex-end">
          <Box __minWidth="260px" flexGrow="1">
            <TextField type="search" name="orders-search" label={t("orders.search")} value={search} onChange={setSearch} />
          </Box>
          <Box __minWidth="220px">
            <SelectField
              name="orders-filter"
              label={t("orders.filter")}
              value={choice}
              onChange={(value) => setChoice(value as OrderFilterChoice)}
              options={[
                { value: "", label: t("orders.filter.all") },
                { value: "waiting", label: t("orders.filter.waiting", { count: s?.waitingOrders ?? 0 }) },
              ]}
              groups={[
                { label: t("orders.filter.statuses"), options: ORDER_STATUSES.map((status) => ({ value: `status:${status}`, label: statusLabel(status) })) },
                {
                  label: t("orders.filter.problems"),
                  options: ORDER_PROBLEMS.map((problem) => ({ value: `problem:${problem}`, label: t(`orders.problem.${problem}` as MessageKey) })),
                },
              ]}
            />
          </Box>
        </Box>

        {forbidden ? (
          <Text color="default2" data-testid="orders-forbidden">
            {t("orders.forbidden")}
          </Text>
        ) : pageError ? (
          <Banner tone="critical" testId="orders-page-error">
            <Text>{t("error.generic", { message: pageError instanceof Error ? pageError.message : String(pageError) })}</Text>
          </Banner>
        ) : null}

        {page && rows.length === 0 && !pageError && (
          <Text color="default2" data-testid="orders-empty">
            {choice === "" && !appliedSearch.trim() ? t("orders.none") : t("orders.empty")}
          </Text>
        )}
        {rows.length > 0 && (
          <Box overflowX="auto">
            <DataTable
              testId="orders-table"
              tableAttributes={{ "data-total": String(page?.totalCount ?? 0) }}
              rows={rows}
              rowKey={(row) => row.id}
              rowAttributes={(row) => ({
                "data-amazon-order-id": row.amazonOrderId,
                "data-status": row.status,
                "data-problem": row.problem ?? "",
                "data-saleor-order": row.saleorOrder?.id ?? "",
                "data-saleor-status": row.saleorOrder?.status ?? "",
              })}
              columns={[
                {
                  header: t("orders.col.order"),
                  cell: (row) => (
                    <Box display="flex" flexDirection="column" gap={1}>
                      <Text size={3} fontWeight="medium">
                        {row.amazonOrderId}
                      </Text>
                      {row.purchasedAt && (
                        <Text size={2} color="default2">
                          {t("orders.placed", { date: formatDateTime(row.purchasedAt) })}
                        </Text>
                      )}
                      {row.fulfilledBy === "AMAZON" && (
                        <Text size={2} color="default2">
                          {t("orders.fba")}
                        </Text>
                      )}
                    </Box>
                  ),
                },
                {
                  header: t("orders.col.status"),
                  cell: (row) => (
                    <Box display="flex" gap={1} flexWrap="wrap">
                      <Badge tone={STATUS_TONES[row.status] ?? "neutral"}>{statusLabel(row.status)}</Badge>
                      {row.buyerCancelRequested && <Badge tone="warning">{t("orders.buyerCancel")}</Badge>}
                    </Box>
                  ),
                },
                {
                  header: t("orders.col.saleor"),
                  cell: (row) =>
                    row.saleorOrder ? (
                      <Box display="flex" flexDirection="column" alignItems="flex-start" gap={1}>
                        {openInDashboard ? (
                          <Button
                            variant="tertiary"
                            size="small"
                            aria-label={t("orders.openSaleorOrder", { number: row.saleorOrder.number })}
                            data-testid="saleor-order-link"
                            onClick={() => void host.openDashboardPage(saleorOrderPath(row.saleorOrder!.id))}
                          >
                            {t("orders.saleorNumber", { number: row.saleorOrder.number })}
                          </Button>
                        ) : (
                          <Text size={3}>{t("orders.saleorNumber", { number: row.saleorOrder.number })}</Text>
                        )}
                        <Text size={2} color="default2" data-testid="saleor-order-status">
                          {t("orders.saleorStatus", { status: row.saleorOrder.status })}
                        </Text>
                      </Box>
                    ) : (
                      <Text size={3} color="default2">
                        {t("orders.notCreated")}
                      </Text>
                    ),
                },
                {
                  header: t("orders.col.items"),
                  cell: (row) => (
                    <Box display="flex" flexDirection="column" gap={1}>
                      {row.lines.map((line) => (
                        <Text size={3} key={line.orderItemId}>
                          {t("orders.item", { quantity: line.quantity, sku: line.sellerSku })}
                        </Text>
                      ))}
                    </Box>
                  ),
                },
                { header: t("orders.col.total"), nowrap: true, cell: (row) => <Text size={3}>{priceText(i18n, row.total, row.currency || null)}</Text> },
                {
                  header: t("orders.col.attention"),
                  cell: (row) => {
                    const shipments = shipmentSummary(row);
                    return (
                      <Box display="flex" flexDirection="column" alignItems="flex-start" gap={1}>
                        {row.problem && (
                          <>
                            <ToneText size={3} tone="warning" fontWeight="medium" data-testid="order-problem">
                              {problemText(row)}
                            </ToneText>
                            {row.problemMessage && (
                              <Text size={2} color="default2" data-testid="order-problem-message">
                                {row.problemMessage}
                              </Text>
                            )}
                          </>
                        )}
                        {shipments.tracking.length > 0 && (
                          <Text size={2} color="default2" data-testid="order-tracking">
                            {t("orders.tracking", { numbers: shipments.tracking.join(", ") })}
                          </Text>
                        )}
                        {shipments.refused && (
                          <ToneText size={2} tone="critical">
                            {t("orders.shipmentRefused")}
                          </ToneText>
                        )}
                        {canRetry(row) && (
                          <Button
                            variant="secondary"
                            size="small"
                            disabled={busy !== null}
                            aria-label={t("orders.retryLabel", { id: row.amazonOrderId })}
                            data-testid="order-retry"
                            onClick={() => void retry(row)}
                          >
                            {busy === row.id ? t("action.working") : t("orders.retry")}
                          </Button>
                        )}
                      </Box>
                    );
                  },
                },
              ]}
            />
          </Box>
        )}
        {page && (
          <Box display="flex" gap={3} alignItems="center" as="nav" aria-label={t("orders.pagination")}>
            <Text size={2} color="default2" data-testid="orders-shown">
              {t("orders.shown", { from: page.totalCount === 0 ? 0 : (cursors.length - 1) * PAGE_SIZE + 1, to: (cursors.length - 1) * PAGE_SIZE + rows.length, total: page.totalCount })}
            </Text>
            <Button variant="secondary" size="small" disabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
              {t("orders.previous")}
            </Button>
            <Button variant="secondary" size="small" disabled={!page.pageInfo.hasNextPage} onClick={() => setCursors([...cursors, page.pageInfo.endCursor])}>
              {t("orders.next")}
            </Button>
          </Box>
        )}
      </Box>
    </Section>
  );
}
