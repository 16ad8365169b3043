import { readFileSync } from 'node:fs';
import { createServer, Socket } from 'node:net';

/** The lowest port the kernel hands out for outgoing connections. */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    return Number.isInteger(low) ? low : 32768;
  } catch {
    return 32768; // Linux's default, elsewhere
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A TCP port on loopback that nothing listens on right now, below the
 * kernel's ephemeral range. A scratch server stopped and started again keeps
 * its port, and meanwhile clients keep connecting to it: with the port in
 * the ephemeral range, an outgoing connection could take it as its own
 * source port (or connect to itself), and the restarted server could not
 * bind it. One CI run failed so ("the scratch Kafka broker exited at start").
 */
export async function freePort(): Promise<number> {
  const low = ephemeralLow();
  if (low > 12000) {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      const port = 10000 + Math.floor(Math.random() * (low - 10000));
      if (await canListen(port)) return port;
    }
  }
  // No room below the range: any port the kernel picks.
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}
