export { SourceConnectorCard } from './SourceConnectorCard';
