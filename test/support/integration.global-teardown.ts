export default async function integrationGlobalTeardown(): Promise<void> {
  await Promise.all((globalThis.__OF_CONTAINERS__ ?? []).map((container) => container.stop()));
}
