export { renderDocs } from './renderDocs';
export { RUNBOOK_SECTIONS } from './runbookSections';
export type { RunbookSection } from './runbookSections';
