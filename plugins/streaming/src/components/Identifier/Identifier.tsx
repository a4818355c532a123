import { Fragment } from 'react';

/** Characters after which a technical identifier may wrap. */
const SEPARATORS = /([/.\u2192\-_:,])/;

/**
 * Keeps words whole inside table cells. Backstage's theme lets table cells
 * break anywhere (`word-break: break-word`), which cuts names such as
 * "Clickstream" or "stateStoreSave" in two; cells styled with this wrap only
 * between words.
 */
export const KEEP_WORDS = {
  wordBreak: 'normal',
  overflowWrap: 'normal',
} as const;

/** Props of {@link Identifier}. */
export interface IdentifierProps {
  /** A topic, path, table, operator or similar technical name. */
  text: string;
}

/**
 * A technical identifier that wraps only after a separator (`/`, `.`, `→`,
 * `-`, `_`, `:`, `,`), never inside a word.
 */
export function Identifier({ text }: IdentifierProps) {
  const parts = text.split(SEPARATORS);
  return (
    <span style={KEEP_WORDS}>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <Fragment key={i}>
            {part}
            <wbr />
          </Fragment>
        ) : (
          part
        ),
      )}
    </span>
  );
}
