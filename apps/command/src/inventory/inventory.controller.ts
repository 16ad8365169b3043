import { Body, Controller, HttpCode, Param, Post, Put, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { InventoryCommand } from '@of/domain';
import { ApiProductIdParam } from '@of/platform';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { answer } from '../command-handling/answer';
import { CommandRunner } from '../command-handling/command-runner';
import type { CommandResponse } from '../command-handling/command-response';
import { ProductIdPipe } from '../command-handling/path-params';
import { AdjustStockDto, OrderQuantityDto, SetStockDto } from './dto/inventory-commands.dto';
import { InventoryCommandHandler } from './inventory-command.handler';

@ApiTags('inventory')
@ApiHeader({
  name: 'Idempotency-Key',
  required: false,
  description: 'A retry with the same key and body returns the first response',
})
@ApiHeader({
  name: 'If-Match',
  required: false,
  description: 'The expected product version, e.g. "3"; a mismatch is 409',
})
@ApiHeader({
  name: 'X-Correlation-Id',
  required: false,
  description: 'Echoed, and stored in every event the command causes',
})
@Controller('api/v1/inventory')
export class InventoryController {
  constructor(
    private readonly runner: CommandRunner,
    private readonly inventory: InventoryCommandHandler,
  ) {}

  /** Every inventory endpoint carries one command to the inventory's decider. */
  private run(
    request: FastifyRequest,
    reply: FastifyReply,
    command: InventoryCommand,
  ): Promise<CommandResponse['body']> {
    return answer(this.runner, request, reply, (context) => this.inventory.handle(command, context));
  }

  @Put(':productId')
  @ApiProductIdParam()
  @ApiOperation({ summary: 'Create a product or set its on-hand stock' })
  setStock(
    @Param('productId', ProductIdPipe) productId: string,
    @Body() dto: SetStockDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResponse['body']> {
    return this.run(request, reply, {
      type: 'SetStock',
      data: { productId, quantity: dto.quantity, name: dto.name ?? null },
    });
  }

  @Post(':productId/adjustments')
  @ApiProductIdParam()
  @HttpCode(200)
  @ApiOperation({ summary: 'Restock or record shrinkage' })
  adjust(
    @Param('productId', ProductIdPipe) productId: string,
    @Body() dto: AdjustStockDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResponse['body']> {
    return this.run(request, reply, { type: 'AdjustStock', data: { productId, delta: dto.delta, reason: dto.reason } });
  }

  @Post(':productId/discontinue')
  @ApiProductIdParam()
  @HttpCode(200)
  @ApiOperation({ summary: 'Discontinue a product: no new allocations from then on' })
  discontinue(
    @Param('productId', ProductIdPipe) productId: string,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResponse['body']> {
    return this.run(request, reply, { type: 'DiscontinueProduct', data: { productId } });
  }

  @Post(':productId/allocate')
  @ApiProductIdParam()
  @HttpCode(200)
  @ApiOperation({ summary: 'Allocate stock to an order' })
  allocate(
    @Param('productId', ProductIdPipe) productId: string,
    @Body() dto: OrderQuantityDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResponse['body']> {
    return this.run(request, reply, {
      type: 'AllocateStock',
      data: { productId, orderId: dto.orderId, quantity: dto.quantity },
    });
  }

  @Post(':productId/return')
  @ApiProductIdParam()
  @HttpCode(200)
  @ApiOperation({ summary: 'Return stock an order holds' })
  returnStock(
    @Param('productId', ProductIdPipe) productId: string,
    @Body() dto: OrderQuantityDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CommandResponse['body']> {
    return this.run(request, reply, {
      type: 'ReturnStock',
      data: { productId, orderId: dto.orderId, quantity: dto.quantity },
    });
  }
}
