import { Box, Button, Text } from "@saleor/macaw-ui";
import { useId, useState, type ReactNode } from "react";
import { useI18n } from "../i18n";
import { outline } from "./theme";

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
}: FieldProps & { value: string; onChange: (value: string) => void; type?: "text" | "email" | "search" | "date"; name: string; required?: boolean; autoComplete?: string }) {
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
