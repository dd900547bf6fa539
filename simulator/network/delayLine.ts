import { Duplex } from "node:stream";
import type { Socket } from "node:net";

/**
 * A link with latency between the SSH server and a client's TCP socket: every chunk, in each
 * direction, is delivered `delayMs()` after it was sent, in order. This is the network's
 * propagation delay (half the round-trip time), not the device's processing time: bytes keep
 * flowing while earlier ones are in flight, so pipelined lines overlap and parallel
 * connections each pay it.
 */
export class DelayLine extends Duplex {
    readonly remoteAddress: string | undefined;
    readonly remotePort: number | undefined;
    readonly remoteFamily: string | undefined;
    private readonly inbound = new DelayQueue();
    private readonly outbound = new DelayQueue();

    constructor(
        private readonly socket: Socket,
        private readonly delayMs: () => number,
    ) {
        super({ allowHalfOpen: false });
        this.remoteAddress = socket.remoteAddress;
        this.remotePort = socket.remotePort;
        this.remoteFamily = socket.remoteFamily;
        socket.on("data", (chunk: Buffer) => this.inbound.add(this.delayMs(), () => this.push(chunk)));
        socket.on("end", () => this.inbound.add(this.delayMs(), () => this.push(null)));
        socket.on("close", () => this.inbound.add(this.delayMs(), () => this.destroy()));
        socket.on("error", (err) => this.destroy(err));
    }

    setNoDelay(noDelay?: boolean): this {
        this.socket.setNoDelay(noDelay);
        return this;
    }

    setKeepAlive(enable?: boolean, initialDelay?: number): this {
        this.socket.setKeepAlive(enable, initialDelay);
        return this;
    }

    _read(): void {
        /* data is pushed as it arrives, after the delay */
    }

    _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
        this.outbound.add(this.delayMs(), () => {
            if (!this.socket.destroyed) this.socket.write(chunk);
        });
        callback();
    }

    _final(callback: () => void): void {
        this.outbound.add(this.delayMs(), () => this.socket.end());
        callback();
    }

    _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
        this.inbound.clear();
        this.outbound.clear();
        this.socket.destroy();
        callback(err);
    }
}

/** Deliveries in order, each at its due time (a later one never overtakes an earlier one). */
class DelayQueue {
    private readonly queue: { readonly due: number; readonly deliver: () => void }[] = [];
    private timer: NodeJS.Timeout | undefined;

    add(delayMs: number, deliver: () => void): void {
        if (delayMs <= 0 && this.queue.length === 0) return deliver();
        this.queue.push({ due: performance.now() + delayMs, deliver });
        if (this.timer === undefined) this.arm();
    }

    clear(): void {
        this.queue.length = 0;
        clearTimeout(this.timer);
        this.timer = undefined;
    }

    private arm(): void {
        const head = this.queue[0];
        this.timer = setTimeout(() => {
            this.timer = undefined;
            const now = performance.now();
            while (this.queue.length > 0 && this.queue[0].due <= now + 0.5) this.queue.shift()!.deliver();
            if (this.queue.length > 0) this.arm();
        }, Math.max(0, head.due - performance.now()));
    }
}
