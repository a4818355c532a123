import {
  EntityRefLink,
  useEntityPresentation,
} from '@backstage/plugin-catalog-react';
import { Identifier } from '../Identifier';

/** Props of {@link OwnerLink}. */
export interface OwnerLinkProps {
  /** The owner's entity ref (`group:default/team-a`, `user:development/guest`). */
  entityRef: string;
}

/**
 * A link to a pipeline's owner in a table, shown as the catalog presents it (a
 * group's title, else its short ref) without the kind's icon, and wrapping
 * after the `:` and `/` of a long ref such as `user:development/guest`: the
 * overview's nine columns fit 1280 px only when no owner widens its column.
 */
export function OwnerLink({ entityRef }: OwnerLinkProps) {
  const { primaryTitle } = useEntityPresentation(entityRef, {
    defaultKind: 'group',
  });
  return (
    <EntityRefLink entityRef={entityRef}>
      <Identifier text={primaryTitle} />
    </EntityRefLink>
  );
}
