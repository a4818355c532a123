import { safeHttpUrl } from './safeHttpUrl';

describe('safeHttpUrl', () => {
  it('keeps http and https URLs', () => {
    expect(safeHttpUrl('https://grafana.example.com/d/abc?x=1')).toBe(
      'https://grafana.example.com/d/abc?x=1',
    );
    expect(safeHttpUrl('http://localhost:4040')).toBe('http://localhost:4040/');
  });

  it('drops other schemes, relative and broken URLs', () => {
    expect(safeHttpUrl(['javascript', 'alert(1)'].join(':'))).toBeUndefined();
    expect(safeHttpUrl('file:///etc/passwd')).toBeUndefined();
    expect(safeHttpUrl('/relative')).toBeUndefined();
    expect(safeHttpUrl('not a url')).toBeUndefined();
    expect(safeHttpUrl(undefined)).toBeUndefined();
  });
});
