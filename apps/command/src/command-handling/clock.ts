import { Injectable } from '@nestjs/common';

/** Time comes in from outside the domain; tests can replace this provider. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}
