import * as annotations from './annotations';
import { KubernetesValidatorFunctions } from '@backstage/catalog-model';

describe('annotations', () => {
  const own = Object.entries(annotations).filter(
    ([name]) =>
      name.startsWith('ANNOTATION_') &&
      name !== 'ANNOTATION_KAFKA_CONSUMER_GROUPS',
  );

  it('puts every own annotation under one prefix', () => {
    expect(own.length).toBeGreaterThan(5);
    for (const [, key] of own) {
      expect(key).toMatch(
        new RegExp(`^${annotations.STREAMING_ANNOTATION_PREFIX}/[a-z0-9-]+$`),
      );
    }
  });

  it('uses keys the catalog accepts', () => {
    for (const [, key] of Object.entries(annotations)) {
      expect(KubernetesValidatorFunctions.isValidAnnotationKey(key)).toBe(true);
    }
  });

  it('has no two constants with the same key', () => {
    const keys = own.map(([, key]) => key);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
