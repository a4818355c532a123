import { ReactNode } from 'react';
import {
  EmptyState,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { MissingAnnotationEmptyState } from '@backstage/plugin-catalog-react';
import { SourceError } from '@internal/plugin-streaming-common';
import Alert from '@material-ui/lab/Alert';
import { AutoRefreshState } from '../../hooks/useAutoRefresh';
import {
  PLATFORM_DOCS_ENTITY,
  useTechDocsLink,
} from '../../hooks/useTechDocsLink';

/** Props of {@link DataCard}. */
export interface DataCardProps<T> {
  title: ReactNode;
  subheader?: ReactNode;
  /** Shown top right (a range picker, a link). */
  action?: ReactNode;
  /** When set, the entity lacks this annotation and the card says so. */
  missingAnnotation?: string;
  state: AutoRefreshState<T>;
  /** Whether a loaded value has nothing to show. */
  isEmpty?: (value: T) => boolean;
  emptyTitle: string;
  emptyDescription?: string;
  /** Errors of single sources in an otherwise good answer. */
  sourceErrors?: (value: T) => SourceError[];
  children: (value: T) => ReactNode;
}

/**
 * The frame of every card of the plugin: it shows the "annotation missing",
 * loading, error and empty states, the per-source errors of a partial answer,
 * and otherwise the card's content.
 */
export function DataCard<T>(props: DataCardProps<T>) {
  const {
    title,
    subheader,
    action,
    missingAnnotation,
    state,
    isEmpty,
    emptyTitle,
    emptyDescription,
    sourceErrors,
    children,
  } = props;

  const docsLink = useTechDocsLink();

  let body: ReactNode;
  if (missingAnnotation) {
    body = (
      <MissingAnnotationEmptyState
        annotation={missingAnnotation}
        readMoreUrl={docsLink(
          PLATFORM_DOCS_ENTITY,
          'pipeline-page/#annotations',
        )}
      />
    );
  } else if (state.loading) {
    body = <Progress />;
  } else if (state.error) {
    body = <ResponseErrorPanel error={state.error} />;
  } else if (state.value === undefined || isEmpty?.(state.value)) {
    body = (
      <EmptyState
        missing="data"
        title={emptyTitle}
        description={emptyDescription}
      />
    );
  } else {
    const errors = sourceErrors?.(state.value) ?? [];
    body = (
      <>
        {errors.map(e => (
          <Alert key={e.source} severity="warning" style={{ marginBottom: 8 }}>
            {e.source}: {e.message}
          </Alert>
        ))}
        {children(state.value)}
      </>
    );
  }

  return (
    <InfoCard
      title={title}
      subheader={subheader}
      action={action}
      variant="gridItem"
    >
      {body}
    </InfoCard>
  );
}
