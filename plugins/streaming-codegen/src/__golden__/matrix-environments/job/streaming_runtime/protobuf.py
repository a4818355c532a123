"""Protobuf records in the Confluent wire format, read with the message of a registry subject's version.

Each record is a magic byte (0), a 4-byte big-endian schema id, the message indexes (a zigzag varint
count, then that many zigzag varints: the path of the record's message among the .proto's messages
and their nested ones; a single 0 byte stands for [0], the first message), then the message bytes.
This is how Confluent's Protobuf serializer writes them.

The pipeline's version of the subject is kept in its repository as schemas/<subject>.proto. Records
are decoded with the descriptor set protoc builds from it (schemas/<subject>.desc, built when the job
image is built; where it is missing, as in local runs, built with the protoc on PATH when the job
starts) and the pipeline's message: the one the spec names, else the .proto's first. Fields a writer
added in a later compatible version are skipped, fields it lacks are null (or their proto3 default).

A record is bad, with the reason, when it has no header, its schema id is not a Protobuf version of
the pipeline's subject (registry.SchemaRegistry.subject_error), its message indexes do not parse or
name another message than the pipeline's, or its message bytes do not decode.
"""

import functools
import os
import shutil
import subprocess
import tempfile

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.descriptor import FieldDescriptor
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .sources import CONFLUENT_HEADER_BYTES, CONFLUENT_MAGIC_BYTE, NOT_CONFLUENT

# The Spark type of each Protobuf scalar type (enums are read as their value's name).
_SCALARS = {
    FieldDescriptor.TYPE_DOUBLE: T.DoubleType(),
    FieldDescriptor.TYPE_FLOAT: T.FloatType(),
    FieldDescriptor.TYPE_INT32: T.IntegerType(),
    FieldDescriptor.TYPE_SINT32: T.IntegerType(),
    FieldDescriptor.TYPE_SFIXED32: T.IntegerType(),
    FieldDescriptor.TYPE_UINT32: T.LongType(),
    FieldDescriptor.TYPE_FIXED32: T.LongType(),
    FieldDescriptor.TYPE_INT64: T.LongType(),
    FieldDescriptor.TYPE_SINT64: T.LongType(),
    FieldDescriptor.TYPE_SFIXED64: T.LongType(),
    FieldDescriptor.TYPE_UINT64: T.DecimalType(20, 0),
    FieldDescriptor.TYPE_FIXED64: T.DecimalType(20, 0),
    FieldDescriptor.TYPE_BOOL: T.BooleanType(),
    FieldDescriptor.TYPE_STRING: T.StringType(),
    FieldDescriptor.TYPE_BYTES: T.BinaryType(),
    FieldDescriptor.TYPE_ENUM: T.StringType(),
}


class ProtobufSchema:
    """The pipeline's message: the descriptor set (bytes) it is in, its full name, its row schema and
    the message indexes a record of it carries. Pickled into each task, parsed once per worker."""

    def __init__(self, descriptor_set, message=None):
        self.descriptor_set = descriptor_set
        files = descriptor_pb2.FileDescriptorSet.FromString(descriptor_set).file
        # protoc --include_imports lists the imported files first, the .proto itself last.
        own = files[-1]
        self.message_names = message_paths(own)
        if not self.message_names:
            raise ValueError(f"{own.name} declares no message")
        if message is None:
            message = next(iter(self.message_names))
        full = f"{own.package}.{message}" if own.package else message
        indexes = self.message_names.get(message)
        if indexes is None:
            raise ValueError(f"{own.name} has no message {message}; it has {', '.join(self.message_names)}")
        self.message = message
        self.full_name = full
        self.indexes = indexes
        self.row_schema = message_schema(_message_class(descriptor_set, full).DESCRIPTOR)

    def __repr__(self):
        return f"ProtobufSchema({self.full_name!r})"


def message_paths(file_proto):
    """The messages of a .proto by their name within it ("Order", "Order.Line"), in declaration order,
    with their message indexes (Confluent's path of positions among messages and nested messages)."""
    found = {}

    def visit(messages, prefix, path):
        for i, m in enumerate(messages):
            name = prefix + m.name
            found[name] = path + [i]
            visit([n for n in m.nested_type if not n.options.map_entry], name + ".", path + [i])

    visit(file_proto.message_type, "", [])
    return found


def _is_map(field):
    return field.type == FieldDescriptor.TYPE_MESSAGE and field.message_type.GetOptions().map_entry


def field_type(field, seen=()):
    """The Spark type of a field: maps as maps, repeated fields as arrays, messages as structs."""
    if _is_map(field):
        key, value = field.message_type.fields_by_name["key"], field.message_type.fields_by_name["value"]
        return T.MapType(field_type(key, seen), field_type(value, seen), True)
    if field.type in (FieldDescriptor.TYPE_MESSAGE, FieldDescriptor.TYPE_GROUP):
        element = message_schema(field.message_type, seen)
    else:
        element = _SCALARS[field.type]
    return T.ArrayType(element, True) if field.is_repeated else element


def message_schema(descriptor, seen=()):
    """The Spark struct of a message: one nullable column per field, nested messages as structs."""
    if descriptor.full_name in seen:
        raise ValueError(f"message {descriptor.full_name} contains itself: a recursive message has no row schema")
    seen = (*seen, descriptor.full_name)
    return T.StructType([T.StructField(f.name, field_type(f, seen), True) for f in descriptor.fields])


@functools.lru_cache(maxsize=16)
def _message_class(descriptor_set, full_name):
    """The message class of a full name in a descriptor set, once per worker."""
    pool = descriptor_pool.DescriptorPool()
    for file_proto in descriptor_pb2.FileDescriptorSet.FromString(descriptor_set).file:
        pool.Add(file_proto)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName(full_name))


def _value(field, value):
    if field.type == FieldDescriptor.TYPE_ENUM:
        known = field.enum_type.values_by_number.get(value)
        return known.name if known else str(value)
    if field.type in (FieldDescriptor.TYPE_MESSAGE, FieldDescriptor.TYPE_GROUP):
        return message_row(value)
    return value


def message_row(message):
    """A decoded message as a row (a tuple in field order): a field with presence that is not set is
    null, one without presence (a proto3 scalar) its value, which is the default when not written."""
    row = []
    for field in message.DESCRIPTOR.fields:
        value = getattr(message, field.name)
        if _is_map(field):
            value_field = field.message_type.fields_by_name["value"]
            row.append({k: _value(value_field, v) for k, v in value.items()})
        elif field.is_repeated:
            row.append([_value(field, v) for v in value])
        elif field.has_presence and not message.HasField(field.name):
            row.append(None)
        else:
            row.append(_value(field, value))
    return tuple(row)


def _varint(data, at):
    """A zigzag-encoded varint at `at`: (value, next position); ValueError when it runs past the end."""
    shift = result = 0
    while True:
        if at >= len(data) or shift > 63:
            raise ValueError("truncated varint")
        byte = data[at]
        at += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return (result >> 1) ^ -(result & 1), at


def message_indexes(data):
    """The message indexes after the header ([0] for the single 0 byte) and where the message starts."""
    count, at = _varint(data, CONFLUENT_HEADER_BYTES)
    if count == 0:
        return [0], at
    if count < 0 or count > len(data):
        raise ValueError(f"message index count {count}")
    indexes = []
    for _ in range(count):
        index, at = _varint(data, at)
        indexes.append(index)
    return indexes, at


def decode_record(value, registry, schema):
    """(row, error) for one Confluent-framed Protobuf record: its message as a row, or (None, why not)."""
    if value is None or len(value) < CONFLUENT_HEADER_BYTES or value[0] != CONFLUENT_MAGIC_BYTE:
        return None, NOT_CONFLUENT
    schema_id = int.from_bytes(value[1:CONFLUENT_HEADER_BYTES], "big")
    error = registry.subject_error(schema_id, "PROTOBUF")
    if error is not None:
        return None, error
    try:
        indexes, start = message_indexes(value)
    except ValueError as e:
        return None, f"message indexes do not parse: {e}"
    if indexes != schema.indexes:
        names = {tuple(path): name for name, path in schema.message_names.items()}
        other = names.get(tuple(indexes))
        return None, (
            f"message indexes {indexes} name "
            + (f"message {other}" if other else "no message of the pipeline's version")
            + f", not the pipeline's {schema.message}"
        )
    message = _message_class(schema.descriptor_set, schema.full_name)()
    try:
        message.ParseFromString(value[start:])
    except Exception as e:  # noqa: BLE001 - any decoding failure makes the record bad
        return None, f"does not decode as Protobuf message {schema.message}: {type(e).__name__}"
    return message_row(message), None


def decoded_type(schema):
    """The type of decoded_column: the row, or null and the error."""
    return T.StructType([T.StructField("row", schema.row_schema, True), T.StructField("error", T.StringType(), True)])


def decoded_column(value, registry, schema):
    """A column of decoded_type for a column of Confluent-framed Protobuf values (decode_record)."""
    # Imported here: registry imports sources, which imports this module's users.
    from .registry import ship_runtime

    ship_runtime(SparkSession.active())

    def decode(data):
        return decode_record(bytes(data) if data is not None else None, registry, schema)

    return F.udf(decode, decoded_type(schema))(value)


def build_descriptor_set(proto_path):
    """The descriptor set of a .proto (with its imports), built by the protoc on PATH."""
    protoc = shutil.which("protoc")
    if protoc is None:
        raise RuntimeError(
            f"protoc is not installed: it builds the descriptor set of {proto_path} "
            "(the job image has it built; for local runs install protoc, Debian: protobuf-compiler)"
        )
    folder = os.path.dirname(os.path.abspath(proto_path))
    with tempfile.TemporaryDirectory(prefix="pipeline-protobuf-") as work:
        out = os.path.join(work, "descriptor.desc")
        result = subprocess.run(
            [protoc, f"--proto_path={folder}", "--include_imports", f"--descriptor_set_out={out}", proto_path],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"protoc could not compile {proto_path}: {result.stderr.strip()}")
        with open(out, "rb") as f:
            return f.read()


def load_protobuf_schema(proto_file, repository_dir=".", message=None):
    """The pipeline's ProtobufSchema: the descriptor set next to the .proto (<name>.desc) when there is
    one, else built with protoc; `message` as the spec names it (the .proto's first when None)."""
    path = proto_file if os.path.isabs(proto_file) else os.path.join(repository_dir, proto_file)
    built = os.path.splitext(path)[0] + ".desc"
    if os.path.exists(built):
        with open(built, "rb") as f:
            return ProtobufSchema(f.read(), message)
    return ProtobufSchema(build_descriptor_set(path), message)
