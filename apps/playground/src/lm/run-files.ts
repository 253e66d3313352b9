/**
 * Run folders in and out of the browser: files dropped or chosen from a CLI run folder become
 * the names the run store uses, and a stored run goes out as one .zip holding the same folder.
 */
import { zipSync } from "fflate";
import type { RunFile } from "./protocol.js";

const RUN_FILE = /^(config\.json|vocab\.json|metrics\.jsonl|final\.(json|safetensors)|checkpoints\/epoch-\d+\.(json|safetensors))$/;
/** Largest file accepted from a drop: a checkpoint of the biggest model the form allows is far below it. */
const MAX_FILE_BYTES = 512 * 1024 * 1024;

/**
 * The store name of a file from a run folder: its path inside the folder (a folder drop or
 * `webkitdirectory` gives "runs/x/checkpoints/epoch-0010.json"); a loose epoch-XXXX file goes to
 * checkpoints/. Null for files a run does not use (plots, stray files), which are skipped.
 */
export function runFileName(path: string): string | null {
  const parts = path.split("/").filter((p) => p !== "");
  const base = parts[parts.length - 1] ?? "";
  const name = /^epoch-\d+\./.test(base) ? `checkpoints/${base}` : base;
  return RUN_FILE.test(name) ? name : null;
}

/** A file with its path inside what was dropped or chosen ("runs/x/checkpoints/epoch-0010.json"). */
export interface PathedFile {
  file: File;
  path: string;
}

/** Files from an <input type=file>, with the folder path `webkitdirectory` gives them. */
export function inputFiles(list: FileList): PathedFile[] {
  return Array.from(list).map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}

/** Reads the run files among `files` (skipping others); errors name the file. */
export async function readRunFiles(files: readonly PathedFile[]): Promise<RunFile[]> {
  const out: RunFile[] = [];
  for (const { file, path } of files) {
    const name = runFileName(path);
    if (name === null) continue;
    if (file.size > MAX_FILE_BYTES) throw new Error(`${path} is ${file.size} bytes, more than the ${MAX_FILE_BYTES} a run file may have`);
    out.push({ name, bytes: new Uint8Array(await file.arrayBuffer()) });
  }
  return out;
}

const isFileEntry = (e: FileSystemEntry): e is FileSystemFileEntry => e.isFile;
const isFolderEntry = (e: FileSystemEntry): e is FileSystemDirectoryEntry => e.isDirectory;

/** Files of a drop (a folder's entries walked recursively), with their paths. */
export async function droppedFiles(data: DataTransfer): Promise<PathedFile[]> {
  const entries = Array.from(data.items).map((i) => i.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return Array.from(data.files).map((file) => ({ file, path: file.name }));
  const out: PathedFile[] = [];
  const walk = async (entry: FileSystemEntry, path: string): Promise<void> => {
    if (isFileEntry(entry)) {
      const file = await new Promise<File>((res, rej) => entry.file(res, rej));
      out.push({ file, path: `${path}${entry.name}` });
    } else if (isFolderEntry(entry)) {
      const reader = entry.createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        if (batch.length === 0) break;
        for (const e of batch) await walk(e, `${path}${entry.name}/`);
      }
    }
  };
  for (const e of entries) await walk(e, "");
  return out;
}

/** Starts a download of `files` as `<runId>.zip` (a folder `<runId>/` inside, as the CLI lays it out). */
export function downloadZip(runId: string, files: RunFile[]): void {
  const tree: Record<string, Uint8Array> = {};
  for (const f of files) tree[`${runId}/${f.name}`] = f.bytes;
  const zip = zipSync(tree, { level: 6 });
  const url = URL.createObjectURL(new Blob([zip], { type: "application/zip" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = `${runId}.zip`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
