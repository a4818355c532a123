export { DataCard } from './DataCard';
export type { DataCardProps } from './DataCard';
