import { code, md } from './markdown';

describe('md', () => {
  it('shows every ASCII character by the rule: safe ones as they are, line breaks as spaces, controls not at all, the rest as references', () => {
    for (let c = 0; c < 0x80; c++) {
      const ch = String.fromCharCode(c);
      let expected: string;
      if (/[A-Za-z0-9 .,;?-]/.test(ch)) {
        expected = ch;
      } else if (ch === '\n' || ch === '\r') {
        expected = ' ';
      } else if (c < 0x20 || c === 0x7f) {
        expected = '';
      } else {
        expected = `&#${c};`;
      }
      expect({ c, shown: md(`a${ch}b`) }).toEqual({
        c,
        shown: `a${expected}b`,
      });
    }
  });

  it('keeps letters and digits of any script and escapes or drops the rest by code point', () => {
    const cases: Array<[string, string]> = [
      ['é ß Ж 中', 'é ß Ж 中'],
      ['٣ Ⅻ ²', '٣ Ⅻ ²'],
      ['\u0085\u200e\u200f\u202a\u202e\u2066\u2069', ''],
      ['🚀', '&#128640;'],
      ['x\ud83dy', 'x&#55357;y'],
      ['\ude80', '&#56960;'],
      ['\u00a0\u2028\ufeff\u0301', '&#160;&#8232;&#65279;&#769;'],
      [
        '<b>{{ x }}</b>',
        '&#60;b&#62;&#123;&#123; x &#125;&#125;&#60;&#47;b&#62;',
      ],
    ];
    for (const [text, shown] of cases) {
      expect({ text, shown: md(text) }).toEqual({ text, shown });
    }
    expect(md(1234.5)).toBe('1234.5');
    expect(code("a_b = 'c'")).toBe('<code>a&#95;b &#61; &#39;c&#39;</code>');
  });
});
