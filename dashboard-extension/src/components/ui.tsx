import { Box, Button, Modal, Spinner, Text, useTheme, type TextProps } from "@saleor/macaw-ui";
import { useEffect, useId, useRef, useState, type ComponentProps, type ReactNode } from "react";
import { useI18n } from "../i18n";
import { useFlash, useOptionalServices, type FlashTone } from "../context";
import { GraphQLRequestError } from "../lib/graphql";
import { statusPresentation, type BadgeTone } from "../lib/status";

const TONE_COLORS: Record<FlashTone | BadgeTone, { bg: "success1" | "warning1" | "critical1" | "info1" | "default2"; text: "success1" | "warning1" | "critical1" | "info1" | "default1"; border: "success1" | "warning1" | "critical1" | "info1" | "default1" }> = {
  success: { bg: "success1", text: "success1", border: "success1" },
  warning: { bg: "warning1", text: "warning1", border: "warning1" },
  critical: { bg: "critical1", text: "critical1", border: "critical1" },
  info: { bg: "info1", text: "info1", border: "info1" },
  neutral: { bg: "default2", text: "default1", border: "default1" },
};

/**
 * macaw-ui's warning text colour (hsl 36 44% 50%) reads at about 3:1 on the light theme's white and
 * 2.5:1 on its pale yellow; this darker amber reads at 6–7:1. The dark theme's is readable as it is.
 */
const LIGHT_THEME_WARNING_TEXT = "hsla(36, 90%, 26%, 1)";

/**
 * Corrections to macaw-ui's palette for WCAG 2.2 AA, and a visible focus ring. macaw sets its
 * variables inline on <html>; `!important` in a stylesheet is what outranks that.
 * - secondary text: 4.08:1 on white and 3.68:1 on the dark surface, now 5.7:1 and 5.5:1;
 * - white on the red (error) button: 4.30:1 / 3.38:1, now 5.5:1 in both themes;
 * - focus: macaw marks focus with a background tint (1.07:1); a 2px outline reads at 6:1 or more.
 */
export function GlobalStyles() {
  const dark = useTheme().theme === "defaultDark";
  const css = `
:root {
  --mu-colors-text-default2: ${dark ? "hsla(230, 12%, 66%, 1)" : "hsla(180, 1%, 40%, 1)"} !important;
  --mu-colors-background-button-critical-primary: hsla(11, 100%, 40%, 1) !important;
  --mu-colors-background-button-critical-primary-hovered: hsla(11, 100%, 34%, 1) !important;
  --mu-colors-background-button-critical-primary-focused: hsla(11, 100%, 34%, 1) !important;
  --amazon-channel-focus: ${dark ? "hsla(215, 100%, 78%, 1)" : "hsla(234, 96%, 45%, 1)"};
}
:focus-visible { outline: 2px solid var(--amazon-channel-focus) !important; outline-offset: 2px !important; }
[data-page-heading]:focus { outline: none !important; }
[data-page-heading]:focus-visible { outline: 2px solid var(--amazon-channel-focus) !important; }
.visually-hidden {
  position: absolute !important; width: 1px !important; height: 1px !important; padding: 0 !important;
  margin: -1px !important; overflow: hidden !important; clip: rect(0 0 0 0) !important; white-space: nowrap !important; border: 0 !important;
}`;
  return <style data-testid="global-styles">{css}</style>;
}

/** Text in a tone's colour, readable in both themes. */
export function ToneText({ tone, ...props }: Omit<TextProps, "color"> & { tone: "warning" | "critical" | "success" }) {
  const { theme } = useTheme();
  const colour = tone === "warning" && theme !== "defaultDark" ? { __color: LIGHT_THEME_WARNING_TEXT } : { color: `${tone}1` as const };
  return <Text {...props} {...colour} />;
}

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

type BoxStyle = ComponentProps<typeof Box>;

/** The one outlined-surface look (cards, banners, badges, tasks, dialogs): a 1px solid border in a theme colour. */
export function outline(borderColor: BoxStyle["borderColor"] = "default1", borderRadius: BoxStyle["borderRadius"] = 4) {
  return { borderStyle: "solid", borderWidth: 1, borderColor, borderRadius } as const;
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
  columns,
}: {
  testId: string;
  tableAttributes?: Record<string, string>;
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  rowAttributes?: (row: Row) => Record<string, string>;
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
          <tr key={rowKey(row)} {...rowAttributes?.(row)}>
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

export function Banner({ tone, children, onDismiss, testId }: { tone: FlashTone; children: ReactNode; onDismiss?: () => void; testId?: string }) {
  const { t } = useI18n();
  const colors = TONE_COLORS[tone];
  return (
    <Box
      role={tone === "critical" ? "alert" : "status"}
      data-testid={testId ?? "banner"}
      data-tone={tone}
      display="flex"
      justifyContent="space-between"
      alignItems="flex-start"
      gap={3}
      padding={4}
      {...outline(colors.border, 3)}
      // Tone backgrounds stay pale in the dark theme: keep the theme's surface, mark the tone on the edge.
      backgroundColor="default1"
      __borderLeftWidth="6px"
      marginBottom={4}
    >
      <Box display="flex" flexDirection="column" gap={2}>
        {children}
      </Box>
      {onDismiss && (
        <Button variant="tertiary" size="small" onClick={onDismiss}>
          {t("app.dismiss")}
        </Button>
      )}
    </Box>
  );
}

export function Badge({ tone, children, testId, ...rest }: { tone: BadgeTone; children: ReactNode; testId?: string; [data: `data-${string}`]: string | undefined }) {
  const colors = TONE_COLORS[tone];
  // The dark theme's tone text colours are pale, like its tone backgrounds: badges keep the surface there.
  const dark = useTheme().theme === "defaultDark";
  return (
    <Box
      as="span"
      data-testid={testId}
      data-tone={tone}
      display="inline-flex"
      alignItems="center"
      paddingX={2}
      paddingY={0.5}
      {...outline(colors.border, 3)}
      backgroundColor={dark && tone !== "neutral" ? "default1" : colors.bg}
      {...rest}
    >
      {tone === "warning" ? (
        <ToneText tone="warning" size={2} fontWeight="medium">
          {children}
        </ToneText>
      ) : (
        <Text size={2} fontWeight="medium" color={colors.text}>
          {children}
        </Text>
      )}
    </Box>
  );
}

export function StatusBadge({ status }: { status: string }) {
  const { tDynamic } = useI18n();
  const { tone } = statusPresentation(status);
  return (
    <Badge tone={tone} testId="store-status" data-status={status}>
      {tDynamic(`status.${status}`, "status.ERROR")}
    </Badge>
  );
}

/** A consent is under way: the store waits for Amazon's answer. */
export function PendingBadge() {
  const { t } = useI18n();
  return (
    <Badge tone="warning" testId="store-pending">
      {t("card.pending")}
    </Badge>
  );
}

/** Active in green only beside a working connection: "Active" next to "Not connected" is not healthy. */
export function ActiveBadge({ active, tone }: { active: boolean; tone?: BadgeTone }) {
  const { t } = useI18n();
  return (
    <Badge tone={tone ?? "neutral"} testId="store-active" data-active={String(active)}>
      {active ? t("card.active") : t("card.inactive")}
    </Badge>
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

type FieldProps = {
  label: string;
  help?: ReactNode;
  error?: string | null;
};

export function FieldMessages({ id, help, error }: { id: string; help?: ReactNode; error?: string | null }) {
  return (
    <>
      {error && (
        <Text as="p" id={`${id}-error`} size={2} color="critical1" data-testid="field-error" marginTop={1}>
          {error}
        </Text>
      )}
      {help && (
        <Text as="p" id={`${id}-help`} size={2} color="default2" marginTop={1}>
          {help}
        </Text>
      )}
    </>
  );
}

function describedBy(id: string, help: unknown, error: unknown): string | undefined {
  return [error ? `${id}-error` : null, help ? `${id}-help` : null].filter(Boolean).join(" ") || undefined;
}

/** The look every field of a form shares: an outer label above a native control. */
const CONTROL_STYLE = {
  paddingX: 3,
  paddingY: 2,
  borderRadius: 3,
  borderStyle: "solid",
  borderWidth: 1,
  fontSize: 4,
  __minHeight: "40px",
} as const;

function FieldLabel({ id, label, error }: { id: string; label: string; error?: string | null; required?: boolean }) {
  return (
    <Box as="label" htmlFor={id}>
      <Text size={3} fontWeight="medium" color={error ? "critical1" : "default1"}>
        {label}
      </Text>
    </Box>
  );
}

export function TextField({
  label,
  help,
  error,
  value,
  onChange,
  type = "text",
  name,
  required,
  autoComplete,
}: FieldProps & { value: string; onChange: (value: string) => void; type?: "text" | "email" | "search"; name: string; required?: boolean; autoComplete?: string }) {
  const id = `field-${name}`;
  return (
    <Box display="flex" flexDirection="column" gap={1}>
      <FieldLabel id={id} label={label} error={error} required={required} />
      <Box
        as="input"
        id={id}
        name={name}
        type={type}
        value={value}
        required={required}
        autoComplete={autoComplete}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, help, error)}
        onChange={(event: React.ChangeEvent<HTMLInputElement>) => onChange(event.target.value)}
        {...CONTROL_STYLE}
        borderColor={error ? "critical1" : "default1"}
        backgroundColor="default1"
        color="default1"
      />
      <FieldMessages id={id} help={help} error={error} />
    </Box>
  );
}

export type SelectOption = { value: string; label: string };
export type SelectGroup = { label: string; options: SelectOption[] };

/**
 * A native <select> in macaw-ui's look: accessible by label, and easy to drive
 * from browser tests (selectOption).
 */
export function SelectField({
  label,
  help,
  error,
  name,
  value,
  onChange,
  placeholder,
  options = [],
  groups = [],
  disabled,
  required,
}: FieldProps & {
  name: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  options?: SelectOption[];
  groups?: SelectGroup[];
  disabled?: boolean;
  required?: boolean;
}) {
  const id = `field-${name}`;
  return (
    <Box display="flex" flexDirection="column" gap={1}>
      <FieldLabel id={id} label={label} error={error} required={required} />
      <Box
        as="select"
        id={id}
        name={name}
        value={value}
        disabled={disabled}
        required={required}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, help, error)}
        onChange={(event: React.ChangeEvent<HTMLSelectElement>) => onChange(event.target.value)}
        {...CONTROL_STYLE}
        borderColor={error ? "critical1" : "default1"}
        // A disabled select keeps readable text (WCAG exempts disabled controls, merchants do not).
        backgroundColor={disabled ? "default2" : "default1"}
        color={disabled ? "default2" : "default1"}
      >
        {placeholder !== undefined && (
          <option value="" disabled={required}>
            {placeholder}
          </option>
        )}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
        {groups.map((group) => (
          <optgroup key={group.label} label={group.label}>
            {group.options.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </optgroup>
        ))}
      </Box>
      <FieldMessages id={id} help={help} error={error} />
    </Box>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <Box padding={6} role="status" aria-live="polite">
      <Text color="default2">{t("app.loading")}</Text>
    </Box>
  );
}

/** A load error: sign-in, permission, network, or other; with "Try again". */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  let title: string;
  let body: string;
  if (error instanceof GraphQLRequestError && error.kind === "unauthorized") {
    title = t("auth.unauthorized.title");
    body = t("auth.unauthorized.body");
  } else if (error instanceof GraphQLRequestError && error.kind === "forbidden") {
    title = t("auth.forbidden.title");
    body = t("auth.forbidden.body");
  } else if (error instanceof GraphQLRequestError && error.kind === "network") {
    title = t("error.network");
    body = "";
  } else {
    title = t("error.generic", { message: error instanceof Error ? error.message : String(error) });
    body = "";
  }
  return (
    <Banner tone="critical" testId="load-error">
      <Text fontWeight="bold">{title}</Text>
      {body && <Text>{body}</Text>}
      {onRetry && (
        <Box>
          <Button variant="secondary" size="small" onClick={onRetry}>
            {t("app.retry")}
          </Button>
        </Box>
      )}
    </Banner>
  );
}

/**
 * Remembers the focused element while `open` turns true, and gives it the focus back when `open`
 * turns false (a dialog closing must not drop the keyboard user on the page's body).
 */
export function useReturnFocus(open: boolean) {
  const opener = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (open) {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      return;
    }
    const target = opener.current;
    opener.current = null;
    // After the dialog's own focus handling (Radix moves focus on unmount).
    if (target) window.setTimeout(() => (target.isConnected ? target : document.querySelector<HTMLElement>("[data-page-heading]"))?.focus(), 0);
  }, [open]);
}

/** A dialog like Saleor's ActionDialog: title and close control, body, "Back" and the action (spinner while busy). */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
  busy,
  critical = true,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  busy?: boolean;
  critical?: boolean;
}) {
  const { t } = useI18n();
  const titleId = useId();
  const bodyId = useId();
  useReturnFocus(open);
  return (
    <Modal open={open} onChange={(next) => (next || busy ? undefined : onCancel())}>
      <Modal.Content
        dialogContentProps={{
          "aria-labelledby": titleId,
          "aria-describedby": bodyId,
          role: "alertdialog",
          onCloseAutoFocus: (event) => event.preventDefault(),
        }}
      >
        <Box
          position="fixed"
          __left="50%"
          __top="50%"
          __transform="translate(-50%, -50%)"
          __width="min(520px, calc(100vw - 32px))"
          backgroundColor="default1"
          {...outline()}
          boxShadow="defaultModal"
          padding={6}
          display="flex"
          flexDirection="column"
          gap={4}
          data-testid="confirm-dialog"
          aria-busy={busy ? true : undefined}
        >
          <Box display="flex" justifyContent="space-between" alignItems="flex-start" gap={3}>
            <Text as="h2" id={titleId} size={7} fontWeight="bold">
              {title}
            </Text>
            <Button variant="tertiary" size="small" onClick={onCancel} disabled={busy} aria-label={t("app.close")} data-testid="dialog-close">
              <span aria-hidden="true">✕</span>
            </Button>
          </Box>
          <Box id={bodyId} display="flex" flexDirection="column" gap={3}>
            {children}
          </Box>
          <Box display="flex" justifyContent="flex-end" gap={3}>
            <Button variant="secondary" onClick={onCancel} disabled={busy}>
              {t("dialog.back")}
            </Button>
            <Button variant={critical ? "error" : "primary"} onClick={onConfirm} disabled={busy} data-testid="dialog-confirm">
              {busy ? <Spinner aria-hidden="true" /> : null}
              {confirmLabel}
            </Button>
          </Box>
        </Box>
      </Modal.Content>
    </Modal>
  );
}

/**
 * Saleor's bottom save bar: Delete, "Discard changes" and Save. It stays at the bottom of the frame
 * while the page scrolls; the page leaves room for it. Unlike Saleor's own bar, Delete sits with the
 * other actions on the right: in the real Dashboard 3.23 its feature announcement card (fixed
 * bottom-left, 360px wide) covers the frame's bottom-left corner, where Delete would be.
 */
export function Savebar({
  onSave,
  onCancel,
  onDelete,
  dirty,
  saving,
  disabled,
  saveLabel,
  cancelLabel,
}: {
  onSave: () => void;
  onCancel: () => void;
  onDelete?: () => void;
  dirty: boolean;
  saving: boolean;
  disabled?: boolean;
  saveLabel?: string;
  cancelLabel?: string;
}) {
  const { t } = useI18n();
  return (
    <>
      <Box __height="80px" aria-hidden="true" />
      <Box
        as="section"
        aria-label={t("savebar.label")}
        data-testid="savebar"
        position="fixed"
        __left="0"
        __right="0"
        __bottom="0"
        __zIndex="2"
        backgroundColor="default1"
        borderTopStyle="solid"
        borderTopWidth={1}
        borderColor="default1"
        __height="64px"
      >
        <Box display="flex" alignItems="center" gap={3} paddingX={6} height="100%" __maxWidth="1280px" marginX="auto">
          {/* Every action on the right: the Dashboard's announcement cards cover the bottom-left of the frame. */}
          <Box __flex="1" />
          {onDelete && (
            <Box marginRight={6}>
              <Button type="button" variant="error" onClick={onDelete} disabled={saving || disabled} data-testid="savebar-delete">
                {t("savebar.delete")}
              </Button>
            </Box>
          )}
          <Button type="button" variant="secondary" onClick={onCancel} disabled={saving || !dirty}>
            {cancelLabel ?? t("savebar.cancel")}
          </Button>
          <Button type="button" variant="primary" onClick={onSave} disabled={saving || disabled || !dirty} data-testid="savebar-save">
            {saving ? <Spinner aria-hidden="true" /> : null}
            {saveLabel ?? t("savebar.save")}
          </Button>
        </Box>
      </Box>
    </>
  );
}

/** Extra actions behind one "More actions" button (a disclosure, not an ARIA menu: plain buttons inside). */
export function MoreActions({ items }: { items: Array<{ key: string; label: string; onSelect: () => void; disabled?: boolean }> }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const listId = useId();
  const root = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    if (!open) return;
    const onDocument = (event: Event) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener("mousedown", onDocument);
    document.addEventListener("focusin", onDocument);
    return () => {
      document.removeEventListener("mousedown", onDocument);
      document.removeEventListener("focusin", onDocument);
    };
  }, [open]);
  if (items.length === 0) return null;
  return (
    <Box
      ref={root}
      position="relative"
      onKeyDown={(event: React.KeyboardEvent) => {
        if (event.key === "Escape" && open) {
          setOpen(false);
          root.current?.querySelector<HTMLElement>("[aria-controls]")?.focus();
        }
      }}
    >
      <Button variant="secondary" aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)} data-testid="more-actions">
        {t("app.more")} <span aria-hidden="true">▾</span>
      </Button>
      <Box
        as="ul"
        id={listId}
        hidden={!open}
        position="absolute"
        __right="0"
        __top="calc(100% + 4px)"
        __zIndex="3"
        __minWidth="220px"
        margin={0}
        padding={1}
        backgroundColor="default1"
        {...outline("default1", 3)}
        boxShadow="defaultOverlay"
        style={{ listStyle: "none" }}
      >
        {items.map((item) => (
          <li key={item.key}>
            <Button
              variant="tertiary"
              width="100%"
              justifyContent="flex-start"
              disabled={item.disabled}
              data-action={item.key}
              onClick={() => {
                setOpen(false);
                item.onSelect();
              }}
            >
              {item.label}
            </Button>
          </li>
        ))}
      </Box>
    </Box>
  );
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // The Dashboard's iframe has no clipboard-write permission: fall back to execCommand.
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    let ok: boolean;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }
}

export function CopyField({ label, value, testId }: { label: string; value: string; testId?: string }) {
  const { t } = useI18n();
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const id = useId();
  return (
    <Box display="flex" flexDirection="column" gap={1} data-testid={testId}>
      <Box as="label" htmlFor={id}>
        <Text size={3} fontWeight="medium">
          {label}
        </Text>
      </Box>
      <Box display="flex" gap={2} alignItems="center" flexWrap="wrap">
        <Box
          as="input"
          id={id}
          readOnly
          value={value}
          onFocus={(event: React.FocusEvent<HTMLInputElement>) => event.currentTarget.select()}
          flexGrow="1"
          __minWidth="16rem"
          paddingX={3}
          paddingY={2}
          {...outline("default1", 3)}
          backgroundColor="default2"
          color="default1"
          __fontFamily="ui-monospace, SFMono-Regular, Menlo, monospace"
          fontSize={3}
        />
        <Button
          variant="secondary"
          aria-label={t("setup.copyLabel", { label })}
          onClick={async () => setState((await copyText(value)) ? "copied" : "failed")}
        >
          {state === "copied" ? t("setup.copied") : t("setup.copy")}
        </Button>
      </Box>
      {state === "failed" && (
        <Text size={2} color="critical1" role="alert">
          {t("setup.copyFailed")}
        </Text>
      )}
    </Box>
  );
}

/** The app's confirmation / error banner (set by actions, shown by the page that follows). */
export function FlashBanner() {
  const { flash, clearFlash } = useFlash();
  if (!flash) return null;
  return (
    <Banner key={flash.id} tone={flash.tone} onDismiss={clearFlash} testId="flash">
      <Text>{flash.text}</Text>
      {flash.link && (
        <Text size={3}>
          {flash.link.hint ? `${flash.link.hint} ` : ""}
          <TextLink href={flash.link.href} external>
            {flash.link.label}
          </TextLink>
        </Text>
      )}
    </Banner>
  );
}
