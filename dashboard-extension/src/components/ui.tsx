import { Box, Button, Input, Modal, Text, useTheme, type TextProps } from "@saleor/macaw-ui";
import { useId, useState, type ReactNode } from "react";
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

/** Text in a tone's colour, readable in both themes. */
export function ToneText({ tone, ...props }: Omit<TextProps, "color"> & { tone: "warning" | "critical" | "success" }) {
  const { theme } = useTheme();
  const colour = tone === "warning" && theme !== "defaultDark" ? { __color: LIGHT_THEME_WARNING_TEXT } : { color: `${tone}1` as const };
  return <Text {...props} {...colour} />;
}

export function PageHeader({ title, subtitle, back, actions }: { title: ReactNode; subtitle?: ReactNode; back?: { href: string; label: string }; actions?: ReactNode }) {
  return (
    <Box as="header" display="flex" flexDirection="column" gap={2} marginBottom={6}>
      {back && (
        <Box>
          <TextLink href={back.href}>← {back.label}</TextLink>
        </Box>
      )}
      <Box display="flex" justifyContent="space-between" alignItems="center" gap={4} flexWrap="wrap">
        <Box display="flex" flexDirection="column" gap={1}>
          <Text as="h1" size={10} fontWeight="bold">
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

export function Section({ title, children, titleId, actions }: { title?: ReactNode; children: ReactNode; titleId?: string; actions?: ReactNode }) {
  const generated = useId();
  const id = titleId ?? generated;
  return (
    <Box
      as="section"
      aria-labelledby={title ? id : undefined}
      borderStyle="solid"
      borderWidth={1}
      borderColor="default1"
      borderRadius={4}
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
      borderRadius={3}
      borderStyle="solid"
      borderWidth={1}
      borderColor={colors.border}
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
      borderRadius={3}
      borderStyle="solid"
      borderWidth={1}
      borderColor={colors.border}
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

export function ActiveBadge({ active }: { active: boolean }) {
  const { t } = useI18n();
  return (
    <Badge tone={active ? "success" : "neutral"} testId="store-active" data-active={String(active)}>
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
}: FieldProps & { value: string; onChange: (value: string) => void; type?: "text" | "email"; name: string; required?: boolean; autoComplete?: string }) {
  const id = `field-${name}`;
  return (
    <Box display="flex" flexDirection="column">
      <Input
        id={id}
        name={name}
        label={label}
        type={type}
        value={value}
        required={required}
        autoComplete={autoComplete}
        error={Boolean(error)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, help, error)}
        onChange={(event) => onChange(event.target.value)}
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
      <Box as="label" htmlFor={id}>
        <Text size={3} fontWeight="medium" color={error ? "critical1" : "default1"}>
          {label}
        </Text>
      </Box>
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
        paddingX={3}
        paddingY={2}
        borderRadius={3}
        borderStyle="solid"
        borderWidth={1}
        borderColor={error ? "critical1" : "default1"}
        backgroundColor={disabled ? "defaultDisabled" : "default1"}
        color={disabled ? "defaultDisabled" : "default1"}
        fontSize={4}
        __minHeight="40px"
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
  return (
    <Modal open={open} onChange={(next) => (next ? undefined : onCancel())}>
      <Modal.Content dialogContentProps={{ "aria-labelledby": titleId, "aria-describedby": bodyId, role: "alertdialog" }}>
        <Box
          position="fixed"
          __left="50%"
          __top="50%"
          __transform="translate(-50%, -50%)"
          __width="min(520px, calc(100vw - 32px))"
          backgroundColor="default1"
          borderRadius={4}
          borderStyle="solid"
          borderWidth={1}
          borderColor="default1"
          boxShadow="defaultModal"
          padding={6}
          display="flex"
          flexDirection="column"
          gap={4}
          data-testid="confirm-dialog"
        >
          <Text as="h2" id={titleId} size={7} fontWeight="bold">
            {title}
          </Text>
          <Box id={bodyId} display="flex" flexDirection="column" gap={3}>
            {children}
          </Box>
          <Box display="flex" justifyContent="flex-end" gap={3}>
            <Button variant="secondary" onClick={onCancel} disabled={busy}>
              {t("app.cancel")}
            </Button>
            <Button variant={critical ? "error" : "primary"} onClick={onConfirm} disabled={busy}>
              {busy ? t("action.working") : confirmLabel}
            </Button>
          </Box>
        </Box>
      </Modal.Content>
    </Modal>
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
    let ok = false;
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
          borderRadius={3}
          borderStyle="solid"
          borderWidth={1}
          borderColor="default1"
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
