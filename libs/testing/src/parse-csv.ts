/** A small RFC 4180 reader: quoted fields with doubled quotes, commas and line breaks inside quotes, CRLF records. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      record.push(field);
      field = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      i += 2;
    } else if (c === '\r' || c === '\n' || c === '"') {
      throw new Error(`not RFC 4180: bare ${JSON.stringify(c)} at offset ${i}`);
    } else {
      field += c;
      i++;
    }
  }
  if (quoted) throw new Error('not RFC 4180: unterminated quoted field');
  if (field !== '' || record.length) throw new Error('not RFC 4180: last record not CRLF-terminated');
  return records;
}
