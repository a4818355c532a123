export { LineageCard } from './LineageCard';
