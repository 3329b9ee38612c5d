"""Reference values for test/evaluate/crosscheck/crosscheck.test.ts, from pymcdm, pyrepo-mcda and numpy.

Reads {"cases": [...]} as JSON on stdin and prints {"results": [...]} in the same order. Each case names a
method and its inputs; this script never sees gongfu's own results.
"""
import json
import sys

import numpy as np
from pymcdm import normalizations as pm_norm
from pymcdm.methods import TOPSIS as PmTopsis
from pymcdm.weights import entropy_weights as pm_entropy
from pyrepo_mcda import normalizations as pr_norm
from pyrepo_mcda.mcda_methods import TOPSIS as PrTopsis
from pyrepo_mcda.weighting_methods import entropy_weighting as pr_entropy


def entropy_from_p(p):
    m = p.shape[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        plogp = np.where(p > 0, p * np.log(np.where(p > 0, p, 1.0)), 0.0)
    return -plogp.sum(axis=0) / np.log(m)


def entropy_minmax(matrix, types):
    # The Chinese textbook convention: min-max normalise with direction, p = z / sum z, 0 ln 0 = 0.
    z = pr_norm.minmax_normalization(matrix, types)
    p = z / z.sum(axis=0)
    e = entropy_from_p(p)
    d = 1 - e
    return {"weights": (d / d.sum()).tolist(), "entropy": e.tolist()}


def gini(x, w):
    mu = np.sum(w * x) / np.sum(w)
    diff = np.abs(x[:, None] - x[None, :])
    return float(np.sum(w[:, None] * w[None, :] * diff) / (2 * np.sum(w) ** 2 * mu))


def theil(x, w):
    y = x * w
    ys = y / y.sum()
    ns = w / w.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(ys > 0, ys * np.log(ys / ns), 0.0)
    return float(terms.sum())


def band(x, lower, upper):
    x = np.asarray(x, dtype=float)
    below = np.where(lower > 0, np.clip(x / lower, 0, 1), 0.0) if lower > 0 else np.zeros_like(x)
    with np.errstate(divide="ignore"):
        above = np.where(x > 0, np.clip(upper / np.where(x > 0, x, 1.0), 0, 1), 0.0)
    return np.where(x < lower, below, np.where(x > upper, above, 1.0)).tolist()


def run(case):
    kind = case["kind"]
    if kind == "entropy_sum":
        m = np.array(case["matrix"], dtype=float)
        return {"pymcdm": pm_entropy(m).tolist(), "pyrepo": pr_entropy(m).tolist()}
    if kind == "entropy_minmax":
        return entropy_minmax(np.array(case["matrix"], dtype=float), np.array(case["types"]))
    if kind == "topsis":
        m = np.array(case["matrix"], dtype=float)
        w = np.array(case["weights"], dtype=float)
        t = np.array(case["types"])
        if case["normalization"] == "minmax":
            return {"pymcdm": PmTopsis(pm_norm.minmax_normalization)(m, w, t).tolist()}
        return {
            "pymcdm": PmTopsis(pm_norm.vector_normalization)(m, w, t).tolist(),
            "pyrepo": PrTopsis(normalization_method=pr_norm.vector_normalization)(m, w, t).tolist(),
        }
    if kind == "gini":
        return gini(np.array(case["values"], dtype=float), np.array(case["weights"], dtype=float))
    if kind == "theil":
        return theil(np.array(case["values"], dtype=float), np.array(case["weights"], dtype=float))
    if kind == "band":
        return band(case["values"], case["lower"], case["upper"])
    if kind == "winsorize":
        x = np.array(case["values"], dtype=float)
        lo, hi = np.quantile(x, case["lower"]), np.quantile(x, case["upper"])
        return np.clip(x, lo, hi).tolist()
    if kind == "interpolate":
        return float(np.interp(case["t"], [case["t0"], case["t1"]], [case["v0"], case["v1"]]))
    raise ValueError(f"unknown case kind {kind}")


def main():
    cases = json.load(sys.stdin)["cases"]
    json.dump({"results": [run(c) for c in cases]}, sys.stdout)


if __name__ == "__main__":
    main()
