// Runs the regression task of regression-task.ts into a folder, as its own process, so that a
// test can kill it with SIGKILL: node --conditions=source --import tsx regression-child.ts DIR EPOCHS BACKEND [resume]
import { setBackend } from "recurrent";
import { FileStore } from "recurrent/node";
import { regressionRun } from "./regression-task.js";

const [dir, epochs, backend, resume] = process.argv.slice(2);
if (dir === undefined || epochs === undefined || backend === undefined) throw new Error("usage: regression-child.ts DIR EPOCHS BACKEND [resume]");
setBackend(backend);
await regressionRun({ store: new FileStore(dir), epochs: Number(epochs), resume: resume === "resume" });
