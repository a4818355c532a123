export { GeneratedFilesCard } from './GeneratedFilesCard';
