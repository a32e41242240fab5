// The part of autocannon 9's API that bench/load.ts uses (the package ships no types, and there is no
// @types/autocannon among the dependencies). See node_modules/autocannon/README.md.
declare module "autocannon" {
  import type { EventEmitter } from "node:events";

  namespace autocannon {
    type RequestData = { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer };

    type Request = RequestData & {
      /** Returns the request to send, or a falsy value to start the sequence over (counted in `resets`). */
      setupRequest?: (request: RequestData, context: Record<string, unknown>) => RequestData | null | undefined | false;
      onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string | string[]>) => void;
    };

    interface Client extends EventEmitter {
      setRequests(requests: Request[]): void;
      on(event: "response", listener: (statusCode: number, resBytes: number, responseTime: number) => void): this;
      on(event: string, listener: (...args: unknown[]) => void): this;
    }

    type Options = {
      url: string;
      connections?: number;
      duration?: number;
      amount?: number;
      timeout?: number;
      pipelining?: number;
      title?: string;
      headers?: Record<string, string>;
      requests?: Request[];
      setupClient?: (client: Client) => void;
      excludeErrorStats?: boolean;
    };

    type Histogram = {
      average: number;
      mean: number;
      stddev: number;
      min: number;
      max: number;
      total: number;
      p2_5: number;
      p50: number;
      p75: number;
      p90: number;
      p97_5: number;
      p99: number;
      p99_9: number;
    };

    type Result = {
      title?: string;
      duration: number;
      errors: number;
      timeouts: number;
      non2xx: number;
      resets: number;
      "2xx": number;
      "3xx": number;
      "4xx": number;
      "5xx": number;
      statusCodeStats: Record<string, { count: number }>;
      latency: Histogram;
      requests: Histogram & { sent: number };
      throughput: Histogram;
    };

    interface Instance extends EventEmitter, PromiseLike<Result> {
      stop(): void;
    }
  }

  function autocannon(options: autocannon.Options): autocannon.Instance;
  export = autocannon;
}
