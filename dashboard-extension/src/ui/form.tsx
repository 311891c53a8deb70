/**
 * The scaffolding of a settings screen saved with Saleor's save bar (listing settings, order settings,
 * listing rules, a price rule): the load gate, the header with the page's banners, the save bar, and
 * the question asked before leaving with unsaved changes.
 */
import { Box, Text } from "@saleor/macaw-ui";
import { useCallback, useEffect, useState, type ReactNode } from "react";
import { useI18n } from "../i18n";
import { setLeaveGuard } from "../lib/router";
import { ConfirmDialog, Savebar } from "./actions";
import { Banner, ErrorState, FlashBanner } from "./feedback";
import { PageHeader } from "./layout";

type Back = { href: string; label: string };

/**
 * While `guarded` (unsaved changes, not being saved), leaving the screen asks first: the returned
 * dialog (to render) asks, and goes where the merchant was going when they confirm (after `onLeave`).
 * With `beforeUnload`, unloading the page (reload, closing the tab) asks the browser's question too.
 */
export function useLeaveGuard(guarded: boolean, { onLeave, beforeUnload = false }: { onLeave?: () => void; beforeUnload?: boolean } = {}): ReactNode {
  const { t } = useI18n();
  const [leaveTo, setLeaveTo] = useState<string | null>(null);
  useEffect(() => {
    if (!guarded) return;
    setLeaveGuard((target) => {
      setLeaveTo(target);
      return false;
    });
    const onUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    if (beforeUnload) window.addEventListener("beforeunload", onUnload);
    return () => {
      setLeaveGuard(null);
      window.removeEventListener("beforeunload", onUnload);
    };
  }, [guarded, beforeUnload]);
  return (
    <ConfirmDialog
      open={leaveTo !== null}
      title={t("leave.title")}
      confirmLabel={t("leave.confirm")}
      onCancel={() => setLeaveTo(null)}
      onConfirm={() => {
        const target = leaveTo;
        setLeaveTo(null);
        setLeaveGuard(null);
        onLeave?.();
        if (target !== null) window.location.hash = target;
      }}
    >
      <Text as="p">{t("leave.body")}</Text>
    </ConfirmDialog>
  );
}

/** A screen whose data could not be loaded: its header, the error, and "Try again". */
export function LoadError({ title, back, error, onRetry }: { title: string; back: Back; error: unknown; onRetry: () => void }) {
  return (
    <Box>
      <PageHeader title={title} back={back} />
      <ErrorState error={error} onRetry={onRetry} />
    </Box>
  );
}

type FieldErrors<V> = Partial<Record<keyof V, string>>;

/**
 * A form filled from what the API answered (`source`, through `toValues`; filled again whenever the
 * API answers anew): the values, their errors by field, the form's general error, whether it is being
 * saved, and whether it differs from what was filled (`same` compares; JSON by default).
 */
export function useSettingsForm<S, V extends object>(source: S | null | undefined, toValues: (source: S) => V, same: (a: V, b: V) => boolean = jsonEqual) {
  const { t } = useI18n();
  const [values, setValues] = useState<V | null>(null);
  const [initial, setInitial] = useState<V | null>(null);
  const [errors, setErrors] = useState<FieldErrors<V>>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  // The source last filled from: a new answer of the API fills the form again; what a save answered
  // (fill) does not count as one, so the older source does not fill it back.
  const [seen, setSeen] = useState<S | null>(null);
  const fill = (next: S) => {
    setValues(toValues(next));
    setInitial(toValues(next));
  };
  if (source && source !== seen) {
    setSeen(source);
    fill(source);
  }
  const set = useCallback(<K extends keyof V>(key: K, value: V[K]) => {
    setValues((previous) => (previous ? { ...previous, [key]: value } : previous));
    setErrors((previous) => ({ ...previous, [key]: undefined }));
  }, []);

  /**
   * Save: with `fieldErrors` (or `blocked`) nothing is sent; otherwise `send` runs while `saving`,
   * the API errors it returns go to their fields (`fieldOf`) and the rest to the general error, as
   * does anything it throws.
   */
  const submit = async <E extends { field?: string | null }>(
    fieldErrors: FieldErrors<V>,
    send: () => Promise<E[]>,
    explain: { describe: (error: E) => string; fieldOf: (field: string) => keyof V | undefined },
    blocked = false,
  ) => {
    setErrors(fieldErrors);
    setGeneral(null);
    if (blocked || Object.keys(fieldErrors).length > 0) return;
    setSaving(true);
    try {
      const split = splitErrors(await send(), explain.describe, explain.fieldOf);
      if (Object.keys(split.byField).length > 0 || split.general) {
        setErrors(split.byField);
        setGeneral(split.general);
      }
    } catch (error) {
      setGeneral(t("error.generic", { message: error instanceof Error ? error.message : String(error) }));
    } finally {
      setSaving(false);
    }
  };

  return {
    values,
    setValues,
    initial,
    errors,
    setErrors,
    set,
    general,
    setGeneral,
    saving,
    setSaving,
    dirty: values !== null && initial !== null && !same(values, initial),
    fill,
    /** Discard changes: back to what was filled, no errors. */
    reset: () => {
      if (initial) setValues(initial);
      setErrors({});
    },
    submit,
  };
}

function jsonEqual(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The API's errors: by form field (`fieldOf` names it, or none), the others joined for the banner. */
export function splitErrors<K extends PropertyKey, E extends { field?: string | null }>(
  errors: E[],
  describe: (error: E) => string,
  fieldOf: (field: string) => K | undefined,
): { byField: Partial<Record<K, string>>; general: string | null } {
  const byField: Partial<Record<K, string>> = {};
  const rest: string[] = [];
  for (const error of errors) {
    const text = describe(error);
    const key = error.field ? fieldOf(error.field) : undefined;
    if (key) byField[key] = text;
    else rest.push(text);
  }
  return { byField, general: rest.join(" ") || null };
}

/** What the screen shows of its form (useSettingsForm gives it). */
export type FormStatus = { general: string | null; dirty: boolean; saving: boolean; reset: () => void };

/**
 * A settings screen: header (title, the store's name, back link), the page's message banner and the
 * form's general error, the sections, Saleor's save bar (Discard changes resets the form), and
 * the leave guard (while `guard`, by default while the form is dirty, and not saving). `children`
 * are the screen's own dialogs.
 */
export function FormScreen({
  testId,
  attributes,
  title,
  subtitle,
  back,
  form,
  guard = form.dirty,
  onSave,
  onDelete,
  sections,
  children,
}: {
  testId: string;
  attributes: Record<`data-${string}`, string>;
  title: string;
  subtitle: string;
  back: Back;
  form: FormStatus;
  guard?: boolean;
  onSave: () => void;
  onDelete?: () => void;
  sections: ReactNode;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  const { general, dirty, saving, reset } = form;
  const leaveDialog = useLeaveGuard(guard && !saving);
  return (
    <Box data-testid={testId} {...attributes}>
      <PageHeader title={title} subtitle={subtitle} back={back} documentTitle={`${title} · ${subtitle}`} />
      <FlashBanner />
      {general && (
        <Banner tone="critical" testId="form-errors">
          <Text>{general}</Text>
        </Banner>
      )}
      <Box display="flex" flexDirection="column" gap={5}>
        {sections}
      </Box>
      <Savebar dirty={dirty} saving={saving} saveLabel={saving ? t("form.saving") : t("savebar.save")} onSave={onSave} onCancel={reset} onDelete={onDelete} />
      {children}
      {leaveDialog}
    </Box>
  );
}
