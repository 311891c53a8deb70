import { useI18n } from "../i18n";
import { Badge, type BadgeTone } from "../ui";
import { statusPresentation } from "./status";

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
