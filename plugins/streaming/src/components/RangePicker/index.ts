export { CHART_RANGES, RangePicker } from './RangePicker';
export type { RangePickerProps } from './RangePicker';
