import { createReadStream, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Controller, Get, Header, NotFoundException, Param, StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { InfrastructureError } from '@of/platform';

/** The project's root: the nearest folder above this file with a package.json (the repository, or /app in an image). */
function projectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

/** Built by `npm run build` (esbuild, from apps/console). */
const CONSOLE_DIR = join(projectRoot(__dirname), 'dist', 'console');

const ASSETS: Record<string, string> = {
  'console.js': 'text/javascript; charset=utf-8',
  'console.js.map': 'application/json',
  'console.css': 'text/css; charset=utf-8',
};

/** Only this origin's own files and APIs: no inline script, no other host. */
const POLICY = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/**
 * Serves the operator console the gateway routes at `/console`: a static
 * page and its bundle, built from apps/console. The page itself calls the
 * admin APIs through the gateway with the token the operator enters.
 */
@ApiExcludeController()
@Controller('console')
export class ConsoleController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', POLICY)
  @Header('Cache-Control', 'no-cache')
  page(): StreamableFile {
    return this.file('index.html', 'text/html; charset=utf-8');
  }

  @Get('assets/:file')
  @Header('Content-Security-Policy', POLICY)
  @Header('Cache-Control', 'no-cache')
  asset(@Param('file') file: string): StreamableFile {
    const type = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!type) throw new NotFoundException(`No console asset ${file}`);
    return this.file(file, type);
  }

  private file(name: string, type: string): StreamableFile {
    const path = join(CONSOLE_DIR, name);
    if (!existsSync(path)) {
      throw new InfrastructureError('NOT_READY', `The console is not built (${path} is missing): run npm run build.`);
    }
    return new StreamableFile(createReadStream(path), { type });
  }
}
