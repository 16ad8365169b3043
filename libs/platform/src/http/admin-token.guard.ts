import { timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { UnauthorizedError } from '../errors/application.errors';

/** Admin endpoints need `Authorization: Bearer $ADMIN_TOKEN`; without a configured token they stay closed. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly token: Buffer | null;

  constructor() {
    const token = process.env.ADMIN_TOKEN;
    this.token = token ? Buffer.from(token) : null;
    if (!token) new Logger(AdminTokenGuard.name).warn('ADMIN_TOKEN is not set: admin endpoints answer 401');
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization ?? '';
    const match = /^Bearer (.+)$/i.exec(header);
    const sent = match ? Buffer.from(match[1]) : null;
    if (!this.token || !sent || sent.length !== this.token.length || !timingSafeEqual(sent, this.token)) {
      throw new UnauthorizedError();
    }
    return true;
  }
}
