"""Golden draws and boxes for SpatialBoxGenerator: a port of SCRL's SCRLBoxGenerator.generate
(kakaobrain/scrl models/box_generator.py, with the flip fix of 33e8b6e) that records every random draw.

For each scenario s in (grid, nongrid, jitter) it stores, under keys "s.<name>":
  draw_kind uint8 [D] (0 = randint, 1 = uniform), the draws in call order;
  randint int32 [Dr, 3] = (low, high, value), bounds as numpy applies them: [low, int(high));
  uniform float64 [Du, 3] = (low, high, value);
  rois1 / rois2 float32 [R, 5] = (batch_idx, x1, y1, x2, y2) in view px (view 2 batch indices offset by B),
  boxes_per_image int64 [B], fallback_count int64 [1].
Shared: "view1" / "view2" int64 [B, 5] = (top, left, height, width, flipped) in original-image px.
Run with /usr/bin/python3 make_boxgen.py (numpy's legacy global generator, seeded per scenario).
"""
import os

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "boxgen.pt")
S, MIN_SIZE, K, IOU_THRESHOLD, MAX_ATTEMPTS, JITTER_RATIO = 224, 32, 10, 0.5, 50, 0.1


class Recorder:
    """Draws from numpy exactly as the reference does, and records bounds and values."""

    def __init__(self, seed):
        np.random.seed(seed)
        self.draws = []

    def randint(self, low, high):
        value = np.random.randint(low, high)  # a float high is truncated by numpy
        self.draws.append((0, (low, int(high), value)))
        return value

    def uniform4(self, low, high):
        values = np.random.uniform(low=low, high=high, size=4)
        self.draws.extend((1, (low, high, float(v))) for v in values)
        return values


def iou(a, b):
    inter = max(min(a[2], b[2]) - max(a[0], b[0]), 0) * max(min(a[3], b[3]) - max(a[1], b[1]), 0)
    if inter == 0:
        return 0
    area_a = abs((a[2] - a[0]) * (a[3] - a[1]))
    area_b = abs((b[2] - b[0]) * (b[3] - b[1]))
    return inter / float(area_a + area_b - inter)


def clip(box):
    return [box[0], float(max(0, box[1])), float(max(0, box[2])), float(min(S, box[3])), float(min(S, box[4]))]


def generate(view1, view2, rng, grid_based, jitter):
    """view1, view2: lists of (top, left, height, width, flipped)."""
    n = len(view1)
    boxes1, boxes2, per_image, fallbacks = [], [], [], 0
    for b, (t1, t2) in enumerate(zip(view1, view2)):
        left, right = max(t1[1], t2[1]), min(t1[1] + t1[3], t2[1] + t2[3])
        top, bottom = max(t1[0], t2[0]), min(t1[0] + t1[2], t2[0] + t2[2])
        if left >= right or top >= bottom:
            per_image.append(0)
            continue
        sw = [S / t[3] for t in (t1, t2)]
        sh = [S / t[2] for t in (t1, t2)]
        swmin, shmin = min(sw), min(sh)
        swmin_inv, shmin_inv = 1 / swmin, 1 / shmin
        wi, hi = round((right - left) * swmin), round((bottom - top) * shmin)
        if MIN_SIZE >= wi or MIN_SIZE >= hi:
            per_image.append(0)
            continue
        div_w_range, div_h_range = int(wi / MIN_SIZE) + 1, int(hi / MIN_SIZE) + 1
        first = len(boxes1)
        for i in range(K):
            accepted = False
            for _ in range(MAX_ATTEMPTS):
                if grid_based:
                    div_w = rng.randint(1, div_w_range)
                    div_h = rng.randint(1, div_h_range)
                    grid_w, grid_h = wi / div_w, hi / div_h
                    grid_x = rng.randint(0, div_w)
                    grid_y = rng.randint(0, div_h)
                    bw = rng.randint(MIN_SIZE, grid_w + 1)
                    bh = rng.randint(MIN_SIZE, grid_h + 1)
                    bx = rng.randint(0, grid_w - bw + 1) + int(grid_x * grid_w)
                    by = rng.randint(0, grid_h - bh + 1) + int(grid_y * grid_h)
                else:
                    bw = rng.randint(MIN_SIZE, wi)
                    bh = rng.randint(MIN_SIZE, hi)
                    bx = rng.randint(0, wi - bw)
                    by = rng.randint(0, hi - bh)
                views = []
                for k, t in enumerate((t1, t2)):
                    l = bx * swmin_inv * sw[k] + (left - t[1]) * sw[k]
                    r = l + bw * swmin_inv * sw[k]
                    tt = by * shmin_inv * sh[k] + (top - t[0]) * sh[k]
                    bb = tt + bh * shmin_inv * sh[k]
                    if t[4]:
                        l, r = S - r, S - l
                    views.append([l, tt, r, bb])
                if jitter:
                    l, tt, r, bb = views[1]
                    w, h = r - l, bb - tt
                    j = rng.uniform4(1.0 - JITTER_RATIO, 1.0 + JITTER_RATIO)
                    l = float(l + w * (j[0] - 1))
                    tt = float(tt + h * (j[1] - 1))
                    r = float(l + w * j[2])
                    bb = float(tt + h * j[3])
                    views[1] = [l, tt, r, bb]
                if i == 0 or IOU_THRESHOLD == 1.0:
                    accepted = True
                    break
                max_iou = max(iou(views[0], prev[1:]) for prev in boxes1[first:])
                if max_iou < IOU_THRESHOLD:
                    accepted = True
                    break
            fallbacks += 0 if accepted else 1
            boxes1.append(clip([b] + views[0]))
            boxes2.append(clip([b + n] + views[1]))
        per_image.append(K)
    return boxes1, boxes2, per_image, fallbacks


# (top, left, height, width, flipped) per view, in original px of a 300 x 400 (h x w) image.
view1 = [
    (10, 20, 200, 250, 0), (10, 20, 200, 250, 1),     # overlapping, view 2 flipped below
    (0, 0, 300, 400, 1), (50, 60, 120, 90, 0),        # whole image vs small crop: very different scales
    (0, 0, 100, 100, 0), (150, 200, 140, 180, 1),     # non-overlapping pair
    (0, 0, 120, 120, 0), (30, 40, 160, 220, 1),       # tiny intersection (skipped), both flipped
    (0, 0, 200, 200, 0), (100, 100, 180, 280, 0),     # ~39 x 45 px scaled intersection: fallbacks expected
    (20, 30, 250, 90, 1), (0, 250, 300, 150, 0),      # tall crop / right edge shared with the image
]
view2 = [
    (40, 60, 220, 300, 1), (30, 10, 180, 260, 0),
    (40, 50, 150, 120, 1), (0, 0, 300, 400, 0),
    (150, 200, 100, 120, 0), (0, 0, 140, 190, 0),
    (110, 110, 150, 150, 0), (60, 10, 210, 240, 1),
    (160, 165, 200, 200, 1), (120, 130, 160, 270, 1),
    (60, 0, 240, 100, 0), (20, 230, 270, 170, 1),
]

golden = {
    "view1": torch.tensor(view1, dtype=torch.int64),
    "view2": torch.tensor(view2, dtype=torch.int64),
}
for seed, (name, grid_based, jitter) in enumerate([("grid", True, False), ("nongrid", False, False), ("jitter", True, True)]):
    rng = Recorder(seed=2021 + seed)
    b1, b2, per_image, fallbacks = generate(view1, view2, rng, grid_based, jitter)
    golden[f"{name}.draw_kind"] = torch.tensor([kind for kind, _ in rng.draws], dtype=torch.uint8)
    golden[f"{name}.randint"] = torch.tensor([d for kind, d in rng.draws if kind == 0], dtype=torch.int32).view(-1, 3)
    golden[f"{name}.uniform"] = torch.tensor([d for kind, d in rng.draws if kind == 1], dtype=torch.float64).view(-1, 3)
    golden[f"{name}.rois1"] = torch.tensor(b1, dtype=torch.float32)
    golden[f"{name}.rois2"] = torch.tensor(b2, dtype=torch.float32)
    golden[f"{name}.boxes_per_image"] = torch.tensor(per_image, dtype=torch.int64)
    golden[f"{name}.fallback_count"] = torch.tensor([fallbacks], dtype=torch.int64)
    print(f"{name}: {len(rng.draws)} draws, {len(b1)} box pairs, per image {per_image}, {fallbacks} fallbacks")

torch.save(golden, OUT)
