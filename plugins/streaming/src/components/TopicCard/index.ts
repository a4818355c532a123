export { TopicCard } from './TopicCard';
