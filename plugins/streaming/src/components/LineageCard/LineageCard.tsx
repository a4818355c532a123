import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import ArrowForwardIcon from '@material-ui/icons/ArrowForward';
import { Lineage, useLineage } from '../../hooks/useLineage';
import { DataCard } from '../DataCard';

/**
 * Where the entity's data comes from and where it goes: topics, tables and
 * pipelines upstream and downstream, each a link to its page.
 */
export function LineageCard() {
  const { entity } = useEntity();
  const state = useLineage(entity);
  return (
    <DataCard
      title="Lineage"
      subheader="Upstream and downstream topics, tables and pipelines"
      state={state}
      isEmpty={l => l.upstream.length === 0 && l.downstream.length === 0}
      emptyTitle="No lineage"
      emptyDescription="Lineage comes from the dependsOn relations the catalog derives from pipeline specs."
    >
      {lineage => <LineageBody lineage={lineage} entity={entity} />}
    </DataCard>
  );
}

function LineageBody(props: { lineage: Lineage; entity: Entity }) {
  const { lineage, entity } = props;
  const columns = [
    ...[...lineage.upstream].reverse().map((level, i) => ({
      key: `up-${i}`,
      label: i === lineage.upstream.length - 1 ? 'Upstream' : '',
      entities: level,
    })),
    { key: 'self', label: 'This', entities: [entity] },
    ...lineage.downstream.map((level, i) => ({
      key: `down-${i}`,
      label: i === 0 ? 'Downstream' : '',
      entities: level,
    })),
  ];
  return (
    <Box display="flex" alignItems="center" flexWrap="wrap" style={{ gap: 8 }}>
      {columns.map((column, i) => (
        <Box key={column.key} display="flex" alignItems="center">
          {i > 0 && <ArrowForwardIcon color="disabled" />}
          <Box
            display="flex"
            flexDirection="column"
            ml={i > 0 ? 1 : 0}
            style={{ gap: 4 }}
            aria-label={column.label || undefined}
          >
            <Typography variant="overline" color="textSecondary">
              {column.label || '\u00a0'}
            </Typography>
            {column.entities.map(e => (
              <LineageNode
                key={stringifyEntityRef(e)}
                entity={e}
                current={column.key === 'self'}
              />
            ))}
          </Box>
        </Box>
      ))}
    </Box>
  );
}

function LineageNode(props: { entity: Entity; current: boolean }) {
  const { entity, current } = props;
  const type = typeof entity.spec?.type === 'string' ? entity.spec.type : '';
  return (
    <Box display="flex" alignItems="center" style={{ gap: 4 }}>
      <Chip
        size="small"
        label={type || entity.kind}
        color={current ? 'primary' : 'default'}
        variant={current ? 'default' : 'outlined'}
      />
      {current ? (
        <Typography variant="body2">
          <strong>{entity.metadata.title ?? entity.metadata.name}</strong>
        </Typography>
      ) : (
        <EntityRefLink entityRef={entity} title={entity.metadata.title} />
      )}
    </Box>
  );
}
