import { parse } from 'yaml';
import { toYaml } from './yaml';

describe('toYaml', () => {
  it('keeps hostile strings as data', () => {
    const value = {
      description: 'line one\nkind: Secret\n{{ x }} ${{ y }}',
      name: 'a: b # c',
    };
    const text = toYaml(value);
    expect(parse(text)).toEqual(value);
    expect(text).not.toMatch(/^kind: Secret/m);
  });
});
