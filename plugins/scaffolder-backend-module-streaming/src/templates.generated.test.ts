import { JsonObject } from '@backstage/types';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parse, stringify } from 'yaml';
import { waitFor } from '@internal/plugin-streaming-node/testUtils';
import { startScaffolderTestBackend } from './__testUtils__/startScaffolderTestBackend';
import { TEMPLATES_DIR, templateFolders } from './__testUtils__/templates';

/** The note of a `template.src.yaml` that says it is the source. */
const SOURCE_NOTE =
  '# The source of template.yaml; `$yaml` pulls in what all templates share\n# (templates/README.md).\n';

const GENERATED_NOTE = `# Generated from template.src.yaml and ../shared by the catalog's own $yaml
# placeholders; do not edit. After a change there:
# UPDATE_GOLDEN=1 CI=true yarn test templates.generated (in
# plugins/scaffolder-backend-module-streaming; see templates/README.md).
`;

/**
 * The catalog resolves `$yaml` placeholders relative to a template's URL,
 * not to a file location (backstage/backstage#30702), and app-config
 * registers the templates as files. So each `template.yaml` is its
 * `template.src.yaml` as the catalog reads it from a `file:` URL: the
 * catalog's PlaceholderProcessor resolves the shared pages and steps, and
 * this test fails when a `template.yaml` is stale.
 */
describe('templates/*/template.yaml', () => {
  let backend: Awaited<ReturnType<typeof startScaffolderTestBackend>>;

  beforeAll(async () => {
    backend = await startScaffolderTestBackend({
      // The UrlReader for local repositories reads `file:` URLs in this folder.
      streaming: { scaffolder: { localPublish: { baseDir: TEMPLATES_DIR } } },
      locations: templateFolders().map(
        name =>
          pathToFileURL(`${TEMPLATES_DIR}/${name}/template.src.yaml`).href,
      ),
    });
  }, 120_000);

  afterAll(() => backend?.stop());

  function templateFromCatalog(name: string): Promise<JsonObject> {
    return waitFor(
      `the template ${name} in the catalog`,
      async () => {
        const { status, body } = await backend.request<JsonObject>(
          'GET',
          `/catalog/entities/by-name/template/default/${name}`,
        );
        return status === 200 ? body : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
  }

  it.each(templateFolders())(
    '%s is its template.src.yaml with the shared parts resolved',
    async name => {
      const sourceText = fs.readFileSync(
        `${TEMPLATES_DIR}/${name}/template.src.yaml`,
        'utf8',
      );
      expect(sourceText).toContain(SOURCE_NOTE);
      const source = parse(sourceText);
      const entity = await templateFromCatalog(name);
      const metadata = entity.metadata as JsonObject;
      const template = {
        apiVersion: entity.apiVersion,
        kind: entity.kind,
        // Only what the source says; not what the catalog adds (uid, etag, ...).
        metadata: Object.fromEntries(
          Object.keys(source.metadata).map(key => [key, metadata[key]]),
        ),
        spec: entity.spec,
      };
      const leadingComments = sourceText
        .slice(0, sourceText.indexOf('apiVersion:'))
        .replace(SOURCE_NOTE, '');
      const body = stringify(template, { lineWidth: 0, singleQuote: true });
      expect(body).not.toContain('$yaml');
      const generated = `${GENERATED_NOTE}${leadingComments}${body}`;

      const file = `${TEMPLATES_DIR}/${name}/template.yaml`;
      if (process.env.UPDATE_GOLDEN) {
        fs.writeFileSync(file, generated);
      }
      expect(fs.readFileSync(file, 'utf8')).toBe(generated);
    },
    60_000,
  );
});
