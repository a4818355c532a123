export { StateWatermarkCard } from './StateWatermarkCard';
