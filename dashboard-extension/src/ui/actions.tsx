import { Box, Button, Modal, Spinner, Text } from "@saleor/macaw-ui";
import { useEffect, useId, useRef, useState, type ReactNode } from "react";
import { useFlash } from "../context";
import { useI18n } from "../i18n";
import { outline } from "./theme";

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
 * bottom-left, 360px wide) covers the frame's bottom-left corner, where Delete would be. While it is
 * on screen, messages stay in the page rather than in the Dashboard's toasts, which would cover it
 * (see needsBanner).
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
  const { registerSavebar } = useFlash();
  useEffect(() => registerSavebar(), [registerSavebar]);
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
