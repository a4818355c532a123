import {
  CDC_COLUMNS,
  ENVIRONMENT_NAME_PATTERN,
  PIPELINE_OBSERVATION,
} from '@internal/plugin-streaming-common';
import { ENVIRONMENT_VARIABLE } from './manifests/deployEnvironments';
import { pyStr } from './python/pyLiteral';
import { runtimeFiles } from './runtimeFiles';

const files = Object.fromEntries(runtimeFiles().map(f => [f.path, f.content]));

describe('runtimeFiles', () => {
  it('ships the runtime package beside main.py and the test settings at the root', () => {
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining([
        'job/streaming_runtime/__init__.py',
        'job/streaming_runtime/job.py',
        'job/streaming_runtime/progress.py',
        'job/streaming_runtime/sources.py',
        'job/streaming_runtime/sinks/delta.py',
        'job/streaming_runtime/sinks/delta_merge.py',
        'job/streaming_runtime/sinks/elasticsearch.py',
        'job/streaming_runtime/sinks/kafka.py',
        'pyproject.toml',
        'tests/conftest.py',
        'tests/pipeline_samples.py',
      ]),
    );
    expect(Object.keys(files).filter(p => p.includes('__pycache__'))).toEqual(
      [],
    );
  });

  it('observes the input under the names the backend reads from progress events', () => {
    const sources = files['job/streaming_runtime/sources.py'];
    expect(sources).toContain(
      `OBSERVATION = ${pyStr(PIPELINE_OBSERVATION.name)}\n`,
    );
    expect(sources).toContain(
      `INPUT_BYTES = ${pyStr(PIPELINE_OBSERVATION.inputBytes)}\n`,
    );
    expect(sources).toContain(
      `BAD_RECORDS = ${pyStr(PIPELINE_OBSERVATION.badRecords)}\n`,
    );
    expect(sources).toContain(
      `DEAD_LETTER_RECORDS = ${pyStr(
        PIPELINE_OBSERVATION.deadLetterRecords,
      )}\n`,
    );
  });

  it('adds the change-event columns the spec rules know', () => {
    expect(files['job/streaming_runtime/sources.py']).toContain(
      `CDC_COLUMNS = (${[...CDC_COLUMNS].map(pyStr).join(', ')})\n`,
    );
  });

  it("checks PIPELINE_ENVIRONMENT against the spec's environment-name pattern", () => {
    const settings = files['job/streaming_runtime/settings.py'];
    expect(settings).toContain(
      `ENVIRONMENT_PATTERN = re.compile(r"${ENVIRONMENT_NAME_PATTERN.source}")\n`,
    );
    // The variable the environments' manifests set.
    expect(settings).toContain(
      `ENVIRONMENT_VARIABLE = ${pyStr(ENVIRONMENT_VARIABLE)}\n`,
    );
  });
});
