/**
 * "Catalog on Amazon" on a store's page: which of the channel's variants Amazon's catalog
 * knows. Counts per result, a progress bar while a match runs (polled), the results with a
 * status filter and a search, ASINs linking to the item's page on the store's marketplace,
 * Start/Refresh and a CSV export.
 */
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useState } from "react";
import { useAsync, useServices } from "../context";
import { useI18n, type MessageKey } from "../i18n";
import {
  fetchAllCatalogMatches,
  fetchCatalogPage,
  fetchCatalogRun,
  formatDuration,
  isRunning,
  MATCH_STATUSES,
  startCatalogMatch,
  cancelCatalogMatch,
  CANCELLED,
  toCsv,
  type CatalogCounts,
  type CatalogFilter,
  type CatalogMatch,
  type CatalogMatchStatus,
  type CatalogPage,
} from "./catalog";
import { isSafeExternalUrl } from "../lib/urls";
import { describeStoreError } from "../stores/wording";
import { Badge, Banner, DataTable, SelectField, Section, TextField, type BadgeTone } from "../ui";

export const POLL_INTERVAL_MS = 1500;
const PAGE_SIZE = 50;

type StoreLike = { id: string; name: string; status: string };

const COUNT_KEYS: Array<[keyof CatalogCounts, CatalogMatchStatus]> = [
  ["matched", "MATCHED"],
  ["multipleMatches", "MULTIPLE_MATCHES"],
  ["noMatch", "NO_MATCH"],
  ["invalidIdentifier", "INVALID_IDENTIFIER"],
  ["noIdentifier", "NO_IDENTIFIER"],
  ["error", "ERROR"],
  ["pending", "PENDING"],
];

const TONES: Record<CatalogMatchStatus, BadgeTone> = {
  MATCHED: "success",
  MULTIPLE_MATCHES: "warning",
  NO_MATCH: "neutral",
  INVALID_IDENTIFIER: "critical",
  NO_IDENTIFIER: "warning",
  ERROR: "critical",
  PENDING: "neutral",
};

export function CatalogSection({ store }: { store: StoreLike }) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const { api } = useServices();
  const run = useAsync(() => fetchCatalogRun(api, store.id), [api, store.id]);
  const [filter, setFilter] = useState<CatalogFilter>({});
  const [search, setSearch] = useState("");
  const [page, setPage] = useState<CatalogPage | null>(null);
  const [pageError, setPageError] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: "critical" | "success"; text: string } | null>(null);
  const [busy, setBusy] = useState<"start" | "cancel" | "export" | "more" | null>(null);
  const running = isRunning(run.data);

  // The first page again whenever the filter or the run's progress changes; a stale answer is dropped.
  const runStatus = run.data?.status;
  const runDone = run.data?.done;
  useEffect(() => {
    let current = true;
    fetchCatalogPage(api, store.id, filter, PAGE_SIZE).then(
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
  }, [api, store.id, filter, runStatus, runDone]);

  // While a match runs, follow it.
  const reloadRun = run.reload;
  useEffect(() => {
    if (!running) return undefined;
    const timer = setInterval(() => void reloadRun(), POLL_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [running, reloadRun]);

  // Search as the merchant types, a moment after the last key.
  useEffect(() => {
    const timer = setTimeout(() => setFilter((previous) => ({ ...previous, search })), 300);
    return () => clearTimeout(timer);
  }, [search]);

  const start = (action: "start" | "cancel" = "start") => async () => {
    setBusy(action);
    setMessage(null);
    try {
      const result = await (action === "cancel" ? cancelCatalogMatch : startCatalogMatch)(api, store.id);
      if (result.errors.length > 0) {
        setMessage({ tone: "critical", text: result.errors.map((error) => describeStoreError(i18n, error)).join(" ") });
      } else if (result.run) {
        run.setData(result.run);
      }
    } catch (error) {
      setMessage({ tone: "critical", text: t("error.generic", { message: error instanceof Error ? error.message : String(error) }) });
    } finally {
      setBusy(null);
    }
  };

  const more = async () => {
    if (!page?.pageInfo.endCursor) return;
    setBusy("more");
    try {
      const next = await fetchCatalogPage(api, store.id, filter, PAGE_SIZE, page.pageInfo.endCursor);
      setPage({ ...next, matches: [...page.matches, ...next.matches] });
    } catch (error) {
      setPageError(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(null);
    }
  };

  const exportCsv = async () => {
    setBusy("export");
    try {
      const rows = await fetchAllCatalogMatches(api, store.id, filter);
      const blob = new Blob([toCsv(rows)], { type: "text/csv;charset=utf-8" });
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = `amazon-catalog-${store.name.replace(/[^\w.-]+/g, "-").toLowerCase()}.csv`;
      link.dataset.testid = "catalog-csv-link";
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setMessage({ tone: "success", text: t("catalog.exported", { count: rows.length }) });
    } catch (error) {
      setMessage({ tone: "critical", text: t("error.generic", { message: error instanceof Error ? error.message : String(error) }) });
    } finally {
      setBusy(null);
    }
  };

  const r = run.data;
  const connected = store.status !== "NOT_CONNECTED";
  const statusLabel = (status: CatalogMatchStatus) => t(`catalog.status.${status}` as MessageKey);
  const eta = r?.estimatedSecondsLeft != null ? formatDuration(r.estimatedSecondsLeft) : null;
  const etaText = eta
    ? eta.h > 0
      ? t("catalog.etaHours", { h: eta.h, min: eta.min })
      : eta.min > 0
        ? t("catalog.etaMinutes", { min: eta.min, s: eta.s })
        : t("catalog.etaSeconds", { s: eta.s })
    : null;

  return (
    <Section
      title={t("catalog.title")}
      actions={
        <>
          <Button variant="primary" disabled={!connected || running || busy !== null} onClick={start()} data-testid="catalog-start">
            {busy === "start" ? t("action.working") : r ? t("catalog.refresh") : t("catalog.start")}
          </Button>
          {running && (
            <Button variant="secondary" disabled={busy !== null} onClick={start("cancel")} data-testid="catalog-cancel">
              {busy === "cancel" ? t("action.working") : t("catalog.cancel")}
            </Button>
          )}
          <Button variant="secondary" disabled={!page || page.totalCount === 0 || busy !== null} onClick={exportCsv} data-testid="catalog-export">
            {busy === "export" ? t("action.working") : t("catalog.export")}
          </Button>
        </>
      }
    >
      <Box data-testid="catalog-section" data-run-status={r?.status ?? "NONE"} display="flex" flexDirection="column" gap={4}>
        <Text color="default2">{t("catalog.intro")}</Text>
        {message && (
          <Banner tone={message.tone} onDismiss={() => setMessage(null)} testId="catalog-message">
            <Text>{message.text}</Text>
          </Banner>
        )}
        {!connected && !r && <Text color="default2">{t("catalog.connectFirst")}</Text>}
        {run.error && !r ? (
          <Banner tone="critical" testId="catalog-error">
            <Text>{t("error.generic", { message: run.error instanceof Error ? run.error.message : String(run.error) })}</Text>
          </Banner>
        ) : null}
        {r && running && (
          <Box display="flex" flexDirection="column" gap={1} data-testid="catalog-progress">
            <Text size={3}>
              {r.status === "PENDING"
                ? t("catalog.preparing")
                : t("catalog.progress", { done: r.done, total: r.total, percent: Math.floor(r.progress * 100) })}
              {etaText ? ` · ${etaText}` : ""}
            </Text>
            <Box
              role="progressbar"
              aria-label={t("catalog.title")}
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={Math.floor(r.progress * 100)}
              backgroundColor="default1Hovered"
              borderRadius={3}
              __height="10px"
              overflow="hidden"
            >
              <Box backgroundColor="accent1" __height="10px" __width={`${Math.max(2, r.progress * 100)}%`} />
            </Box>
          </Box>
        )}
        {r && !running && (
          <Text size={3} color="default2" data-testid="catalog-last-run">
            {r.status === "FAILED" && r.lastErrorCode === CANCELLED
              ? t("catalog.cancelled", { date: formatDateTime(r.finishedAt) })
              : r.status === "FAILED"
              ? t("catalog.failed", { date: formatDateTime(r.finishedAt), reason: r.lastError ?? r.lastErrorCode ?? "" })
              : t("catalog.finished", { date: formatDateTime(r.finishedAt), matched: r.counts.matched, total: r.counts.total })}
          </Text>
        )}
        {r && (
          <Box display="flex" gap={2} flexWrap="wrap" data-testid="catalog-counts">
            {COUNT_KEYS.filter(([key]) => key !== "pending" || r.counts.pending > 0).map(([key, status]) => (
              <Badge key={key} tone={TONES[status]} data-count={status}>
                {statusLabel(status)}: {r.counts[key]}
              </Badge>
            ))}
          </Box>
        )}

        {r && (
          <Box display="flex" gap={3} flexWrap="wrap" alignItems="flex-end">
            <Box __minWidth="220px">
              <SelectField
                name="catalog-status"
                label={t("catalog.filter")}
                value={filter.status?.[0] ?? ""}
                onChange={(value) => setFilter((previous) => ({ ...previous, status: value ? [value as CatalogMatchStatus] : undefined }))}
                options={[{ value: "", label: t("catalog.filterAll") }, ...MATCH_STATUSES.map((s) => ({ value: s, label: statusLabel(s) }))]}
              />
            </Box>
            <Box __minWidth="260px" flexGrow="1">
              {/* The form's own field, not macaw's Input: that one renders role="input", an abstract
                  ARIA role axe reports as critical inside the real Dashboard. */}
              <TextField type="search" name="catalog-search" label={t("catalog.search")} value={search} onChange={setSearch} />
            </Box>
          </Box>
        )}
        {pageError && (
          <Banner tone="critical" testId="catalog-page-error">
            <Text>{t("error.generic", { message: pageError })}</Text>
          </Banner>
        )}
        {r && page && page.matches.length === 0 && <Text color="default2">{t("catalog.empty")}</Text>}
        {page && page.matches.length > 0 && (
          <Box overflowX="auto">
            <DataTable
              testId="catalog-table"
              tableAttributes={{ "data-total": String(page.totalCount) }}
              rows={page.matches}
              rowKey={(m) => m.id}
              rowAttributes={(m) => ({ "data-status": m.status, "data-sku": m.variant.sku ?? "" })}
              columns={[
                {
                  header: t("catalog.col.product"),
                  cell: (m) => (
                    <Box display="flex" gap={2} alignItems="center">
                      {m.imageUrl && isSafeExternalUrl(m.imageUrl) && (
                        <img src={m.imageUrl} alt="" width={32} height={32} style={{ objectFit: "cover", borderRadius: 4 }} loading="lazy" />
                      )}
                      <Text size={3}>{m.variant.name || t("app.none")}</Text>
                    </Box>
                  ),
                },
                { header: t("catalog.col.sku"), cell: (m) => <Text size={3}>{m.variant.sku || t("app.none")}</Text> },
                {
                  header: t("catalog.col.identifier"),
                  cell: (m) => <Text size={3}>{m.identifier ? `${m.identifierType} ${m.identifier}` : t("app.none")}</Text>,
                },
                { header: t("catalog.col.result"), cell: (m) => <MatchResult match={m} statusLabel={statusLabel} /> },
                { header: t("catalog.col.asin"), cell: (m) => <MatchAsin match={m} /> },
                {
                  header: t("catalog.col.amazon"),
                  cell: (m) => <Text size={3}>{[m.title, m.brand].filter(Boolean).join(" · ") || t("app.none")}</Text>,
                },
              ]}
            />
          </Box>
        )}
        {page && (
          <Box display="flex" gap={3} alignItems="center">
            <Text size={2} color="default2" data-testid="catalog-shown">
              {t("catalog.shown", { shown: page.matches.length, total: page.totalCount })}
            </Text>
            {page.pageInfo.hasNextPage && (
              <Button variant="secondary" size="small" disabled={busy !== null} onClick={more}>
                {busy === "more" ? t("action.working") : t("catalog.more")}
              </Button>
            )}
          </Box>
        )}
      </Box>
    </Section>
  );
}

function MatchResult({ match: m, statusLabel }: { match: CatalogMatch; statusLabel: (status: CatalogMatchStatus) => string }) {
  const { locale, tDynamic } = useI18n();
  // The API's reasons are English: other locales show the catalog's text for the status.
  const reason = m.reason && (locale === "en" ? m.reason : tDynamic(`catalog.reason.${m.status}`, "catalog.reason.ERROR"));
  return (
    <Box display="flex" flexDirection="column" alignItems="flex-start" gap={1}>
      <Badge tone={TONES[m.status]}>{statusLabel(m.status)}</Badge>
      {reason && (
        <Text size={2} color="default2">
          {reason}
        </Text>
      )}
    </Box>
  );
}

function MatchAsin({ match: m }: { match: CatalogMatch }) {
  const { t } = useI18n();
  const link = isSafeExternalUrl(m.productUrl) ? m.productUrl : null;
  return m.asin && link ? (
    <a href={link} target="_blank" rel="noopener noreferrer" data-testid="catalog-asin">
      <Text size={3} color="accent1">
        {m.asin}
      </Text>
    </a>
  ) : (
    <Text size={3}>{m.asins.length > 1 ? m.asins.join(", ") : t("app.none")}</Text>
  );
}
