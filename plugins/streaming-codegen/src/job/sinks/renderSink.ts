import { PipelineSpec } from '@internal/plugin-streaming-common';
import { SinkCall } from './SinkCall';
import { renderDeltaMergeSink } from './renderDeltaMergeSink';
import { renderDeltaSink } from './renderDeltaSink';
import { renderElasticsearchSink } from './renderElasticsearchSink';
import { renderKafkaSink } from './renderKafkaSink';

/** The sink of a spec: which runtime module starts it, with which options. */
export function renderSink(spec: PipelineSpec): SinkCall {
  const { sink } = spec.pipeline;
  switch (sink.type) {
    case 'delta':
      return sink.mode === 'merge'
        ? renderDeltaMergeSink(spec)
        : renderDeltaSink(spec);
    case 'elasticsearch':
      return renderElasticsearchSink(spec);
    case 'kafka':
      return renderKafkaSink(spec);
    default:
      throw new Error('unknown sink');
  }
}
