import { SchemaIncompatibility } from './SchemaRegistryClient';

/**
 * The fields a registry names as breaking compatibility, in schema order
 * whatever order the registry lists them in: `email (/fields/2)`, or the
 * registry's words for a reason that names no field.
 *
 * @public
 */
export function fieldsThatBreak(
  incompatibilities: SchemaIncompatibility[],
): string[] {
  return [
    ...new Set(
      [...incompatibilities]
        .sort((a, b) =>
          (a.path ?? '').localeCompare(b.path ?? '', 'en', { numeric: true }),
        )
        .map(i =>
          i.field ? `${i.field}${i.path ? ` (${i.path})` : ''}` : i.message,
        ),
    ),
  ];
}
