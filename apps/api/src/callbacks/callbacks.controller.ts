import { Body, Controller, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import { type EncryptedReply } from '@dingrelay/dingtalk-client';
import { ReceiveEventUseCase, ReceiveInboundMessageUseCase } from '@dingrelay/domain';
import { Public } from '../auth/access.decorator.js';
import { singleQueryValue } from '../http/single-query-value.js';
import { ApiErrorResponses } from '../openapi/api-error-response.decorator.js';
import { schemaRef } from '../openapi/named-schemas.js';

/**
 * Where DingTalk pushes to a configuration (its callback URL, `callbackPathOf` in the domain). No API key: each push
 * proves itself with the configuration's secrets. Nothing here calls DingTalk, so answers stay fast.
 */
@ApiTags('callbacks')
@Public()
@Controller('v1/callbacks/dingtalk/:name')
export class CallbacksController {
  constructor(
    private readonly receiveMessage: ReceiveInboundMessageUseCase,
    private readonly receiveEvent: ReceiveEventUseCase,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ operationId: 'receiveRobotMessage', summary: 'A robot message (HTTP mode, spec §9.1), signed with the timestamp and sign headers (§9.2)' })
  @ApiHeader({ name: 'timestamp', required: true, description: 'Epoch milliseconds; pushes further than CALLBACK_MAX_SKEW_MS from the clock are refused' })
  @ApiHeader({ name: 'sign', required: true, description: 'Base64 of HMAC-SHA256 keyed with the app secret over the timestamp, a newline and the app secret (§9.2)' })
  @ApiBody({ schema: schemaRef('RobotMessagePush') })
  @ApiResponse({ status: 200, description: 'Stored, or already stored (a re-push): `{"msgtype":"empty"}`, nothing posted back', schema: schemaRef('CallbackAck') })
  @ApiErrorResponses({
    400: 'The body is not valid JSON, or a field is invalid (text.content over CALLBACK_MAX_TEXT_LENGTH characters); details name it',
    401: 'Missing, wrong or stale signature, a signature already used with another message (a replay), or no such DingTalk configuration; nothing stored',
    413: 'The body is over CALLBACK_MAX_BODY_BYTES; nothing stored',
    503: 'Postgres, or Redis (the replay check), is busy or unreachable; nothing stored; DingTalk pushes again',
  })
  async message(
    @Param('name') name: string,
    @Headers('timestamp') timestamp: string | undefined,
    @Headers('sign') sign: string | undefined,
    @Body() payload: Record<string, unknown>,
  ): Promise<{ msgtype: 'empty' }> {
    await this.receiveMessage.execute({ chatConfiguration: name, timestamp, sign, payload, nowMs: Date.now() });
    return { msgtype: 'empty' };
  }

  @Post('events')
  @HttpCode(200)
  @ApiOperation({ operationId: 'receiveEventPush', summary: 'A legacy encrypted event push (spec §9.4), incl. the check_url probe' })
  @ApiQuery({ name: 'msg_signature', required: false, type: 'string', description: 'Also `signature`' })
  @ApiQuery({ name: 'signature', required: false, type: 'string', description: "DingTalk's older name for msg_signature" })
  @ApiQuery({ name: 'timestamp', required: false, type: 'string', description: 'Also `timeStamp`' })
  @ApiQuery({ name: 'timeStamp', required: false, type: 'string', description: "DingTalk's older name for timestamp" })
  @ApiQuery({ name: 'nonce', required: false, type: 'string' })
  @ApiBody({ schema: schemaRef('EncryptedEventPush') })
  @ApiResponse({ status: 200, description: 'The encrypted `success` reply', schema: schemaRef('EncryptedCallbackReply') })
  @ApiErrorResponses({
    400: 'encrypt is missing or not a string, or the body is not valid JSON',
    401: 'Signature, AesKey or ownerKey does not match the configuration, the timestamp is outside CALLBACK_MAX_SKEW_MS, or the nonce was already used with another push (a replay)',
    413: 'The body is over CALLBACK_MAX_BODY_BYTES',
    503: 'Postgres, or Redis (the replay check), is busy or unreachable; DingTalk pushes again',
  })
  async event(
    @Param('name') name: string,
    @Query('msg_signature') msgSignature: unknown,
    @Query('signature') signature: unknown,
    @Query('timestamp') timestamp: unknown,
    @Query('timeStamp') timeStamp: unknown,
    @Query('nonce') nonce: unknown,
    @Body() body: Record<string, unknown>,
  ): Promise<EncryptedReply> {
    // DingTalk's older docs name the parameters `signature` and `timeStamp`; its own libraries accept both. Each must
    // be one string: a repeated one arrives as an array, which the signature check cannot take (it answered 500).
    const received = await this.receiveEvent.execute({
      chatConfiguration: name,
      signature: singleQueryValue('msg_signature', msgSignature) ?? singleQueryValue('signature', signature),
      timestamp: singleQueryValue('timestamp', timestamp) ?? singleQueryValue('timeStamp', timeStamp),
      nonce: singleQueryValue('nonce', nonce),
      encrypt: body['encrypt'],
      nowMs: Date.now(),
    });
    return received.reply;
  }
}
