import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'fs';
import { dirname, join, relative } from 'path';
import { Document, parseAllDocuments } from 'yaml';
import {
  PipelineSpec,
  formatSpecError,
  parsePipelineSpec,
} from '@internal/plugin-streaming-common';
import { goldenCases } from './__testUtils__/goldenCases';
import { pythonCompileErrors } from './__testUtils__/pythonCompile';
import { renderPipeline } from './renderPipeline';

const UPDATE = process.env.UPDATE_GOLDEN === '1';

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) {
    return [];
  }
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter(entry => entry.isFile())
    .map(entry =>
      relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'),
    )
    .sort();
}

const cases = goldenCases().map(c => {
  const result = parsePipelineSpec(c.specText);
  return { ...c, result };
});

describe('renderPipeline', () => {
  it.each(cases.map(c => [c.name, c] as const))(
    'renders %s as in its golden files',
    (_, c) => {
      expect(c.result.errors.map(formatSpecError)).toEqual([]);
      const files = renderPipeline(c.result.spec!, c.options);
      if (UPDATE) {
        if (c.exclusive) {
          rmSync(c.goldenDir, { recursive: true, force: true });
        }
        for (const file of files) {
          mkdirSync(dirname(join(c.goldenDir, file.path)), { recursive: true });
          writeFileSync(join(c.goldenDir, file.path), file.content);
        }
      }
      const stale: string[] = [];
      for (const file of files) {
        const path = join(c.goldenDir, file.path);
        if (!existsSync(path) || readFileSync(path, 'utf8') !== file.content) {
          stale.push(file.path);
        }
      }
      if (c.exclusive) {
        const generated = new Set(files.map(f => f.path));
        stale.push(...listFiles(c.goldenDir).filter(p => !generated.has(p)));
      }
      if (stale.length > 0) {
        throw new Error(
          `generated files differ from ${relative(
            process.cwd(),
            c.goldenDir,
          )}: ${stale.join(
            ', ',
          )}\nRender again: UPDATE_GOLDEN=1 yarn test renderPipeline` +
            ` (examples: yarn streaming-pipeline render <spec> --out <its folder>)`,
        );
      }
    },
  );

  it('is deterministic', () => {
    for (const c of cases) {
      const spec = c.result.spec!;
      const again = JSON.parse(JSON.stringify(spec)) as PipelineSpec;
      expect(renderPipeline(again, c.options)).toEqual(
        renderPipeline(spec, c.options),
      );
    }
  });

  it('writes only safe relative paths', () => {
    for (const c of cases) {
      for (const file of renderPipeline(c.result.spec!, c.options)) {
        expect(file.path).toMatch(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/);
        expect(file.path.split('/')).not.toContain('..');
      }
    }
  });

  it('writes Python that compiles', () => {
    const python = cases.flatMap(c =>
      renderPipeline(c.result.spec!, c.options)
        .filter(f => f.path.endsWith('.py'))
        .map(f => ({
          name: `${c.result.spec!.pipeline.name}/${f.path}`,
          content: f.content,
        })),
    );
    expect(python.length).toBeGreaterThan(cases.length);
    expect(pythonCompileErrors(python)).toBe('');
  });

  it('writes YAML that parses, one document a file', () => {
    const yamlFiles = cases.flatMap(c =>
      renderPipeline(c.result.spec!, c.options).filter(f =>
        /\.ya?ml$/.test(f.path),
      ),
    );
    expect(yamlFiles.length).toBeGreaterThan(cases.length * 4);
    for (const file of yamlFiles) {
      const docs = parseAllDocuments(file.content) as Document[];
      expect(docs.flatMap(d => d.errors)).toEqual([]);
      expect(docs).toHaveLength(1);
    }
  });

  it('covers every source, transformation and sink option in the matrix', () => {
    const specs = cases.map(c => c.result.spec!.pipeline);
    const seen = new Set<string>();
    for (const p of specs) {
      seen.add(`source:${p.source.type}`);
      if (p.source.type === 'kafka') {
        seen.add(`format:${p.source.format}`);
        let schema = p.source.schema ? 'registry' : 'inline';
        if (typeof p.source.schema === 'string') {
          schema = p.source.schema.split('.').pop()!;
        }
        seen.add(`schema:${schema}`);
        if (p.source.avro_wire_format) {
          seen.add(`wire:${p.source.avro_wire_format}`);
        }
      }
      if (p.source.type === 'debezium') {
        seen.add(`deletes:${p.source.deletes}`);
      }
      for (const t of p.transformations) {
        seen.add(`step:${t.type}`);
        if (t.type === 'join') {
          seen.add(`join:${t.table.format}`);
        }
      }
      seen.add(`sink:${p.sink.type}`);
      if (p.sink.type === 'delta') {
        seen.add(`mode:${p.sink.mode}`);
      }
      if (p.sink.type === 'elasticsearch') {
        seen.add(`es:${p.sink.write_operation ?? 'default'}`);
      }
      const triggers: Record<string, string> = {
        available_now: 'available_now',
      };
      seen.add(
        `trigger:${p.trigger ? triggers[p.trigger] ?? 'interval' : 'none'}`,
      );
    }
    expect([...seen].sort()).toEqual(
      [
        'source:kafka',
        'source:debezium',
        'source:delta',
        'format:json',
        'format:protobuf',
        'format:avro',
        'schema:avsc',
        'schema:json',
        'schema:registry',
        'schema:inline',
        'wire:plain',
        'wire:confluent',
        'deletes:delete',
        'deletes:soft_delete',
        'deletes:ignore',
        'step:filter',
        'step:watermark',
        'step:aggregate',
        'step:select',
        'step:rename',
        'step:cast',
        'step:drop',
        'step:deduplicate',
        'step:join',
        'join:delta',
        'join:parquet',
        'join:csv',
        'join:json',
        'sink:delta',
        'sink:elasticsearch',
        'sink:kafka',
        'mode:append',
        'mode:complete',
        'mode:merge',
        'es:upsert',
        'es:default',
        'trigger:available_now',
        'trigger:interval',
        'trigger:none',
      ].sort(),
    );
  });
});
