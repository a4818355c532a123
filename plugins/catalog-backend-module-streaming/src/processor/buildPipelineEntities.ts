import {
  DEFAULT_NAMESPACE,
  Entity,
  RELATION_API_CONSUMED_BY,
  RELATION_CONSUMES_API,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { EntityRelationSpec } from '@backstage/plugin-catalog-node';
import { JsonObject } from '@backstage/types';
import {
  ANNOTATION_DATABASE_TABLE,
  ANNOTATION_DELTA_PATH,
  ANNOTATION_ELASTICSEARCH_CLUSTER,
  ANNOTATION_ELASTICSEARCH_INDEX,
  ANNOTATION_ELASTICSEARCH_NODES,
  ANNOTATION_ENVIRONMENT,
  ANNOTATION_KAFKA_CLUSTER,
  ANNOTATION_KAFKA_TOPIC,
  ENTITY_TYPE_AVRO_SCHEMA,
  ENTITY_TYPE_DATABASE_TABLE,
  ENTITY_TYPE_DELTA_TABLE,
  ENTITY_TYPE_ELASTICSEARCH_INDEX,
  ENTITY_TYPE_JSON_SCHEMA,
  ENTITY_TYPE_PROTOBUF_SCHEMA,
  ENTITY_TYPE_KAFKA_TOPIC,
  PipelineSpec,
  databaseTableEntityName,
  deltaTableEntityName,
  elasticsearchIndexEntityName,
  kafkaTopicEntityName,
  pipelineEnvironments,
  resolveEnvironment,
  schemaEntityName,
} from '@internal/plugin-streaming-common';

/** The API entity of a schema file, by its extension (anything else is a JSON Schema). */
const SCHEMA_KINDS = [
  { extension: '.avsc', what: 'Avro', type: ENTITY_TYPE_AVRO_SCHEMA },
  { extension: '.proto', what: 'Protobuf', type: ENTITY_TYPE_PROTOBUF_SCHEMA },
  { extension: '', what: 'JSON', type: ENTITY_TYPE_JSON_SCHEMA },
];
/**
 * A schema file of the spec, read: its absolute URL (or file path) and text.
 */
export interface PipelineSchemaFile {
  /** The path as written in the spec (`schemas/user_event.avsc`). */
  path: string;
  /** Where it was read from, absolute. */
  location: string;
  text: string;
}

/**
 * An entity the pipeline emits. `output` entities are written by this
 * pipeline, which therefore claims them (its owner owns the data); `input`
 * entities are shared with every other pipeline that reads them.
 */
export interface EmittedEntity {
  entity: Entity;
  role: 'input' | 'output';
}

/** What a pipeline spec adds to the catalog. */
export interface PipelineEntities {
  entities: EmittedEntity[];
  relations: EntityRelationSpec[];
}

export interface BuildPipelineEntitiesOptions {
  /** The pipeline Component, as being processed. */
  pipeline: Entity;
  spec: PipelineSpec;
  /** Kafka cluster of topics whose spec names none. */
  defaultCluster: string;
  /**
   * Owner (full entity ref) of the Resources the pipeline only reads: a
   * reader never claims them. What a pipeline writes takes its owner.
   */
  inputOwner: string;
  /** The schema files the spec references, read. */
  schemas: PipelineSchemaFile[];
}

type CompoundRef = EntityRelationSpec['source'];

const refOf = (entity: Entity): CompoundRef => ({
  kind: entity.kind,
  namespace: entity.metadata.namespace ?? DEFAULT_NAMESPACE,
  name: entity.metadata.name,
});

/**
 * The Resources and APIs a pipeline spec describes, with the lineage between
 * them and the pipeline (both directions of every relation, as the catalog
 * keeps them). Everything emitted lives in the default namespace, so that
 * pipelines of every namespace meet on the same topic. Pure: same input, same
 * output.
 */
export function buildPipelineEntities(
  options: BuildPipelineEntitiesOptions,
): PipelineEntities {
  const { pipeline, spec, defaultCluster, inputOwner, schemas } = options;
  const pipelineNamespace = pipeline.metadata.namespace ?? DEFAULT_NAMESPACE;
  const fullRef = (ref: unknown, defaultKind: string) =>
    typeof ref === 'string' && ref
      ? stringifyEntityRef(
          parseEntityRef(ref, {
            defaultKind,
            defaultNamespace: pipelineNamespace,
          }),
        )
      : undefined;
  const owner = fullRef(pipeline.spec?.owner, 'group');
  const system = fullRef(pipeline.spec?.system, 'system');
  const pipelineRef = refOf(pipeline);

  const entities: EmittedEntity[] = [];
  /** The environments each Resource belongs to, by entity ref. */
  const environmentsOf = new Map<string, string[]>();
  /** The environment whose Resources are being added; undefined without environments. */
  let environment: string | undefined;
  const relations = new Map<string, EntityRelationSpec>();
  const relate = (
    from: CompoundRef,
    type: string,
    reverse: string,
    to: CompoundRef,
  ) => {
    for (const relation of [
      { source: from, type, target: to },
      { source: to, type: reverse, target: from },
    ]) {
      const key = `${stringifyEntityRef(relation.source)} ${
        relation.type
      } ${stringifyEntityRef(relation.target)}`;
      relations.set(key, relation);
    }
  };
  /** `downstream` is fed by `upstream`. */
  const feeds = (upstream: CompoundRef, downstream: CompoundRef) =>
    relate(downstream, RELATION_DEPENDS_ON, RELATION_DEPENDENCY_OF, upstream);

  const add = (
    role: EmittedEntity['role'],
    kind: 'Resource' | 'API',
    name: string,
    details: {
      title: string;
      description: string;
      annotations: Record<string, string>;
      spec: JsonObject;
      tags: string[];
    },
  ): CompoundRef => {
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind,
      metadata: {
        name,
        namespace: DEFAULT_NAMESPACE,
        title: details.title,
        description: details.description,
        annotations: details.annotations,
        tags: details.tags,
      },
      spec: details.spec,
    };
    const ref = refOf(entity);
    const key = stringifyEntityRef(ref);
    const existing = entities.find(e => stringifyEntityRef(e.entity) === key);
    if (!existing) {
      entities.push({ entity, role });
    } else if (role === 'output') {
      existing.role = 'output';
    }
    if (environment !== undefined && kind === 'Resource') {
      const list = environmentsOf.get(key) ?? [];
      if (!list.includes(environment)) list.push(environment);
      environmentsOf.set(key, list);
    }
    return ref;
  };

  const topic = (cluster: string, name: string, role: EmittedEntity['role']) =>
    add(role, 'Resource', kafkaTopicEntityName(cluster, name), {
      title: name,
      description: `Kafka topic ${name} on cluster ${cluster}.`,
      annotations: {
        [ANNOTATION_KAFKA_TOPIC]: name,
        [ANNOTATION_KAFKA_CLUSTER]: cluster,
      },
      spec: { type: ENTITY_TYPE_KAFKA_TOPIC },
      tags: ['kafka'],
    });

  const deltaTable = (path: string, role: EmittedEntity['role']) =>
    add(role, 'Resource', deltaTableEntityName(path), {
      title: path.replace(/\/+$/, '').split('/').pop() || path,
      description: `Delta table at ${path}.`,
      annotations: { [ANNOTATION_DELTA_PATH]: path },
      spec: { type: ENTITY_TYPE_DELTA_TABLE },
      tags: ['delta'],
    });

  /** The lineage of the spec as one job runs it: its inputs, output and dead letters. */
  const addLineage = (runs: PipelineSpec) => {
    const {
      source,
      sink,
      transformations,
      dead_letter: deadLetter,
    } = runs.pipeline;
    // Inputs: the source, and the static side of enrichment joins.
    const sourceCluster =
      source.type === 'delta' ? undefined : source.cluster ?? defaultCluster;
    const inputs: CompoundRef[] = [];
    if (source.type === 'delta') {
      inputs.push(deltaTable(source.path, 'input'));
    } else {
      const sourceTopic = topic(sourceCluster!, source.topic, 'input');
      inputs.push(sourceTopic);
      if (source.type === 'debezium' && source.table) {
        // The database is named by the topic as written, before an
        // environment's topic prefix.
        const written = spec.pipeline.source;
        const database =
          source.database ??
          (written.type === 'debezium' ? written.topic : source.topic).split(
            '.',
          )[0];
        const physical = `${database}.${source.table}`;
        const table = add(
          'input',
          'Resource',
          databaseTableEntityName(database, source.table),
          {
            title: physical,
            description: `Database table ${source.table} of ${database}, captured by Debezium into ${source.topic}.`,
            annotations: { [ANNOTATION_DATABASE_TABLE]: physical },
            spec: { type: ENTITY_TYPE_DATABASE_TABLE },
            tags: ['database', 'cdc'],
          },
        );
        feeds(table, sourceTopic);
      }
    }
    for (const step of transformations) {
      if (step.type === 'join' && step.table.format === 'delta') {
        inputs.push(deltaTable(step.table.path, 'input'));
      }
    }

    // Output: the sink.
    let output: CompoundRef;
    if (sink.type === 'delta') {
      output = deltaTable(sink.path, 'output');
    } else if (sink.type === 'elasticsearch') {
      output = add(
        'output',
        'Resource',
        elasticsearchIndexEntityName(sink.index),
        {
          title: sink.index,
          description: `Elasticsearch index ${sink.index}${
            sink.cluster ? ` on search cluster ${sink.cluster}` : ''
          }.`,
          annotations: {
            [ANNOTATION_ELASTICSEARCH_INDEX]: sink.index,
            ...(sink.cluster
              ? { [ANNOTATION_ELASTICSEARCH_CLUSTER]: sink.cluster }
              : { [ANNOTATION_ELASTICSEARCH_NODES]: sink.nodes! }),
          },
          spec: { type: ENTITY_TYPE_ELASTICSEARCH_INDEX },
          tags: ['elasticsearch'],
        },
      );
    } else {
      output = topic(
        sink.cluster ?? sourceCluster ?? defaultCluster,
        sink.topic,
        'output',
      );
    }

    for (const input of inputs) {
      feeds(input, pipelineRef);
    }
    feeds(pipelineRef, output);

    // The dead-letter target: written by the pipeline like its sink (a topic on
    // the source's cluster, or a quarantine table).
    if (deadLetter && sourceCluster) {
      feeds(
        pipelineRef,
        deadLetter.type === 'kafka'
          ? topic(sourceCluster, deadLetter.topic, 'output')
          : deltaTable(deadLetter.path, 'output'),
      );
    }
  };

  // With environments, every environment's job has its own topics and tables
  // (its prefixes and clusters applied): all of them are the pipeline's.
  const environments = pipelineEnvironments(spec);
  if (environments.length === 0) {
    addLineage(spec);
  } else {
    for (const { name } of environments) {
      environment = name;
      addLineage(resolveEnvironment(spec, name));
    }
    environment = undefined;
  }
  for (const { entity } of entities) {
    const list = environmentsOf.get(stringifyEntityRef(entity));
    if (list) {
      entity.metadata.annotations = {
        ...entity.metadata.annotations,
        [ANNOTATION_ENVIRONMENT]: list.join(','),
      };
    }
  }

  // Schemas: the pipeline consumes the API its source's messages follow.
  for (const schema of schemas) {
    const kind = SCHEMA_KINDS.find(k => schema.path.endsWith(k.extension))!;
    const api = add('input', 'API', schemaEntityName(schema.location), {
      title: schema.path.split('/').pop() ?? schema.path,
      description: `${kind.what} schema ${schema.path}.`,
      annotations: {},
      spec: {
        type: kind.type,
        lifecycle: 'production',
        definition: schema.text,
      },
      tags: [kind.type],
    });
    relate(pipelineRef, RELATION_CONSUMES_API, RELATION_API_CONSUMED_BY, api);
  }

  // Owner and system: the pipeline's for what it writes and for its schemas
  // (files of its repository); the input owner alone for what it only reads.
  for (const { entity, role } of entities) {
    const claimed = role === 'output' || entity.kind === 'API';
    entity.spec = {
      ...entity.spec,
      ...(claimed
        ? { ...(owner ? { owner } : {}), ...(system ? { system } : {}) }
        : { owner: inputOwner }),
    };
  }

  return { entities, relations: [...relations.values()] };
}
