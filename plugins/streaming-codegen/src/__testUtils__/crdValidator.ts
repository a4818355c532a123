import Ajv from 'ajv';
import { readFileSync } from 'fs';
import { parse } from 'yaml';

/**
 * Kubernetes prunes fields a CRD does not know; the tests refuse them
 * instead, so a misspelt field fails rather than vanishing silently.
 */
function closeObjects(node: any): any {
  if (Array.isArray(node)) {
    return node.map(closeObjects);
  }
  if (node === null || typeof node !== 'object') {
    return node;
  }
  const out: any = {};
  for (const [key, value] of Object.entries(node)) {
    out[key] =
      key === 'properties'
        ? Object.fromEntries(
            Object.entries(value as object).map(([k, v]) => [
              k,
              closeObjects(v),
            ]),
          )
        : closeObjects(value);
  }
  if (
    out.properties &&
    out.additionalProperties === undefined &&
    !out['x-kubernetes-preserve-unknown-fields']
  ) {
    out.additionalProperties = false;
  }
  return out;
}

/** A validator for objects of `version` of the CRD in `file`, unknown fields refused. */
export function crdValidator(file: string, version: string) {
  const crd = parse(readFileSync(file, 'utf8'));
  const schema = crd.spec.versions.find(
    (v: { name: string }) => v.name === version,
  ).schema.openAPIV3Schema;
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    validateFormats: false,
  });
  return ajv.compile(closeObjects(schema));
}
