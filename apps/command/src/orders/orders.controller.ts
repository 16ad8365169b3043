import { Body, Controller, Delete, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiOrderIdParam } from '@of/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { answer } from '../command-handling/answer';
import { CommandRunner } from '../command-handling/command-runner';
import type { CommandResponse } from '../command-handling/command-response';
import { OrderIdPipe } from '../command-handling/path-params';
import { CancelOrderDto, ItemsDto, UpdateOrderStatusDto } from './dto/order-commands.dto';
import { RegisterOrderDto } from './dto/register-order.dto';
import { OrderCommandHandler } from './order-command.handler';

type CommandBody = CommandResponse['body'];

const commandHeaders = [
  ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A retry with the same key and body returns the first response, marked Idempotent-Replayed: true',
  }),
  ApiHeader({
    name: 'X-Correlation-Id',
    required: false,
    description: 'Echoed, and stored in every event the command causes',
  }),
];
const versionedHeaders = [
  ...commandHeaders,
  ApiHeader({
    name: 'If-Match',
    required: false,
    description: 'The expected order version, e.g. "3"; a mismatch is 409',
  }),
];
function apply(...decorators: MethodDecorator[]): MethodDecorator {
  return (target, key, descriptor) => {
    for (const decorator of decorators) decorator(target, key, descriptor);
  };
}

@ApiTags('orders')
@Controller('api/v1/orders')
export class OrdersController {
  constructor(
    private readonly runner: CommandRunner,
    private readonly orders: OrderCommandHandler,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Register an order; allocates every line, all or nothing' })
  @ApiResponse({ status: 201, description: 'Registered: data {orderId, version, status, totalCost, currency}' })
  @ApiResponse({
    status: 422,
    description: 'UNKNOWN_PRODUCTS, PRODUCT_DISCONTINUED, INSUFFICIENT_INVENTORY or TOTAL_MISMATCH',
  })
  @apply(...commandHeaders)
  async register(
    @Body() dto: RegisterOrderDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandBody> {
    return answer(this.runner, request, reply, () => this.orders.register(dto));
  }

  @Put(':orderId/status')
  @ApiOrderIdParam()
  @ApiOperation({ summary: 'Set the whole order SHIPPED or DELIVERED' })
  @apply(...versionedHeaders)
  async updateStatus(
    @Param('orderId', OrderIdPipe) orderId: string,
    @Body() dto: UpdateOrderStatusDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandBody> {
    return answer(this.runner, request, reply, (context) => this.orders.updateStatus(orderId, dto.status, context));
  }

  @Post(':orderId/shipments')
  @ApiOrderIdParam()
  @HttpCode(200)
  @ApiOperation({ summary: 'Ship items (omitted: all that remains); PARTIALLY_SHIPPED or SHIPPED' })
  @ApiBody({ type: ItemsDto, required: false })
  @apply(...versionedHeaders)
  async ship(
    @Param('orderId', OrderIdPipe) orderId: string,
    @Body() dto: ItemsDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandBody> {
    return answer(this.runner, request, reply, (context) => this.orders.ship(orderId, dto.items ?? null, context));
  }

  @Post(':orderId/deliveries')
  @ApiOrderIdParam()
  @HttpCode(200)
  @ApiOperation({ summary: 'Deliver shipped items (omitted: all shipped, undelivered)' })
  @ApiBody({ type: ItemsDto, required: false })
  @apply(...versionedHeaders)
  async deliver(
    @Param('orderId', OrderIdPipe) orderId: string,
    @Body() dto: ItemsDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandBody> {
    return answer(this.runner, request, reply, (context) => this.orders.deliver(orderId, dto.items ?? null, context));
  }

  @Delete(':orderId')
  @ApiOrderIdParam()
  @ApiOperation({ summary: 'Cancel a REGISTERED order; its stock is returned' })
  @apply(...versionedHeaders)
  async cancel(
    @Param('orderId', OrderIdPipe) orderId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandBody> {
    return answer(this.runner, request, reply, (context) => this.orders.cancel(orderId, null, context));
  }

  @Post(':orderId/cancel')
  @ApiOrderIdParam()
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a REGISTERED order, with an optional reason' })
  @ApiBody({ type: CancelOrderDto, required: false })
  @apply(...versionedHeaders)
  async cancelWithReason(
    @Param('orderId', OrderIdPipe) orderId: string,
    @Body() dto: CancelOrderDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandBody> {
    return answer(this.runner, request, reply, (context) => this.orders.cancel(orderId, dto.reason ?? null, context));
  }
}
