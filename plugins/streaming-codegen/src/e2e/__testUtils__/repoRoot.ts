import { resolve } from 'node:path';

/** The monorepo's root folder, where `scripts/kafka.sh` and `scripts/spark.sh` live. */
export const repoRoot = resolve(__dirname, '../../../../..');
