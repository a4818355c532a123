import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { PipelineHealth } from '@internal/plugin-streaming-common';

/** Props of {@link HealthStatus}. */
export interface HealthStatusProps {
  health: PipelineHealth;
}

const LABELS: Record<PipelineHealth, string> = {
  ok: 'Healthy',
  warning: 'Warning',
  critical: 'Critical',
  stale: 'Stale',
  unknown: 'Unknown',
};

/** A pipeline's health as a coloured status and a word. */
export function HealthStatus({ health }: HealthStatusProps) {
  const label = LABELS[health] ?? LABELS.unknown;
  switch (health) {
    case 'ok':
      return <StatusOK>{label}</StatusOK>;
    case 'warning':
      return <StatusWarning>{label}</StatusWarning>;
    case 'critical':
      return <StatusError>{label}</StatusError>;
    case 'stale':
      return <StatusAborted>{label}</StatusAborted>;
    default:
      return <StatusPending>{label}</StatusPending>;
  }
}

/** The word for a health value, for sorting and filtering. */
export function healthLabel(health: PipelineHealth): string {
  return LABELS[health] ?? LABELS.unknown;
}
