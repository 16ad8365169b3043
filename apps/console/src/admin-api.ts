/** An answer that was not 2xx, as the API's problem+json tells it. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
    readonly body: Record<string, unknown>,
  ) {
    super(`${status} ${code}: ${detail}`);
  }
}

/**
 * The admin APIs through the gateway, with the token the operator entered.
 * The token lives in this object only: never in storage, a cookie or the URL.
 */
export class AdminApi {
  private token = '';

  setToken(token: string): void {
    this.token = token.trim();
  }

  get hasToken(): boolean {
    return this.token !== '';
  }

  get<T>(path: string): Promise<T> {
    return this.send<T>('GET', path);
  }

  post<T>(path: string): Promise<T> {
    return this.send<T>('POST', path);
  }

  delete<T>(path: string, body?: unknown): Promise<T> {
    return this.send<T>('DELETE', path, body);
  }

  private async send<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    try {
      parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      parsed = { detail: text.slice(0, 200) };
    }
    if (!response.ok) {
      throw new ApiProblem(
        response.status,
        typeof parsed.code === 'string' ? parsed.code : 'ERROR',
        typeof parsed.detail === 'string' ? parsed.detail : response.statusText,
        parsed,
      );
    }
    return parsed as T;
  }
}
