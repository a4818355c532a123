export { Identifier, KEEP_WORDS } from './Identifier';
export type { IdentifierProps } from './Identifier';
