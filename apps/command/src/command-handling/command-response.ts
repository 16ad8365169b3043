/** What a command answers over HTTP; also what an Idempotency-Key replays. */
export interface CommandResponse {
  status: 200 | 201;
  headers: Record<string, string>;
  body: { success: true; data: Record<string, unknown> };
}

export function commandResponse(
  data: Record<string, unknown>,
  version: number,
  extra: { status?: 200 | 201; location?: string } = {},
): CommandResponse {
  const headers: Record<string, string> = { etag: `"${version}"` };
  if (extra.location) headers.location = extra.location;
  return { status: extra.status ?? 200, headers, body: { success: true, data } };
}
