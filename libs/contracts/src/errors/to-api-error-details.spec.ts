import 'reflect-metadata';
import { plainToInstance, Type } from 'class-transformer';
import { IsString, ValidateNested, validate, type ValidationError } from 'class-validator';
import { encodeDetailList } from './detail-list-message.js';
import { toApiErrorDetails } from './to-api-error-details.js';

class Item {
  @IsString()
  name!: string;
}

class Order {
  @ValidateNested({ each: true })
  @Type(() => Item)
  items!: Item[];

  @IsString()
  note!: string;
}

describe('toApiErrorDetails', () => {
  it('names nested properties and array indices with dotted paths', async () => {
    const order = plainToInstance(Order, { items: [{ name: 'a' }, { name: 5 }], note: 'n', 'odd key': 1 });
    const errors = await validate(order, { whitelist: true, forbidNonWhitelisted: true });
    expect(toApiErrorDetails(errors)).toEqual([
      { field: '["odd\\u0020key"]', message: 'property odd key should not exist' },
      { field: 'items.1.name', message: 'name must be a string' },
    ]);
  });

  it('gives one detail per failed constraint', async () => {
    const errors = await validate(plainToInstance(Order, { items: [] }));
    expect(toApiErrorDetails(errors)).toEqual([{ field: 'note', message: 'note must be a string' }]);
  });

  it('splits a detail-list constraint back into details, under its parent path', () => {
    const message = encodeDetailList([
      { field: 'msgParam.title', message: 'msgParam.title is required for sampleMarkdown' },
      { field: 'msgParam["a\\u0020b"]', message: 'msgParam["a\\u0020b"] is not a field of sampleMarkdown' },
    ]);
    const errors: ValidationError[] = [
      { property: 'msgParam', constraints: { isMsgParamForMsgKey: message }, children: [] },
      {
        property: 'sends',
        children: [
          { property: '0', children: [{ property: 'msgParam', constraints: { isMsgParamForMsgKey: message } }] },
        ],
      },
    ];
    expect(toApiErrorDetails(errors)).toEqual([
      { field: 'msgParam.title', message: 'msgParam.title is required for sampleMarkdown' },
      { field: 'msgParam["a\\u0020b"]', message: 'msgParam["a\\u0020b"] is not a field of sampleMarkdown' },
      { field: 'sends.0.msgParam.title', message: 'msgParam.title is required for sampleMarkdown' },
      { field: 'sends.0.msgParam["a\\u0020b"]', message: 'msgParam["a\\u0020b"] is not a field of sampleMarkdown' },
    ]);
  });

  it('keeps a detail-list line that does not name its property under the property itself', () => {
    const errors: ValidationError[] = [{ property: 'userIds', constraints: { isUserIdList: 'something odd' } }];
    expect(toApiErrorDetails(errors)).toEqual([{ field: 'userIds', message: 'something odd' }]);
  });

  it('does not split ordinary constraint messages', () => {
    const errors: ValidationError[] = [
      { property: 'msgKey', constraints: { isIn: 'msgKey must be one of: a, b\nsecond line' } },
    ];
    expect(toApiErrorDetails(errors)).toEqual([{ field: 'msgKey', message: 'msgKey must be one of: a, b\nsecond line' }]);
  });

  it('gives a whole-value error an empty field', () => {
    const errors = [{ constraints: { unknownValue: 'an unknown value was passed to the validate function' } }];
    expect(toApiErrorDetails(errors as unknown as ValidationError[])).toEqual([
      { field: '', message: 'an unknown value was passed to the validate function' },
    ]);
  });
});
