import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { METRICS_WINDOWS, MetricsWindow } from '../../api';

/** Props of {@link RangePicker}. */
export interface RangePickerProps {
  window: MetricsWindow;
  onChange: (window: MetricsWindow) => void;
}

/** Buttons choosing a chart's time range. */
export function RangePicker({ window, onChange }: RangePickerProps) {
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={window}
      onChange={(_event, value: MetricsWindow | null) => {
        if (value !== null) onChange(value);
      }}
      aria-label="time range"
    >
      {METRICS_WINDOWS.map(w => (
        <ToggleButton key={w} value={w} aria-label={w}>
          {w}
        </ToggleButton>
      ))}
    </ToggleButtonGroup>
  );
}
