import { Box, Text } from "@saleor/macaw-ui";
import { useEffect, useId, type ReactNode } from "react";
import { useOptionalServices } from "../context";
import { useI18n } from "../i18n";
import { outline } from "./theme";

/** The frame's title, per screen (screen readers announce it; the Dashboard's tab keeps its own). */
export function usePageTitle(title: string | null | undefined) {
  const { t } = useI18n();
  useEffect(() => {
    // "Amazon Stores · Amazon Sales Channel", or the app's name alone on its home page.
    if (title) document.title = title === t("app.title") ? title : t("app.pageTitle", { title });
  }, [title, t]);
}

/**
 * The screen's heading. It receives the focus when the screen changes (see App), so a screen
 * reader starts reading there. `hidden` keeps it for assistive technology only: the Dashboard's
 * top bar already shows the app's name.
 */
export function PageHeader({
  title,
  subtitle,
  back,
  actions,
  documentTitle,
  hidden,
}: {
  title: ReactNode;
  subtitle?: ReactNode;
  back?: { href: string; label: string };
  actions?: ReactNode;
  documentTitle?: string;
  hidden?: boolean;
}) {
  usePageTitle(documentTitle ?? (typeof title === "string" ? title : null));
  return (
    <Box as="header" display="flex" flexDirection="column" gap={2} marginBottom={6}>
      {back && (
        <Box>
          <TextLink href={back.href}>← {back.label}</TextLink>
        </Box>
      )}
      <Box display="flex" justifyContent="space-between" alignItems="center" gap={4} flexWrap="wrap">
        <Box display="flex" flexDirection="column" gap={1}>
          <Text
            as="h1"
            size={10}
            fontWeight="bold"
            tabIndex={-1}
            data-page-heading=""
            className={hidden ? "visually-hidden" : undefined}
          >
            {title}
          </Text>
          {subtitle && (
            <Text as="p" size={4} color="default2">
              {subtitle}
            </Text>
          )}
        </Box>
        {actions && (
          <Box display="flex" gap={3} alignItems="center" flexWrap="wrap">
            {actions}
          </Box>
        )}
      </Box>
    </Box>
  );
}

export function TextLink({ href, children, external }: { href: string; children: ReactNode; external?: boolean }) {
  const services = useOptionalServices();
  // Inside the Dashboard, a tab opened from the sandboxed iframe would inherit the sandbox:
  // let the host (AppBridge redirect with newContext) open external pages.
  const onClick =
    external && services?.host.mode === "dashboard"
      ? (event: React.MouseEvent) => {
          event.preventDefault();
          void services.host.openInNewTab(href).catch(() => undefined);
        }
      : undefined;
  return (
    <Text
      as="a"
      href={href}
      color="accent1"
      size={4}
      fontWeight="medium"
      style={{ textDecoration: "underline" }}
      onClick={onClick}
      {...(external ? { target: "_blank", rel: "noopener noreferrer" } : {})}
    >
      {children}
    </Text>
  );
}

const tableCell = { paddingY: 2, paddingX: 2, borderBottomStyle: "solid", borderBottomWidth: 1, borderColor: "default1" } as const;

export type DataColumn<Row> = { header: string; cell: (row: Row) => ReactNode; nowrap?: boolean };

/** A plain data table (View Store's marketplaces and history): a header row, then one row per item. */
export function DataTable<Row>({
  testId,
  tableAttributes,
  rows,
  rowKey,
  rowAttributes,
  rowProps,
  columns,
}: {
  testId: string;
  tableAttributes?: Record<string, string>;
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  rowAttributes?: (row: Row) => Record<string, string>;
  /** Handlers and state of a row (drag and drop). */
  rowProps?: (row: Row) => React.HTMLAttributes<HTMLTableRowElement> & { draggable?: boolean };
  columns: readonly DataColumn<Row>[];
}) {
  return (
    <Box as="table" width="100%" data-testid={testId} {...tableAttributes} __borderCollapse="collapse">
      <thead>
        <tr>
          {columns.map((column) => (
            <Box as="th" key={column.header} textAlign="left" {...tableCell}>
              <Text size={2} fontWeight="medium" color="default2">
                {column.header}
              </Text>
            </Box>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} {...rowAttributes?.(row)} {...rowProps?.(row)}>
            {columns.map((column) => (
              <Box as="td" key={column.header} {...tableCell} whiteSpace={column.nowrap ? "nowrap" : undefined}>
                {column.cell(row)}
              </Box>
            ))}
          </tr>
        ))}
      </tbody>
    </Box>
  );
}

export function Section({ title, children, titleId, actions }: { title?: ReactNode; children: ReactNode; titleId?: string; actions?: ReactNode }) {
  const generated = useId();
  const id = titleId ?? generated;
  return (
    <Box
      as="section"
      aria-labelledby={title ? id : undefined}
      {...outline()}
      padding={5}
      display="flex"
      flexDirection="column"
      gap={4}
      backgroundColor="default1"
    >
      {(title || actions) && (
        <Box display="flex" justifyContent="space-between" alignItems="center" gap={3} flexWrap="wrap">
          {title && (
            <Text as="h2" id={id} size={7} fontWeight="bold">
              {title}
            </Text>
          )}
          {actions && (
            <Box display="flex" gap={2} flexWrap="wrap">
              {actions}
            </Box>
          )}
        </Box>
      )}
      {children}
    </Box>
  );
}

/** A term/description list; `items` with undefined values are skipped. */
export function Facts({ items }: { items: Array<[ReactNode, ReactNode] | null | false> }) {
  return (
    <Box as="dl" display="grid" __gridTemplateColumns="minmax(8rem, max-content) 1fr" gap={2} margin={0}>
      {items.filter(Boolean).map((item, index) => {
        const [term, value] = item as [ReactNode, ReactNode];
        return (
          <Box key={index} display="contents">
            <Box as="dt">
              <Text size={3} color="default2">
                {term}
              </Text>
            </Box>
            <Box as="dd" margin={0} style={{ overflowWrap: "anywhere" }}>
              <Text size={3}>{value}</Text>
            </Box>
          </Box>
        );
      })}
    </Box>
  );
}
