import {
  CDC_COLUMNS,
  PipelineSpec,
  PipelineTransformation,
  outputMode,
  parseDuration,
  parseExpression,
} from '@internal/plugin-streaming-common';
import { emitExpression } from '../python/emitExpression';
import { pyStr, pyValue } from '../python/pyLiteral';
import { jobSettings } from './jobSettings';
import {
  PY_AVRO_SCHEMA,
  PY_JSON_SCHEMA,
  PY_KAFKA,
  PY_MAIN,
  PY_OBSERVE,
  PY_PARSE_JSON,
  PY_PROGRESS,
  PY_SCHEMA_FILE,
  PY_SETTING,
  PY_TIMES,
  PY_TRIGGER,
} from './pythonRuntime';
import { avroSchema, sparkSchema, sparkType } from './sparkTypes';

const col = (name: string) => `F.col(${pyStr(name)})`;
const leaf = (name: string) => name.split('.').pop()!;
const strList = (names: readonly string[]) => names.map(pyStr).join(', ');

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

function renderSource(spec: PipelineSpec): string[] {
  const { source } = spec.pipeline;
  const lines: string[] = [];
  if (source.type === 'delta') {
    lines.push(
      'def read_source(spark):',
      '    """The source stream: the Delta table."""',
      '    reader = spark.readStream.format("delta")',
      '    if SETTINGS["source_starting_version"]:',
      '        reader = reader.option("startingVersion", SETTINGS["source_starting_version"])',
      '    if SETTINGS["max_files_per_trigger"]:',
      '        reader = reader.option("maxFilesPerTrigger", SETTINGS["max_files_per_trigger"])',
    );
    if (source.skip_change_commits) {
      lines.push('    reader = reader.option("skipChangeCommits", "true")');
    }
    lines.push('    df = reader.load(SETTINGS["source_path"])');
    if (source.fields) {
      lines.push(
        `    df = df.select(${source.fields.map(f => col(f.name)).join(', ')})`,
      );
    }
    lines.push('    return df');
    return lines;
  }
  lines.push(
    'def read_kafka(spark):',
    '    """The Kafka records of the source topic (one consumer identity per pipeline)."""',
    '    reader = (',
    '        spark.readStream.format("kafka")',
    '        .options(**kafka_options(SETTINGS["bootstrap_servers"]))',
    '        .option("subscribe", SETTINGS["source_topic"])',
    '        .option("startingOffsets", SETTINGS["starting_offsets"])',
    '        .option("failOnDataLoss", SETTINGS["fail_on_data_loss"])',
    '        .option("groupIdPrefix", "spark-pipeline-" + PIPELINE_NAME)',
    '    )',
    '    if SETTINGS["max_offsets_per_trigger"]:',
    '        reader = reader.option("maxOffsetsPerTrigger", SETTINGS["max_offsets_per_trigger"])',
    '    return reader.load()',
    '',
    '',
  );
  if (source.type === 'kafka' && source.format === 'avro') {
    const schemaText = source.fields
      ? pyStr(avroSchema(spec.pipeline.name, source.fields))
      : 'read_schema_file(SETTINGS["schema_file"])';
    lines.push(
      'def read_source(spark):',
      '    """The source stream: Avro records decoded to columns."""',
      `    avro_schema = ${schemaText}`,
      '    payload = F.col("value")',
    );
    if (source.avro_wire_format === 'confluent') {
      lines.push(
        '    # Confluent wire format: a magic byte and a 4-byte schema id precede the record.',
        '    payload = payload.substr(F.lit(6), F.length(payload) - 5)',
      );
    }
    lines.push(
      '    decoded = (',
      '        read_kafka(spark)',
      '        .where(F.col("value").isNotNull())',
      '        .select("key", "value", from_avro(payload, avro_schema, {"mode": "PERMISSIVE"}).alias("data"))',
      '    )',
      '    return observe_input(decoded, F.col("data").isNull()).select("data.*")',
    );
    return lines;
  }
  if (source.type === 'kafka') {
    lines.push(
      'def read_source(spark):',
      '    """The source stream: JSON records parsed with the row schema."""',
      '    schema, times = read_schema(ROW_SCHEMA)',
      '    parsed = (',
      '        read_kafka(spark)',
      '        .where(F.col("value").isNotNull())',
      '        .select("key", "value", parse_json(F.col("value"), schema).alias("data"))',
      '    )',
      '    parsed = observe_input(parsed, F.col("data." + UNPARSED).isNotNull())',
      '    return convert_times(parsed.select("data.*").drop(UNPARSED), times)',
    );
    return lines;
  }
  lines.push(
    'def read_source(spark):',
    '    """The source stream: Debezium change events as rows plus __op, __source_ts_ms and __kafka_offset.',
    '',
    '    Both converter styles are read: with the schema envelope ({"schema", "payload"}) and without.',
    '    Deletes carry the row image of "before"; tombstones (null values) are skipped.',
    '    """',
    '    schema, times = read_schema(ROW_SCHEMA)',
    '    change = T.StructType(',
    '        [',
    '            T.StructField("before", schema, True),',
    '            T.StructField("after", schema, True),',
    '            T.StructField("op", T.StringType(), True),',
    '            T.StructField("ts_ms", T.LongType(), True),',
    '        ]',
    '    )',
    '    envelope = T.StructType([T.StructField("payload", change, True)] + change.fields)',
    '    messages = (',
    '        read_kafka(spark)',
    '        .where(F.col("value").isNotNull())',
    '        .select("key", "value", parse_json(F.col("value"), envelope).alias("m"), "offset")',
    '    )',
    '    events = (',
    '        observe_input(messages, F.col("m." + UNPARSED).isNotNull())',
    '        .select(',
    '            F.coalesce(',
    '                F.col("m.payload"),',
    '                F.struct(*[F.col("m." + f.name).alias(f.name) for f in change.fields]),',
    '            ).alias("e"),',
    '            F.col("offset"),',
    '        )',
    '        .where(F.col("e.op").isNotNull())',
    '    )',
  );
  if (source.deletes === 'ignore') {
    lines.push('    events = events.where(F.col("e.op") != "d")');
  }
  lines.push(
    '    rows = events.select(',
    '        F.when(F.col("e.op") == "d", F.col("e.before")).otherwise(F.col("e.after")).alias("row"),',
    '        F.col("e.op").alias("__op"),',
    '        F.col("e.ts_ms").alias("__source_ts_ms"),',
    '        F.col("offset").alias("__kafka_offset"),',
    '    ).select("row.*", "__op", "__source_ts_ms", "__kafka_offset")',
    '    return convert_times(rows, times)',
  );
  return lines;
}

function renderStep(
  step: PipelineTransformation,
  index: number,
  spec: PipelineSpec,
  timeColumn: string | undefined,
): string[] {
  const cdc = spec.pipeline.source.type === 'debezium';
  switch (step.type) {
    case 'filter':
      return [
        `    df = df.where(${emitExpression(
          parseExpression(step.condition, 'condition'),
        )})`,
      ];
    case 'watermark':
      return [
        `    df = df.withWatermark(${pyStr(step.column)}, ${pyStr(
          parseDuration(step.delay)!.text,
        )})`,
      ];
    case 'aggregate': {
      const keys: string[] = [];
      if (step.window) {
        const args = [
          col(step.time_column ?? timeColumn!),
          pyStr(parseDuration(step.window)!.text),
          ...(step.slide ? [pyStr(parseDuration(step.slide)!.text)] : []),
        ];
        keys.push(`F.window(${args.join(', ')}).alias("window")`);
      }
      keys.push(
        ...step.group_by.map(c =>
          c.includes('.') ? `${col(c)}.alias(${pyStr(leaf(c))})` : col(c),
        ),
      );
      const metrics = step.metrics.map(m => {
        const [[expression, alias]] = Object.entries(m);
        return `${emitExpression(
          parseExpression(expression, 'metric'),
        )}.alias(${pyStr(alias)})`;
      });
      const out = [
        '    df = df.groupBy(',
        ...keys.map(k => `        ${k},`),
        '    ).agg(',
        ...metrics.map(m => `        ${m},`),
        '    )',
      ];
      if (step.window) {
        out.push(
          '    df = df.select(',
          '        F.col("window.start").alias("window_start"),',
          '        F.col("window.end").alias("window_end"),',
          `        *[F.col(c) for c in df.columns if c != "window"],`,
          '    )',
        );
      }
      return out;
    }
    case 'select': {
      const columns = step.columns.map(c => {
        if (typeof c === 'string') {
          return c.includes('.')
            ? `${col(c)}.alias(${pyStr(leaf(c))})`
            : col(c);
        }
        const cast = c.cast ? `.cast(${sparkType(c.cast)})` : '';
        const alias = c.alias ?? leaf(c.name);
        return `${col(c.name)}${cast}.alias(${pyStr(alias)})`;
      });
      if (cdc) {
        const selected = step.columns.map(c =>
          typeof c === 'string' ? c : c.alias ?? c.name,
        );
        columns.push(
          ...CDC_COLUMNS.filter(c => !selected.includes(c)).map(col),
        );
      }
      return [
        '    df = df.select(',
        ...columns.map(c => `        ${c},`),
        '    )',
      ];
    }
    case 'rename':
      return [`    df = df.withColumnsRenamed(${pyValue(step.columns)})`];
    case 'cast':
      return [
        '    df = df.withColumns(',
        '        {',
        ...Object.entries(step.columns).map(
          ([name, type]) =>
            `            ${pyStr(name)}: ${col(name)}.cast(${sparkType(
              type,
            )}),`,
        ),
        '        }',
        '    )',
      ];
    case 'drop':
      return [`    df = df.drop(${strList(step.columns)})`];
    case 'deduplicate':
      return [
        `    df = df.${
          step.within_watermark
            ? 'dropDuplicatesWithinWatermark'
            : 'dropDuplicates'
        }([${strList(step.columns)}])`,
      ];
    case 'join': {
      const reader =
        step.table.format === 'csv'
          ? 'spark.read.format("csv").option("header", "true").option("inferSchema", "true")'
          : `spark.read.format(${pyStr(step.table.format)})`;
      const out = [
        `    table = ${reader}.load(SETTINGS[${pyStr(`join_${index}_path`)}])`,
      ];
      if (step.columns) {
        const keep = [...new Set([...step.on, ...step.columns])];
        out.push(`    table = table.select(${keep.map(col).join(', ')})`);
      }
      out.push(
        `    df = df.join(${
          step.broadcast ? 'F.broadcast(table)' : 'table'
        }, on=[${strList(step.on)}], how=${pyStr(step.how)})`,
      );
      return out;
    }
    default:
      throw new Error('unknown transformation');
  }
}

function renderTransform(spec: PipelineSpec): string[] {
  const { transformations } = spec.pipeline;
  const lines = [
    'def transform(spark, df):',
    '    """The transformations of the spec, in order."""',
  ];
  let timeColumn: string | undefined;
  transformations.forEach((step, i) => {
    if (step.type === 'watermark') {
      timeColumn = step.column;
    }
    lines.push(`    # ${i}: ${step.type}`);
    lines.push(...renderStep(step, i, spec, timeColumn));
  });
  lines.push('    return df');
  return lines;
}

function renderSink(spec: PipelineSpec): string[] {
  const { sink, source } = spec.pipeline;
  const cdc = source.type === 'debezium';
  const mode = outputMode(spec);
  const dropCdc = cdc ? `.drop(${strList(CDC_COLUMNS)})` : '';
  if (sink.type === 'delta' && sink.mode !== 'merge') {
    const lines = [
      'def start_query(df):',
      `    """Streams into the Delta table (${mode} mode); the Delta sink commits each batch exactly once."""`,
      '    writer = (',
      `        df${dropCdc}.writeStream.format("delta")`,
      `        .outputMode(${pyStr(mode)})`,
      '        .option("checkpointLocation", SETTINGS["checkpoint"])',
      '        .queryName(QUERY_NAME)',
      '    )',
    ];
    if (sink.schema_evolution === 'merge') {
      lines.push('    writer = writer.option("mergeSchema", "true")');
    }
    if (mode === 'complete') {
      lines.push('    writer = writer.option("overwriteSchema", "true")');
    }
    if (sink.partition_by?.length) {
      lines.push(
        `    writer = writer.partitionBy(${strList(sink.partition_by)})`,
      );
    }
    lines.push('    return with_trigger(writer).start(SETTINGS["sink_path"])');
    return lines;
  }
  if (sink.type === 'delta') {
    const keys =
      sink.merge_keys ?? (source.type === 'debezium' ? source.key : []);
    const deletes = source.type === 'debezium' ? source.deletes : 'ignore';
    const lines = [
      `MERGE_KEYS = [${strList(keys)}]`,
      `CDC_COLUMNS = [${cdc ? strList(CDC_COLUMNS) : ''}]`,
      '',
      '',
      'def quoted(alias, name):',
      '    """A column of a merge side, quoted for Spark."""',
      '    return F.col(alias + ".`" + name.replace("`", "``") + "`")',
      '',
      '',
      'def latest_per_key(batch_df):',
      '    """One change per key: the last one of the batch (Kafka offset order per key)."""',
    ];
    if (cdc) {
      lines.push(
        '    order = Window.partitionBy(*MERGE_KEYS).orderBy(F.col("__kafka_offset").desc())',
        '    ranked = batch_df.withColumn("__rank", F.row_number().over(order))',
        '    return ranked.where(F.col("__rank") == 1).drop("__rank")',
      );
    } else {
      lines.push('    return batch_df.dropDuplicates(MERGE_KEYS)');
    }
    lines.push(
      '',
      '',
      'def prepare_table(spark, data):',
      '    """Creates the table on the first batch; adds new columns when schema evolution is on."""',
      '    path = SETTINGS["sink_path"]',
      '    if not DeltaTable.isDeltaTable(spark, path):',
      `        writer = data.limit(0).write.format("delta").mode("ignore")`,
    );
    if (sink.partition_by?.length) {
      lines.push(
        `        writer = writer.partitionBy(${strList(sink.partition_by)})`,
      );
    }
    lines.push('        writer.save(path)');
    if (sink.schema_evolution === 'merge') {
      lines.push(
        '        return',
        '    existing = set(DeltaTable.forPath(spark, path).toDF().columns)',
        '    if any(c not in existing for c in data.columns):',
        '        data.limit(0).write.format("delta").mode("append").option("mergeSchema", "true").save(path)',
      );
    }
    lines.push(
      '',
      '',
      'def merge_batch(batch_df, batch_id):',
      '    """Upserts one micro-batch. Idempotent: Delta skips a (txnAppId, txnVersion) it has committed."""',
      '    spark = batch_df.sparkSession',
      '    changes = latest_per_key(batch_df)',
      '    columns = [c for c in changes.columns if c not in CDC_COLUMNS]',
    );
    if (deletes === 'soft_delete') {
      lines.push(
        '    changes = changes.withColumn("_deleted", F.col("__op") == "d")',
        '    columns = columns + ["_deleted"]',
      );
    }
    lines.push(
      '    prepare_table(spark, changes.select(*columns))',
      '    condition = None',
      '    for key in MERGE_KEYS:',
      '        match = quoted("t", key) == quoted("s", key)',
      '        condition = match if condition is None else condition & match',
      '    values = {"`" + c.replace("`", "``") + "`": quoted("s", c) for c in columns}',
      '    merge = DeltaTable.forPath(spark, SETTINGS["sink_path"]).alias("t").merge(changes.alias("s"), condition)',
    );
    if (deletes === 'delete') {
      lines.push(
        '    is_delete = F.col("s.__op") == "d"',
        '    merge = merge.whenMatchedDelete(condition=is_delete)',
        '    merge = merge.whenMatchedUpdate(condition=~is_delete, set=values)',
        '    merge = merge.whenNotMatchedInsert(condition=~is_delete, values=values)',
      );
    } else if (deletes === 'soft_delete') {
      lines.push(
        '    is_delete = F.col("s.__op") == "d"',
        '    merge = merge.whenMatchedUpdate(condition=is_delete, set={"_deleted": F.lit(True)})',
        '    merge = merge.whenMatchedUpdate(condition=~is_delete, set=values)',
        '    merge = merge.whenNotMatchedInsert(condition=~is_delete, values=values)',
      );
    } else {
      lines.push(
        '    merge = merge.whenMatchedUpdate(set=values).whenNotMatchedInsert(values=values)',
      );
    }
    lines.push(
      '    spark.conf.set("spark.databricks.delta.write.txnAppId", TXN_APP_ID)',
      '    spark.conf.set("spark.databricks.delta.write.txnVersion", str(batch_id))',
      '    try:',
      '        merge.execute()',
      '    finally:',
      '        spark.conf.unset("spark.databricks.delta.write.txnAppId")',
      '        spark.conf.unset("spark.databricks.delta.write.txnVersion")',
      '',
      '',
      'def start_query(df):',
      `    """Merges each micro-batch into the Delta table (${mode} mode)."""`,
      '    writer = (',
      `        df.writeStream.outputMode(${pyStr(mode)})`,
      '        .option("checkpointLocation", SETTINGS["checkpoint"])',
      '        .queryName(QUERY_NAME)',
      '        .foreachBatch(merge_batch)',
      '    )',
      '    return with_trigger(writer).start()',
    );
    return lines;
  }
  if (sink.type === 'elasticsearch') {
    return [
      `ID_COLUMN = ${pyValue(sink.id_column ?? null)}`,
      `WRITE_OPERATION = ${pyStr(
        sink.write_operation ?? (sink.id_column ? 'index' : 'create'),
      )}`,
      'BULK_DOCUMENTS = 1000',
      'DOCUMENT_ID = "__document_id"',
      '# Documents the cluster rejects with 429 (too many requests) are sent again after',
      '# BULK_BACKOFF_SECONDS, doubling up to BULK_BACKOFF_MAX_SECONDS, at most BULK_RETRIES times.',
      'BULK_RETRIES = 8',
      'BULK_BACKOFF_SECONDS = 0.5',
      'BULK_BACKOFF_MAX_SECONDS = 30',
      '',
      '',
      'def json_value(value):',
      '    """JSON for values json.dumps does not know (timestamps as ISO-8601 in UTC)."""',
      '    if isinstance(value, datetime.datetime):',
      '        # Spark hands out naive local times: astimezone reads them as local.',
      '        return value.astimezone(datetime.timezone.utc).isoformat()',
      '    if isinstance(value, datetime.date):',
      '        return value.isoformat()',
      '    if isinstance(value, decimal.Decimal):',
      '        return float(value)',
      '    if isinstance(value, (bytes, bytearray)):',
      '        return base64.b64encode(value).decode("ascii")',
      '    return str(value)',
      '',
      '',
      'def elasticsearch_headers():',
      '    """Request headers, with credentials from the environment only."""',
      '    headers = {"Content-Type": "application/x-ndjson"}',
      '    if os.environ.get("ELASTICSEARCH_API_KEY"):',
      '        headers["Authorization"] = "ApiKey " + os.environ["ELASTICSEARCH_API_KEY"]',
      '    elif os.environ.get("ELASTICSEARCH_USERNAME"):',
      '        token = os.environ["ELASTICSEARCH_USERNAME"] + ":" + os.environ.get("ELASTICSEARCH_PASSWORD", "")',
      '        headers["Authorization"] = "Basic " + base64.b64encode(token.encode("utf-8")).decode("ascii")',
      '    return headers',
      '',
      '',
      'def send_bulk(lines):',
      '    """One bulk request to the first node that answers; None when the cluster answered 429."""',
      '    body = ("\\n".join(lines) + "\\n").encode("utf-8")',
      '    last_error = None',
      '    for node in SETTINGS["elasticsearch_nodes"].split(","):',
      '        request = urllib.request.Request(',
      '            node.strip().rstrip("/") + "/_bulk", data=body, headers=elasticsearch_headers(), method="POST"',
      '        )',
      '        try:',
      '            with urllib.request.urlopen(request, timeout=120) as response:',
      '                return json.loads(response.read())',
      '        except urllib.error.HTTPError as error:',
      '            if error.code == 429:',
      '                return None',
      '            last_error = error',
      '        except urllib.error.URLError as error:',
      '            last_error = error',
      '    raise RuntimeError("no Elasticsearch node answered") from last_error',
      '',
      '',
      'def post_bulk(lines):',
      '    """Indexes the action/document line pairs; retries 429s with backoff, fails on other rejections.',
      '',
      '    A 409 (the document exists) means an earlier attempt of the same batch indexed it.',
      '    """',
      '    for attempt in range(BULK_RETRIES + 1):',
      '        result = send_bulk(lines)',
      '        if result is None:',
      '            retry = lines',
      '        else:',
      '            retry, failed = [], []',
      '            for i, item in enumerate(result.get("items", [])):',
      '                outcome = next(iter(item.values()))',
      '                if outcome.get("status") == 429:',
      '                    retry.extend(lines[2 * i : 2 * i + 2])',
      '                elif outcome.get("error") and outcome.get("status") != 409:',
      '                    failed.append(outcome)',
      '            if failed:',
      '                raise RuntimeError(',
      '                    "%d documents rejected by Elasticsearch, first: %s"',
      '                    % (len(failed), failed[0]["error"].get("type"))',
      '                )',
      '        if not retry:',
      '            return',
      '        LOG.warning("Elasticsearch rejected %d documents with 429; retry %d", len(retry) // 2, attempt + 1)',
      '        time.sleep(min(BULK_BACKOFF_SECONDS * 2**attempt, BULK_BACKOFF_MAX_SECONDS))',
      '        lines = retry',
      '    raise RuntimeError("%d documents still rejected with 429 after %d retries" % (len(lines) // 2, BULK_RETRIES))',
      '',
      '',
      'def send_partition(rows):',
      '    """Indexes the rows of one partition in bulk requests."""',
      '    lines = []',
      '    for row in rows:',
      '        document = row.asDict(recursive=True)',
      '        document_id = document.pop(DOCUMENT_ID, None)',
      '        if ID_COLUMN is not None and document.get(ID_COLUMN) is not None:',
      '            document_id = str(document[ID_COLUMN])',
      '        action = {"_index": SETTINGS["sink_index"], "_id": document_id}',
      '        if WRITE_OPERATION == "upsert":',
      '            lines.append(json.dumps({"update": action}))',
      '            lines.append(json.dumps({"doc": document, "doc_as_upsert": True}, default=json_value))',
      '        else:',
      '            lines.append(json.dumps({WRITE_OPERATION: action}))',
      '            lines.append(json.dumps(document, default=json_value))',
      '        if len(lines) >= 2 * BULK_DOCUMENTS:',
      '            post_bulk(lines)',
      '            lines = []',
      '    if lines:',
      '        post_bulk(lines)',
      '',
      '',
      'def with_document_ids(batch_df, batch_id):',
      '    """Each row with a document id that depends only on the micro-batch\'s content.',
      '',
      "    The id is a SHA-256 of the pipeline, the batch id and the row, and the row's occurrence",
      '    among identical rows of the batch. A replayed batch (same source offsets, same rows in',
      '    any partitioning) gets the same ids, so each record is created once; identical log',
      '    lines stay separate documents.',
      '    """',
      '    row = F.to_json(F.struct(*[F.col("`" + c.replace("`", "``") + "`") for c in batch_df.columns]))',
      '    digest = F.sha2(F.concat_ws("\\n", F.lit(PIPELINE_NAME), F.lit(str(batch_id)), row), 256)',
      '    occurrence = F.row_number().over(Window.partitionBy(digest).orderBy(digest))',
      '    return batch_df.withColumn(DOCUMENT_ID, F.concat(digest, F.lit("-"), occurrence.cast("string")))',
      '',
      '',
      'def index_batch(batch_df, batch_id):',
      '    """Indexes one micro-batch; ids from the id column, else from the batch\'s content (a retry writes the same documents)."""',
      '    with_document_ids(batch_df, batch_id).foreachPartition(send_partition)',
      '',
      '',
      'def start_query(df):',
      '    """Streams into the Elasticsearch index."""',
      '    writer = (',
      `        df${dropCdc}.writeStream.outputMode("append")`,
      '        .option("checkpointLocation", SETTINGS["checkpoint"])',
      '        .queryName(QUERY_NAME)',
      '        .foreachBatch(index_batch)',
      '    )',
      '    return with_trigger(writer).start()',
    ];
  }
  return [
    'def start_query(df):',
    '    """Streams into the Kafka topic as JSON values."""',
    `    df = df${dropCdc}`,
    '    value = F.to_json(F.struct(*[F.col("`" + c.replace("`", "``") + "`") for c in df.columns]))',
    `    key = ${
      sink.key_column
        ? `${col(sink.key_column)}.cast("string")`
        : 'F.lit(None).cast("string")'
    }`,
    '    servers = SETTINGS["sink_bootstrap_servers"] or SETTINGS["bootstrap_servers"]',
    '    writer = (',
    '        df.select(key.alias("key"), value.alias("value"))',
    '        .writeStream.format("kafka")',
    `        .outputMode(${pyStr(mode)})`,
    '        .options(**kafka_options(servers))',
    '        .option("topic", SETTINGS["sink_topic"])',
    '        .option("checkpointLocation", SETTINGS["checkpoint"])',
    '        .queryName(QUERY_NAME)',
    '    )',
    '    return with_trigger(writer).start()',
  ];
}

/**
 * The PySpark job of a pipeline (`job/main.py`). Every value from the spec
 * is a Python literal; expressions are emitted as Column API calls.
 *
 * @public
 */
export function renderJob(
  spec: PipelineSpec,
  options: { progressTopic?: string } = {},
): string {
  const { pipeline } = spec;
  const { source, sink } = pipeline;
  const settings = jobSettings(spec, options);
  const merge = sink.type === 'delta' && sink.mode === 'merge';
  const avro = source.type === 'kafka' && source.format === 'avro';
  const schemaFile = source.type !== 'delta' ? source.schema : undefined;
  const imports = [
    ...(sink.type === 'elasticsearch' ? ['base64', 'datetime', 'decimal'] : []),
    'json',
    'logging',
    'os',
    'signal',
    'sys',
    'threading',
    'time',
    ...(sink.type === 'elasticsearch'
      ? ['urllib.error', 'urllib.request']
      : []),
  ];
  const sections: string[][] = [];
  sections.push([
    `# Generated from pipeline.yaml by the streaming platform: change the spec and render`,
    '# again rather than editing this file.',
    '"""The PySpark Structured Streaming job of one pipeline (see pipeline.yaml)."""',
    '',
    ...imports.map(i => `import ${i}`),
    '',
    ...(merge ? ['from delta.tables import DeltaTable'] : []),
    ...(avro ? ['from pyspark.sql.avro.functions import from_avro'] : []),
    'from pyspark.sql import SparkSession',
    'from pyspark.sql import functions as F',
    'from pyspark.sql import types as T',
    ...(merge || sink.type === 'elasticsearch'
      ? ['from pyspark.sql.window import Window']
      : []),
    'from pyspark.sql.streaming import StreamingQueryListener',
    '',
    `PIPELINE_NAME = ${pyStr(pipeline.name)}`,
    'QUERY_NAME = PIPELINE_NAME',
    ...(merge ? ['TXN_APP_ID = "streaming-pipeline-" + PIPELINE_NAME'] : []),
    'JOB_DIR = os.path.dirname(os.path.abspath(__file__))',
    'LOG = logging.getLogger(PIPELINE_NAME)',
  ]);
  sections.push([PY_SETTING]);
  sections.push([
    '# Every setting: environment variable, else the value of the spec.',
    'SETTINGS = {',
    ...settings.map(
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
  ]);
  sections.push([PY_KAFKA]);
  sections.push([PY_TRIGGER]);
  if (source.type !== 'delta' && !avro) {
    if (schemaFile) {
      sections.push([PY_SCHEMA_FILE]);
      sections.push([
        schemaFile.endsWith('.avsc') ? PY_AVRO_SCHEMA : PY_JSON_SCHEMA,
      ]);
      sections.push([
        '# The row schema, from the schema file named in the spec.',
        'ROW_SCHEMA = load_schema(SETTINGS["schema_file"])',
      ]);
    } else {
      sections.push([
        '# The row schema, from the fields of the spec.',
        `ROW_SCHEMA = ${sparkSchema(source.fields ?? [], '')}`,
      ]);
    }
    sections.push([PY_TIMES]);
  } else if (avro && schemaFile) {
    sections.push([PY_SCHEMA_FILE]);
  }
  if (source.type !== 'delta') {
    sections.push([PY_OBSERVE]);
    if (!avro) {
      sections.push([PY_PARSE_JSON]);
    }
  }
  sections.push(renderSource(spec));
  sections.push(renderTransform(spec));
  sections.push(renderSink(spec));
  sections.push([PY_PROGRESS]);
  sections.push([PY_MAIN]);
  return `${sections.map(s => s.join('\n')).join('\n\n\n')}\n`;
}
