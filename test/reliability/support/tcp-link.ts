/**
 * A TCP forwarder between one process's client and a server, that a test can cut and restore:
 * a real network outage between the gateway and Temporal (connections reset, new ones refused),
 * while everything else keeps its own direct connection.
 */
import net from 'node:net';

export class TcpLink {
  private readonly sockets = new Set<net.Socket>();
  private down = false;

  private constructor(
    private readonly server: net.Server,
    readonly address: string,
  ) {}

  /** `target` as host:port. */
  static async open(target: string): Promise<TcpLink> {
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
    let link: TcpLink | undefined;
    const server = net.createServer((inbound) => {
      if (!link || link.down) return void inbound.destroy();
      const outbound = net.connect(port, host);
      for (const [a, b] of [[inbound, outbound], [outbound, inbound]] as const) {
        link.sockets.add(a);
        a.on('close', () => {
          link!.sockets.delete(a);
          b.destroy();
        });
        a.on('error', () => b.destroy());
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    link = new TcpLink(server, `127.0.0.1:${(server.address() as net.AddressInfo).port}`);
    return link;
  }

  /** Resets every connection and refuses new ones until restore(). */
  cut(): void {
    this.down = true;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.down = false;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
