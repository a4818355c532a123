export { HealthStatus, healthLabel } from './HealthStatus';
export type { HealthStatusProps } from './HealthStatus';
