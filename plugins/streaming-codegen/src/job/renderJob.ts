import {
  PipelineSpec,
  sourceSchemaFile,
} from '@internal/plugin-streaming-common';
import { pyStr, pyValue } from '../python/pyLiteral';
import { jobSettings } from './jobSettings';
import { renderSource } from './renderSource';
import { renderTransform } from './renderTransform';
import { renderSink } from './sinks/renderSink';

/** Uses Delta anywhere: source, a joined table, or the sink. */
export function usesDelta(spec: PipelineSpec): boolean {
  const { source, sink, transformations } = spec.pipeline;
  return (
    source.type === 'delta' ||
    sink.type === 'delta' ||
    transformations.some(t => t.type === 'join' && t.table.format === 'delta')
  );
}

function sparkConf(spec: PipelineSpec): Record<string, string> {
  const { sink } = spec.pipeline;
  const conf: Record<string, string> = {
    'spark.sql.session.timeZone': 'UTC',
    'spark.sql.streaming.metricsEnabled': 'true',
  };
  if (usesDelta(spec)) {
    conf['spark.sql.extensions'] = 'io.delta.sql.DeltaSparkSessionExtension';
    conf['spark.sql.catalog.spark_catalog'] =
      'org.apache.spark.sql.delta.catalog.DeltaCatalog';
  }
  if (sink.type === 'delta' && sink.schema_evolution === 'merge') {
    conf['spark.databricks.delta.schema.autoMerge.enabled'] = 'true';
  }
  return conf;
}

/** Python code without its string literals (to see which names it uses). */
const withoutStrings = (code: string) =>
  code.replace(/"(?:[^"\\]|\\.)*"/g, '""');

/**
 * The PySpark job of a pipeline (`job/main.py`): what the spec decides
 * (settings, schema, source, transformations, sink options) on top of the
 * shipped `streaming_runtime` package (see `runtimeFiles`). Every value from
 * the spec is a Python literal; expressions are emitted as Column API calls.
 *
 * @public
 */
export function renderJob(
  spec: PipelineSpec,
  options: { progressTopic?: string } = {},
): string {
  const { pipeline } = spec;
  const { source } = pipeline;
  const sink = renderSink(spec);
  const schemaFile = sourceSchemaFile(source);
  const deadLetter = pipeline.dead_letter;
  const startQueries = deadLetter
    ? [
        'def start_dead_letter_query(spark):',
        `    """Streams the records that do not parse into the dead-letter ${
          deadLetter.type === 'kafka' ? 'topic' : 'table'
        }, with the error and their source offsets."""`,
        '    records = sources.read_kafka(spark, PIPELINE_NAME, SETTINGS)',
        `    return dead_letter.start(dead_letter_records(records), PIPELINE_NAME, SETTINGS, target=${pyStr(
          deadLetter.type,
        )})`,
        '',
        '',
        'def start_queries(spark):',
        '    """The pipeline\'s query and its dead-letter query, watched and stopped as one."""',
        '    return job.QueryGroup([start_query(transform(spark, read_source(spark))), start_dead_letter_query(spark)])',
        '',
        '',
      ]
    : [];
  const started = deadLetter
    ? 'lambda: start_queries(spark)'
    : 'lambda: start_query(transform(spark, read_source(spark)))';
  const body = [
    [
      `PIPELINE_NAME = ${pyStr(pipeline.name)}`,
      ...(schemaFile
        ? [
            '# Relative paths of the spec (the schema file) are from the repository root.',
            'REPOSITORY_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))',
          ]
        : []),
      '',
      '# Every setting: environment variable, else the value of the spec.',
      'SETTINGS = {',
      ...jobSettings(spec, options).map(
        s =>
          `    ${pyStr(s.key)}: setting(${pyStr(s.env)}, ${pyValue(s.value)}),`,
      ),
      '}',
      '',
      'SPARK_CONF = {',
      ...Object.entries(sparkConf(spec)).map(
        ([key, value]) => `    ${pyStr(key)}: ${pyStr(value)},`,
      ),
      '}',
      '',
      '# The sink and its options.',
      'SINK_OPTIONS = {',
      ...Object.entries(sink.options).map(
        ([key, value]) => `    ${pyStr(key)}: ${pyValue(value)},`,
      ),
      '}',
    ],
    renderSource(spec),
    renderTransform(spec),
    [
      'def start_query(df):',
      `    """${sink.summary}"""`,
      `    return ${sink.module}.start(df, PIPELINE_NAME, SETTINGS, **SINK_OPTIONS)`,
    ],
    [
      ...startQueries,
      'def start(spark):',
      '    """Starts the query on a Spark session (which may host other pipelines\' queries): (query, publisher)."""',
      `    return job.start(spark, PIPELINE_NAME, SETTINGS, ${started})`,
      '',
      '',
      'def stop(spark, query, publisher):',
      '    """Stops the query after its running micro-batch and publishes its last progress events."""',
      '    job.stop(spark, query, publisher, SETTINGS)',
      '',
      '',
      'def main():',
      '    """Runs the pipeline until it fails or is asked to stop (SIGTERM, SIGINT)."""',
      '    return job.main(PIPELINE_NAME, SPARK_CONF, start, stop)',
      '',
      '',
      'if __name__ == "__main__":',
      '    sys.exit(main())',
    ],
  ].map(lines => lines.join('\n'));
  const code = withoutStrings(body.join('\n'));
  const runtime = [
    ...(deadLetter ? ['dead_letter'] : []),
    'job',
    ...(/\bprotobuf\./.test(code) ? ['protobuf'] : []),
    ...(/\bregistry\./.test(code) ? ['registry'] : []),
    ...(/\bschemas\./.test(code) ? ['schemas'] : []),
    ...(/\bsources\./.test(code) ? ['sources'] : []),
  ];
  const pyspark = [
    ...(/\bF\./.test(code) ? ['from pyspark.sql import functions as F'] : []),
    ...(/\bT\./.test(code) ? ['from pyspark.sql import types as T'] : []),
  ];
  if (pyspark.length > 0) {
    pyspark.push('');
  }
  const header = [
    '# Generated from pipeline.yaml by the streaming platform: change the spec and render',
    '# again rather than editing this file.',
    '"""The PySpark Structured Streaming job of one pipeline (see pipeline.yaml).',
    '',
    'What the spec decides: settings, schema, source, transformations and sink options.',
    'The rest is the streaming_runtime package beside this file.',
    '"""',
    '',
    ...(schemaFile ? ['import os'] : []),
    'import sys',
    '',
    ...pyspark,
    `from streaming_runtime import ${runtime.join(', ')}`,
    'from streaming_runtime.settings import setting',
    `from streaming_runtime.sinks import ${sink.module}`,
  ].join('\n');
  return `${header}\n\n${body.join('\n\n\n')}\n`;
}
