export { streamingPlugin as default } from './plugin';
