import { DependencyList } from 'react';
import {
  CompoundEntityRef,
  getCompoundEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/frontend-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { StreamingApi, streamingApiRef } from '../api';
import { AutoRefreshState, useAutoRefresh } from './useAutoRefresh';

/**
 * Loads (and keeps refreshing) the backend's data about the current entity,
 * unless the entity lacks the annotation the data needs.
 */
export function useEntityStreamingData<T>(
  annotation: string,
  load: (api: StreamingApi, entityRef: CompoundEntityRef) => Promise<T>,
  deps: DependencyList = [],
): { missingAnnotation?: string; state: AutoRefreshState<T> } {
  const { entity } = useEntity();
  const api = useApi(streamingApiRef);
  const hasAnnotation = Boolean(entity.metadata.annotations?.[annotation]);
  const entityRef = getCompoundEntityRef(entity);
  const state = useAutoRefresh(
    () => load(api, entityRef),
    [api, entityRef.kind, entityRef.namespace, entityRef.name, ...deps],
    { enabled: hasAnnotation },
  );
  return { missingAnnotation: hasAnnotation ? undefined : annotation, state };
}
