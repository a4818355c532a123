import { validatePipelinePart } from './validatePipelinePart';

const fields = [
  { name: 'status', type: 'string' },
  { name: 'total', type: 'double' },
  { name: 'ts', type: 'timestamp' },
];

describe('validatePipelinePart', () => {
  it('accepts valid transformations over the form fields', () => {
    expect(
      validatePipelinePart(
        'transformations',
        [
          { type: 'filter', condition: "status = 'paid' AND total > 0" },
          { type: 'watermark', column: 'ts', delay: '10 minutes' },
        ],
        fields,
      ),
    ).toEqual([]);
  });

  it('names the transformation and what was expected', () => {
    const errors = validatePipelinePart(
      'transformations',
      [
        { type: 'filter', condition: "__import__('os').system('id')" },
        { type: 'watermark', column: 'ts', delay: 'ten minutes' },
      ],
      fields,
    );
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^transformations\[0\]\.condition: /),
        expect.stringMatching(/^transformations\[1\]\.delay: /),
      ]),
    );
  });

  it('reports only problems of its own part', () => {
    expect(
      validatePipelinePart('resources', {
        driver: { cores: 1, memory: '2g' },
        executor: { cores: 2, memory: 'lots', instances: 2 },
      }),
    ).toEqual([expect.stringMatching(/^resources\.executor\.memory: /)]);
  });
});
