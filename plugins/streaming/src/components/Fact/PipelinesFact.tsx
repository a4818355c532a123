import { EntityRefLinks } from '@backstage/plugin-catalog-react';
import { Fact } from './Fact';

/** Props of {@link PipelinesFact}. */
export interface PipelinesFactProps {
  label: string;
  entityRefs: string[];
}

/** A {@link Fact} listing pipelines as links, or "no pipeline". */
export function PipelinesFact({ label, entityRefs }: PipelinesFactProps) {
  return (
    <Fact label={label}>
      {entityRefs.length ? (
        <EntityRefLinks entityRefs={entityRefs} />
      ) : (
        'no pipeline'
      )}
    </Fact>
  );
}
