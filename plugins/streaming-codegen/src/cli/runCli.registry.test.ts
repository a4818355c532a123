import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { stringify } from 'yaml';
import { TestSchemaRegistry } from '@internal/plugin-streaming-node/testUtils';
import { repoRoot } from '../__testUtils__/goldenCases';
import { runCli } from './runCli';

type Field = { name: string; type: string; nullable?: boolean };

const v1: Field[] = [
  { name: 'page', type: 'string' },
  { name: 'user_id', type: 'string', nullable: false },
];

const USERNAME = 'ci-registry-user';
const PASSWORD = 'never-print-this-secret';

// `streaming-pipeline schema register` against the real registry of
// scripts/registry.sh (Apicurio Registry's Confluent-compatible API).
describe('streaming-pipeline schema register against the real schema registry', () => {
  let registry: TestSchemaRegistry;
  let dir: string;
  const subjects: string[] = [];

  beforeAll(async () => {
    registry = await TestSchemaRegistry.start();
    dir = mkdtempSync(join(tmpdir(), 'streaming-pipeline-register-'));
  }, 600_000);

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    for (const subject of subjects) {
      if (await registry.client.findLatest(subject)) {
        await registry.client.deleteSubject(subject);
      }
    }
  });

  /** A topic of this test's own; its subject, if registered, is deleted afterwards. */
  function topic(prefix: string): string {
    const name = registry.uniqueTopic(prefix);
    subjects.push(`${name}-value`);
    return name;
  }

  /** Writes the spec of a pipeline reading Avro `fields` from `topicName`; its file name. */
  function spec(topicName: string, fields: Field[]): string {
    const file = `${topicName}-${subjects.length}-${Math.random()
      .toString(36)
      .slice(2, 8)}.yaml`;
    writeFileSync(
      join(dir, file),
      stringify({
        pipeline: {
          name: 'clicks-by-page',
          owner: 'group:default/team-growth',
          source: { type: 'kafka', topic: topicName, format: 'avro', fields },
          transformations: [],
          sink: {
            type: 'delta',
            path: '/data/delta/clicks-by-page',
            checkpoint: '/checkpoints/clicks-by-page',
          },
        },
      }),
    );
    return file;
  }

  async function cli(args: string[], cwd = dir) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(['schema', 'register', ...args], {
      stdout: t => {
        stdout += t;
      },
      stderr: t => {
        stderr += t;
      },
      cwd,
      env: {
        SCHEMA_REGISTRY_USERNAME: USERNAME,
        SCHEMA_REGISTRY_PASSWORD: PASSWORD,
      },
    });
    expect(`${stdout}${stderr}`).not.toContain(PASSWORD);
    return { code, stdout, stderr };
  }

  /** A topic whose subject holds the schema of `v1` (version 1) under BACKWARD. */
  async function topicWithV1(): Promise<string> {
    const name = topic('clicks');
    const first = await cli([spec(name, v1), '--registry-url', registry.url]);
    expect(first).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(
        new RegExp(
          `: registered under subject ${name}-value as version 1 \\(schema id \\d+\\)\\n$`,
        ),
      ),
      stderr: expect.stringContaining(
        `subject ${name}-value has no versions yet`,
      ),
    });
    await registry.client.setCompatibilityLevel(`${name}-value`, 'BACKWARD');
    return name;
  }

  it('registers a compatible change as a new version', async () => {
    const name = await topicWithV1();
    const result = await cli([
      spec(name, [...v1, { name: 'referrer', type: 'string' }]),
      '--registry-url',
      registry.url,
    ]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(
      `BACKWARD compatible with version 1 of subject ${name}-value`,
    );
    expect(result.stdout).toMatch(
      `registered under subject ${name}-value as version 2 (schema id`,
    );
    expect(await registry.client.listVersions(`${name}-value`)).toEqual([1, 2]);
    expect(
      JSON.parse((await registry.client.getVersion(`${name}-value`)).schema)
        .fields,
    ).toHaveLength(3);
  });

  it('refuses an incompatible change naming the fields that break, and registers nothing', async () => {
    const name = await topicWithV1();
    const file = spec(name, [
      ...v1,
      { name: 'email', type: 'string', nullable: false },
      { name: 'country', type: 'string', nullable: false },
    ]);
    const result = await cli([file, '--registry-url', registry.url]);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `${file}: error: not BACKWARD compatible with version 1 of subject ${name}-value; fields that break: email (/fields/2), country (/fields/3); nothing registered\n`,
    });
    expect(await registry.client.listVersions(`${name}-value`)).toEqual([1]);
  });

  it('takes the schema already registered as success, without a new version', async () => {
    const name = await topicWithV1();
    const file = spec(name, v1);
    const result = await cli([file, '--registry-url', registry.url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(
        `^${file}: subject ${name}-value already holds this schema as version 1 \\(schema id \\d+\\); nothing to register\\n$`,
      ),
    );
    expect(await registry.client.listVersions(`${name}-value`)).toEqual([1]);
  });

  it('only checks in a dry run', async () => {
    const name = await topicWithV1();
    const compatible = await cli([
      spec(name, [...v1, { name: 'referrer', type: 'string' }]),
      '--registry-url',
      registry.url,
      '--dry-run',
    ]);
    expect(compatible.code).toBe(0);
    expect(compatible.stdout).toContain(
      `dry run: nothing registered under ${name}-value`,
    );
    const incompatible = await cli([
      spec(name, [...v1, { name: 'email', type: 'string', nullable: false }]),
      '--registry-url',
      registry.url,
      '--dry-run',
    ]);
    expect(incompatible.code).toBe(1);
    expect(incompatible.stderr).toContain('fields that break: email');
    expect(await registry.client.listVersions(`${name}-value`)).toEqual([1]);
    // A subject the registry does not have stays absent.
    const fresh = topic('fresh');
    expect(
      (
        await cli([
          spec(fresh, v1),
          '--registry-url',
          registry.url,
          '--dry-run',
        ])
      ).code,
    ).toBe(0);
    expect(await registry.client.findLatest(`${fresh}-value`)).toBeUndefined();
  });

  it("registers the source's schema file under --subject", async () => {
    const example = join(dir, 'user-events');
    cpSync(join(repoRoot, 'examples/pipelines/user-events'), example, {
      recursive: true,
      filter: source => !source.includes('__pycache__'),
    });
    const subject = `${topic('user-events')}-value`;
    const result = await cli(
      ['pipeline.yaml', '--registry-url', registry.url, '--subject', subject],
      example,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `registered under subject ${subject} as version 1`,
    );
    const registered = await registry.client.getVersion(subject);
    expect(registered.schemaType).toBe('AVRO');
    expect(JSON.parse(registered.schema).name).toBe('UserEvent');
  });

  it('never prints credentials, and refuses a URL that holds some', async () => {
    const file = spec(topic('secret'), v1);
    const withCredentials = registry.url.replace(
      '://',
      `://${USERNAME}:${PASSWORD}@`,
    );
    const refused = await cli([file, '--registry-url', withCredentials]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      '--registry-url: expected an http(s) URL without credentials (they come from SCHEMA_REGISTRY_USERNAME and SCHEMA_REGISTRY_PASSWORD)',
    );
    expect(refused.stderr).not.toContain(USERNAME);
    const unreachable = await cli([
      file,
      '--registry-url',
      'http://127.0.0.1:9/apis/ccompat/v7',
    ]);
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain(': error: schema registry: subject');
    expect(unreachable.stderr).toContain('; nothing registered');
  });
});
