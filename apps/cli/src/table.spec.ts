import { cellText, displayWidth, renderFields, renderTable } from './table.js';

describe('renderTable', () => {
  const rows = [
    { name: 'default', calls: 1234, note: null },
    { name: 'hr-bot', calls: 5, note: 'line\nbreak' },
  ];

  it('aligns columns under their headers, numbers to the right, absent values as "-"', () => {
    const text = renderTable(rows, [
      { header: 'NAME', value: (r) => r.name },
      { header: 'CALLS', value: (r) => r.calls, align: 'right' },
      { header: 'NOTE', value: (r) => r.note },
    ]);
    expect(text).toBe(['NAME     CALLS  NOTE', 'default   1234  -', 'hr-bot       5  line break', ''].join('\n'));
  });

  it('counts East Asian characters as two cells and cuts long cells with an ellipsis', () => {
    expect(displayWidth('请假ab')).toBe(6);
    const text = renderTable([{ a: '请假申请', b: 'x' }, { a: 'abcdefghij', b: 'y' }], [
      { header: 'A', value: (r) => r.a, maxWidth: 6 },
      { header: 'B', value: (r) => r.b },
    ]);
    expect(text.split('\n')).toEqual(['A       B', '请假…   x', 'abcde…  y', '']);
  });

  it('says (none) for an empty listing', () => {
    expect(renderTable([], [{ header: 'X', value: () => 1 }])).toBe('(none)\n');
  });

  it('renders label/value pairs with aligned labels', () => {
    expect(renderFields([['send', 'abc'], ['delivery policy', null]])).toBe('send             abc\ndelivery policy  -\n');
    expect(cellText(0)).toBe('0');
  });
});
