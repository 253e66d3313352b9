/**
 * Python source for the layers PyTorch lacks, emitted into an exported model.py only when the
 * model uses them. Each implements the same math as the library's cell or layer, with the same
 * parameter names and registration order, so `load_state_dict(strict=True)` takes our weights:
 *
 * - `RecurrentStack`: stacking, directions, batch_first, dropout and states around a cell step,
 *   arranged as nn.LSTM arranges them (parameters `<name>_l<k>[_reverse]`);
 * - `PeepholeLSTM` (src/nn/cells/peephole-lstm.ts) and `LayerNormLSTM`
 *   (src/nn/cells/layernorm-lstm.ts, PyTorch's fastrnns reference cell) on top of it;
 * - `Highway` (src/nn/layers/highway.ts): y = T*(H - x) + x per layer, parameters
 *   `layers.<k>.weight_h`, `bias_h`, `weight_t`, `bias_t`.
 */

/** Which helper classes a model.py needs. */
export type PythonHelper = "PeepholeLSTM" | "LayerNormLSTM" | "Highway";

const STACK = `
class RecurrentStack(nn.Module):
    """Stacking, directions, batch_first, dropout and states around a cell's step, as nn.LSTM arranges them."""

    # (name, shape from (I, H, G), is_bias) in registration order; set by each cell.
    cell_params = ()
    gates = 4

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0, bidirectional=False):
        super().__init__()
        self.input_size, self.hidden_size, self.num_layers = input_size, hidden_size, num_layers
        self.bias, self.batch_first, self.dropout, self.bidirectional = bias, batch_first, dropout, bidirectional
        D = 2 if bidirectional else 1
        G = self.gates * hidden_size
        for layer in range(num_layers):
            I = input_size if layer == 0 else hidden_size * D
            for d in range(D):
                sfx = f"_l{layer}" + ("_reverse" if d == 1 else "")
                for name, shape, is_bias in self.cell_params:
                    if is_bias and not bias:
                        continue
                    self.register_parameter(name + sfx, nn.Parameter(torch.zeros(shape(I, hidden_size, G))))

    def forward(self, x, state=None):
        """x (T, B, I) or (B, T, I) with batch_first; state (h0, c0), each (L*D, B, H). Returns (output, (hN, cN))."""
        if self.batch_first:
            x = x.transpose(0, 1)
        T, B = x.shape[0], x.shape[1]
        D = 2 if self.bidirectional else 1
        if state is None:
            zeros = x.new_zeros(self.num_layers * D, B, self.hidden_size)
            state = (zeros, zeros)
        h0, c0 = state
        hs, cs = [], []
        seq = x
        for layer in range(self.num_layers):
            outs = []
            for d in range(D):
                k = layer * D + d
                sfx = f"_l{layer}" + ("_reverse" if d == 1 else "")
                p = {name: getattr(self, name + sfx) for name, _, is_bias in self.cell_params if self.bias or not is_bias}
                h, c = h0[k], c0[k]
                ys = [None] * T
                for t in (range(T - 1, -1, -1) if d == 1 else range(T)):
                    h, c = self.step(seq[t], h, c, p)
                    ys[t] = h
                outs.append(torch.stack(ys))
                hs.append(h)
                cs.append(c)
            seq = torch.cat(outs, 2) if D == 2 else outs[0]
            if layer < self.num_layers - 1 and self.dropout > 0:
                seq = nn.functional.dropout(seq, self.dropout, self.training)
        out = seq.transpose(0, 1) if self.batch_first else seq
        return out, (torch.stack(hs), torch.stack(cs))
`;

const PEEPHOLE = `
class PeepholeLSTM(RecurrentStack):
    """Peephole LSTM (Gers & Schmidhuber 2000), gate order i|f|g|o:
    i = sigmoid(a_i + p_i * c_prev), f = sigmoid(a_f + p_f * c_prev), g = tanh(a_g),
    c = f * c_prev + i * g, o = sigmoid(a_o + p_o * c), h = o * tanh(c)."""

    cell_params = (
        ("weight_ih", lambda I, H, G: (G, I), False),
        ("weight_hh", lambda I, H, G: (G, H), False),
        ("bias_ih", lambda I, H, G: (G,), True),
        ("bias_hh", lambda I, H, G: (G,), True),
        ("weight_ci", lambda I, H, G: (H,), False),
        ("weight_cf", lambda I, H, G: (H,), False),
        ("weight_co", lambda I, H, G: (H,), False),
    )

    def step(self, x, h, c, p):
        a = nn.functional.linear(x, p["weight_ih"], p.get("bias_ih")) + nn.functional.linear(h, p["weight_hh"], p.get("bias_hh"))
        a_i, a_f, a_g, a_o = a.chunk(4, 1)
        i = torch.sigmoid(a_i + p["weight_ci"] * c)
        f = torch.sigmoid(a_f + p["weight_cf"] * c)
        c = f * c + i * torch.tanh(a_g)
        o = torch.sigmoid(a_o + p["weight_co"] * c)
        return o * torch.tanh(c), c
`;

const LAYERNORM = `
class LayerNormLSTM(RecurrentStack):
    """Layer-normalised LSTM as PyTorch's fastrnns reference cell, gate order i|f|g|o:
    a = LN_i(x W_ih^T) + LN_h(h_prev W_hh^T), c = LN_c(f * c_prev + i * g), h = o * tanh(c)."""

    cell_params = (
        ("weight_ih", lambda I, H, G: (G, I), False),
        ("weight_hh", lambda I, H, G: (G, H), False),
        ("layernorm_i_weight", lambda I, H, G: (G,), False),
        ("layernorm_i_bias", lambda I, H, G: (G,), True),
        ("layernorm_h_weight", lambda I, H, G: (G,), False),
        ("layernorm_h_bias", lambda I, H, G: (G,), True),
        ("layernorm_c_weight", lambda I, H, G: (H,), False),
        ("layernorm_c_bias", lambda I, H, G: (H,), True),
    )

    def step(self, x, h, c, p):
        ln = nn.functional.layer_norm
        G, H = p["weight_ih"].shape[0], p["layernorm_c_weight"].shape[0]
        a = ln(nn.functional.linear(x, p["weight_ih"]), (G,), p["layernorm_i_weight"], p.get("layernorm_i_bias"), 1e-5)
        a = a + ln(nn.functional.linear(h, p["weight_hh"]), (G,), p["layernorm_h_weight"], p.get("layernorm_h_bias"), 1e-5)
        a_i, a_f, a_g, a_o = a.chunk(4, 1)
        c = ln(torch.sigmoid(a_f) * c + torch.sigmoid(a_i) * torch.tanh(a_g), (H,), p["layernorm_c_weight"], p.get("layernorm_c_bias"), 1e-5)
        return torch.sigmoid(a_o) * torch.tanh(c), c
`;

const HIGHWAY = `
class HighwayLayer(nn.Module):
    """H = act(x W_h^T + b_h), T = sigmoid(x W_t^T + b_t), y = T * (H - x) + x."""

    def __init__(self, size, activation):
        super().__init__()
        self.weight_h = nn.Parameter(torch.zeros(size, size))
        self.bias_h = nn.Parameter(torch.zeros(size))
        self.weight_t = nn.Parameter(torch.zeros(size, size))
        self.bias_t = nn.Parameter(torch.zeros(size))
        self.act = {"relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid}[activation]

    def forward(self, x):
        h = self.act(nn.functional.linear(x, self.weight_h, self.bias_h))
        t = torch.sigmoid(nn.functional.linear(x, self.weight_t, self.bias_t))
        return t * (h - x) + x


class Highway(nn.Module):
    """A stack of highway layers over the last dim."""

    def __init__(self, size, num_layers=1, activation="relu"):
        super().__init__()
        self.layers = nn.ModuleList([HighwayLayer(size, activation) for _ in range(num_layers)])

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x
`;

/** The Python source of the helpers in `needed`, in dependency order. */
export function pythonHelpers(needed: ReadonlySet<PythonHelper>): string {
  const parts: string[] = [];
  if (needed.has("PeepholeLSTM") || needed.has("LayerNormLSTM")) parts.push(STACK);
  if (needed.has("PeepholeLSTM")) parts.push(PEEPHOLE);
  if (needed.has("LayerNormLSTM")) parts.push(LAYERNORM);
  if (needed.has("Highway")) parts.push(HIGHWAY);
  return parts.map((p) => p.trim()).join("\n\n\n");
}
