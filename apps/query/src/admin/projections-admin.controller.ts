import { Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminTokenGuard, ApplicationError } from '@of/platform';
import { ProjectionsService, RebuildAlreadyRunningError } from '../projections/projections.service';

class RebuildConflictError extends ApplicationError {
  readonly status = 409;
  readonly code = 'REBUILD_IN_PROGRESS';
}

@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminTokenGuard)
@Controller('api/v1/admin/projections')
export class ProjectionsAdminController {
  constructor(private readonly projections: ProjectionsService) {}

  @Get()
  @ApiOperation({ summary: 'Position and lag per partition, last event time, dead-letter count, rebuild progress' })
  async status(): Promise<{ success: true; data: Record<string, unknown> }> {
    return { success: true, data: await this.projections.status() };
  }

  @Post('rebuild')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Rebuild every read model from the start of the topics; the live ones serve until the switch',
  })
  async rebuild(): Promise<{ success: true; data: Record<string, unknown> }> {
    try {
      return { success: true, data: { ...(await this.projections.startRebuild()) } };
    } catch (error) {
      if (error instanceof RebuildAlreadyRunningError) throw new RebuildConflictError(error.message);
      throw error;
    }
  }
}
