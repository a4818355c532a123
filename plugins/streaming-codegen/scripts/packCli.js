#!/usr/bin/env node
/*
 * Packs the `streaming-pipeline` CLI as an npm package that runs with Node
 * alone: src/cli/main.ts and everything it imports (the spec validation of
 * streaming-common, the generator, yaml, zod) bundled into one file by the
 * esbuild that the Backstage CLI builds packages with, plus the Python package
 * and files every generated repository ships (python/). No dependencies.
 *
 *   node plugins/streaming-codegen/scripts/packCli.js [--out DIR]
 *
 * Prints the path of the .tgz (default folder: plugins/streaming-codegen/dist-cli).
 */
const { execFileSync } = require('child_process');
const { cpSync, mkdirSync, rmSync, writeFileSync } = require('fs');
const { join, resolve } = require('path');

const packageDir = resolve(__dirname, '..');
const { version } = require('../package.json');
// The esbuild the Backstage CLI depends on and builds packages with.
const esbuild = require(require.resolve('esbuild', {
  paths: [require.resolve('@backstage/cli/package.json')],
}));

function parseArgs(argv) {
  if (argv.length === 0) return join(packageDir, 'dist-cli');
  if (argv.length === 2 && argv[0] === '--out') return resolve(argv[1]);
  process.stderr.write('usage: packCli.js [--out DIR]\n');
  return process.exit(2);
}

const out = parseArgs(process.argv.slice(2));
const dir = join(out, 'streaming-pipeline');
rmSync(dir, { recursive: true, force: true });
mkdirSync(join(dir, 'bin'), { recursive: true });

esbuild.buildSync({
  entryPoints: [join(packageDir, 'src/cli/main.ts')],
  outfile: join(dir, 'bin/streaming-pipeline.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  banner: { js: '#!/usr/bin/env node' },
  legalComments: 'none',
  logLevel: 'warning',
});

// The Python every generated repository ships (src/runtimeFiles.ts reads it
// from ../python beside the bundle, as from beside src/ in the monorepo).
for (const folder of ['python/streaming_runtime', 'python/repository']) {
  cpSync(join(packageDir, folder), join(dir, folder), {
    recursive: true,
    filter: source => !source.includes('__pycache__'),
  });
}

writeFileSync(
  join(dir, 'package.json'),
  `${JSON.stringify(
    {
      name: 'streaming-pipeline',
      version,
      description:
        'Validates pipeline specs and renders pipeline repositories (the streaming platform generator, bundled)',
      license: 'UNLICENSED',
      bin: { 'streaming-pipeline': 'bin/streaming-pipeline.cjs' },
      files: ['bin', 'python'],
      engines: { node: '>=20' },
    },
    null,
    2,
  )}\n`,
);
writeFileSync(
  join(dir, 'README.md'),
  `# streaming-pipeline ${version}\n\nThe streaming platform's pipeline spec CLI with generator ${version} built in.\nRun \`streaming-pipeline --help\`.\n`,
);

const [packed] = JSON.parse(
  execFileSync('npm', ['pack', '--json', '--pack-destination', out], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }),
);
process.stdout.write(`${join(out, packed.filename)}\n`);
