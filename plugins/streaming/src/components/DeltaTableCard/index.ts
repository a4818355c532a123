export { DeltaTableCard } from './DeltaTableCard';
