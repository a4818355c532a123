// A pipeline repository as a Create template publishes one, for the browser
// tests that need a pipeline of their own: pipeline.yaml written for the
// guest, every other file rendered by the project's code generator
// (renderPipelineRepository.ts), then registered in the catalog.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { backendUrl } from './api.mts';
import { waitUntil } from './browser.mts';

const root = resolve(import.meta.dirname, '../..');
// streaming.scaffolder.localPublish.baseDir's default: the local repositories
// the catalog (and the templates that change a pipeline) can read.
const baseDir = join(root, '.cache/local-repos');

/** The user ref of the guest a token was issued to. */
export function tokenOwner(token: string): string {
  return JSON.parse(
    Buffer.from(token.split('.')[1], 'base64url').toString('utf8'),
  ).sub as string;
}

/**
 * Writes the repository of a pipeline `name` owned by `owner` (a Kafka topic
 * of its name with order_id and total, appended to a Delta table): its
 * pipeline.yaml, with `more` lines (two-space indented keys of `pipeline:`)
 * after the sink, and the files the generator renders from it.
 */
export function writePipelineRepository(
  name: string,
  owner: string,
  more: string[],
): { repo: string; specFile: string } {
  const repo = join(baseDir, name);
  mkdirSync(repo, { recursive: true });
  const specFile = join(repo, 'pipeline.yaml');
  writeFileSync(
    specFile,
    [
      'pipeline:',
      `  name: ${name}`,
      `  owner: ${owner}`,
      '  source:',
      '    type: kafka',
      '    cluster: local',
      `    topic: ${name}`,
      '    format: json',
      '    fields:',
      '      - { name: order_id, type: string }',
      '      - { name: total, type: double }',
      '  sink:',
      '    type: delta',
      `    path: /data/delta/${name.replace(/-/g, '_')}`,
      '    mode: append',
      `    checkpoint: /checkpoints/${name}`,
      ...more,
      '',
    ].join('\n'),
  );
  execFileSync(
    process.execPath,
    [
      '-r',
      'sucrase/register/ts',
      'e2e/lib/renderPipelineRepository.ts',
      specFile,
      repo,
    ],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return { repo, specFile };
}

/**
 * Registers the repository's catalog-info.yaml as a catalog location (it must
 * be created: 201), waits until the catalog has processed each of its
 * entities (a page opened before that says the entity is not found, and
 * never asks again) and returns the location's id, to unregister it.
 */
export async function registerRepository(
  repo: string,
  token: string,
): Promise<string> {
  const registered = await fetch(`${backendUrl}/api/catalog/locations`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      type: 'url',
      target: pathToFileURL(join(repo, 'catalog-info.yaml')).href,
    }),
  });
  const registration = await registered.text();
  assert.equal(registered.status, 201, registration);
  const entities = parseAllDocuments(
    readFileSync(join(repo, 'catalog-info.yaml'), 'utf8'),
  ).map(
    doc =>
      doc.toJS() as {
        kind: string;
        metadata: { name: string; namespace?: string };
      },
  );
  for (const { kind, metadata } of entities) {
    const ref = `${kind}/${metadata.namespace ?? 'default'}/${metadata.name}`;
    await waitUntil(
      `the catalog to process ${ref}`,
      async () =>
        (
          await fetch(`${backendUrl}/api/catalog/entities/by-name/${ref}`, {
            headers: { Authorization: `Bearer ${token}` },
          })
        ).status,
      status => status === 200,
      120_000,
      500,
    );
  }
  return JSON.parse(registration).location.id as string;
}
