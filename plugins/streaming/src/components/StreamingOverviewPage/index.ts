export { StreamingOverviewPage } from './StreamingOverviewPage';
