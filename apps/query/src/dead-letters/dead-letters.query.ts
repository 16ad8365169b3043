import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery } from '../http/page.query';
import { DEAD_LETTER_STATUSES, type DeadLetterStatus } from './dead-letter';

export class ListDeadLettersQuery extends PageQuery {
  /** The topic the events were read from. @example "order-events" */
  @IsOptional()
  @MaxLength(249)
  @IsString()
  topic?: string;

  @IsOptional()
  @IsString()
  @IsIn(DEAD_LETTER_STATUSES)
  status?: DeadLetterStatus;
}

export class DiscardDeadLetterBody {
  /** Why it is discarded, for whoever looks later. @example "test event sent by hand" */
  @IsOptional()
  @MaxLength(500)
  @IsString()
  reason?: string;
}
