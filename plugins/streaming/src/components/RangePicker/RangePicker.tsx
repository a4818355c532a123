import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';

/** The time ranges a chart offers, in minutes. */
export const CHART_RANGES = [
  { label: '15m', minutes: 15 },
  { label: '1h', minutes: 60 },
  { label: '6h', minutes: 360 },
  { label: '24h', minutes: 1440 },
];

/** Props of {@link RangePicker}. */
export interface RangePickerProps {
  minutes: number;
  onChange: (minutes: number) => void;
}

/** Buttons choosing a chart's time range. */
export function RangePicker({ minutes, onChange }: RangePickerProps) {
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={minutes}
      onChange={(_event, value: number | null) => {
        if (value !== null) onChange(value);
      }}
      aria-label="time range"
    >
      {CHART_RANGES.map(range => (
        <ToggleButton
          key={range.label}
          value={range.minutes}
          aria-label={range.label}
        >
          {range.label}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}
