"""Avro records in the Confluent wire format, read with the writer schema their header names.

Each record is a magic byte (0), a 4-byte big-endian schema id, then the Avro body written
with that schema. The writer schema is fetched by id from the schema registry
(`GET /schemas/ids/{id}` of the Confluent API) once per id in each Python worker: an id always
names the same schema, so the cache never goes stale, and a version registered after the job
started is fetched when its first record arrives. The body is decoded with the writer schema,
resolved to the pipeline's (reader) schema by Avro's resolution rules, and written again with
the reader schema, which Spark's `from_avro` then decodes exactly as a plain Avro payload.

A record without the header, with an id the registry does not have (404), with a schema that
is not Avro, or whose body does not decode or resolve is bad: no payload and the error. Any
other registry failure (unreachable, 5xx, wrong credentials) fails the task, so Spark retries
it and a record is never dead-lettered because the registry was briefly away.

JSON records in the same wire format (as Confluent's JSON Schema serializer writes them) need no
writer schema: their text is parsed with the pipeline's row schema. Their schema id is checked
instead (subject_error_column): it must name a JSON Schema version of the pipeline's subject.
"""

import base64
import io
import json
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile

import fastavro
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .sources import CONFLUENT_HEADER_BYTES, CONFLUENT_MAGIC_BYTE, NOT_CONFLUENT, confluent_framed

# The decoded record written with the reader schema, or null and the reason.
RESOLVED_TYPE = T.StructType(
    [T.StructField("payload", T.BinaryType(), True), T.StructField("error", T.StringType(), True)]
)
# Writer schemas by (registry URL, id), per Python worker; a missing id is not remembered.
_WRITER_SCHEMAS = {}
# Parsed reader schemas by their text, per Python worker.
_READERS = {}
# The (registry URL, subject, id) of ids found to be versions of a subject, per Python worker; an id
# that is not (yet) one is asked again.
_SUBJECT_IDS = set()
# The applications this package was shipped to (ship_runtime).
_SHIPPED = set()


class SchemaRegistryError(Exception):
    """The registry did not answer a schema lookup (other than with 404)."""


class SchemaRegistry:
    """Where writer schemas come from: the Confluent-compatible API's URL, credentials, timeout."""

    def __init__(self, url, username=None, password=None, timeout_seconds=10.0, subject=None):
        if not url:
            raise ValueError(
                "PIPELINE_SCHEMA_REGISTRY_URL is not set: the URL of the schema registry's "
                "Confluent-compatible API that the source's subject is registered in"
            )
        if not (url.startswith("http://") or url.startswith("https://")):
            raise ValueError("PIPELINE_SCHEMA_REGISTRY_URL must be an http(s) URL")
        self.url = url.rstrip("/")
        self.authorization = (
            "Basic " + base64.b64encode(f"{username}:{password or ''}".encode()).decode("ascii") if username else None
        )
        self.timeout_seconds = float(timeout_seconds)
        self.subject = subject
        self._reader_ids = {}

    def __repr__(self):
        # Never the credentials: this may be logged or shown in a plan.
        return f"SchemaRegistry({self.url!r})"

    def writer_schema(self, schema_id):
        """The parsed Avro schema of a registry-wide id; None when the registry has no such id,
        or the text "<TYPE>" when the id is a schema of another type."""
        key = (self.url, schema_id)
        if key not in _WRITER_SCHEMAS:
            found = self._fetch(schema_id)
            if found is None:
                return None
            _WRITER_SCHEMAS[key] = found
        return _WRITER_SCHEMAS[key]

    def reader_id(self, avro_schema):
        """The id the registry gives the pipeline's own schema under the subject (a lookup by
        content, `POST /subjects/{subject}`), or None: records written with it are already in
        the reader schema and need no resolution. Asked once per client (on the driver)."""
        if not self.subject:
            return None
        if avro_schema not in self._reader_ids:
            answer = self._get(
                f"/subjects/{urllib.parse.quote(self.subject, safe='')}",
                f"the pipeline's schema under subject {self.subject}",
                {"schema": avro_schema},
            )
            self._reader_ids[avro_schema] = answer["id"] if answer else None
        return self._reader_ids[avro_schema]

    def subject_error(self, schema_id, schema_type):
        """Why records of a registry-wide id are not records of the pipeline's subject: the registry
        has no such id (`GET /schemas/ids/{id}`), it is a schema of another type than `schema_type`
        (as the registry names types: "JSON"), or no version of the subject has it
        (`GET /schemas/ids/{id}/versions`); None when one has."""
        key = (self.url, self.subject, schema_id)
        if key in _SUBJECT_IDS:
            return None
        found = self._get(f"/schemas/ids/{schema_id}", f"schema id {schema_id}")
        if found is None:
            return f"schema id {schema_id} is not in the schema registry"
        found_type = found.get("schemaType") or "AVRO"
        if found_type != schema_type:
            return f"schema id {schema_id} is of schema type {found_type}, not {schema_type}"
        versions = self._get(f"/schemas/ids/{schema_id}/versions", f"the subjects of schema id {schema_id}") or []
        if not any(v.get("subject") == self.subject for v in versions):
            return f"schema id {schema_id} is not a version of subject {self.subject}"
        _SUBJECT_IDS.add(key)
        return None

    def _get(self, path, what, body=None):
        """The JSON answer of a request, None for 404; SchemaRegistryError otherwise."""
        request = urllib.request.Request(
            self.url + path,
            data=json.dumps(body).encode() if body is not None else None,
            headers={
                "Accept": "application/vnd.schemaregistry.v1+json, application/json",
                "Content-Type": "application/vnd.schemaregistry.v1+json",
            },
        )
        if self.authorization:
            request.add_header("Authorization", self.authorization)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_seconds) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as e:
            if e.code == 404:
                return None
            raise SchemaRegistryError(f"schema registry {self.url} answered {e.code} for {what}") from None
        except (urllib.error.URLError, OSError) as e:
            raise SchemaRegistryError(f"schema registry {self.url} did not answer for {what}: {e}") from None

    def _fetch(self, schema_id):
        answer = self._get(f"/schemas/ids/{schema_id}", f"schema id {schema_id}")
        if answer is None:
            return None
        schema_type = answer.get("schemaType") or "AVRO"
        if schema_type != "AVRO":
            return schema_type
        return fastavro.parse_schema(json.loads(answer["schema"]))


def from_settings(settings, subject=None):
    """The job's registry: URL and timeout from its settings, credentials from the environment only
    (SCHEMA_REGISTRY_USERNAME, SCHEMA_REGISTRY_PASSWORD); `subject` the one the pipeline reads."""
    return SchemaRegistry(
        settings["schema_registry_url"],
        username=os.environ.get("SCHEMA_REGISTRY_USERNAME") or None,
        password=os.environ.get("SCHEMA_REGISTRY_PASSWORD"),
        timeout_seconds=settings["schema_registry_timeout_seconds"],
        subject=subject,
    )


def resolve_record(value, registry, reader):
    """(payload, error) for one record: its body decoded with its writer schema, resolved to the
    parsed `reader` schema and written again with it; or (None, why not)."""
    if value is None or len(value) < CONFLUENT_HEADER_BYTES or value[0] != CONFLUENT_MAGIC_BYTE:
        return None, NOT_CONFLUENT
    schema_id = int.from_bytes(value[1:CONFLUENT_HEADER_BYTES], "big")
    writer = registry.writer_schema(schema_id)
    if writer is None:
        return None, f"schema id {schema_id} is not in the schema registry"
    if isinstance(writer, str):
        return None, f"schema id {schema_id} is a {writer} schema, not Avro"
    body = io.BytesIO(value[CONFLUENT_HEADER_BYTES:])
    try:
        record = fastavro.schemaless_reader(body, writer, reader)
    except fastavro.read.SchemaResolutionError as e:
        return None, f"writer schema id {schema_id} does not resolve to the pipeline's schema: {e}"
    except Exception as e:  # noqa: BLE001 - any decoding failure makes the record bad
        return None, f"does not decode with writer schema id {schema_id}: {type(e).__name__}"
    if body.tell() != len(value) - CONFLUENT_HEADER_BYTES:
        return None, f"does not decode with writer schema id {schema_id}: bytes left after the record"
    out = io.BytesIO()
    fastavro.schemaless_writer(out, reader, record)
    return out.getvalue(), None


def ship_runtime(spark):
    """Makes this package importable by the session's Python workers (the executors run
    resolved_column's function, which needs this module and its cache), once per application: a
    zip of the package, added with addPyFile, works the same in local mode and on Kubernetes."""
    context = spark.sparkContext
    if context.applicationId in _SHIPPED:
        return
    package_dir = os.path.dirname(os.path.abspath(__file__))
    archive = os.path.join(tempfile.mkdtemp(prefix="streaming-runtime-"), "streaming_runtime.zip")
    with zipfile.ZipFile(archive, "w") as zipped:
        for folder, folders, files in os.walk(package_dir):
            folders[:] = sorted(f for f in folders if f != "__pycache__")
            for name in sorted(files):
                if name.endswith(".py"):
                    path = os.path.join(folder, name)
                    zipped.write(path, os.path.relpath(path, os.path.dirname(package_dir)))
    context.addPyFile(archive)
    _SHIPPED.add(context.applicationId)


def schema_id_column(value):
    """The schema id of a Confluent-framed value (bytes 2 to 5, big endian), null without the header."""
    return F.when(confluent_framed(value), F.conv(F.hex(F.substring(value, 2, 4)), 16, 10).cast("long"))


def resolved_column(value, registry, avro_schema):
    """A column of RESOLVED_TYPE for a column of Confluent-framed Avro values: `payload` in the
    pipeline's schema (`avro_schema`, JSON text), or null and `error`."""
    ship_runtime(SparkSession.active())

    def resolve(data):
        if data is None:  # a record the JVM reads itself (own_schema_records)
            return None, None
        reader = _READERS.get(avro_schema)
        if reader is None:
            reader = _READERS[avro_schema] = fastavro.parse_schema(json.loads(avro_schema))
        return resolve_record(bytes(data) if data is not None else None, registry, reader)

    return F.udf(resolve, RESOLVED_TYPE)(value)


def subject_error_column(value, registry, schema_type):
    """A column of why the schema id of a Confluent-framed value does not name a version of the
    pipeline's subject (SchemaRegistry.subject_error, asked once per id in each Python worker);
    null when it does or the value has no header."""
    ship_runtime(SparkSession.active())

    def check(schema_id):
        return None if schema_id is None else registry.subject_error(schema_id, schema_type)

    return F.udf(check, T.StringType())(schema_id_column(value))
