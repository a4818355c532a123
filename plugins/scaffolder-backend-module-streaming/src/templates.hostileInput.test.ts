import { createMockDirectory } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';
import fs from 'node:fs';
import { parse } from 'yaml';
import { startScaffolderTestBackend } from './__testUtils__/startScaffolderTestBackend';
import { loadTemplate } from './__testUtils__/templates';
import { templateValues } from './__testUtils__/templateValues';
import { uniqueName } from '@internal/plugin-streaming-node/testUtils';

/**
 * What a careless or malicious user can type into the Kafka to Delta form:
 * every case ends in a clear error (from the form's schema or from the
 * validate step), or in data written verbatim, never in code, YAML structure
 * or a file outside the workspace.
 */
jest.setTimeout(60_000);

describe('Kafka to Delta with hostile form input (dry run)', () => {
  const dir = createMockDirectory();
  let backend: Awaited<ReturnType<typeof startScaffolderTestBackend>>;
  const template = loadTemplate('kafka-to-delta');

  beforeAll(async () => {
    backend = await startScaffolderTestBackend({
      streaming: {
        scaffolder: { localPublish: { baseDir: dir.resolve('repos') } },
      },
    });
  }, 120_000);

  afterAll(() => backend?.stop());

  /** Nothing may be written outside the scaffolder's own workspace. */
  function expectNothingWritten() {
    expect(fs.readdirSync(dir.path)).toEqual([]);
  }

  function values(overrides: JsonObject): JsonObject {
    return {
      ...templateValues['kafka-to-delta'](uniqueName('h').slice(0, 10)),
      createTopic: false,
      ...overrides,
    };
  }

  it.each([
    ['a path as the name', { name: '../../etc/cron.d/x' }, 'name'],
    ['YAML in the name', { name: 'x\nkind: Secret' }, 'name'],
    ['a too long name', { name: 'a'.repeat(31) }, 'name'],
    [
      'a field name with code',
      {
        sourceSchema: {
          fields: [{ name: 'x); os.system("id', type: 'string' }],
        },
      },
      'sourceSchema.fields[0].name',
    ],
    // The form has the spec's pattern for paths, so this no longer reaches
    // the validate step.
    [
      'a template expression as the table path',
      { tablePath: '${{ secrets.backstageToken }}' },
      'tablePath',
    ],
  ])('the form rejects %s', async (_label, overrides, property) => {
    const { status, body } = await backend.dryRun(template, values(overrides));
    expect(status).toBe(400);
    expect(JSON.stringify(body.errors)).toContain(property);
    expectNothingWritten();
  });

  it.each([
    [
      'Python in a filter condition',
      {
        transformations: [
          { type: 'filter', condition: "__import__('os').system('id')" },
        ],
      },
      'pipeline.transformations[0].condition',
    ],
    [
      'a statement after a condition',
      {
        transformations: [
          { type: 'filter', condition: "status = 'paid'; DROP TABLE x" },
        ],
      },
      'pipeline.transformations[0].condition',
    ],
    [
      'a metric outside the allow-list',
      {
        transformations: [
          { type: 'watermark', column: 'created_at', delay: '1 minute' },
          {
            type: 'aggregate',
            window: '1 minute',
            group_by: ['country'],
            metrics: [{ 'eval(total)': 'x' }],
          },
        ],
      },
      'pipeline.transformations[1].metrics[0]',
    ],
    [
      'a table path that climbs out',
      { tablePath: '/data/../../etc/passwd' },
      'pipeline.sink.path',
    ],
    [
      'an unknown transformation with a misspelt type',
      { transformations: [{ type: 'fliter', condition: 'total > 0' }] },
      'did you mean "filter"',
    ],
  ])(
    'the validate step fails on %s, naming the field',
    async (_label, overrides, where) => {
      const { status, body } = await backend.dryRun(
        template,
        values(overrides),
      );
      expect(status).toBe(400);
      expect(body.error?.message).toMatch(/^The pipeline spec is invalid:\n/);
      expect(body.error?.message).toContain(where);
      expectNothingWritten();
    },
  );

  it('writes YAML-breaking and template-like text verbatim, as data', async () => {
    const description =
      "a: b\n---\n!!python/object/apply:os.system ['id']\n${{ secrets.backstageToken }} {% raw %}";
    const { status, body } = await backend.dryRun(
      template,
      values({ description }),
    );
    expect({ status, error: body.error }).toEqual({
      status: 200,
      error: undefined,
    });
    expect(body.log.filter(l => l.body.status === 'failed')).toEqual([]);
    const files = Object.fromEntries(
      body.directoryContents.map(f => [
        f.path,
        Buffer.from(f.base64Content, 'base64').toString('utf8'),
      ]),
    );
    expect(parse(files['catalog-info.yaml']).metadata.description).toBe(
      description,
    );
    expect(parse(files['pipeline.yaml']).pipeline.description).toBe(
      description,
    );
    expect(files['job/main.py']).not.toContain('os.system');
    expectNothingWritten();
  });
});
