import { findOwnPaths } from '@backstage/cli-common';
import { JsonObject } from '@backstage/types';
import fs from 'node:fs';
import { parse } from 'yaml';

/** The folder of the repository's software templates. */
export const TEMPLATES_DIR = findOwnPaths(__dirname).resolveRoot('templates');

/** The template at `templates/<name>/template.yaml`, as an object. */
export function loadTemplate(name: string): JsonObject {
  return parse(
    fs.readFileSync(`${TEMPLATES_DIR}/${name}/template.yaml`, 'utf8'),
  );
}

/**
 * Names of all templates in the folder: the folders with a
 * `template.src.yaml` (`shared` holds the parts they have in common).
 */
export function templateFolders(): string[] {
  return fs
    .readdirSync(TEMPLATES_DIR, { withFileTypes: true })
    .filter(
      e =>
        e.isDirectory() &&
        fs.existsSync(`${TEMPLATES_DIR}/${e.name}/template.src.yaml`),
    )
    .map(e => e.name)
    .sort();
}

/**
 * Names of the templates that create a pipeline (`spec.type:
 * streaming-pipeline`); the others act on an existing one.
 */
export function templateNames(): string[] {
  return templateFolders().filter(
    name =>
      parse(
        fs.readFileSync(`${TEMPLATES_DIR}/${name}/template.src.yaml`, 'utf8'),
      ).spec?.type === 'streaming-pipeline',
  );
}
