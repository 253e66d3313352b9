/** The machine a benchmark ran on, printed with every table: numbers mean little without it. */
import { readFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, platform, release, totalmem } from "node:os";

export interface MachineInfo {
  /** "model name" from /proc/cpuinfo, else what os.cpus() reports. */
  cpu: string;
  /** Logical CPUs this process may use. */
  cores: number;
  /** Total memory in GiB. */
  memoryGiB: number;
  node: string;
  os: string;
  /** One-minute load average when the run started: well above 0 means something else competed for the cores. */
  load1: number;
}

export function machineInfo(): MachineInfo {
  return {
    cpu: cpuModel(),
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${platform()} ${release()}`,
    load1: Math.round(loadavg()[0] * 100) / 100,
  };
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"));
    if (match) return match[1].trim();
  } catch {
    // Not Linux: fall through to what Node knows.
  }
  return cpus()[0]?.model ?? "unknown";
}
