import { IsOptional, IsString, MaxLength } from 'class-validator';
import { WholeNumberParam } from './query-params';

/** The paging parameters every list takes. */
export class PageQuery {
  /** 1-100, default 20. @example 20 */
  @IsOptional()
  @WholeNumberParam(1, 100)
  limit?: number;

  /** The `nextCursor` of the previous page. */
  @IsOptional()
  @MaxLength(512)
  // Checked first (class-validator runs the lowest decorator first): a repeated parameter is an array.
  @IsString()
  cursor?: string;
}
