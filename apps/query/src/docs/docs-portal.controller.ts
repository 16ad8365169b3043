import { createReadStream, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Controller, Get, Header, NotFoundException, Param, Query, StreamableFile } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';

/**
 * The documentation portal the gateway serves at `/api-docs` (Swagger UI with
 * both APIs) and `/redoc`. Every asset comes from npm packages on this
 * server, never from the internet. The OpenAPI documents themselves are each
 * app's own (`/api-docs/command.json`, `/api-docs/query.json`), so the portal
 * is complete only behind the gateway.
 */
const APIS = {
  command: { name: 'Command API', url: '/api-docs/command.json' },
  query: { name: 'Query API', url: '/api-docs/query.json' },
} as const;
type ApiName = keyof typeof APIS;

const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));
interface Asset {
  path: string;
  type: string;
  /** Served from memory after this change. */
  rewrite?: (content: string) => string;
}

const ASSETS: Record<string, Asset> = {
  'swagger-ui.css': { path: join(packageDir('swagger-ui-dist'), 'swagger-ui.css'), type: 'text/css' },
  'swagger-ui-bundle.js': {
    path: join(packageDir('swagger-ui-dist'), 'swagger-ui-bundle.js'),
    type: 'text/javascript',
  },
  'swagger-ui-standalone-preset.js': {
    path: join(packageDir('swagger-ui-dist'), 'swagger-ui-standalone-preset.js'),
    type: 'text/javascript',
  },
  'favicon-32x32.png': { path: join(packageDir('swagger-ui-dist'), 'favicon-32x32.png'), type: 'image/png' },
  'redoc.standalone.js': {
    path: join(packageDir('redoc'), 'bundles', 'redoc.standalone.js'),
    type: 'text/javascript',
    // ReDoc's sidebar loads a logo from a CDN; an empty src fails without a
    // request, and ReDoc then hides the image.
    rewrite: (content) => content.replaceAll('https://cdn.redoc.ly/redoc/logo-mini.svg', ''),
  },
};

export class DocsQuery {
  /** Which API to open first. @example "query" */
  @IsOptional()
  @IsIn(Object.keys(APIS))
  api?: ApiName;
}

const swaggerPage = (first: ApiName) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Order Fulfillment: API docs</title>
  <link rel="icon" href="/api-docs/assets/favicon-32x32.png">
  <link rel="stylesheet" href="/api-docs/assets/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api-docs/assets/swagger-ui-bundle.js"></script>
  <script src="/api-docs/assets/swagger-ui-standalone-preset.js"></script>
  <script>
    window.ui = SwaggerUIBundle({
      urls: ${JSON.stringify(Object.values(APIS))},
      'urls.primaryName': ${JSON.stringify(APIS[first].name)},
      dom_id: '#swagger-ui',
      deepLinking: true,
      presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
      layout: 'StandaloneLayout',
    });
  </script>
</body>
</html>
`;

const redocPage = (api: ApiName) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Order Fulfillment: ${APIS[api].name}</title>
  <style>
    body { margin: 0; }
    nav { font: 14px sans-serif; padding: 8px 16px; background: #263238; }
    nav a { color: #fff; margin-right: 16px; }
    nav a[aria-current] { font-weight: bold; text-decoration: none; }
  </style>
</head>
<body>
  <nav>${(Object.keys(APIS) as ApiName[])
    .map((name) => `<a href="/redoc?api=${name}"${name === api ? ' aria-current="page"' : ''}>${APIS[name].name}</a>`)
    .join('')}</nav>
  <redoc spec-url="${APIS[api].url}"></redoc>
  <script src="/redoc/assets/redoc.standalone.js"></script>
</body>
</html>
`;

@ApiExcludeController()
@Controller()
export class DocsPortalController {
  @Get('api-docs')
  @Header('Content-Type', 'text/html; charset=utf-8')
  swaggerUi(@Query() query: DocsQuery): string {
    return swaggerPage(query.api ?? 'command');
  }

  @Get('redoc')
  @Header('Content-Type', 'text/html; charset=utf-8')
  redoc(@Query() query: DocsQuery): string {
    return redocPage(query.api ?? 'command');
  }

  @Get(['api-docs/assets/:file', 'redoc/assets/:file'])
  @Header('Cache-Control', 'public, max-age=3600')
  asset(@Param('file') file: string): StreamableFile {
    const asset = Object.hasOwn(ASSETS, file) ? ASSETS[file] : undefined;
    if (!asset) throw new NotFoundException(`No documentation asset ${file}`);
    if (!asset.rewrite) return new StreamableFile(createReadStream(asset.path), { type: asset.type });
    let content = this.rewritten.get(file);
    if (!content) {
      content = Buffer.from(asset.rewrite(readFileSync(asset.path, 'utf8')), 'utf8');
      this.rewritten.set(file, content);
    }
    return new StreamableFile(content, { type: asset.type });
  }

  private readonly rewritten = new Map<string, Buffer>();
}
