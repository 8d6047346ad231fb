import type { InboundMessageResponse } from '@dingrelay/contracts/client';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ok, renderConsolePage } from '../../test/console-page.harness';
import InboundMessagesPage from './inbound-messages.page';

vi.setConfig({ testTimeout: 60_000 });
afterEach(() => vi.restoreAllMocks());

function message(overrides: Partial<InboundMessageResponse>): InboundMessageResponse {
  return {
    id: '1',
    chatConfiguration: 'default',
    msgId: 'msg-1',
    msgtype: 'text',
    text: '请问这次部署影响考勤系统吗？',
    content: null,
    conversationId: 'cid-p2p-manager4220',
    conversationType: '1',
    conversationTitle: null,
    senderStaffId: 'manager4220',
    senderId: '$:LWCP_v1:$x',
    senderNick: '张伟',
    senderCorpId: 'ding-corp',
    robotCode: 'dingrelay-dev-robot',
    isInAtList: true,
    createAt: '2026-12-07T02:11:59.186Z',
    receivedAt: '2026-12-07T02:12:04.258Z',
    ...overrides,
  };
}

const MESSAGES = [
  message({ id: '4', msgtype: 'richText', text: null, content: { richText: [{ text: '周报已提交' }, { type: 'picture', downloadCode: 'dc' }] } }),
  message({ id: '3', msgtype: 'audio', text: null, content: { duration: 4000, downloadCode: 'dc', recognition: '明天上午十点开会' } }),
  message({ id: '2', msgtype: 'file', text: null, content: { fileName: '考勤汇总.xlsx', downloadCode: 'dc' }, conversationType: '2', conversationTitle: '人事部' }),
  message({ id: '1' }),
];

function renderInbound(path: string) {
  return renderConsolePage({
    path,
    routes: { '/inbound': <InboundMessagesPage /> },
    role: 'auditor',
    answers: { '/v1/inbound-messages': ok({ items: MESSAGES, nextToken: null }), '/v1/chat-configurations': ok({ items: [], nextToken: null }) },
  });
}

describe('inbound messages page', () => {
  it('a bookmarked URL reproduces the view: its filters are sent and shown, bad ones dropped', async () => {
    const errors = vi.spyOn(console, 'error');
    const page = renderInbound('/inbound?chatConfiguration=hr-robot&msgtype=richText&senderStaffId=manager4220&createdFrom=2026-12-01&page=tok-2');
    await screen.findByText('明天上午十点开会', { exact: false });
    expect(Object.fromEntries(page.api.lastRequest('/v1/inbound-messages')!.url.searchParams)).toEqual({
      chatConfiguration: 'hr-robot',
      senderStaffId: 'manager4220',
      msgtype: 'richText',
      maxResults: '50',
      nextToken: 'tok-2',
    });
    const filters = screen.getByRole('search');
    expect(within(filters).getByText('hr-robot')).toBeInTheDocument();
    expect(within(filters).getByText('Rich text · richText')).toBeInTheDocument();
    expect(within(filters).getByLabelText("Sender's user ID")).toHaveValue('manager4220');
    expect(errors).not.toHaveBeenCalled();
  });

  it('shows each message readably: text, rich text with its pictures, voice with its words, a file by name', async () => {
    renderInbound('/inbound');
    await screen.findByText('周报已提交');
    expect(screen.getAllByText('[Picture]')).toHaveLength(1);
    expect(screen.getByText('[Voice 4 s]')).toBeInTheDocument();
    expect(screen.getByText('“明天上午十点开会”')).toBeInTheDocument();
    expect(screen.getByText('考勤汇总.xlsx')).toBeInTheDocument();
    expect(screen.getByText('请问这次部署影响考勤系统吗？')).toBeInTheDocument();
    expect(screen.getByText('人事部')).toBeInTheDocument();
    expect(screen.getAllByText('Group')).toHaveLength(1);
  });

  it('narrows to one sender from a row, from the first page', async () => {
    const user = userEvent.setup();
    const page = renderInbound('/inbound?msgtype=text&page=tok-2');
    await screen.findByText('周报已提交');
    await user.click(screen.getAllByRole('button', { name: "Show only this user's messages" })[0]!);
    await waitFor(() => expect(page.location().search).toBe('?senderStaffId=manager4220&msgtype=text'));
  });
});
