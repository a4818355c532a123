"""Source streams: Kafka records (JSON, Avro, Protobuf, Debezium change events) and Delta tables.

Each reader of Kafka records is split in two: `read_kafka` opens the stream, and a
`decode_*` function turns a DataFrame of Kafka records (key, value, offset) into rows.
The decoders work on batch DataFrames too, which is how a pipeline's tests use them.
"""

import json

from pyspark.sql import functions as F
from pyspark.sql import types as T
from pyspark.sql.avro.functions import from_avro

from .backfill import bounded, starting_options
from .schemas import convert_times, is_time, parse_time, read_schema
from .settings import kafka_options

# The column that receives the text of a record that does not parse.
UNPARSED = "__unparsed"
# The column that flags a bad record while the decoders observe and filter them.
BAD = "__bad"
# The prefix of the columns of timestamps and dates read from their text (decode_json).
CONVERTED = "__converted_"
# The field the Avro decoder adds to the reader schema (avro_reader_schema): Spark's PERMISSIVE
# from_avro gives a record of nulls, not null, for bytes that do not decode; this one tells.
DECODED = "__decoded"
# The column of a record's body resolved to the pipeline's schema (registry.resolved_column).
RESOLVED = "__resolved"
# The column that flags a record written with the pipeline's own schema (no resolution needed).
OWN_SCHEMA = "__own_schema"
# The column of why a Confluent-framed JSON record is bad before its text is parsed (json_values).
FRAMING_ERROR = "__framing_error"
# Every progress event reports this observation of the micro-batch's Kafka records
# (StreamingQueryProgress.observedMetrics): their bytes and those that could not be parsed.
OBSERVATION = "pipeline"
INPUT_BYTES = "input_bytes"
BAD_RECORDS = "bad_records"
DEAD_LETTER_RECORDS = "dead_letter_records"
# The columns of a Kafka record that a dead-lettered record keeps, as read.
KAFKA_RECORD_COLUMNS = ("key", "value", "topic", "partition", "offset", "timestamp")
# The columns a Debezium source adds to each row (dropped when writing).
CDC_COLUMNS = ("__op", "__source_ts_ms", "__kafka_offset")
# The ops of Debezium's change events of rows: create, read (snapshot), update, delete.
CHANGE_OPS = ("c", "r", "u", "d")
# The Confluent wire format: a magic byte (0) and a 4-byte big-endian schema id before each body.
CONFLUENT_MAGIC_BYTE = 0
CONFLUENT_HEADER_BYTES = 5
NOT_CONFLUENT = "not in the Confluent wire format (magic byte 0 and a 4-byte schema id)"


def read_kafka(spark, pipeline_name, settings):
    """The Kafka records of the source topic (one consumer identity per pipeline); a backfill's range only."""
    reader = (
        spark.readStream.format("kafka")
        .options(**kafka_options(settings["bootstrap_servers"]))
        .option("subscribe", settings["source_topic"])
        .options(**starting_options(settings))
        .option("failOnDataLoss", settings["fail_on_data_loss"])
        .option("groupIdPrefix", "spark-pipeline-" + pipeline_name)
    )
    if settings["max_offsets_per_trigger"]:
        reader = reader.option("maxOffsetsPerTrigger", settings["max_offsets_per_trigger"])
    return bounded(reader.load(), settings)


def observe_input(df, bad, dead_letter):
    """Observes the records of each micro-batch: bytes of keys and values, and bad ones (`bad`).

    With `dead_letter` the bad records are left out (the pipeline's dead-letter query writes
    them) and counted as dead-letter records too; without, they flow on (a record that does not
    parse as a row of nulls). `bad` is computed once per record, for the count and the filter.
    """
    record_bytes = F.coalesce(F.length("key"), F.lit(0)) + F.coalesce(F.length("value"), F.lit(0))
    flagged = df.withColumn(BAD, bad)
    observed = flagged.observe(
        OBSERVATION,
        F.coalesce(F.sum(record_bytes), F.lit(0)).alias(INPUT_BYTES),
        F.count(F.when(F.col(BAD), 1)).alias(BAD_RECORDS),
        F.count(F.when(F.col(BAD) & F.lit(dead_letter), 1)).alias(DEAD_LETTER_RECORDS),
    )
    return (observed.where(~F.col(BAD)) if dead_letter else observed).drop(BAD)


def parse_json(value, schema):
    """JSON text parsed with the schema; a record that does not fit it leaves its text in UNPARSED."""
    return F.from_json(
        value.cast("string"),
        T.StructType(schema.fields + [T.StructField(UNPARSED, T.StringType(), True)]),
        {"mode": "PERMISSIVE", "columnNameOfCorruptRecord": UNPARSED},
    )


def unreadable_time(data, field, converted=None):
    """Whether the text of a timestamp or date field is there but reads as neither (`converted`: the
    field already read with parse_time, else it is read here)."""
    if converted is None:
        converted = parse_time(data[field.name], field.dataType)
    return data[field.name].isNotNull() & converted.isNull()


def missing_required(row, schema, path=""):
    """(path, condition) for each required (not nullable) field of a parsed struct column and of the
    structs inside it ("address.city"): the field is missing or null where its struct is there.
    Fields of structs in arrays or maps are not checked."""
    checks = []
    for f in schema.fields:
        name, value = path + f.name, row[f.name]
        if not f.nullable:
            checks.append((name, row.isNotNull() & value.isNull()))
        if isinstance(f.dataType, T.StructType):
            checks += missing_required(value, f.dataType, name + ".")
    return checks


def row_bad(row, row_schema, converted=None):
    """Whether a parsed row (read_schema(row_schema)) misses a required field, nested ones included
    (missing_required), or holds a top-level timestamp or date whose text is neither (`converted`:
    columns of those fields already read with parse_time, by name)."""
    bad = F.lit(False)
    for _, missing in missing_required(row, row_schema):
        bad = bad | missing
    for f in row_schema.fields:
        if is_time(f):
            bad = bad | unreadable_time(row, f, (converted or {}).get(f.name))
    return bad


def json_bad(data, row_schema, converted=None):
    """Whether a JSON record parsed by parse_json (`data`, with read_schema(row_schema)) is bad:
    it does not parse with the schema (malformed, or a value that does not fit its type), a
    required (not nullable) field is missing or null (a nested one where its struct is there), or
    a timestamp or date field holds text that is neither. The one test of the pipeline's query
    (which leaves bad records out) and of the dead-letter query (which writes them): a record is
    in exactly one of the two. `converted`: as row_bad's.
    """
    return data[UNPARSED].isNotNull() | row_bad(data, row_schema, converted)


# The fields of a JSON object as their texts (an object's or array's as its JSON).
TEXTS = T.MapType(T.StringType(), T.StringType())


def mismatches(texts, row, schema, where, required=True, path=""):
    """Why a parsed struct (`row`; `texts`, the fields of its JSON object) does not match the schema:
    a message for each field of another type, top-level time that does not read, or (`required`)
    required field missing or null, nested structs included ("address.city"); `where` (" in after")
    follows each field's path. Null where a field matches."""
    messages = []
    for f in schema.fields:
        name, text, value = path + f.name, texts[f.name], row[f.name]
        if is_time(f) and not path:
            misfit = unreadable_time(row, f)  # read as text (read_schema), then converted
        else:
            misfit = row.isNotNull() & text.isNotNull() & value.isNull()
        messages.append(F.when(misfit, F.lit(name + where + ": expected " + f.dataType.simpleString())))
        if required and not f.nullable:
            missing = row.isNotNull() & text.isNull() & value.isNull()
            messages.append(F.when(missing, F.lit("missing required field " + name + where)))
        if isinstance(f.dataType, T.StructType):
            messages += mismatches(F.from_json(text, TEXTS), value, f.dataType, where, required, name + ".")
    return messages


def schema_error(detail):
    """The error of a record that parses but does not match the schema, with the mismatches found."""
    detail = F.concat_ws("; ", *detail)
    return F.when(detail == "", F.lit("does not match the schema")).otherwise(
        F.concat(F.lit("does not match the schema: "), detail)
    )


def json_error(value, data, row_schema):
    """Why a bad JSON record (json_bad) is bad: malformed, or each field that does not match the
    schema (mismatches). Evaluated for bad records only (the dead-letter query's), so the second
    parse (the record as a map of texts, to tell a missing field from a misfit) costs good records
    nothing."""
    fields = F.from_json(value.cast("string"), TEXTS)
    return F.when(fields.isNull(), F.lit("malformed JSON: not a JSON object")).otherwise(
        schema_error(mismatches(fields, data, row_schema, ""))
    )


def json_values(records, registry):
    """The Kafka records with a value, the column of each value's JSON text, and the column of why a
    record is bad before its text is parsed (None without a `registry`). With a `registry`
    (registry.SchemaRegistry) the values are in the Confluent wire format, as Confluent's JSON Schema
    serializer writes them: the text follows a magic byte and a 4-byte schema id. A value without
    that header (NOT_CONFLUENT), or whose id is not a JSON Schema version of the pipeline's subject
    (registry.subject_error_column), is bad and has no text."""
    values = records.where(F.col("value").isNotNull())
    value = F.col("value")
    if registry is None:
        return values, value, None
    # Imported here: only pipelines reading from a registry ship fastavro, which registry imports.
    from .registry import subject_error_column

    framed = confluent_framed(value)
    values = values.withColumn(
        FRAMING_ERROR,
        F.when(~framed, F.lit(NOT_CONFLUENT)).otherwise(subject_error_column(value, registry, "JSON")),
    )
    body = value.substr(F.lit(CONFLUENT_HEADER_BYTES + 1), F.length(value) - CONFLUENT_HEADER_BYTES)
    return values, F.when(F.col(FRAMING_ERROR).isNull(), body), F.col(FRAMING_ERROR)


def decode_json(records, row_schema, dead_letter=False, registry=None):
    """Rows of JSON records (json_values) parsed with the row schema; a bad record (json_bad, or
    json_values' error) flows on (one that does not parse as a row of nulls), or with `dead_letter`
    is left out (dead_letters_json)."""
    schema, times = read_schema(row_schema)
    values, text, error = json_values(records, registry)
    parsed = values.withColumn("data", parse_json(text, schema))
    # Each timestamp and date read once, for the bad test and for the row.
    converted = {f.name: CONVERTED + f.name for f in times}
    parsed = parsed.withColumns({converted[f.name]: parse_time(F.col("data")[f.name], f.dataType) for f in times})
    bad = json_bad(F.col("data"), row_schema, {name: F.col(column) for name, column in converted.items()})
    if error is not None:
        bad = error.isNotNull() | bad
    parsed = observe_input(parsed, bad, dead_letter)
    rows = parsed.select("data.*", *converted.values()).drop(UNPARSED)
    return rows.withColumns({name: F.col(column) for name, column in converted.items()}).drop(*converted.values())


def dead_letters_json(records, row_schema, registry=None):
    """The JSON records decode_json leaves out (json_values' error, json_bad), as read: key, value,
    topic, partition, offset, timestamp, and the error (that one, else json_error)."""
    values, text, framing = json_values(records, registry)
    parsed = values.withColumn("__parsed", parse_json(text, read_schema(row_schema)[0]))
    bad = json_bad(F.col("__parsed"), row_schema)
    error = json_error(text, F.col("__parsed"), row_schema)
    if framing is not None:
        bad, error = framing.isNotNull() | bad, F.coalesce(framing, error)
    return parsed.where(bad).select(*KAFKA_RECORD_COLUMNS, error.alias("error"))


def avro_reader_schema(avro_schema):
    """The pipeline's Avro record schema plus DECODED, a boolean with a default: Avro's schema
    resolution sets it on every record that decodes, and PERMISSIVE from_avro leaves it null
    (with every other field) for one that does not."""
    record = json.loads(avro_schema)
    decoded = {"name": DECODED, "type": "boolean", "default": True}
    return json.dumps({**record, "fields": record.get("fields", []) + [decoded]})


def confluent_framed(value):
    """Whether a value starts with the Confluent wire format's header (magic byte 0, schema id)."""
    magic = F.unhex(F.lit(f"{CONFLUENT_MAGIC_BYTE:02x}"))
    return (F.length(value) >= CONFLUENT_HEADER_BYTES) & (F.substring(value, 1, 1) == magic)


def avro_values(records, avro_schema, wire_format, registry):
    """The Kafka records with a value, the column of each value's Avro body in the pipeline's
    schema, and the column of why a record has none (null when the reason is only that the body
    does not decode). "confluent" without a registry: a magic byte and a 4-byte schema id precede
    each body, which is read with the pipeline's schema; a value without that header has no body
    (NOT_CONFLUENT), however its bytes would decode. With a `registry` (registry.SchemaRegistry)
    each body is read with the writer schema its id names and resolved to the pipeline's
    (registry.resolved_column); a record written with the pipeline's own schema (the id the registry
    gives it under the subject) is already in it, and the JVM reads its body without Python."""
    values = records.where(F.col("value").isNotNull())
    value = F.col("value")
    body = value.substr(F.lit(CONFLUENT_HEADER_BYTES + 1), F.length(value) - CONFLUENT_HEADER_BYTES)
    if registry is None:
        if wire_format != "confluent":
            return values, value, None
        framed = confluent_framed(value)
        return values, F.when(framed, body), F.when(~framed, F.lit(NOT_CONFLUENT))
    # Imported here: only pipelines reading from a registry ship fastavro.
    from .registry import resolved_column, schema_id_column

    own_id = registry.reader_id(avro_schema)
    if own_id is None:
        values = values.withColumn(RESOLVED, resolved_column(value, registry, avro_schema))
        return values, F.col(RESOLVED + ".payload"), F.col(RESOLVED + ".error")
    own = F.coalesce(schema_id_column(value) == F.lit(own_id), F.lit(False))
    values = values.withColumn(OWN_SCHEMA, own).withColumn(
        RESOLVED, resolved_column(F.when(~F.col(OWN_SCHEMA), value), registry, avro_schema)
    )
    payload = F.when(F.col(OWN_SCHEMA), body).otherwise(F.col(RESOLVED + ".payload"))
    error = F.when(F.col(OWN_SCHEMA), F.lit(f"does not decode with writer schema id {own_id}")).otherwise(
        F.col(RESOLVED + ".error")
    )
    return values, payload, error


def decode_avro_payload(payload, avro_schema):
    """The Avro record of each payload, DECODED null when it does not decode (or is null)."""
    options = {"mode": "PERMISSIVE", "avroSchema": avro_reader_schema(avro_schema)}
    return from_avro(payload, avro_schema, options)


def decode_avro(records, avro_schema, wire_format, dead_letter=False, registry=None):
    """Rows of Avro records; one that does not decode is a row of nulls, or with `dead_letter` left out."""
    values, payload, _ = avro_values(records, avro_schema, wire_format, registry)
    decoded = values.select("key", "value", decode_avro_payload(payload, avro_schema).alias("data"))
    return observe_input(decoded, F.col("data." + DECODED).isNull(), dead_letter).select("data.*").drop(DECODED)


def dead_letters_avro(records, avro_schema, wire_format, registry=None):
    """The Avro records decode_avro cannot decode: key, value, topic, partition, offset, timestamp, error."""
    values, payload, reason = avro_values(records, avro_schema, wire_format, registry)
    error = F.lit(
        "does not decode as Avro with the pipeline's schema"
        + (" (Confluent wire format)" if wire_format == "confluent" else "")
    )
    if reason is not None:
        error = F.coalesce(reason, error)
    return values.where(decode_avro_payload(payload, avro_schema)[DECODED].isNull()).select(
        *KAFKA_RECORD_COLUMNS, error.alias("error")
    )


def protobuf_values(records, registry, schema):
    """The Kafka records with a value and the column of each decoded (protobuf.decoded_column): the
    row of its message in the pipeline's version (`schema`, protobuf.ProtobufSchema), or the error."""
    # Imported here: only pipelines reading Protobuf ship the protobuf library.
    from .protobuf import decoded_column

    values = records.where(F.col("value").isNotNull())
    return values.withColumn(DECODED, decoded_column(F.col("value"), registry, schema))


def decode_protobuf(records, schema, registry, dead_letter=False):
    """Rows of Confluent-framed Protobuf records (protobuf_values); a bad one (an error) flows on as a
    row of nulls, or with `dead_letter` is left out (dead_letters_protobuf)."""
    values = protobuf_values(records, registry, schema)
    decoded = observe_input(values, F.col(DECODED + ".error").isNotNull(), dead_letter)
    return decoded.select(F.col(DECODED + ".row").alias("data")).select("data.*")


def dead_letters_protobuf(records, schema, registry):
    """The Protobuf records decode_protobuf leaves out, as read: key, value, topic, partition, offset,
    timestamp, and the error."""
    decoded = protobuf_values(records, registry, schema)
    return decoded.where(F.col(DECODED + ".error").isNotNull()).select(
        *KAFKA_RECORD_COLUMNS, F.col(DECODED + ".error").alias("error")
    )


def debezium_envelope(row_schema):
    """The schema of a Debezium change event (with or without the schema envelope), its fields,
    and the row's time columns."""
    schema, times = read_schema(row_schema)
    change = T.StructType(
        [
            T.StructField("before", schema, True),
            T.StructField("after", schema, True),
            T.StructField("op", T.StringType(), True),
            T.StructField("ts_ms", T.LongType(), True),
        ]
    )
    return T.StructType([T.StructField("payload", change, True)] + change.fields), change, times


def change_event(message, change):
    """The change event of a parsed message: its payload (schema envelope), else the message itself."""
    return F.coalesce(message["payload"], F.struct(*[message[f.name].alias(f.name) for f in change.fields]))


def debezium_bad(message, event, row_schema, ignore_deletes):
    """Whether a change event (`event` of the parsed `message`) is bad: it does not parse, has no op
    or one Debezium does not write for rows (c, r, u, d), lacks its row image (after; a delete's
    before, unless deletes are ignored), or its after does not match the row schema (row_bad). A
    delete's before holds only the key under PostgreSQL's default replica identity: it must be
    there, its other fields may be null. The one test of decode_debezium and dead_letters_debezium.
    """
    op = event["op"]
    return (
        F.when(message[UNPARSED].isNotNull() | op.isNull() | ~op.isin(*CHANGE_OPS), True)
        .when(op == "d", event["before"].isNull() & F.lit(not ignore_deletes))
        .otherwise(event["after"].isNull() | row_bad(event["after"], row_schema))
    )


def debezium_error(value, event, row_schema):
    """Why a bad change event (debezium_bad) is bad: malformed, no op or an unknown one, no row image,
    or each field of its row images that does not match the schema (mismatches, " in after")."""
    message = F.from_json(value.cast("string"), TEXTS)
    texts = F.coalesce(F.from_json(message["payload"], TEXTS), message)
    op = event["op"]
    image = F.when(op == "d", F.lit("before")).otherwise(F.lit("after"))
    image_text = F.when(op == "d", texts["before"]).otherwise(texts["after"])
    image_row = F.when(op == "d", event["before"]).otherwise(event["after"])
    # A delete's before holds only the key (PostgreSQL's default replica identity): no field is required there.
    after = mismatches(F.from_json(texts["after"], TEXTS), event["after"], row_schema, " in after")
    before = mismatches(F.from_json(texts["before"], TEXTS), event["before"], row_schema, " in before", required=False)
    return (
        F.when(message.isNull(), F.lit("malformed JSON: not a JSON object"))
        .when(op.isNull(), F.lit("change event without op"))
        .when(~op.isin(*CHANGE_OPS), F.concat(F.lit("change event with unknown op "), op))
        .when(image_text.isNull(), F.concat(F.lit("change event (op "), op, F.lit(") without "), image))
        .when(
            image_row.isNull(),
            F.concat(F.lit("change event (op "), op, F.lit("): "), image, F.lit(" is not an object")),
        )
        .otherwise(schema_error(after + before))
    )


def decode_debezium(records, row_schema, ignore_deletes, dead_letter=False):
    """Debezium change events as rows plus __op, __source_ts_ms and __kafka_offset.

    Both converter styles are read: with the schema envelope ({"schema", "payload"}) and without.
    Deletes carry the row image of "before" (or are left out with `ignore_deletes`); tombstones
    (null values) are skipped. A bad event (debezium_bad) is left out with `dead_letter`, for the
    dead-letter query (dead_letters_debezium); without, one that still has a row flows on (a field
    that does not match as null) and one without a known op or row image is skipped.
    """
    envelope, change, times = debezium_envelope(row_schema)
    messages = records.where(F.col("value").isNotNull()).select(
        "key", "value", parse_json(F.col("value"), envelope).alias("m"), "offset"
    )
    events = messages.withColumn("e", change_event(F.col("m"), change))
    bad = debezium_bad(F.col("m"), F.col("e"), row_schema, ignore_deletes)
    events = observe_input(events, bad, dead_letter)
    row = F.when(F.col("e.op") == "d", F.col("e.before")).otherwise(F.col("e.after"))
    events = events.where(F.col("e.op").isin(*CHANGE_OPS) & row.isNotNull())
    if ignore_deletes:
        events = events.where(F.col("e.op") != "d")
    rows = events.select(
        row.alias("row"),
        F.col("e.op").alias("__op"),
        F.col("e.ts_ms").alias("__source_ts_ms"),
        F.col("offset").alias("__kafka_offset"),
    ).select("row.*", *CDC_COLUMNS)
    return convert_times(rows, times)


def dead_letters_debezium(records, row_schema, ignore_deletes=False):
    """The change events decode_debezium leaves out (debezium_bad), as read: key, value, topic,
    partition, offset, timestamp, and the error (debezium_error)."""
    envelope, change, _ = debezium_envelope(row_schema)
    parsed = records.where(F.col("value").isNotNull()).withColumn("__parsed", parse_json(F.col("value"), envelope))
    event = change_event(F.col("__parsed"), change)
    return parsed.where(debezium_bad(F.col("__parsed"), event, row_schema, ignore_deletes)).select(
        *KAFKA_RECORD_COLUMNS, debezium_error(F.col("value"), event, row_schema).alias("error")
    )


def read_delta(spark, settings, skip_change_commits, columns):
    """The Delta table as a stream; `columns` (when given) are the ones kept."""
    reader = spark.readStream.format("delta")
    if settings["source_starting_version"]:
        reader = reader.option("startingVersion", settings["source_starting_version"])
    if settings["max_files_per_trigger"]:
        reader = reader.option("maxFilesPerTrigger", settings["max_files_per_trigger"])
    if skip_change_commits:
        reader = reader.option("skipChangeCommits", "true")
    df = reader.load(settings["source_path"])
    if columns:
        df = df.select(*[F.col(c) for c in columns])
    return df
