/** Where a rule group reports what it finds (`path` as in a SpecError). */
export interface RuleReport {
  error(path: string, message: string, suggestion?: string): void;
  warning(path: string, message: string): void;
}
