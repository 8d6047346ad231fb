import { Type } from 'class-transformer';
import { IsInt, IsNotEmpty, IsString, Matches, Max, Min } from 'class-validator';
import { DingTalkLimitsConfig } from '@dingrelay/domain';

/** Everything the API process reads from its environment, validated once at boot. */
export class ApiConfig extends DingTalkLimitsConfig {
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  API_PORT = 3000;

  @IsString()
  @IsNotEmpty()
  API_HOST = '127.0.0.1';

  /** Large enough for 100,000 userIds of up to 64 characters each. */
  @Matches(/^\d+(b|kb|mb)$/i, { message: 'must be a size such as 10mb or 512kb' })
  API_BODY_LIMIT = '8mb';

  /** The robot of the default chat configuration; recorded on every send. */
  @IsString()
  @IsNotEmpty({ message: 'must be set to the robotCode of the DingTalk robot that sends' })
  DINGTALK_ROBOT_CODE!: string;
}
