/**
 * The figures a benchmark stands for (each run() returns its own), and the summary `npm run bench` ends with: every
 * benchmark's headline figures side by side with their peers and ratios, and the machine they were measured on, so
 * that one run gives the README everything it quotes.
 */
import os from 'node:os';

export interface Headline {
  /** The benchmark's name, as `npm run bench -- <name>` takes it. */
  benchmark: string;
  /** What was measured, in a few words. */
  measure: string;
  /** Our figure, with its unit. */
  ours: string;
  /** The named peer (or goal) and its figure in the same unit. */
  peer: string;
  /** Ours against the peer, e.g. `0.42x` and which way is better, or `n/a` when they cannot be divided. */
  ratio: string;
}

/**
 * `value / peer` as `N.NNx` (two significant digits below 0.1, so a small ratio never reads 0.00x), saying which
 * direction is better, so a reader never has to guess.
 */
export function ratioOf(value: number, peer: number, better: 'higher' | 'lower'): string {
  const ratio = value / peer;
  return `${ratio >= 0.1 ? ratio.toFixed(2) : ratio.toPrecision(2)}x (${better} is better)`;
}

/** The machine line the README quotes: CPU, cores, memory, Node, the date, and the load at the time of asking. */
export function machineDescription(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim().replace(/\s+/g, ' ') ?? 'unknown CPU';
  const gib = (os.totalmem() / 1024 ** 3).toFixed(1);
  const load = os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(' ');
  return (
    `${model}, ${os.availableParallelism()} cores, ${gib} GiB RAM, ${os.platform()} ${os.release()}, ` +
    `Node ${process.version}, ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, load average ${load} (1, 5, 15 min)`
  );
}

/** A plain-text table, columns padded to their widest cell: it reads the same in a terminal and in a log file. */
export function formatSummary(headlines: readonly Headline[]): string {
  const header: Headline = { benchmark: 'benchmark', measure: 'measure', ours: 'ours', peer: 'peer', ratio: 'ratio' };
  const rows = [header, ...headlines];
  const fields = ['benchmark', 'measure', 'ours', 'peer', 'ratio'] as const;
  const widths = fields.map((field) => Math.max(...rows.map((row) => row[field].length)));
  const line = (row: Headline) =>
    fields
      .map((field, index) => row[field].padEnd(widths[index]))
      .join(' | ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('-|-');
  return [line(header), rule, ...headlines.map(line)].join('\n');
}
