import { spawnSync } from 'node:child_process';
import os from 'node:os';

export interface MachineInfo {
  summary: string;
  cpuModel: string;
  cores: number;
  memoryGb: number;
  node: string;
  java: string;
  platform: string;
  loadAverageAtStart: number[];
}

export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  const cpuModel = cpus[0]?.model.trim() ?? 'unknown CPU';
  const memoryGb = Math.round((os.totalmem() / 2 ** 30) * 10) / 10;
  const javaOut = spawnSync('java', ['-version'], { encoding: 'utf8' });
  const java = (javaOut.stderr || javaOut.stdout || 'java not found').split('\n')[0]!.trim();
  const platform = `${os.type()} ${os.release()} ${os.arch()}`;
  const loadAverageAtStart = os.loadavg().map((l) => Math.round(l * 100) / 100);
  return {
    summary: `${cpuModel}, ${cpus.length} cores, ${memoryGb} GiB RAM, Node ${process.version}, ${java}, ${platform}`,
    cpuModel,
    cores: cpus.length,
    memoryGb,
    node: process.version,
    java,
    platform,
    loadAverageAtStart,
  };
}
