export { SearchIndexCard } from './SearchIndexCard';
