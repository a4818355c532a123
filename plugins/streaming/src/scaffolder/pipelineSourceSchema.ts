import { PipelineFieldProposal } from '@internal/plugin-streaming-common';

/** One field of the source's schema, as the spec's `source.fields` has it. */
export type PipelineFieldRow = PipelineFieldProposal;

/** The registry subject a Kafka source reads with: the spec's `source.schema`. */
export interface PipelineSubjectRef {
  registry: string;
  subject: string;
  /** Pinned: the version the user chose from. */
  version: number;
}

/**
 * The value of a `PipelineFieldsEditor` on an object form field: the
 * source's fields and, when the user chose to read with the topic's registry
 * subject, that subject. The template's spec then names the subject as
 * `source.schema` and has no `fields`; the fields stay here (the subject's,
 * read-only) for the transformations editor.
 */
export interface PipelineSourceSchema {
  fields: PipelineFieldRow[];
  subject?: PipelineSubjectRef;
  /** The schema type of the subject's records: the message format the source must have. */
  subjectFormat?: 'json' | 'avro';
}

/**
 * The fields in a form value that holds them: a list of fields, or a
 * {@link PipelineSourceSchema}. Anything else is returned as it is.
 */
export function fieldsOfSourceSchema(value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return (value as Partial<PipelineSourceSchema>).fields;
  }
  return value;
}

/** Why a form value's subject does not fit the form's message format, if it does not. */
export function subjectFormatProblem(
  value: unknown,
  format: unknown,
): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    return undefined;
  }
  const { subject, subjectFormat } = value as Partial<PipelineSourceSchema>;
  if (!subject || !subjectFormat || typeof format !== 'string') {
    return undefined;
  }
  if (format === subjectFormat) {
    return undefined;
  }
  return `Subject ${subject.subject} of registry ${subject.registry} holds ${subjectFormat} records but Message format is ${format}: choose ${subjectFormat} as Message format, or copy the fields instead of reading with the subject.`;
}
