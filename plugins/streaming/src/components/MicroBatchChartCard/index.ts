export { MicroBatchChartCard } from './MicroBatchChartCard';
