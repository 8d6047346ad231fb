import { formatFilters, parseFilters } from '../../hooks/use-url-filters';
import { INBOUND_FILTER_SPEC, inboundQuery } from './inbound-filters';

describe('inbound message filters in the URL', () => {
  it('round-trip every filter the API takes, under its names', () => {
    const filters = {
      chatConfiguration: 'hr-robot',
      senderStaffId: 'manager4220',
      msgtype: 'richText',
      conversationId: 'cid-p2p-manager4220',
      createdFrom: '2026-12-01T00:00:00+08:00',
      createdTo: '2026-12-08T00:00:00+08:00',
    };
    const query = formatFilters(INBOUND_FILTER_SPEC, filters);
    expect(query.toString()).toBe(
      'chatConfiguration=hr-robot&senderStaffId=manager4220&msgtype=richText&conversationId=cid-p2p-manager4220&createdFrom=2026-12-01T00%3A00%3A00%2B08%3A00&createdTo=2026-12-08T00%3A00%3A00%2B08%3A00',
    );
    expect(parseFilters(INBOUND_FILTER_SPEC, query)).toEqual(filters);
  });

  it('drop what the API would refuse: blank or over-long text, times without an offset', () => {
    const params = new URLSearchParams({ chatConfiguration: ' ', msgtype: 'x'.repeat(65), senderStaffId: 'u'.repeat(257), createdFrom: '2026-12-01', createdTo: 'yesterday' });
    expect(parseFilters(INBOUND_FILTER_SPEC, params)).toEqual({});
  });

  it('ask for one page of 50 after the page token', () => {
    expect(inboundQuery({ msgtype: 'text' }, 'tok')).toEqual({ msgtype: 'text', maxResults: 50, nextToken: 'tok' });
  });
});
