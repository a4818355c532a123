import { LineCounter, isNode, parseDocument } from 'yaml';
import { PipelineSpec } from './pipelineSpecSchema';
import {
  SpecError,
  SpecValidationOptions,
  SpecValidationResult,
} from './SpecError';
import { readPlainYaml } from './readPlainYaml';
import { validatePipelineSpec } from './validatePipelineSpec';

/** Largest spec text accepted, in characters. */
export const MAX_SPEC_TEXT_LENGTH = 256 * 1024;

/** Text safe to print: control, bidi and other non-ASCII characters as `\\uXXXX`. */
function printable(text: string): string {
  return text.replace(
    /[^\x20-\x7e]/g,
    ch => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** `pipeline.transformations[2].window` -> `['pipeline', 'transformations', 2, 'window']` */
function splitPath(path: string): Array<string | number> {
  const parts: Array<string | number> = [];
  const re = /([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (const match of path.matchAll(re)) {
    if (match[1] !== undefined) {
      parts.push(match[1]);
    } else if (match[2] !== undefined) {
      parts.push(Number(match[2]));
    } else {
      parts.push(JSON.parse(match[3]) as string);
    }
  }
  return parts;
}

/**
 * Parses and validates a pipeline spec from YAML text. Errors carry the
 * line and column of the node they are about (or of its nearest parent
 * when the node is missing).
 *
 * @public
 */
export function parsePipelineSpec(
  text: string,
  options: SpecValidationOptions = {},
): SpecValidationResult<PipelineSpec> {
  if (text.length > MAX_SPEC_TEXT_LENGTH) {
    return {
      errors: [
        {
          path: '',
          message: `the spec is larger than ${MAX_SPEC_TEXT_LENGTH} characters`,
        },
      ],
      warnings: [],
    };
  }
  // Most specs are plain block YAML, which a reader of that style alone
  // reads several times faster than the library; the library reads the rest,
  // and a spec with errors or warnings again, for their line numbers.
  const plain = readPlainYaml(text);
  if (plain !== undefined) {
    const result = validatePipelineSpec(plain, options);
    if (result.errors.length === 0 && result.warnings.length === 0) {
      return result;
    }
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    schema: 'core',
    strict: true,
  });
  const locate = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  if (doc.errors.length > 0) {
    return {
      errors: doc.errors.map(e => ({
        path: '',
        message: `invalid YAML: ${printable(e.message.split('\n')[0])}`,
        ...locate(e.pos[0]),
      })),
      warnings: [],
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 50 });
  } catch (e) {
    return {
      errors: [
        {
          path: '',
          message: `invalid YAML: ${printable((e as Error).message)}`,
        },
      ],
      warnings: [],
    };
  }
  const result = validatePipelineSpec(value, options);
  const withPosition = (error: SpecError): SpecError => {
    const parts = splitPath(error.path);
    for (let n = parts.length; n >= 0; n--) {
      const node = doc.getIn(parts.slice(0, n), true);
      if (isNode(node) && node.range) {
        return { ...error, ...locate(node.range[0]) };
      }
    }
    return error;
  };
  return {
    spec: result.spec,
    errors: result.errors.map(withPosition),
    warnings: result.warnings.map(withPosition),
  };
}
