import { BadGatewayException, InternalServerErrorException, ServiceUnavailableException } from '@nestjs/common';
import { InfrastructureError } from './application.errors';
import { toProblem } from './problem-details.filter';

describe('toProblem', () => {
  it('answers a failed readiness check (Terminus) with 503 NOT_READY, naming the checks that are down', () => {
    const terminusResult = {
      status: 'error',
      info: { kafka: { status: 'up' } },
      error: { recovery: { status: 'down', message: 'replaying the event topics' } },
      details: { kafka: { status: 'up' }, recovery: { status: 'down', message: 'replaying the event topics' } },
    };

    const { body, headers } = toProblem(new ServiceUnavailableException(terminusResult));

    expect(body).toMatchObject({
      status: 503,
      code: 'NOT_READY',
      detail: 'Not ready: recovery.',
      checks: terminusResult.details,
      success: false,
    });
    expect(headers).toEqual({ 'retry-after': '1' });
  });

  it('keeps a plain 503 a 503', () => {
    expect(toProblem(new ServiceUnavailableException()).body).toMatchObject({ status: 503, code: 'NOT_READY' });
  });

  it('hides the message of any other 5xx behind INTERNAL_ERROR', () => {
    for (const error of [new InternalServerErrorException('secret'), new BadGatewayException('secret')]) {
      const { body } = toProblem(error);
      expect(body).toMatchObject({ status: 500, code: 'INTERNAL_ERROR' });
      expect(JSON.stringify(body)).not.toContain('secret');
    }
  });

  it('maps infrastructure errors to 503 with Retry-After', () => {
    const { body, headers } = toProblem(new InfrastructureError('EVENT_BUS_UNAVAILABLE', 'down'));
    expect(body).toMatchObject({ status: 503, code: 'EVENT_BUS_UNAVAILABLE' });
    expect(headers['retry-after']).toBe('2');
  });
});
