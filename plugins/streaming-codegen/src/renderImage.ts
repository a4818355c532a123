import {
  PipelineSpec,
  sourceSchemaFile,
} from '@internal/plugin-streaming-common';
import { usesDelta } from './job/renderJob';
import { IMAGE_APP_DIR } from './manifests/renderSparkApplication';
import { DELTA_VERSION, ResolvedRenderOptions } from './RenderOptions';

const SCALA_VERSION = '2.13';
/** kafka-clients and commons-pool2 versions of Spark 4.0's Kafka connector. */
const KAFKA_CLIENTS_VERSION = '3.9.0';
const COMMONS_POOL_VERSION = '2.12.0';
/**
 * Hadoop of Spark 4.0's image (hadoop-client-api/-runtime 3.4.1): the cloud
 * connectors must match it. The AWS SDK and wildfly-openssl versions are the
 * ones Hadoop 3.4.1 is built with (hadoop-project's pom).
 */
const HADOOP_VERSION = '3.4.1';
const AWS_SDK_VERSION = '2.24.6';
const WILDFLY_OPENSSL_VERSION = '1.1.3.Final';
const GCS_CONNECTOR_VERSION = 'hadoop3-2.2.25';

/** The Hadoop file system connector jars of each object-store scheme. */
const OBJECT_STORE_JARS: Record<string, string[]> = {
  s3a: [
    `org.apache.hadoop:hadoop-aws:${HADOOP_VERSION}`,
    `software.amazon.awssdk:bundle:${AWS_SDK_VERSION}`,
  ],
  gs: [
    `com.google.cloud.bigdataoss:gcs-connector:${GCS_CONNECTOR_VERSION}:shaded`,
  ],
  abfss: [
    `org.apache.hadoop:hadoop-azure:${HADOOP_VERSION}`,
    `org.wildfly.openssl:wildfly-openssl:${WILDFLY_OPENSSL_VERSION}`,
  ],
};

/** The object-store schemes of every location in the spec (paths, checkpoints, tables). */
function objectStoreSchemes(spec: PipelineSpec): string[] {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      const scheme = /^([a-z0-9]+):\/\//.exec(value)?.[1];
      if (scheme && Object.hasOwn(OBJECT_STORE_JARS, scheme)) {
        found.add(scheme);
      }
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value && typeof value === 'object') {
      Object.values(value).forEach(visit);
    }
  };
  visit(spec.pipeline);
  return [...found].sort();
}

/** Maven coordinates of the connector jars the job needs. */
export function connectorJars(
  spec: PipelineSpec,
  sparkVersion: string,
): string[] {
  const { source, sink } = spec.pipeline;
  const jars = [
    // The progress events go to Kafka: every job needs the Kafka connector.
    `org.apache.spark:spark-sql-kafka-0-10_${SCALA_VERSION}:${sparkVersion}`,
    `org.apache.spark:spark-token-provider-kafka-0-10_${SCALA_VERSION}:${sparkVersion}`,
    `org.apache.kafka:kafka-clients:${KAFKA_CLIENTS_VERSION}`,
    `org.apache.commons:commons-pool2:${COMMONS_POOL_VERSION}`,
  ];
  if (source.type === 'kafka' && source.format === 'avro') {
    jars.push(`org.apache.spark:spark-avro_${SCALA_VERSION}:${sparkVersion}`);
  }
  if (usesDelta(spec) || sink.type === 'delta') {
    jars.push(
      `io.delta:delta-spark_${SCALA_VERSION}:${DELTA_VERSION}`,
      `io.delta:delta-storage:${DELTA_VERSION}`,
    );
  }
  for (const scheme of objectStoreSchemes(spec)) {
    jars.push(...OBJECT_STORE_JARS[scheme]);
  }
  return jars;
}

/** The path of a jar (`group:artifact:version[:classifier]`) in a Maven repository. */
export function mavenPath(coordinates: string): string {
  const [group, artifact, version, classifier] = coordinates.split(':');
  const suffix = classifier ? `-${classifier}` : '';
  return `${group.replace(
    /\./g,
    '/',
  )}/${artifact}/${version}/${artifact}-${version}${suffix}.jar`;
}

/** The Avro library of jobs reading with a registry subject (scripts/spark.sh pins the same). */
export const FASTAVRO_VERSION = '1.13.1';
/** The Protobuf library of jobs reading Protobuf records (scripts/spark.sh pins the same). */
export const PROTOBUF_VERSION = '6.33.6';

/**
 * `requirements.txt`: the Python packages of the job (PySpark itself comes
 * with the Spark image; it is listed for local runs and tests).
 */
export function renderRequirements(
  spec: PipelineSpec,
  options: ResolvedRenderOptions,
): string {
  const lines = [`pyspark==${options.sparkVersion}`];
  if (usesDelta(spec)) {
    lines.push(`delta-spark==${DELTA_VERSION}`);
  }
  const { source } = spec.pipeline;
  if ('schema' in source && typeof source.schema === 'object') {
    // streaming_runtime.registry: Avro writer schemas resolved to the reader schema.
    lines.push(`fastavro==${FASTAVRO_VERSION}`);
  }
  if (source.type === 'kafka' && source.format === 'protobuf') {
    // streaming_runtime.protobuf: messages decoded with the .proto's descriptor set.
    lines.push(`protobuf==${PROTOBUF_VERSION}`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The image's build of the descriptor set the job decodes Protobuf records
 * with (`<name>.desc` beside the `.proto`, which the runtime reads when it is
 * there): protoc from the distribution's protobuf-compiler, removed again.
 */
function descriptorSetBuild(proto: string): string[] {
  const folder = proto.slice(0, proto.lastIndexOf('/'));
  const descriptorSet = proto.replace(/\.proto$/, '.desc');
  return [
    '# The descriptor set of the .proto, which the job decodes Protobuf records with (protoc, removed again).',
    'RUN apt-get update && apt-get install -y --no-install-recommends protobuf-compiler \\',
    `    && protoc "--proto_path=${folder}" --include_imports "--descriptor_set_out=${descriptorSet}" "${proto}" \\`,
    '    && apt-get purge -y protobuf-compiler && apt-get autoremove -y && rm -rf /var/lib/apt/lists/*',
  ];
}

/**
 * The Dockerfile of the job's image: the Spark image, the connector jars
 * from the company's Maven repository (build argument), the job and its
 * schema file (for Protobuf, with its descriptor set built).
 */
export function renderDockerfile(
  spec: PipelineSpec,
  options: ResolvedRenderOptions,
): string {
  const { source } = spec.pipeline;
  const schema = sourceSchemaFile(source);
  const jars = connectorJars(spec, options.sparkVersion).map(mavenPath);
  return [
    '# Generated from pipeline.yaml by the streaming platform.',
    '# Build: docker build --build-arg MAVEN_REPOSITORY=<URL of your Maven repository> .',
    `ARG SPARK_IMAGE=apache/spark:${options.sparkVersion}-python3`,
    'FROM ${SPARK_IMAGE}',
    'ARG MAVEN_REPOSITORY',
    'USER root',
    '# Connector jars (Kafka, Avro, Delta, object stores), fetched by path from the Maven repository.',
    'RUN test -n "${MAVEN_REPOSITORY}" || { echo "set --build-arg MAVEN_REPOSITORY" >&2; exit 1; } \\',
    '    && cd /opt/spark/jars \\',
    `    && for jar in ${jars.join(' ')}; do \\`,
    '         python3 -c "import sys, urllib.request; urllib.request.urlretrieve(sys.argv[1], sys.argv[2])" \\',
    '           "${MAVEN_REPOSITORY%/}/$jar" "$(basename "$jar")"; \\',
    '       done',
    `COPY ["requirements.txt", "${IMAGE_APP_DIR}/requirements.txt"]`,
    `RUN grep -v '^pyspark==' ${IMAGE_APP_DIR}/requirements.txt > /tmp/requirements.txt \\`,
    '    && pip3 install --no-cache-dir --no-deps -r /tmp/requirements.txt',
    `COPY ["job/", "${IMAGE_APP_DIR}/job/"]`,
    ...(schema
      ? [`COPY ${JSON.stringify([schema, `${IMAGE_APP_DIR}/${schema}`])}`]
      : []),
    ...(schema && source.type === 'kafka' && source.format === 'protobuf'
      ? descriptorSetBuild(`${IMAGE_APP_DIR}/${schema}`)
      : []),
    '# SIGTERM reaches the Python job too, which then stops after the running micro-batch.',
    'ENV TINI_KILL_PROCESS_GROUP=1',
    `WORKDIR ${IMAGE_APP_DIR}`,
    'USER spark',
    '',
  ].join('\n');
}
