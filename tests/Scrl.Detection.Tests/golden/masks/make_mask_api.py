"""pycocotools mask-API goldens: encode, compressed strings, area, toBbox, frPoly, frBbox, frPyObjects + merge,
merge (union, intersection) and iou (crowd and not), on random masks and polygons with degenerate cases.

Usage: python3 make_mask_api.py --pycocotools <PythonAPI dir> [--out mask-api.json] [--seed 5]
Masks are written row by row as '0'/'1' strings; RLEs as {size: [h, w], counts: "<compressed string>"}.
"""
import argparse, json, random, sys
import numpy as np

ap = argparse.ArgumentParser(); ap.add_argument("--pycocotools", default=None)
ap.add_argument("--out", default="mask-api.json"); ap.add_argument("--seed", type=int, default=5)
a = ap.parse_args()
if a.pycocotools: sys.path.insert(0, a.pycocotools)
from pycocotools import mask as M, _mask

rng = random.Random(a.seed)


def rows(m): return ["".join("1" if v else "0" for v in r) for r in m]
def s(r): return {"size": [int(r["size"][0]), int(r["size"][1])], "counts": r["counts"].decode("ascii")}
def enc(m): return M.encode(np.asfortranarray(m.astype(np.uint8)))


def random_mask(h, w, kind):
    if kind == "empty": return np.zeros((h, w), np.uint8)
    if kind == "full": return np.ones((h, w), np.uint8)
    if kind == "noise": return (np.array([[rng.random() < 0.3 for _ in range(w)] for _ in range(h)])).astype(np.uint8)
    m = np.zeros((h, w), np.uint8)                                   # a few rectangles and a blob
    for _ in range(rng.randint(1, 3)):
        y0, x0 = rng.randrange(h), rng.randrange(w)
        m[y0:y0 + rng.randint(1, h), x0:x0 + rng.randint(1, w)] = 1
    return m


masks = []
for h, w, kind in [(1, 1, "empty"), (1, 1, "full"), (3, 4, "empty"), (3, 4, "full"), (1, 17, "noise"), (17, 1, "noise"),
                   (20, 30, "noise"), (25, 18, "blocks"), (40, 40, "blocks"), (7, 9, "noise"), (33, 21, "blocks"), (12, 50, "blocks")]:
    m = random_mask(h, w, kind); r = enc(m)
    masks.append({"height": h, "width": w, "rows": rows(m), "rle": s(r), "area": int(M.area(r)), "bbox": [float(v) for v in M.toBbox(r)]})

# Long runs and big count differences (multi-character numbers, negative deltas) on a large image.
big = np.zeros((1000, 1200), np.uint8); big[100:900, 50:60] = 1; big[0:1000, 700:1100] = 1; big[999, 1199] = 1
rb = enc(big)
big_rle = {"rle": s(rb), "area": int(M.area(rb)), "bbox": [float(v) for v in M.toBbox(rb)]}


def rand_poly(h, w, n, spread):
    cx, cy = rng.uniform(-0.2 * w, 1.2 * w), rng.uniform(-0.2 * h, 1.2 * h)
    return [round(v, rng.choice([0, 1, 2, 3])) for i in range(n) for v in (cx + rng.uniform(-spread, spread) * w, cy + rng.uniform(-spread, spread) * h)]


polys = []
cases = [([5, 5, 20, 5, 20, 15], 24, 30), ([0, 0, 29.99, 0, 29.99, 23.99, 0, 23.99], 24, 30), ([-5, -5, 50, -5, 50, 40, -5, 40], 24, 30),
         ([3.3, 3.3], 10, 10), ([3.3, 3.3, 7.7, 6.1], 10, 10), ([1, 1, 5, 5, 9, 9], 10, 10), ([2.1, 2.1, 2.3, 2.1, 2.2, 2.4], 10, 10),
         ([4.4, 4.4, 4.45, 4.6, 4.6, 4.41, 4.5, 4.5], 10, 10), ([2, 2, 2, 2, 8, 2, 8, 2, 8, 8], 10, 10), ([2, 2, 8, 2, 8, 8, 1], 10, 10),
         ([-3, -3, -1, -3, -1, -1], 10, 10), ([12, 12, 15, 12, 15, 15], 10, 10), ([0.5, 0.5, 9.5, 0.5, 9.5, 9.5, 0.5, 9.5], 10, 10),
         ([-0.1, -0.1, 10.1, -0.1, 10.1, 10.1], 10, 10), ([5, 0, 10, 5, 5, 10, 0, 5], 10, 10), ([], 6, 6)]
for h, w in [(24, 30), (50, 40), (13, 77)]:
    for n in [3, 4, 5, 8, 13]:
        cases.append((rand_poly(h, w, n, 0.5), h, w))
        cases.append((rand_poly(h, w, n, 0.04), h, w))                # sub-pixel to a few pixels
for p, h, w in cases:
    r = _mask.frPoly([p], h, w)[0]
    polys.append({"polygon": p, "height": h, "width": w, "rle": s(r)})

boxes = []
for b, h, w in [([2, 3, 5, 4], 10, 12), ([2.4, 3.6, 5.2, 4.7], 10, 12), ([-3, -2, 8, 6], 10, 12), ([8, 7, 10, 10], 10, 12), ([0, 0, 12, 10], 10, 12), ([4, 4, 0, 0], 10, 12), ([3.2, 3.2, 0.4, 0.3], 10, 12)]:
    r = _mask.frBbox(np.array([b], dtype=np.double), h, w)[0]
    boxes.append({"box": b, "height": h, "width": w, "rle": s(r)})

# frPyObjects on polygon lists, then merged as annToRLE does.
objects = []
for plist, h, w in [([[1, 1, 8, 1, 8, 8], [10, 10, 18, 10, 14, 18]], 20, 20), ([[2, 2, 6, 5], [10, 1, 4, 4]], 20, 20),
                    ([[1, 1, 8, 1, 8, 8, 1, 8], [3, 3, 5, 3, 5, 5]], 20, 20), ([[1, 1, 8, 1, 8, 8], [5, 5, 9, 5], [15, 15]], 20, 20), ([[3, 3]], 20, 20), ([[1, 1, 8, 1, 8]], 20, 20),
                    ([rand_poly(30, 40, 6, 0.3), rand_poly(30, 40, 5, 0.3), rand_poly(30, 40, 7, 0.2)], 30, 40)]:
    try: rs = M.frPyObjects(plist, h, w)
    except Exception as e:                                           # pycocotools rejects it: so must we
        objects.append({"polygons": plist, "height": h, "width": w, "error": type(e).__name__}); continue
    objects.append({"polygons": plist, "height": h, "width": w, "rles": [s(r) for r in rs], "merged": s(M.merge(rs))})

merges, ious = [], []
for h, w in [(20, 30), (25, 18), (40, 40)]:
    group = [enc(random_mask(h, w, rng.choice(["noise", "blocks", "blocks", "empty"] if i else ["blocks"]))) for i in range(4)]
    for intersect in (0, 1):
        merges.append({"rles": [s(r) for r in group[:3]], "intersect": intersect, "merged": s(M.merge(group[:3], intersect=intersect))})
    dts = [enc(random_mask(h, w, k)) for k in ["blocks", "blocks", "noise", "empty", "full"]]
    gts = [enc(random_mask(h, w, k)) for k in ["blocks", "blocks", "noise", "empty"]]
    crowd = [0, 1, 1, 0]
    iou = M.iou(dts, gts, crowd)
    ious.append({"dts": [s(r) for r in dts], "gts": [s(r) for r in gts], "iscrowd": crowd, "iou": [[float(v) for v in row] for row in iou]})
# Disjoint boxes, and masks whose boxes touch but pixels do not.
d0 = np.zeros((10, 10), np.uint8); d0[0:3, 0:3] = 1; g0 = np.zeros((10, 10), np.uint8); g0[6:9, 6:9] = 1
d1 = np.zeros((10, 10), np.uint8); d1[0, 0:5] = 1; d1[4, 0] = 1; g1 = np.zeros((10, 10), np.uint8); g1[2, 2:4] = 1
dd, gg = [enc(d0), enc(d1)], [enc(g0), enc(g1)]
ious.append({"dts": [s(r) for r in dd], "gts": [s(r) for r in gg], "iscrowd": [0, 1], "iou": [[float(v) for v in row] for row in M.iou(dd, gg, [0, 1])]})

json.dump({"masks": masks, "big": big_rle, "polygons": polys, "boxes": boxes, "objects": objects, "merges": merges, "ious": ious},
          open(a.out, "w"), indent=0)
print(f"{len(masks)} masks, {len(polys)} polygons, {len(boxes)} boxes, {len(objects)} polygon lists, {len(merges)} merges, {len(ious)} iou sets -> {a.out}")
