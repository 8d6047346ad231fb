import { IsOptional, Matches } from 'class-validator';

/** `GET /v1/usage`: one calendar month, in DingTalk's quota time zone; the current one when omitted. */
export class UsageQuery {
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM' })
  month?: string;
}
