import { randomBytes } from 'node:crypto';

/**
 * A name no other test run uses (a topic, consumer group, namespace or
 * service account): `<prefix>-<8 hex digits>`.
 *
 * @public
 */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
