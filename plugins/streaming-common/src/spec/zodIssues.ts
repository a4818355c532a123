import { z } from 'zod';
import { SpecError, formatPath } from './SpecError';
import { suggest } from './suggest';

type Path = ReadonlyArray<PropertyKey>;
type AnySchema = z.core.$ZodType;

function valueAt(root: unknown, path: Path): unknown {
  let value: unknown = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') {
      return undefined;
    }
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  if (typeof value === 'object') {
    return 'a mapping';
  }
  if (typeof value === 'string') {
    return value.length > 40
      ? `a string of ${value.length} characters`
      : JSON.stringify(value);
  }
  return String(value);
}

/** Quoted, shortened, with every non-printable or non-ASCII character escaped. */
function shortValue(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  return JSON.stringify(
    text.length > 40 ? `${text.slice(0, 40)}...` : text,
  ).replace(
    /[^\x20-\x7e]/g,
    ch => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (;;) {
    const def = current._zod.def as any;
    if (
      ['optional', 'default', 'nullable', 'prefault', 'readonly'].includes(
        def.type,
      )
    ) {
      current = def.innerType;
    } else if (def.type === 'pipe') {
      current = def.in;
    } else {
      return current;
    }
  }
}

/** The object schema (its keys) for the value at `path`, choosing union members by the value. */
function objectKeysAt(
  schema: AnySchema,
  root: unknown,
  path: Path,
): string[] | undefined {
  let current = unwrap(schema);
  const pick = (s: AnySchema, value: unknown): AnySchema => {
    const def = unwrap(s)._zod.def as any;
    if (def.type !== 'union') {
      return unwrap(s);
    }
    const discriminator: string | undefined = def.discriminator;
    const options: AnySchema[] = def.options.map(unwrap);
    if (discriminator && value && typeof value === 'object') {
      const wanted = (value as Record<string, unknown>)[discriminator];
      const match = options.find(o => {
        const d = (o._zod.def as any).shape?.[discriminator]?._zod.def;
        return d?.values?.includes(wanted);
      });
      if (match) {
        return match;
      }
    }
    return (
      options.find(o => (o._zod.def as any).type === 'object') ?? options[0]
    );
  };
  current = pick(current, root);
  for (let i = 0; i < path.length; i++) {
    const def = current._zod.def as any;
    const children: Record<string, AnySchema | undefined> = {
      object: def.shape?.[path[i] as string],
      array: def.element,
      record: def.valueType,
    };
    const next = children[def.type];
    if (!next) {
      return undefined;
    }
    current = pick(next, valueAt(root, path.slice(0, i + 1)));
  }
  const def = current._zod.def as any;
  return def.type === 'object' ? Object.keys(def.shape) : undefined;
}

function unknownValue(
  path: Path,
  value: unknown,
  options: readonly string[],
): SpecError {
  if (value === undefined) {
    return {
      path: formatPath(path),
      message: `required: expected one of ${options.join(', ')}`,
    };
  }
  const suggestion =
    typeof value === 'string' ? suggest(value, options) : undefined;
  const expected = `expected one of ${options.join(', ')}`;
  if (typeof value !== 'string') {
    return {
      path: formatPath(path),
      message: `${expected}, got ${describeValue(value)}`,
    };
  }
  return {
    path: formatPath(path),
    message:
      suggestion !== undefined
        ? `unknown ${shortValue(value)}`
        : `unknown ${shortValue(value)}; ${expected}`,
    suggestion,
  };
}

/**
 * Turns zod issues into spec errors with plain messages and suggestions.
 */
export function issuesToSpecErrors(
  issues: readonly z.core.$ZodIssue[],
  schema: AnySchema,
  root: unknown,
  basePath: Path = [],
): SpecError[] {
  const errors: SpecError[] = [];
  for (const issue of issues) {
    const path = [...basePath, ...issue.path];
    const value = valueAt(root, path);
    switch (issue.code) {
      case 'invalid_type':
        errors.push({
          path: formatPath(path),
          message:
            value === undefined
              ? `required: expected ${issue.expected}`
              : `expected ${issue.expected}, got ${describeValue(value)}`,
        });
        break;
      case 'too_big':
      case 'too_small': {
        const most = issue.code === 'too_big' ? 'at most' : 'at least';
        const limit = issue.code === 'too_big' ? issue.maximum : issue.minimum;
        const unit =
          (
            { string: ' characters', array: ' items' } as Record<string, string>
          )[issue.origin] ?? '';
        errors.push({
          path: formatPath(path),
          message:
            issue.message && !issue.message.startsWith('Too ')
              ? issue.message
              : `expected ${most} ${String(limit)}${unit}`,
        });
        break;
      }
      case 'invalid_value':
        errors.push(
          unknownValue(
            path,
            value,
            issue.values.map(v => String(v)),
          ),
        );
        break;
      case 'unrecognized_keys': {
        const known = objectKeysAt(schema, root, path) ?? [];
        for (const key of issue.keys) {
          const suggestion = suggest(key, known);
          errors.push({
            path: formatPath([...path, key]),
            message:
              suggestion === undefined && known.length > 0
                ? `unknown field; expected one of ${known.join(', ')}`
                : 'unknown field',
            suggestion,
          });
        }
        break;
      }
      case 'invalid_union': {
        const note = issue as unknown as {
          discriminator?: string;
          options?: unknown[];
        };
        if (note.discriminator && note.options) {
          errors.push(
            unknownValue(
              path,
              value,
              note.options.map(o => String(o)),
            ),
          );
          break;
        }
        // Report the branch that got furthest: the one without a type error at its root.
        const branch =
          issue.errors.find(
            b => !b.some(i => i.code === 'invalid_type' && i.path.length === 0),
          ) ?? issue.errors[0];
        if (branch && branch.length > 0) {
          errors.push(...issuesToSpecErrors(branch, schema, root, path));
        } else {
          errors.push({ path: formatPath(path), message: issue.message });
        }
        break;
      }
      default: {
        const params = (issue as { params?: { suggestion?: string } }).params;
        errors.push({
          path: formatPath(path),
          message: issue.message,
          suggestion: params?.suggestion,
        });
      }
    }
  }
  return errors;
}
