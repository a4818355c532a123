import { stringify } from 'yaml';

/**
 * Serializes an object to YAML. Every YAML file the generator writes goes
 * through here: documents are built as objects, never assembled from strings.
 *
 * @public
 */
export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
}
