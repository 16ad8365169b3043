import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AdminTokenGuard, KafkaConnection, ValidationFailedError } from '@of/platform';
import { decodeCursor, DEFAULT_LIMIT, page, type Page } from '../http/pagination';
import { deadLetterView } from './dead-letter';
import { ApiDeadLetter, ApiDeadLetterDiscard, ApiDeadLetterList, ApiDeadLetterRetry } from './dead-letter.examples';
import { DiscardDeadLetterBody, ListDeadLettersQuery } from './dead-letters.query';
import { DeadLettersService } from './dead-letters.service';

/** `<topic>:<partition>:<offset>` */
const ID_PATTERN = /^[A-Za-z0-9._-]{1,249}:\d{1,9}:\d{1,19}$/;

function checkId(id: string): string {
  if (!ID_PATTERN.test(id)) {
    throw new ValidationFailedError([{ field: 'id', message: 'id must be <topic>:<partition>:<offset>' }]);
  }
  return id;
}

const ApiDeadLetterId = () =>
  ApiParam({
    name: 'id',
    description: "The event's position: `<topic>:<partition>:<offset>`",
    example: 'order-events:3:1207',
  });

@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('api/v1/admin/dead-letters')
export class DeadLettersController {
  constructor(
    private readonly deadLetters: DeadLettersService,
    private readonly kafka: KafkaConnection,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Dead letters: events the read models could not apply, oldest failure first',
    description:
      'Each shows where the event was read (topic, partition, offset), its key, the reason and detail, when it ' +
      'failed, its raw value as text, and its status: OPEN, RETRIED or DISCARDED.',
  })
  @ApiDeadLetterList()
  async list(@Query() query: ListDeadLettersQuery): Promise<Page<Record<string, unknown>>> {
    const topics = Object.values(this.kafka.settings.topics);
    if (query.topic !== undefined && !topics.includes(query.topic)) {
      throw new ValidationFailedError([{ field: 'topic', message: `topic must be one of ${topics.join(', ')}` }]);
    }
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = decodeCursor(query.cursor, 2);
    const letters = await this.deadLetters.list({
      topic: query.topic,
      status: query.status,
      after: after ? [after[0], after[1]] : undefined,
      limit,
    });
    return page(letters, limit, deadLetterView, (letter) => [letter.failedAt, letter._id]);
  }

  @Get(':id')
  @ApiDeadLetterId()
  @ApiOperation({ summary: 'One dead letter' })
  @ApiDeadLetter()
  async get(@Param('id') id: string): Promise<{ success: true; data: Record<string, unknown> }> {
    return { success: true, data: deadLetterView(await this.deadLetters.get(checkId(id))) };
  }

  @Post(':id/retry')
  @HttpCode(200)
  @ApiDeadLetterId()
  @ApiOperation({
    summary: 'Apply the dead letter to the read models now (after a fix, such as a new upcaster)',
    description:
      'On success it becomes RETRIED and the read models show the event; for a version gap, the later gap letters ' +
      'of the same aggregate are retried after it, in order (`alsoRetried`). If it still fails: 422 RETRY_FAILED ' +
      'with the reason, and it stays OPEN. Retrying a RETRIED letter changes nothing.',
  })
  @ApiDeadLetterRetry()
  async retry(@Param('id') id: string): Promise<{ success: true; data: Record<string, unknown> }> {
    const { letter, alsoRetried } = await this.deadLetters.retry(checkId(id));
    return { success: true, data: { ...deadLetterView(letter), alsoRetried } };
  }

  @Delete(':id')
  @ApiDeadLetterId()
  @ApiOperation({
    summary: 'Discard the dead letter (DISCARDED); discarding twice changes nothing',
    description: 'A RETRIED letter cannot be discarded: 409 DEAD_LETTER_ALREADY_RETRIED.',
  })
  @ApiDeadLetterDiscard()
  async discard(
    @Param('id') id: string,
    @Body() body: DiscardDeadLetterBody = {},
  ): Promise<{ success: true; data: Record<string, unknown> }> {
    const letter = await this.deadLetters.discard(checkId(id), body.reason ?? null);
    return { success: true, data: deadLetterView(letter) };
  }
}
