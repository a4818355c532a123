import { CompoundEntityRef } from '@backstage/catalog-model';
import { useRouteRef } from '@backstage/frontend-plugin-api';
import { useCallback } from 'react';
import { techDocsReaderRouteRef } from '../routes';

/** The catalog entity whose TechDocs are the platform's own documentation. */
export const PLATFORM_DOCS_ENTITY: CompoundEntityRef = {
  kind: 'component',
  namespace: 'default',
  name: 'streaming-platform',
};

/**
 * Links into an entity's TechDocs site, through the plugin's external route
 * to the TechDocs reader: `link(entity, 'runbook/#lag')`. Undefined when the
 * app has no TechDocs reader to link to.
 */
export function useTechDocsLink(): (
  entity: CompoundEntityRef,
  path?: string,
) => string | undefined {
  const reader = useRouteRef(techDocsReaderRouteRef);
  return useCallback(
    (entity, path = '') =>
      reader &&
      `${reader({
        namespace: entity.namespace.toLocaleLowerCase('en-US'),
        kind: entity.kind.toLocaleLowerCase('en-US'),
        name: entity.name,
      })}/${path}`,
    [reader],
  );
}
