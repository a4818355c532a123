import { parsePipelineSpec } from '@internal/plugin-streaming-common';
import fs from 'node:fs';
import path from 'node:path';
import { GENERATOR_VERSION } from '../cli/version';
import { renderPipeline } from '../renderPipeline';
import {
  readRepositoryRender,
  REPOSITORY_WORKFLOW_PATH,
} from './readRepositoryRender';

const examples = path.resolve(__dirname, '../../../../examples/pipelines');

describe('readRepositoryRender', () => {
  it('reads back the options and version each example was rendered with, so rendering again gives the same files', () => {
    for (const name of fs.readdirSync(examples)) {
      const dir = path.join(examples, name);
      const read = (file: string) =>
        fs.readFileSync(path.join(dir, file), 'utf8');
      const recorded = readRepositoryRender(read(REPOSITORY_WORKFLOW_PATH));
      expect(recorded.generatorVersion).toBe(GENERATOR_VERSION);
      const specText = read('pipeline.yaml');
      const files = renderPipeline(parsePipelineSpec(specText).spec!, {
        ...recorded.options,
        specText,
      });
      for (const file of files) {
        expect([name, file.path, read(file.path)]).toEqual([
          name,
          file.path,
          file.content,
        ]);
      }
    }
  });

  it('reads every option the workflow can record', () => {
    const spec = parsePipelineSpec(
      fs.readFileSync(path.join(examples, 'clickstream/pipeline.yaml'), 'utf8'),
    ).spec!;
    const options = {
      namespace: 'data',
      image: 'registry.example.com/team/clicks:1.2',
      sparkVersion: '4.0.1',
      serviceAccount: 'spark-jobs',
      kubernetesCluster: 'prod-eu',
      progressTopic: 'platform.progress',
      techdocsBaseUrl:
        'https://backstage.example.com/docs/default/component/clickstream',
      repositoryUrl: 'https://github.com/team/clickstream.git',
    };
    const workflow = renderPipeline(spec, options).find(
      f => f.path === REPOSITORY_WORKFLOW_PATH,
    )!;
    expect(readRepositoryRender(workflow.content)).toEqual({
      generatorVersion: GENERATOR_VERSION,
      options,
    });
  });

  it('refuses a file that is not a workflow, naming it', () => {
    expect(() => readRepositoryRender('- a\n- b\n')).toThrow(
      '.github/workflows/pipeline.yaml has no env mapping',
    );
    expect(() => readRepositoryRender('env: [')).toThrow(
      '.github/workflows/pipeline.yaml is not YAML',
    );
  });
});
