"""Writes Keras model files and their expected outputs for the Keras importer's tests.

Every case is a small random model (seeded), saved twice, as a Keras 3 `.keras` file and as a
legacy `.h5` file, plus `<case>.json` holding the input and Keras's `predict` output (a list of
outputs: the model's output, then the final states when the model returns them). Weights are
redrawn uniformly in [-0.5, 0.5] so that biases are not zero. Cases named `refuse_*` are models
the importer must refuse (their JSON names the layer the error must mention).

    pip install keras==3.15.1 jax==0.10.2 jaxlib==0.10.2 h5py==3.16.0 scipy
    KERAS_BACKEND=jax python tools/gen_keras_files.py

Output: test/fixtures/keras-files/.
"""

import json
import os
import sys

os.environ.setdefault("KERAS_BACKEND", "jax")

import keras  # noqa: E402
import numpy as np  # noqa: E402

L = keras.layers
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "keras-files")
B, T, I = 2, 5, 3


def seq(*layers, shape=(T, I), dtype="float32"):
    return keras.Sequential([keras.Input(shape, dtype=dtype), *layers])


def chain(build, shape=(T, I), dtype="float32"):
    inp = keras.Input(shape, dtype=dtype)
    return keras.Model(inp, build(inp))


def float_input(rng, pad=False):
    x = rng.uniform(-1, 1, (B, T, I)).astype("float32")
    if pad:
        x[0, 3:, :] = 0.0  # row 0 padded: its last two steps are masked
        x[1, 4:, :] = 0.0
    return x


def int_input(rng, vocab):
    x = rng.integers(1, vocab, (B, T)).astype("int32")
    x[0, 3:] = 0  # mask_zero: index 0 is padding
    return x


def bidi(cell, mode):
    return lambda i: L.Bidirectional(cell(), merge_mode=mode)(i)


CASES = {
    "lstm_seq_dense": lambda: seq(L.LSTM(3, return_sequences=True), L.Dense(2)),
    "lstm_last": lambda: seq(L.LSTM(4)),
    "gru_reset_after": lambda: seq(L.GRU(3, reset_after=True)),
    "gru_reset_before_seq": lambda: seq(L.GRU(3, reset_after=False, return_sequences=True)),
    "simple_rnn_backwards_relu": lambda: seq(L.SimpleRNN(3, go_backwards=True, activation="relu", return_sequences=True)),
    "stacked_no_bias": lambda: seq(L.LSTM(3, use_bias=False, return_sequences=True), L.GRU(2, use_bias=False), L.Dense(2, use_bias=False)),
    "lstm_hard_sigmoid": lambda: seq(L.LSTM(3, recurrent_activation="hard_sigmoid", return_sequences=True), L.Dense(2, activation="hard_sigmoid")),
    "gru_relu_hard_sigmoid": lambda: seq(L.GRU(3, activation="relu", recurrent_activation="hard_sigmoid", go_backwards=True)),
    "simple_rnn_linear": lambda: seq(L.SimpleRNN(2, activation="linear")),
    "bidi_lstm_concat": lambda: seq(L.Bidirectional(L.LSTM(2, return_sequences=True), merge_mode="concat")),
    "bidi_gru_sum": lambda: seq(L.Bidirectional(L.GRU(2), merge_mode="sum")),
    "bidi_rnn_mul": lambda: seq(L.Bidirectional(L.SimpleRNN(2, return_sequences=True), merge_mode="mul")),
    "bidi_gru_before_ave": lambda: seq(L.Bidirectional(L.GRU(2, reset_after=False, return_sequences=True), merge_mode="ave")),
    "masking_lstm": lambda: seq(L.Masking(0.0), L.LSTM(3, return_sequences=True), L.LSTM(2)),
    "masking_bidi_td": lambda: seq(L.Masking(0.0), L.Bidirectional(L.GRU(2, return_sequences=True)), L.TimeDistributed(L.Dense(2, activation="tanh"))),
    "embedding_mask_gru": lambda: seq(L.Embedding(6, 3, mask_zero=True), L.GRU(3), L.Dense(2), shape=(T,), dtype="int32"),
    "embedding_lstm_seq": lambda: seq(L.Embedding(6, 2), L.LSTM(2, return_sequences=True), shape=(T,), dtype="int32"),
    "dropout_td": lambda: seq(L.LSTM(3, return_sequences=True, dropout=0.2), L.Dropout(0.3), L.TimeDistributed(L.Dense(2))),
    "functional_chain": lambda: chain(lambda i: L.Dense(2, activation="sigmoid")(L.GRU(3, return_sequences=True)(i))),
    "functional_masking_bidi": lambda: chain(lambda i: L.Dense(1)(L.SimpleRNN(2)(L.Dropout(0.1)(L.Bidirectional(L.LSTM(2, return_sequences=True), merge_mode="sum")(L.Masking(0.0)(i)))))),
    "functional_embedding_mask": lambda: chain(lambda i: L.LSTM(2, go_backwards=True)(L.Embedding(6, 3, mask_zero=True)(i)), shape=(T,), dtype="int32"),
    "functional_lstm_state": lambda: chain(lambda i: L.LSTM(3, return_state=True)(L.Dense(3)(i))),
    "functional_gru_state_seq": lambda: chain(lambda i: L.GRU(2, return_sequences=True, return_state=True, reset_after=False)(i)),
    # A char LM as `recurrent import` reads one: its 11 logits are the vocabulary of CHARLM_TEXT.
    "charlm_gru": lambda: seq(L.Embedding(11, 4), L.GRU(6, return_sequences=True), L.Dense(11), shape=(T,), dtype="int32"),
    "refuse_branches": lambda: chain(lambda i: L.Add(name="add_branches")([L.LSTM(2, name="left")(i), L.GRU(2, name="right")(i)])),
}

# What the importer must name when it refuses a case.
REFUSE = {"refuse_branches": "\"left\" (LSTM) and \"right\" (GRU)"}

CHARLM_TEXT = "the cat sat on the mat " * 20

PADDED = {"masking_lstm", "masking_bidi_td", "functional_masking_bidi"}


def main():
    os.makedirs(OUT, exist_ok=True)
    only = set(sys.argv[1:])
    for k, (name, make) in enumerate(sorted(CASES.items())):
        if only and name not in only:
            continue
        keras.utils.set_random_seed(1000 + k)
        rng = np.random.default_rng(2000 + k)
        model = make()
        model.set_weights([rng.uniform(-0.5, 0.5, w.shape).astype("float32") for w in model.get_weights()])
        integer = model.inputs[0].dtype.startswith("int")
        x = int_input(rng, 6) if integer else float_input(rng, name in PADDED)
        model.save(os.path.join(OUT, f"{name}.keras"))
        model.save(os.path.join(OUT, f"{name}.h5"))
        out = {"case": name, "input_shape": list(x.shape), "input_dtype": "int32" if integer else "float32", "input": x.reshape(-1).tolist()}
        if name == "charlm_gru":
            out["text"] = CHARLM_TEXT
        if name in REFUSE:
            out["refuse"] = REFUSE[name]
        else:
            y = model.predict(x, verbose=0)
            ys = y if isinstance(y, (list, tuple)) else [y]
            out["outputs"] = [{"shape": list(np.shape(v)), "data": np.asarray(v, dtype="float32").reshape(-1).tolist()} for v in ys]
        with open(os.path.join(OUT, f"{name}.json"), "w") as f:
            json.dump(out, f)
            f.write("\n")
        print(name)


if __name__ == "__main__":
    main()
