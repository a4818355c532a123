import { execFileSync } from 'child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { parsePipelineSpec } from '@internal/plugin-streaming-common';
import { goldenCases } from './__testUtils__/goldenCases';
import { renderPipeline } from './renderPipeline';
import { connectorJars, mavenPath } from './renderImage';

const cases = goldenCases().map(c => {
  const spec = parsePipelineSpec(c.specText).spec!;
  const dockerfile = renderPipeline(spec, c.options).find(
    f => f.path === 'Dockerfile',
  )!.content;
  return { ...c, spec, dockerfile };
});

/** The spec of a case with its sink and checkpoint under `base`. */
function withSinkUnder(base: string) {
  const { spec } = cases.find(c => c.spec.pipeline.sink.type === 'delta')!;
  const sink = { ...spec.pipeline.sink } as Record<string, unknown>;
  sink.path = `${base}/tables/out`;
  sink.checkpoint = `${base}/checkpoints/out`;
  return { pipeline: { ...spec.pipeline, sink } } as typeof spec;
}

/**
 * The URL of the repository Maven itself resolves artifacts from (its central
 * repository, or what the machine's Maven settings make of it), as a build's
 * MAVEN_REPOSITORY argument would name it.
 */
function mavenRepositoryUrl(): string {
  const dir = mkdtempSync(join(tmpdir(), 'maven-repository-'));
  try {
    writeFileSync(
      join(dir, 'pom.xml'),
      '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>' +
        '<groupId>local.streaming</groupId><artifactId>probe</artifactId><version>1</version></project>',
    );
    const out = execFileSync(
      'mvn',
      [
        '-q',
        '-B',
        '-Dstyle.color=never',
        '-f',
        join(dir, 'pom.xml'),
        'help:evaluate',
        '-Dexpression=project.repositories[0].url',
        '-DforceStdout',
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    // Maven may wrap the value in terminal colour codes; the URL is the one word that matters.
    return /https?:\/\/[\w.:/~%-]+/.exec(out)?.[0] ?? out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The jar paths a Dockerfile fetches. */
const jarPaths = (dockerfile: string) =>
  /for jar in ([^;]+); do/.exec(dockerfile)![1].trim().split(' ');

describe('the job image', () => {
  it.each([
    [
      's3a://lake',
      [
        'org.apache.hadoop:hadoop-aws:3.4.1',
        'software.amazon.awssdk:bundle:2.24.6',
      ],
    ],
    [
      'gs://lake',
      ['com.google.cloud.bigdataoss:gcs-connector:hadoop3-2.2.25:shaded'],
    ],
    [
      'abfss://lake@account.dfs.core.windows.net',
      [
        'org.apache.hadoop:hadoop-azure:3.4.1',
        'org.wildfly.openssl:wildfly-openssl:1.1.3.Final',
      ],
    ],
  ])('adds the Hadoop connector of %s locations', (base, expected) => {
    const jars = connectorJars(withSinkUnder(base), '4.0.0');
    expect(jars).toEqual(expect.arrayContaining(expected));
    expect(connectorJars(withSinkUnder('/data'), '4.0.0')).not.toEqual(
      expect.arrayContaining([expected[0]]),
    );
    const dockerfile = renderPipeline(withSinkUnder(base)).find(
      f => f.path === 'Dockerfile',
    )!.content;
    expect(jarPaths(dockerfile)).toEqual(
      expect.arrayContaining(expected.map(mavenPath)),
    );
  });

  it('copies only files the repository has (the five examples)', () => {
    // The examples are rendered into their own folders: real repositories.
    const examples = cases.filter(c => c.goldenDir === dirname(c.specFile));
    expect(examples).toHaveLength(5);
    for (const c of examples) {
      const sources = [...c.dockerfile.matchAll(/^COPY (\[.*\])$/gm)].map(
        ([, json]) => JSON.parse(json)[0] as string,
      );
      expect(sources).toEqual(
        expect.arrayContaining(['requirements.txt', 'job/']),
      );
      for (const source of sources) {
        const found = existsSync(join(c.goldenDir, source));
        expect([c.name, source, found]).toEqual([c.name, source, true]);
      }
      expect(c.dockerfile).not.toMatch(/^(ADD|COPY) [^[]/m);
    }
  });

  it('fetches only jars that exist on Maven Central', async () => {
    const paths = new Set([
      ...cases.flatMap(c => jarPaths(c.dockerfile)),
      ...['s3a://l', 'gs://l', 'abfss://l@a.dfs.core.windows.net'].flatMap(
        base => connectorJars(withSinkUnder(base), '4.0.0').map(mavenPath),
      ),
    ]);
    expect(paths.size).toBeGreaterThanOrEqual(12);
    const repository = mavenRepositoryUrl().replace(/\/$/, '');
    expect(repository).toMatch(/^https?:\/\//);
    const missing: string[] = [];
    for (const path of paths) {
      // As the Dockerfile fetches them: the repository URL, then the path.
      const response = await fetch(`${repository}/${path}`, {
        method: 'HEAD',
      });
      if (response.status !== 200) {
        missing.push(`${path}: ${response.status}`);
      }
    }
    expect(missing).toEqual([]);
  }, 240_000);
});
