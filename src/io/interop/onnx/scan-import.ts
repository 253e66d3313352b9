/**
 * Reading back the projected LSTM that lstm-projection.ts exports: one `Scan` per layer and
 * direction whose body is exactly the cell the exporter writes (with no bias, with the two biases
 * b_ih and b_hh, or with their sum, as older exports wrote it). Any other Scan body is refused:
 * recognising arbitrary loops would mean running ONNX, which the importer does not do.
 *
 * Symbols: I input, H hidden, P projection, G = 4H. The body's outer-scope constants are
 * W_ihᵀ (I, G), W_hhᵀ (P, G), the biases (G) and W_hrᵀ (H, P), turned back into PyTorch's
 * layout: weight_ih (G, I), weight_hh (G, P), bias_ih, bias_hh (G), weight_hr (P, H).
 */
import { transposed } from "./lstm-projection.js";
import { ONNX_FLOAT, OnnxError, type OnnxAttribute, type OnnxGraph, type OnnxNode, type OnnxTensor } from "./proto.js";

/** One direction of one projected layer, as read from its Scan node. */
export interface ScanLstm {
  /** 0 forward, 1 reverse. */
  direction: number;
  I: number;
  H: number;
  P: number;
  bias: boolean;
  /** PyTorch-layout parameters by base name: weight_ih, weight_hh, weight_hr, bias_ih, bias_hh. */
  params: Record<string, Float32Array>;
}

/** A body node of the template: its op, inputs (x, h, c: the body inputs; #k.o: node k's output o; $role: a constant) and output count. */
interface Step {
  op: string;
  inputs: string[];
  outputs: number;
}

/** The body the exporter writes, for no bias (0), the two biases (2) or their sum (1). */
function template(biases: 0 | 1 | 2): { steps: Step[]; outputs: string[] } {
  const steps: Step[] = [];
  const add = (op: string, inputs: string[], outputs = 1): string => {
    steps.push({ op, inputs, outputs });
    return `#${steps.length - 1}.0`;
  };
  let gates = add("Add", [add("MatMul", ["x", "$wt"]), add("MatMul", ["h", "$rt"])]);
  if (biases === 1) gates = add("Add", [gates, "$bias"]);
  if (biases === 2) gates = add("Add", [add("Add", [gates, "$bih"]), "$bhh"]);
  const split = add("Split", [gates], 4).slice(0, -2);
  const c = add("Add", [add("Mul", [add("Sigmoid", [`${split}.1`]), "c"]), add("Mul", [add("Sigmoid", [`${split}.0`]), add("Tanh", [`${split}.2`])])]);
  const h = add("MatMul", [add("Mul", [add("Sigmoid", [`${split}.3`]), add("Tanh", [c])]), "$hrt"]);
  const y = add("Identity", [h]);
  return { steps, outputs: [h, c, y] };
}

const TEMPLATES = ([0, 1, 2] as const).map((biases) => ({ biases, ...template(biases) }));

function attrOf(n: OnnxNode, name: string): OnnxAttribute | undefined {
  return n.attributes.find((a) => a.name === name);
}

/** Matches `body` against one template; the constants by role, or a description of the first difference. */
function match(body: OnnxGraph, t: { steps: Step[]; outputs: string[] }, isConst: (name: string) => boolean): Map<string, string> | string {
  if (body.nodes.length !== t.steps.length) return `${body.nodes.length} nodes instead of ${t.steps.length}`;
  const refs = new Map<string, string>();
  ["h", "c", "x"].forEach((r, k) => refs.set(body.inputs[k]!.name, r));
  const roles = new Map<string, string>();
  for (let k = 0; k < t.steps.length; k++) {
    const n = body.nodes[k]!;
    const s = t.steps[k]!;
    if (n.opType !== s.op || (n.domain !== "" && n.domain !== "ai.onnx")) return `node ${k} is ${n.opType.slice(0, 40)} where the cell has ${s.op}`;
    if (n.inputs.length !== s.inputs.length || n.outputs.length !== s.outputs) return `node ${k} (${s.op}) has ${n.inputs.length} inputs and ${n.outputs.length} outputs instead of ${s.inputs.length} and ${s.outputs}`;
    const extra = n.attributes.filter((a) => !(s.op === "Split" && (a.name === "axis" || a.name === "num_outputs")));
    if (extra.length > 0) return `node ${k} (${s.op}) has attribute ${extra[0]!.name.slice(0, 40)}`;
    if (s.op === "Split" && (attrOf(n, "axis")?.i !== 1 || (attrOf(n, "num_outputs")?.i ?? 4) !== 4)) return `the Split (node ${k}) is not 4 equal parts on axis 1`;
    for (let i = 0; i < s.inputs.length; i++) {
      const want = s.inputs[i]!;
      const name = n.inputs[i]!;
      if (want.startsWith("$")) {
        if (!isConst(name) || refs.has(name)) return `input ${i} of node ${k} (${s.op}) is not a constant`;
        roles.set(want.slice(1), name);
      } else if (refs.get(name) !== want) return `input ${i} of node ${k} (${s.op}) is not the cell's`;
    }
    n.outputs.forEach((o, i) => {
      if (o !== "") refs.set(o, `#${k}.${i}`);
    });
  }
  for (let k = 0; k < 3; k++) if (refs.get(body.outputs[k]!.name) !== t.outputs[k]) return `output ${k} is not the cell's ${["h", "c", "y"][k]}`;
  return roles;
}

/**
 * Reads a Scan node as one direction of a projected LSTM layer. `consts` holds the outer graph's
 * constants (the body's weights live there). Throws OnnxError naming the node and the first
 * difference from the exporter's body.
 */
export function readProjectedScan(n: OnnxNode, where: string, consts: ReadonlyMap<string, OnnxTensor>): ScanLstm {
  const refuse = (why: string): never => {
    throw new OnnxError(`${where}: only the Scan that exportOnnx writes for an LSTM with projSize imports (the cell over one scan input, states h and c); ${why}`);
  };
  const body = attrOf(n, "body")?.g;
  if (body === undefined) return refuse("it has no body graph");
  if (n.inputs.length !== 3 || n.outputs.length !== 3 || n.inputs.some((i) => i === "")) refuse(`it has ${n.inputs.length} inputs and ${n.outputs.length} outputs instead of 3 and 3`);
  if (attrOf(n, "num_scan_inputs")?.i !== 1) refuse("num_scan_inputs must be 1");
  const dirs = attrOf(n, "scan_input_directions")?.ints ?? [0];
  const outDirs = attrOf(n, "scan_output_directions")?.ints ?? [0];
  if (dirs.length !== 1 || (dirs[0] !== 0 && dirs[0] !== 1) || outDirs.length !== 1 || outDirs[0] !== dirs[0]) refuse("scan_input_directions and scan_output_directions must both be [0] or both [1]");
  for (const axes of ["scan_input_axes", "scan_output_axes"]) if ((attrOf(n, axes)?.ints ?? [0]).some((a) => a !== 0)) refuse(`${axes} must be [0]`);
  if (body.inputs.length !== 3 || body.outputs.length !== 3) refuse(`its body has ${body.inputs.length} inputs and ${body.outputs.length} outputs instead of 3 and 3`);
  const inner = new Map(body.initializers.map((t) => [t.name, t]));
  const lookup = (name: string): OnnxTensor | undefined => inner.get(name) ?? consts.get(name);
  let roles: Map<string, string> | null = null;
  let biases: 0 | 1 | 2 = 0;
  let why = "";
  for (const t of TEMPLATES) {
    const m = match(body, t, (name) => lookup(name) !== undefined);
    if (typeof m !== "string") {
      roles = m;
      biases = t.biases;
      break;
    }
    if (why === "" || body.nodes.length === t.steps.length) why = m;
  }
  if (roles === null) return refuse(`its body differs: ${why}`);
  const tensor = (role: string, rank: number): OnnxTensor => {
    const t = lookup(roles.get(role)!)!;
    if (t.dataType !== ONNX_FLOAT || t.floats === null || t.dims.length !== rank) refuse(`the body's constant ${role} must be a float32 tensor of ${rank} dims, got type ${t.dataType} with dims [${t.dims.join(", ")}]`);
    return t;
  };
  const wt = tensor("wt", 2);
  const rt = tensor("rt", 2);
  const hrt = tensor("hrt", 2);
  const [I, G] = [wt.dims[0]!, wt.dims[1]!];
  const H = G / 4;
  const P = rt.dims[0]!;
  if (I < 1 || G < 4 || G % 4 !== 0) refuse(`W_ihᵀ must be (I, 4H), got [${wt.dims.join(", ")}]`);
  if (P < 1 || P >= H || rt.dims[1] !== G) refuse(`W_hhᵀ must be (P, ${G}) with 0 < P < ${H}, got [${rt.dims.join(", ")}]`);
  if (hrt.dims[0] !== H || hrt.dims[1] !== P) refuse(`W_hrᵀ must be (${H}, ${P}), got [${hrt.dims.join(", ")}]`);
  const params: Record<string, Float32Array> = {
    weight_ih: transposed(wt.floats!, I, G),
    weight_hh: transposed(rt.floats!, P, G),
    weight_hr: transposed(hrt.floats!, H, P),
  };
  const vector = (role: string): Float32Array => {
    const t = tensor(role, 1);
    if (t.dims[0] !== G) refuse(`the bias ${role} must have ${G} values, got ${t.dims[0]}`);
    return Float32Array.from(t.floats!);
  };
  if (biases === 1) {
    params["bias_ih"] = vector("bias");
    params["bias_hh"] = new Float32Array(G);
  } else if (biases === 2) {
    params["bias_ih"] = vector("bih");
    params["bias_hh"] = vector("bhh");
  }
  return { direction: dirs[0]!, I, H, P, bias: biases > 0, params };
}
