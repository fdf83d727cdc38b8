export interface BenchOptions {
  json: boolean;
  quick: boolean;
  /** Calls kept in flight in the throughput phase. */
  concurrent: number;
  /** Length of the throughput phase, seconds. */
  duration: number;
  /** Calls held in the IVR at once for the memory reading. */
  held: number;
  /** Texts queued for the gateway throughput reading (and sent by the plain client). */
  texts: number;
  /** The gateway reading stops after this long even if texts are left (they are then cancelled). */
  gatewaySeconds: number;
  /** Historical calls under the callbacks query (the large figure). */
  history: number;
  /** Historical calls for the small figure. */
  historySmall: number;
  /** Open callback tasks (both figures). */
  openTasks: number;
  /** GET /api/callbacks requests per figure. */
  requests: number;
  /** Media item length of the fake PBX, ms. */
  playbackMs: number;
}

export const USAGE = `npm run bench [-- options]

  --json             print the result as one JSON object on the last line
  --concurrent N     calls in flight in the throughput phase (default 100)
  --duration S       seconds of the throughput phase (default 10)
  --held N           calls held in the IVR at once for the memory reading (default 1000)
  --texts N          texts queued for the gateway throughput reading (default 5000)
  --gateway-seconds S  stop the gateway reading after S seconds, texts left or not (default 10)
  --history N        historical calls under GET /api/callbacks (default 1000000; generating
                     them takes about 45 s on a server, 70 s on the embedded database)
  --history-small N  historical calls for the small-history figure (default 10000)
  --open-tasks N     open callback tasks (default 10000)
  --requests N       GET /api/callbacks requests per figure (default 1000)
  --playback-ms N    length of each fake media item (default 2)
  --quick            small numbers everywhere: a smoke test (about 20 s)

Uses DATABASE_URL when set (in a scratch database created on that server and
dropped afterwards), otherwise the embedded PostgreSQL (PGlite) in a temp folder.`;

const NUMERIC: Record<string, keyof BenchOptions> = {
  '--concurrent': 'concurrent',
  '--duration': 'duration',
  '--held': 'held',
  '--texts': 'texts',
  '--gateway-seconds': 'gatewaySeconds',
  '--history': 'history',
  '--history-small': 'historySmall',
  '--open-tasks': 'openTasks',
  '--requests': 'requests',
  '--playback-ms': 'playbackMs',
};

const FRACTIONAL = new Set(['--duration', '--gateway-seconds']);

/** Reads the command line; throws with every problem at once. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const options: BenchOptions = quick
    ? {
        json: false,
        quick,
        concurrent: 10,
        duration: 2,
        held: 50,
        texts: 200,
        gatewaySeconds: 4,
        history: 5_000,
        historySmall: 1_000,
        openTasks: 500,
        requests: 50,
        playbackMs: 2,
      }
    : {
        json: false,
        quick,
        concurrent: 100,
        duration: 10,
        held: 1_000,
        texts: 5_000,
        gatewaySeconds: 10,
        history: 1_000_000,
        historySmall: 10_000,
        openTasks: 10_000,
        requests: 1_000,
        playbackMs: 2,
      };
  const problems: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag === '--json') options.json = true;
    else if (flag === '--quick') continue;
    else if (flag in NUMERIC) {
      const raw = inline ?? argv[++i];
      const value = Number(raw);
      if (raw === undefined || !Number.isFinite(value) || value < 0 || (!FRACTIONAL.has(flag) && !Number.isInteger(value))) {
        problems.push(`${flag} needs a non-negative ${FRACTIONAL.has(flag) ? 'number' : 'integer'} (got ${raw ?? 'nothing'})`);
        continue;
      }
      (options[NUMERIC[flag]!] as number) = value;
    } else problems.push(`unknown option ${arg}`);
  }
  if (options.concurrent < 1) problems.push('--concurrent must be at least 1');
  if (options.duration <= 0) problems.push('--duration must be more than 0');
  if (options.gatewaySeconds <= 0) problems.push('--gateway-seconds must be more than 0');
  if (options.openTasks > options.historySmall)
    problems.push('--open-tasks cannot exceed --history-small (each open task belongs to a historical call)');
  if (options.historySmall > options.history) problems.push('--history-small cannot exceed --history');
  if (problems.length > 0) throw new Error(`${problems.join('\n')}\n\n${USAGE}`);
  return options;
}
