"""Write lsap.json: what scipy.optimize.linear_sum_assignment returns for generated cost matrices.

Usage: python3 make_lsap.py --out lsap.json   (the seed makes it repeat)

Each case stores the row-major cost matrix, SciPy's row_ind/col_ind and the optimal total, or the error SciPy
raised ("invalid" for NaN/-inf entries, "infeasible" when +inf entries leave no full matching). Infinite and NaN
entries are the strings "Infinity", "-Infinity" and "NaN". Cases with dtype float32 hold float32 values written
with their shortest float32 repr; SciPy saw them widened to float64, as DETR/Sparse R-CNN's matcher hands it a
float32 tensor.
"""
import argparse
import json

import numpy as np
import scipy
from scipy.optimize import linear_sum_assignment


def encode(value, dtype):
    if np.isnan(value):
        return "NaN"
    if np.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if dtype == "float32":
        return float(str(np.float32(value)))  # shortest decimal that reads back as this float32
    return float(value)


def case(name, cost, maximize=False, dtype="float64"):
    cost = np.asarray(cost, dtype=np.float32 if dtype == "float32" else np.float64)
    entry = {"name": name, "rows": int(cost.shape[0]), "cols": int(cost.shape[1]), "maximize": maximize,
             "dtype": dtype, "cost": [encode(v, dtype) for v in cost.ravel()]}
    try:
        rows, cols = linear_sum_assignment(cost, maximize=maximize)
        entry.update(row_ind=rows.tolist(), col_ind=cols.tolist(), total=float(cost.astype(np.float64)[rows, cols].sum()),
                     error=None)
    except ValueError as error:
        message = str(error)
        entry.update(row_ind=None, col_ind=None, total=None,
                     error="infeasible" if "infeasible" in message else "invalid", message=message)
    return entry


def sparse_rcnn_cost(rng, num_proposals, num_gt, num_classes=80, image=(800.0, 1067.0)):
    """Sparse R-CNN's HungarianMatcher cost (focal class cost, L1 on normalized boxes, -GIoU), in float32."""
    h, w = image
    scale = np.array([w, h, w, h], dtype=np.float32)

    def boxes(n):
        xy = rng.uniform(0, 1, (n, 2)) * np.array([w, h]) * 0.8
        wh = rng.uniform(8, 400, (n, 2))
        return np.concatenate([xy, xy + wh], axis=1).astype(np.float32)

    out_boxes, gt_boxes = boxes(num_proposals), boxes(num_gt)
    prob = (1 / (1 + np.exp(-rng.normal(-2.0, 1.5, (num_proposals, num_classes))))).astype(np.float32)
    labels = rng.integers(0, num_classes, num_gt)
    alpha, gamma = np.float32(0.25), np.float32(2.0)
    neg = (1 - alpha) * prob ** gamma * -np.log(1 - prob + np.float32(1e-8))
    pos = alpha * (1 - prob) ** gamma * -np.log(prob + np.float32(1e-8))
    cost_class = pos[:, labels] - neg[:, labels]
    cost_bbox = np.abs((out_boxes / scale)[:, None, :] - (gt_boxes / scale)[None, :, :]).sum(-1)
    cost_giou = -generalized_box_iou(out_boxes, gt_boxes)
    return (np.float32(5) * cost_bbox + np.float32(2) * cost_class + np.float32(2) * cost_giou).astype(np.float32)


def generalized_box_iou(a, b):
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    lt, rb = np.maximum(a[:, None, :2], b[None, :, :2]), np.minimum(a[:, None, 2:], b[None, :, 2:])
    inter = np.clip(rb - lt, 0, None).prod(-1)
    union = area_a[:, None] + area_b[None, :] - inter
    lt_c, rb_c = np.minimum(a[:, None, :2], b[None, :, :2]), np.maximum(a[:, None, 2:], b[None, :, 2:])
    hull = np.clip(rb_c - lt_c, 0, None).prod(-1)
    iou = inter / union
    return iou - (hull - union) / hull


def with_inf(rng, rows, cols, fraction, sign=1.0):
    """Random costs with a fraction of entries set to +-inf, keeping a finite full matching along a permutation."""
    cost = np.round(rng.uniform(0, 10, (rows, cols)), 4)
    cost[rng.uniform(size=(rows, cols)) < fraction] = sign * np.inf
    keep = rng.permutation(max(rows, cols))
    for k in range(min(rows, cols)):
        i, j = (k, keep[k]) if rows <= cols else (keep[k], k)
        cost[i, j] = np.round(rng.uniform(0, 10), 4)
    return cost


def cases(rng):
    uniform = lambda r, c: np.round(rng.uniform(0, 1, (r, c)), 6)
    yield case("uniform_square_5x5", uniform(5, 5))
    yield case("uniform_square_12x12", uniform(12, 12))
    yield case("uniform_wide_4x9", uniform(4, 9))
    yield case("uniform_tall_9x4", uniform(9, 4))
    yield case("uniform_1x1", uniform(1, 1))
    yield case("uniform_1x6", uniform(1, 6))
    yield case("uniform_6x1", uniform(6, 1))
    yield case("empty_0x5", np.zeros((0, 5)))
    yield case("empty_5x0", np.zeros((5, 0)))
    yield case("empty_0x0", np.zeros((0, 0)))
    yield case("normal_float32_300x20", rng.normal(0, 1, (300, 20)), dtype="float32")
    yield case("normal_float32_100x7", rng.normal(0, 1, (100, 7)), dtype="float32")
    yield case("normal_float32_20x300", rng.normal(0, 1, (20, 300)), dtype="float32")
    yield case("ties_int_10x10", rng.integers(1, 6, (10, 10)))
    yield case("ties_int_6x12", rng.integers(1, 4, (6, 12)))
    yield case("ties_int_12x6", rng.integers(1, 4, (12, 6)))
    yield case("ties_int_300x20", rng.integers(0, 3, (300, 20)))
    yield case("ties_binary_40x40", rng.integers(0, 2, (40, 40)))
    yield case("constant_6x6", np.full((6, 6), 2.5))
    yield case("constant_4x7", np.full((4, 7), -1.0))
    yield case("constant_7x4", np.full((7, 4), 0.0))
    yield case("inf_feasible_8x8", with_inf(rng, 8, 8, 0.5))
    yield case("inf_feasible_5x9", with_inf(rng, 5, 9, 0.6))
    yield case("inf_feasible_9x5", with_inf(rng, 9, 5, 0.6))
    yield case("inf_infeasible_row", [[1.0, 2.0, 3.0], [np.inf, np.inf, np.inf], [4.0, 5.0, 6.0]])
    yield case("inf_infeasible_hall", [[1.0, np.inf, np.inf], [2.0, np.inf, np.inf], [3.0, 4.0, 5.0]])
    yield case("inf_infeasible_tall", [[1.0, np.inf], [2.0, np.inf], [3.0, np.inf]])
    yield case("invalid_nan", [[1.0, np.nan], [2.0, 3.0]])
    yield case("invalid_neg_inf", [[1.0, 2.0], [-np.inf, 3.0]])
    yield case("invalid_pos_inf_maximize", [[1.0, 2.0], [np.inf, 3.0]], maximize=True)
    yield case("maximize_uniform_6x6", uniform(6, 6), maximize=True)
    yield case("maximize_uniform_5x9", uniform(5, 9), maximize=True)
    yield case("maximize_uniform_9x5", uniform(9, 5), maximize=True)
    yield case("maximize_ties_int_8x8", rng.integers(0, 3, (8, 8)), maximize=True)
    yield case("maximize_neg_inf_feasible_7x7", with_inf(rng, 7, 7, 0.5, sign=-1.0), maximize=True)
    yield case("maximize_float32_100x20", rng.normal(0, 1, (100, 20)), maximize=True, dtype="float32")
    yield case("sparse_rcnn_300x20", sparse_rcnn_cost(rng, 300, 20), dtype="float32")
    yield case("sparse_rcnn_100x7", sparse_rcnn_cost(rng, 100, 7), dtype="float32")
    yield case("sparse_rcnn_300x1", sparse_rcnn_cost(rng, 300, 1), dtype="float32")
    yield case("sparse_rcnn_300x0", np.zeros((300, 0)), dtype="float32")
    yield case("large_magnitude_mix_30x10", np.round(rng.choice([-1e6, 1.0], (30, 10)) * rng.uniform(0, 1, (30, 10)), 3))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    rng = np.random.default_rng(20160823)
    golden = {"scipy": scipy.__version__, "numpy": np.__version__, "cases": list(cases(rng))}
    with open(args.out, "w") as f:
        json.dump(golden, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")


if __name__ == "__main__":
    main()
