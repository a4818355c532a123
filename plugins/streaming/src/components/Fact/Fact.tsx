import { ReactNode } from 'react';
import Typography from '@material-ui/core/Typography';

/** Props of {@link Fact}. */
export interface FactProps {
  label: string;
  children: ReactNode;
}

/** A small label over a value, the building block of the cards' summaries. */
export function Fact({ label, children }: FactProps) {
  return (
    <div>
      <Typography variant="overline" color="textSecondary" component="div">
        {label}
      </Typography>
      <Typography variant="body1" component="div">
        {children}
      </Typography>
    </div>
  );
}
